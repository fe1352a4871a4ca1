"""Shared language layers every detector kind reads with."""

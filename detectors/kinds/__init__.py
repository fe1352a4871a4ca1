"""Detector kinds: one module each, found by scanning this folder (see base.py)."""

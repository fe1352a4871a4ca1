"""The web console (``newswatch web``): pages, JSON API and Atom feeds over the history."""


class WebConfigError(Exception):
    """The console cannot start safely with these settings."""

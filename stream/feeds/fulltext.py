"""An article page's main text, with trafilatura (boilerplate, menus and comments left out)."""

from __future__ import annotations

import trafilatura


def extract_text(html: bytes | str, *, url: str | None = None) -> str | None:
    """The main text of an HTML page, or None when trafilatura finds none.

    Runs for tens of milliseconds on a news page: call it off the event loop.
    """
    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        deduplicate=True,
    )
    return text.strip() if text and text.strip() else None

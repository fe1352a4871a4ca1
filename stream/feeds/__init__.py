"""Live news in: RSS, Atom and RDF feeds, polled, de-duplicated, with full text.

One module per step, plain functions with the logic, no Kafka or Faust:

- ``model``     a source (``sources:`` in the config or ``newswatch sources add``)
                and the poller's limits.
- ``fetch``     one HTTP GET: conditional (ETag / If-Modified-Since), bounded in
                time and size, redirects followed, polite per host.
- ``parse``     feedparser → entries with a stable id, plain text, ISO dates.
- ``fulltext``  the article page's main text (trafilatura).
- ``language``  the feed's language, else a detected one (py3langid).
- ``state``     per source: health, conditional-GET validators, back-off and the
                ids already published (the memory that makes each entry go once).
- ``poll``      one poll of one source: the items to publish, the skip records,
                the next state.
- ``runner``    which sources are due, at most one poll per source at a time.
- ``worker``    the thin Faust wiring (leader-only timer, topic views).
- ``commands``  what ``newswatch sources add|list|remove`` do over Kafka.
"""

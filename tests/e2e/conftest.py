"""End-to-end fixtures: one real Kafka broker for the session, on free ports in a temp dir."""

from __future__ import annotations

import pytest

from stream.broker import LocalBroker, default_libs_dir

from .harness import REPO, WorkerProcess, write_config


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    libs = default_libs_dir()
    broker = LocalBroker(
        tmp_path_factory.mktemp("kafka"),
        port=0,
        libs_dir=libs if libs.is_absolute() else REPO / libs,
    )
    seconds = broker.start(timeout_s=120)
    print(f"\nKafka broker ready at {broker.bootstrap} in {seconds:.1f}s")
    yield broker
    broker.stop()


@pytest.fixture
def workers(tmp_path):
    """Start workers with ``workers(config_path)``; all are stopped at the end of the test."""
    started: list[WorkerProcess] = []

    def start(config_path):
        worker = WorkerProcess(config_path, tmp_path).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def config_for(broker, tmp_path):
    """``config_for(**sections)`` writes a config for this test with its own topics."""

    def make(**sections):
        return write_config(tmp_path, broker.bootstrap, **sections)

    return make


@pytest.fixture
def console(tmp_path):
    """Start ``newswatch web`` with ``console(config_path)``; stopped at the end of the test."""
    from .harness import WebProcess

    started = []

    def start(config_path):
        web = WebProcess(config_path, tmp_path).start()
        started.append(web)
        return web

    yield start
    for web in started:
        web.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system packages (chromium, chromium-driver), via selenium."""
    import shutil

    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.fail("chromium and chromedriver are needed: `make test` installs them (apt)")
    options = Options()
    options.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()

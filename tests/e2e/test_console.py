"""The console in a real headless Chromium, against a real broker and a real worker.

One deployment for the module (a worker, the console, channel ``ops`` with no
URL, so its alerts go to news.alerts.dead): the seed and a hostile article
(another event: not a duplicate of the seed's) are replayed once; the tests
run in file order, the silence test last.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.receivers import HttpReceiver, free_port

from .harness import (
    REPO,
    WebProcess,
    WorkerProcess,
    newswatch,
    produce,
    read_topic,
    topic_name,
    write_config,
)

FAST = {"group_wait": "1s", "group_interval": "2s", "retries": 0}
PWN = "document.body.setAttribute('data-pwned','{}')"
HOSTILE_TITLE = f'<script>{PWN.format("title")}</script><img src=x onerror="{PWN.format("img")}">'
HOSTILE_TEXT = (
    "Tel Aviv residents sheltered overnight. Iran launched 300 drones and 20 missiles at "
    f'Israel overnight <img src=x onerror="{PWN.format("text-img")}">, officials said. '
    f"<script>{PWN.format('text-script')}; alert('x')</script> Repairs began at dawn."
)


def message(browser, timeout_s=30):
    """The page's result line after a form was sent (waits for the next page to load)."""
    found = WebDriverWait(browser, timeout_s).until(
        lambda b: b.find_elements(By.ID, "done") or b.find_elements(By.ID, "error")
    )
    assert found[0].get_attribute("id") == "done", found[0].text
    return found[0].text


@pytest.fixture(scope="module")
def deployment(broker, tmp_path_factory):
    """(config path, console, seed result record) after the seed and a hostile article."""
    directory = tmp_path_factory.mktemp("console")
    # The channel's receiver is down for now, so its alerts go dead (a later test
    # brings it up and redelivers them from the page).
    down = f"json://127.0.0.1:{free_port()}/hook"
    config = write_config(
        directory, broker.bootstrap, channels=[{"name": "ops", "urls": [down]} | FAST]
    )
    worker = WorkerProcess(config, directory).start()
    web = WebProcess(config, directory).start()
    try:
        done = newswatch("replay", str(REPO / "seeds"), "--config", str(config), "--no-progress")
        assert done.returncode == 0, done.stderr
        seed_alerts = web.wait_for("/api/alerts", lambda a: a["total"] >= 2)["total"]
        item = {
            "id": "hostile-1",
            "title": HOSTILE_TITLE,
            "text": HOSTILE_TEXT,
            "url": f"javascript:{PWN.format('link')}",
        }
        produce(broker.bootstrap, topic_name(config, "news.items"), [json.dumps(item).encode()])
        web.wait_for("/api/alerts", lambda a: a["total"] > seed_alerts)
        [seed] = [
            r
            for r in read_topic(broker.bootstrap, topic_name(config, "news.detections"), count=2)
            if r["id"] != "hostile-1"
        ]
        yield config, web, seed, down
    finally:
        web.stop()
        worker.stop()


def test_console_lists_the_seed_alert_with_its_evidence_highlighted(deployment, browser):
    config, web, seed, _down = deployment
    strike = next(d for d in seed["detections"] if d["detector"] == "strike")
    browser.get(web.url + "/")
    alerts = browser.find_elements(By.CSS_SELECTOR, "li.alert")
    for detection in seed["detections"]:  # one alert per event, each with its evidence marked
        [alert] = [a for a in alerts if detection["summary"] in a.text]
        marks = [m.text for m in alert.find_elements(By.CSS_SELECTOR, "blockquote.evidence mark")]
        assert detection["evidence"]["text"] in marks, (detection["detector"], marks)
    [alert] = [a for a in alerts if strike["summary"] in a.text]
    text = alert.text
    assert "524" in text  # a fact (total munitions) shown with its name
    assert "ops" in text

    # Filters and full-text search narrow the list in the page too.
    browser.get(web.url + "/?q=Pyongyang&severity=critical&actor=UA")
    found = browser.find_elements(By.CSS_SELECTOR, "li.alert")
    assert len(found) == 1 and strike["summary"] in found[0].text
    browser.get(web.url + "/?q=xylophone")
    assert browser.find_elements(By.CSS_SELECTOR, "li.alert") == []
    assert "No alerts match" in browser.find_element(By.TAG_NAME, "main").text


def test_hostile_title_and_text_are_shown_as_text_and_run_nothing(deployment, browser):
    _config, web, _seed, _down = deployment
    for page in ("/", "/detections", "/?q=drones", "/dead"):
        browser.get(web.url + page)
        time.sleep(0.5)  # give an injected handler (there must be none) time to run
        try:
            alert = browser.switch_to.alert
            raise AssertionError(f"a JavaScript dialog opened on {page}: {alert.text}")
        except NoAlertPresentException:
            pass
        assert browser.execute_script("return document.body.getAttribute('data-pwned')") is None
        assert browser.find_elements(By.CSS_SELECTOR, "main script, main img") == []
        if page != "/dead":  # (dead alerts show the alert's title, not the article's)
            shown = browser.find_element(By.TAG_NAME, "main").text
            assert "<script>document.body.setAttribute" in shown, page
            assert "<img src=x onerror=" in shown, page
        links = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
        assert not any(link.startswith("javascript:") for link in links)
    # The evidence, markup and all, is the highlighted text.
    browser.get(web.url + "/")
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "blockquote.evidence mark")]
    assert any("<img src=x onerror=" in m and "300 drones" in m for m in marks), marks


def test_subscribe_in_the_page_then_redeliver_the_dead_alerts_to_it(deployment, browser):
    """Channel ops's receiver was down: its alerts went dead. With it back, subscribing
    another receiver and pressing Redeliver in the console gets them to both. The URL's
    secret never reaches the page."""
    config, web, _seed, down = deployment
    dead = web.wait_for("/api/dead-alerts", lambda rows: len(rows) >= 2)
    browser.get(web.url + "/dead")
    assert "ops" in browser.find_element(By.CSS_SELECTOR, "table.list tbody").text

    port = int(down.rsplit(":", 1)[1].split("/")[0])
    with HttpReceiver(port=port) as back, HttpReceiver() as hook:
        url = hook.url + "?token=s3cr3tvalue"
        browser.get(web.url + "/channels")
        section = browser.find_element(By.ID, "channel-ops")
        section.find_element(By.NAME, "url").send_keys(url)
        section.find_element(By.CSS_SELECTOR, "form.add button").click()
        assert "subscribed" in message(browser)
        assert "s3cr3tvalue" not in browser.page_source
        listed = newswatch("channels", "--config", str(config))
        assert "subscribed" in listed.stdout and "s3cr3tvalue" not in listed.stdout

        browser.get(web.url + "/dead")
        browser.find_element(By.CSS_SELECTOR, "form.add button").click()
        sent = re.search(r"(\d+) dead alert\(s\) sent back", message(browser))
        assert sent and int(sent.group(1)) == len(dead)
        payloads = hook.wait_for(len(dead), timeout=60)
        assert any("500" in p["message"] for p in payloads)
        back.wait_for(len(dead), timeout=60)
        web.wait_for(
            "/api/dead-alerts", lambda rows: all(r["status"] == "delivered since" for r in rows)
        )

        # Remove the subscription again from the page.
        browser.get(web.url + "/channels")
        section = browser.find_element(By.ID, "channel-ops")
        section.find_element(By.CSS_SELECTOR, "form.inline button").click()
        assert "unsubscribed" in message(browser)
        listed = newswatch("channels", "--config", str(config)).stdout
        assert "  subscribed  " not in listed


def test_a_silence_added_in_the_page_is_listed_by_the_cli(deployment, browser):
    config, web, _seed, _down = deployment
    browser.get(web.url + "/silences")
    form = browser.find_element(By.ID, "add-silence")
    form.find_element(By.NAME, "matchers").send_keys("detector=strike\nactor=RU")
    duration = form.find_element(By.NAME, "duration")
    duration.clear()
    duration.send_keys("3h")
    form.find_element(By.NAME, "comment").send_keys("from the browser")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    done = message(browser)
    assert done.startswith("silence ") and done.endswith(" added")
    silence_id = done.split()[1]

    listed = newswatch("silence", "list", "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    [line] = [ln for ln in listed.stdout.splitlines() if ln.startswith(silence_id)]
    assert "active" in line and "detector=strike actor=RU" in line and "from the browser" in line

    # Expire it from the page: the CLI no longer lists it as active.
    browser.get(web.url + "/silences")
    row = browser.find_element(By.CSS_SELECTOR, "tr.silence.active")
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert f"silence {silence_id} expired" in message(browser)
    assert silence_id not in newswatch("silence", "list", "--config", str(config)).stdout

"""The console in a real headless Chromium, against a real broker and a real worker."""

from __future__ import annotations

import json
import time

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.receivers import HttpReceiver

from .harness import REPO, newswatch, produce, read_topic, topic_name

FAST = {"group_wait": "1s", "group_interval": "2s", "retries": 0}


def message(browser, timeout_s=30):
    """The page's result line after a form was sent (waits for the next page to load)."""
    found = WebDriverWait(browser, timeout_s).until(
        lambda b: b.find_elements(By.ID, "done") or b.find_elements(By.ID, "error")
    )
    assert found[0].get_attribute("id") == "done", found[0].text
    return found[0].text


def replay(config, path):
    done = newswatch("replay", str(path), "--config", str(config), "--no-progress")
    assert done.returncode == 0, done.stderr


def test_console_lists_the_seed_alert_with_its_evidence_highlighted(
    config_for, workers, console, browser, broker
):
    with HttpReceiver() as hook:
        config = config_for(channels=[{"name": "ops", "urls": [hook.url], **FAST}])
        workers(config)
        web = console(config)
        replay(config, REPO / "seeds")
        [result] = read_topic(broker.bootstrap, topic_name(config, "news.detections"), count=1)
        web.wait_for("/api/alerts", lambda a: a["total"] >= 1)

        browser.get(web.url + "/")
        [alert] = browser.find_elements(By.CSS_SELECTOR, "li.alert")
        text = alert.text
        evidence = {d["detector"]: d["evidence"]["text"] for d in result["detections"]}
        marks = [m.text for m in alert.find_elements(By.CSS_SELECTOR, "blockquote.evidence mark")]
        for detector, sentence in evidence.items():
            assert sentence in marks, (detector, sentence, marks)
        strike = next(d for d in result["detections"] if d["detector"] == "strike")
        assert strike["summary"] in text
        assert "524" in text  # a fact (total munitions) shown with its name
        assert "ops" in text

        # Filters and full-text search narrow the list in the page too.
        browser.get(web.url + "/?q=drones&severity=critical&actor=UA")
        assert len(browser.find_elements(By.CSS_SELECTOR, "li.alert")) == 1
        browser.get(web.url + "/?q=xylophone")
        assert browser.find_elements(By.CSS_SELECTOR, "li.alert") == []
        assert "No alerts match" in browser.find_element(By.TAG_NAME, "main").text


def test_a_silence_added_in_the_page_is_listed_by_the_cli(config_for, console, browser):
    config = config_for(channels=[{"name": "ops", "urls": []}])
    assert newswatch("silence", "list", "--config", str(config)).returncode == 0  # makes topics
    web = console(config)
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

    # Expire it from the page: the CLI sees it gone from the active list.
    browser.get(web.url + "/silences")
    row = browser.find_element(By.CSS_SELECTOR, "tr.silence.active")
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert f"silence {silence_id} expired" in message(browser)
    assert silence_id not in newswatch("silence", "list", "--config", str(config)).stdout


def test_hostile_title_and_text_are_shown_as_text_and_run_nothing(
    config_for, workers, console, browser, broker
):
    config = config_for(channels=[{"name": "ops", "urls": [], **FAST}])
    workers(config)
    web = console(config)
    pwn = "document.body.setAttribute('data-pwned','{}')"
    title = f'<script>{pwn.format("title")}</script><img src=x onerror="{pwn.format("img")}">'
    text = (
        "Kyiv residents sheltered overnight. Russia launched 300 drones and 20 missiles at "
        f'Ukraine overnight <img src=x onerror="{pwn.format("text-img")}">, officials said. '
        f"<script>{pwn.format('text-script')}; alert('x')</script> Repairs began at dawn."
    )
    item = {"id": "hostile-1", "title": title, "text": text, "url": f"javascript:{pwn.format('u')}"}
    produce(broker.bootstrap, topic_name(config, "news.items"), [json.dumps(item).encode()])
    web.wait_for("/api/alerts", lambda a: a["total"] >= 1)

    for page in ("/", "/detections", "/?q=drones"):
        browser.get(web.url + page)
        time.sleep(0.5)  # give an injected handler (there must be none) time to run
        try:
            alert = browser.switch_to.alert
            raise AssertionError(f"a JavaScript dialog opened on {page}: {alert.text}")
        except NoAlertPresentException:
            pass
        assert browser.execute_script("return document.body.getAttribute('data-pwned')") is None
        assert browser.find_elements(By.CSS_SELECTOR, "main script, main img") == []
        shown = browser.find_element(By.TAG_NAME, "main").text
        assert "<script>document.body.setAttribute" in shown, page
        assert "<img src=x onerror=" in shown, page
        links = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
        assert not any(link.startswith("javascript:") for link in links)
    # The evidence, markup and all, is the highlighted text.
    browser.get(web.url + "/")
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "blockquote.evidence mark")]
    assert any("<img src=x onerror=" in m and "300 drones" in m for m in marks), marks


def test_subscribe_in_the_page_then_redeliver_a_dead_alert_to_it(
    config_for, workers, console, browser
):
    """A channel with no URL: its alert goes dead; subscribing a receiver and pressing
    Redeliver in the console gets it there. The URL's secret never reaches the page."""
    config = config_for(channels=[{"name": "ops", "urls": [], **FAST}])
    workers(config)
    web = console(config)
    replay(config, REPO / "seeds")
    web.wait_for("/api/dead-alerts", lambda rows: len(rows) >= 1)
    browser.get(web.url + "/dead")
    assert "ops" in browser.find_element(By.CSS_SELECTOR, "table.list tbody").text

    with HttpReceiver() as hook:
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
        assert "1 dead alert(s) sent back" in message(browser)
        [payload] = hook.wait_for(1, timeout=60)
        assert "500" in payload["message"]
        web.wait_for("/api/dead-alerts", lambda rows: rows[0]["status"] == "delivered since")

        # Remove the subscription again from the page.
        browser.get(web.url + "/channels")
        section = browser.find_element(By.ID, "channel-ops")
        section.find_element(By.CSS_SELECTOR, "form.inline button").click()
        assert "unsubscribed" in message(browser)
        listed = newswatch("channels", "--config", str(config)).stdout
        assert "(no URLs:" in listed and "  subscribed  " not in listed

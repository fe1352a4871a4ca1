"""The console without Kafka: escaping, CSRF, tokens, filters and the Atom feed.

Actions that reach Kafka (silences, subscriptions, redelivery) are tested end
to end in tests/e2e/test_console.py; here they must be refused before that.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import yaml
from fastapi.testclient import TestClient

from stream.config import load_config
from stream.history import History
from stream.web import WebConfigError
from stream.web.app import create_app
from stream.web.present import highlight, parse_time, safe_link
from stream.web.security import load_token

EVIL_TITLE = '<script>document.title="pwned"</script><img src=x onerror="alert(1)">'
EVIL_TEXT = "First sentence. Russia fired <b>100</b> drones <script>alert(2)</script> at Kyiv. End."


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "nw.yml"
    path.write_text(
        yaml.safe_dump(
            {"kafka": {"bootstrap": "127.0.0.1:1"}, "channels": [{"name": "ops", "urls": []}]}
        )
    )
    return load_config(path)


@pytest.fixture
def history():
    history = History(":memory:")
    evidence = "Russia fired <b>100</b> drones <script>alert(2)</script> at Kyiv."
    start = EVIL_TEXT.index(evidence)
    detection = {
        "id": "d1",
        "item_id": "evil",
        "detector": "strike",
        "severity": "high",
        "summary": "RU struck UA <img src=x onerror=alert(3)>",
        "evidence": {"text": evidence, "start": start, "end": start + len(evidence)},
        "labels": {"detector": "strike", "severity": "high", "actor": "RU"},
        "actors": ["RU", "UA"],
        "event": "strike|actor=RU|target=UA",
        "facts": [["total", "100 <drones>"]],
        "actor": "RU",
    }
    item = {"id": "evil", "title": EVIL_TITLE, "url": "javascript:alert(4)"}
    history.apply("items", {**item, "text": EVIL_TEXT}, 100)
    history.apply("detections", {"id": "evil", "item": item, "detections": [detection]}, 101)
    history.apply(
        "alerts",
        {
            "id": "al1",
            "channel": "ops",
            "severity": "high",
            "title": EVIL_TITLE,
            "body": "body <script>x</script>",
            "created_at": 102,
            "detections": [detection],
            "items": {"evil": item},
        },
        102,
    )
    return history


def test_untrusted_text_is_escaped_and_scripts_are_not_allowed(config, history):
    client = TestClient(create_app(config, history))
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.title=" in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    assert "<mark>Russia fired &lt;b&gt;100&lt;/b&gt; drones" in html
    assert "<dd>100 &lt;drones&gt;</dd>" in html  # a fact, escaped
    assert "<code>actor=RU</code>" in html  # labels shown generically
    assert 'href="javascript:' not in html
    assert "script-src" not in page.headers["content-security-policy"]  # none allowed
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert client.get("/detections").status_code == 200


def test_changes_need_the_csrf_token(config, history):
    client = TestClient(create_app(config, history))
    client.get("/")  # sets the CSRF cookie
    assert client.cookies.get("nw_csrf")
    refused = client.post("/silences", data={"matchers": "actor=RU", "duration": "1h"})
    assert refused.status_code == 403 and "CSRF" in refused.text
    wrong = client.post("/silences", data={"matchers": "actor=RU", "csrf": "guess"})
    assert wrong.status_code == 403
    api = client.post("/api/silences", json={"matchers": ["actor=RU"], "duration": "1h"})
    assert api.status_code == 403


def test_off_loopback_changes_need_the_token(config, history):
    client = TestClient(create_app(config, history, token="s3cret"))
    page = client.get("/dead")
    assert "Redeliver</button>" not in page.text and "/login" in page.text
    csrf = client.cookies.get("nw_csrf")
    refused = client.post("/silences", data={"matchers": "actor=RU", "csrf": csrf})
    assert refused.status_code == 403 and "token" in refused.text
    bad = client.post("/login", data={"token": "nope", "csrf": csrf}, follow_redirects=False)
    assert "error=wrong+token" in bad.headers["location"]
    good = client.post("/login", data={"token": "s3cret", "csrf": csrf}, follow_redirects=False)
    assert good.status_code == 303 and client.cookies.get("nw_auth")
    assert "Redeliver</button>" in client.get("/dead").text
    api = TestClient(create_app(config, history, token="s3cret"))
    bearer = {"Authorization": "Bearer s3cret"}
    wrong = {"Authorization": "Bearer x"}
    assert api.post("/api/dead-alerts/redeliver", headers=wrong).status_code == 403
    # with the token, the request gets as far as Kafka, which is not there: 503, said plainly
    down = api.post("/api/dead-alerts/redeliver", headers=bearer)
    assert down.status_code == 503 and "cannot reach Kafka" in down.json()["detail"]


def test_binding_elsewhere_without_a_token_is_refused(tmp_path):
    with pytest.raises(WebConfigError, match="web.token"):
        load_token(None, None, "0.0.0.0")
    assert load_token(None, None, "127.0.0.1") is None
    assert load_token(None, None, "::1") is None
    secret = tmp_path / "token"
    secret.write_text("abc\n")
    assert load_token(None, str(secret), "0.0.0.0") == "abc"


def test_filters_and_api(config, history):
    client = TestClient(create_app(config, history))
    assert client.get("/api/alerts", params={"q": "drones"}).json()["total"] == 1
    assert client.get("/api/alerts", params={"actor": "FR"}).json()["total"] == 0
    assert client.get("/api/alerts", params={"severity": "critical"}).json()["total"] == 0
    bad = client.get("/api/alerts", params={"severity": "huge"})
    assert bad.status_code == 400 and "severity" in bad.json()["detail"]
    bad = client.get("/api/alerts", params={"since": "last tuesday"})
    assert bad.status_code == 400 and "since" in bad.json()["detail"]
    [alert] = client.get("/api/alerts").json()["alerts"]
    [d] = alert["detections"]
    assert d["in_text"]["mark"].startswith("Russia fired <b>100</b>")  # raw in JSON, by design
    assert d["article"]["link"] is None


def test_atom_feed_per_channel(config, history):
    client = TestClient(create_app(config, history))
    feed = client.get("/feeds/ops.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom")
    root = ET.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [entry] = root.findall("a:entry", ns)
    assert entry.find("a:title", ns).text.endswith(EVIL_TITLE)  # escaped in XML, text intact
    assert client.get("/feeds/nope.atom").status_code == 404


def test_present_helpers():
    assert safe_link("https://example.org/a") == "https://example.org/a"
    assert safe_link("javascript:alert(1)") is None
    assert safe_link("data:text/html,x") is None
    parts = highlight("abc def ghi", 4, 7, "def")
    assert parts == {"before": "abc ", "mark": "def", "after": " ghi"}
    assert highlight("abc def ghi", 0, 3, "def")["mark"] == "def"  # offsets off: look it up
    assert highlight("abc", 0, 1, "zzz") is None
    assert parse_time("1h", "since", now=7200.0) == 3600.0
    assert parse_time("1970-01-01T01:00", "since") == 3600.0

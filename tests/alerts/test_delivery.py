"""Delivery through apprise to real local receivers (HTTP json:// and SMTP mailto://)."""

from __future__ import annotations

import asyncio

import pytest

from alerts.channels import load_channels
from alerts.delivery import (
    deliver,
    deliver_alert,
    effective_urls,
    mask_url,
    subscription,
    subscription_key,
    url_key,
)
from alerts.routing import Router
from tests.receivers import HttpReceiver, SmtpReceiver, free_port

from .conftest import BLOCS, result, strike

T0 = 1714564800.0


class Sleeps:
    """A fast stand-in for asyncio.sleep that records the waits asked for."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


def run(coro):
    return asyncio.run(coro)


def test_json_receiver_gets_title_and_body():
    with HttpReceiver() as hook:
        res = run(deliver([hook.url], "Strike on Kyiv", "**120** drones\n\n> evidence"))
        (payload,) = hook.wait_for(1)
    assert res.ok and res.attempts == 1 and res.failed == [] and res.error == ""
    assert payload["title"] == "Strike on Kyiv"
    assert "**120** drones" in payload["message"] and "> evidence" in payload["message"]
    assert res.delivered == [url_key(hook.url)]


def test_mail_receiver_gets_subject_and_body():
    with SmtpReceiver() as smtp:
        res = run(deliver([smtp.url()], "Strike on Kyiv", "Russia launched **120** drones."))
        (mail,) = smtp.wait_for(1)
    assert res.ok, res.error
    assert mail["Subject"] == "Strike on Kyiv"
    assert "b@example.com" in mail["To"] and "a@example.com" in mail["From"]
    assert "Russia launched" in SmtpReceiver.text(mail)
    assert "120" in SmtpReceiver.text(mail)


def test_two_mails_to_one_address_are_not_throttled():
    # Apprise waits 5.5 s between sends from one e-mail URL object; fresh
    # objects per delivery keep the second alert from stalling.
    async def twice(url):
        loop = asyncio.get_running_loop()
        start = loop.time()
        await deliver([url], "one", "first")
        await deliver([url], "two", "second")
        return loop.time() - start

    with SmtpReceiver() as smtp:
        elapsed = run(twice(smtp.url()))
        assert [m["Subject"] for m in smtp.wait_for(2)] == ["one", "two"]
    assert elapsed < 4.0


def test_fails_twice_then_succeeds_is_delivered_once_after_three_attempts():
    sleeps = Sleeps()
    with HttpReceiver() as hook, HttpReceiver() as steady:
        hook.fail_next(2)
        res = run(deliver([hook.url, steady.url], "t", "b", retries=3, backoff_s=0.5, sleep=sleeps))
        assert len(hook.wait_for(1)) == 1
        assert [h["status"] for h in hook.hits] == [500, 500, 200]
        # Only the failed URL is retried.
        assert len(steady.hits) == 1
    assert res.ok and res.attempts == 3
    assert sleeps.waits == [0.5, 1.0]  # exponential backoff


def test_receiver_down_fails_after_retries_with_secrets_masked():
    sleeps = Sleeps()
    port = free_port()
    url = f"json://admin:Sup3rSecretPw@127.0.0.1:{port}/hook?+X-Token=tok3n9secret"
    res = run(deliver([url], "t", "b", retries=2, backoff_s=0.01, sleep=sleeps))
    assert not res.ok and res.attempts == 3 and len(sleeps.waits) == 2
    (failed,) = res.failed
    assert failed.startswith(f"json://admin:****@127.0.0.1:{port}/hook")
    for secret in ("Sup3rSecretPw", "tok3n9secret"):
        assert secret not in failed and secret not in res.error
    assert failed in res.error and "gave up after 3 attempts" in res.error


def test_invalid_url_is_reported_masked_and_others_still_delivered():
    with HttpReceiver() as hook:
        res = run(deliver(["nope://user:hunter2pass@host/x", hook.url], "t", "b", sleep=Sleeps()))
        assert len(hook.wait_for(1)) == 1
    assert not res.ok and res.attempts == 1
    (failed,) = res.failed
    assert failed.startswith("nope://user:") and "hunter2pass" not in failed
    assert "unknown apprise scheme 'nope'" in res.error and "hunter2pass" not in res.error
    assert res.delivered == [url_key(hook.url)]


def test_no_urls_is_an_error_not_a_success():
    res = run(deliver([], "t", "b"))
    assert not res.ok and res.attempts == 0 and "no apprise URL" in res.error


def test_config_file_urls_are_selected_by_tag(tmp_path):
    with HttpReceiver("/team") as team, HttpReceiver("/other") as other:
        conf = tmp_path / "apprise.yml"
        conf.write_text(
            f"urls:\n  - {team.url}:\n      tag: team\n  - {other.url}:\n      tag: other\n"
        )
        res = run(deliver([], "tagged", "b", config_path=str(conf), tags=["team"]))
        assert team.wait_for(1)[0]["title"] == "tagged"
        assert other.hits == []
        assert res.ok and res.attempts == 1


def test_mask_url_hides_password_and_keeps_it_readable():
    assert mask_url("mailto://bob:pw123456@127.0.0.1:2525?from=a@example.com&to=b@example.com") == (
        "mailto://bob:****@127.0.0.1:2525/b%40example.com?from=a@example.com"
    )
    assert mask_url("json://127.0.0.1:8765/hook") == "json://127.0.0.1:8765/hook"
    assert "s3cr3t" not in mask_url("totally-broken://s3cr3t")


def test_effective_urls_merges_active_subscriptions():
    (ops,) = load_channels([{"name": "ops", "urls": ["json://h/a"]}])
    subs = {
        subscription_key("ops", "json://h/b"): subscription("ops", "json://h/b", at=2),
        subscription_key("ops", "json://h/c"): subscription("ops", "json://h/c", at=1),
        subscription_key("ops", "json://h/d"): subscription("ops", "json://h/d", active=False),
        subscription_key("mail", "json://h/e"): subscription("mail", "json://h/e"),
        subscription_key("ops", "json://h/a"): subscription("ops", "json://h/a"),
    }
    assert effective_urls(ops, subs) == ["json://h/a", "json://h/c", "json://h/b"]
    assert subscription_key("ops", "json://h/b") == "ops\x00json://h/b"


@pytest.mark.parametrize("receiver", ["http", "smtp"])
def test_routed_alert_is_delivered_to_channel_and_subscriber(receiver):
    with HttpReceiver() as hook, SmtpReceiver() as smtp:
        (ops,) = load_channels([{"name": "ops", "urls": [hook.url], "group_wait": 0}])
        router = Router([ops], notified={}, pending={}, silences={}, blocs=BLOCS)
        router.add(result("a1", strike("a1")), T0)
        (alert,) = router.flush(T0)
        subs = {}
        if receiver == "smtp":
            subs[subscription_key("ops", smtp.url())] = subscription("ops", smtp.url())
        res = run(deliver_alert(alert, ops, subs, sleep=Sleeps()))
        assert res.ok and len(res.delivered) == (2 if receiver == "smtp" else 1)
        (payload,) = hook.wait_for(1)
        assert payload["title"] == alert.title
        assert "120 drones, 20 missiles" in payload["message"]
        assert payload["type"] == "warning"  # severity high
        if receiver == "smtp":
            (mail,) = smtp.wait_for(1)
            assert mail["Subject"] == alert.title
            assert "120 drones, 20 missiles" in SmtpReceiver.text(mail)

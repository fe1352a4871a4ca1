"""The console: FastAPI pages (Jinja2, autoescaped) and the JSON API behind them.

Reads come from the SQLite history (``stream.history``); changes go through
the same functions as the CLI (``stream.control``: silences, subscriptions,
redelivery), so there is one way to do each. See ``security.py`` for tokens,
CSRF and the Content-Security-Policy.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Body, FastAPI, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from detectors.settings import ConfigError, parse_duration

from .. import control
from ..config import Config
from ..history import History
from ..topics import TopicError
from . import present
from .security import AUTH_COOKIE, CSP, CSRF_COOKIE, Guard

HERE = Path(__file__).parent
FEED_SIZE = 50


def templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "xml"], default=True),
    )
    env.filters["when"] = present.when
    env.filters["iso"] = present.iso
    return Jinja2Templates(env=env)


def create_app(
    config: Config, history: History, *, follower: Any = None, token: str | None = None
) -> FastAPI:
    """The console app for ``config``, reading ``history``; ``token`` guards changes."""
    app = FastAPI(
        title="newswatch", docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json"
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages = templates()
    guard = Guard(token)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        new = getattr(request.state, "new_csrf", None)
        if new and CSRF_COOKIE not in request.cookies:
            response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict")
        return response

    def render(request: Request, name: str, **context: Any) -> Response:
        context.update(
            csrf=guard.csrf_of(request),
            can_change=guard.authorised(request),
            needs_login=guard.token is not None and not guard.authorised(request),
            done=request.query_params.get("done", ""),
            error=context.get("error") or request.query_params.get("error", ""),
            follower=follower_state(),
            nav=name.removesuffix(".html"),
        )
        return pages.TemplateResponse(request, name, context)

    def follower_state() -> dict[str, Any]:
        if follower is None:
            return {"state": "not following", "error": None}
        state = "caught up" if follower.caught_up.is_set() else "reading the topics"
        return {"state": state, "error": follower.error}

    def back(path: str, **params: str) -> RedirectResponse:
        query = urlencode({k: v for k, v in params.items() if v})
        return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)

    def filters(request: Request) -> Any:
        try:
            return present.filters_from(request.query_params)
        except present.FilterError as exc:
            raise HTTPException(400, str(exc)) from exc

    def alert_page(request: Request) -> dict[str, Any]:
        page = history.alerts(filters(request))
        articles = history.articles(present.item_ids_of(page.rows))
        return {
            "total": page.total,
            "alerts": [present.alert_view(a, articles) for a in page.rows],
            "filters": page.filters,
        }

    def detection_page(request: Request) -> dict[str, Any]:
        page = history.detections(filters(request))
        articles = history.articles(str(d.get("item_id")) for d in page.rows)
        rows = []
        for d in page.rows:
            view = present.detection_view(d, articles.get(str(d.get("item_id"))))
            view["when"] = present.when(d.get("seen_at"))
            view["alerts"] = d.get("alerts", [])
            rows.append(view)
        return {"total": page.total, "detections": rows, "filters": page.filters}

    def paging(request: Request, total: int, f: Any) -> dict[str, str | None]:
        params = dict(request.query_params)
        number = f.offset // f.limit + 1
        prev = urlencode({**params, "page": number - 1}) if number > 1 else None
        more = f.offset + f.limit < total
        return {
            "prev": prev,
            "next": urlencode({**params, "page": number + 1}) if more else None,
            "number": str(number),
        }

    # --- pages ----------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def alerts_html(request: Request) -> Response:
        data = alert_page(request)
        return render(
            request,
            "alerts.html",
            **data,
            choices=history.choices(),
            params=request.query_params,
            paging=paging(request, data["total"], data["filters"]),
        )

    @app.get("/detections", include_in_schema=False)
    def detections_html(request: Request) -> Response:
        data = detection_page(request)
        return render(
            request,
            "detections.html",
            **data,
            choices=history.choices(),
            params=request.query_params,
            paging=paging(request, data["total"], data["filters"]),
        )

    @app.get("/silences", include_in_schema=False)
    def silences_html(request: Request) -> Response:
        rows = silence_rows(include_expired=request.query_params.get("all") == "1")
        return render(request, "silences.html", silences=rows)

    @app.post("/silences", include_in_schema=False)
    def silences_add(
        request: Request,
        matchers: str = Form(""),
        duration: str = Form("2h"),
        comment: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        guard.check(request, csrf)
        try:
            silence = add_silence(matchers.split("\n"), duration, comment)
        except control.ControlError as exc:
            return back("/silences", error=str(exc))
        return back("/silences", done=f"silence {silence['id']} added")

    @app.post("/silences/{silence_id}/expire", include_in_schema=False)
    def silences_expire(request: Request, silence_id: str, csrf: str = Form("")) -> Response:
        guard.check(request, csrf)
        try:
            control.expire_silence(config, silence_id)
        except control.ControlError as exc:
            return back("/silences", error=str(exc))
        return back("/silences", done=f"silence {silence_id} expired")

    @app.get("/channels", include_in_schema=False)
    def channels_html(request: Request) -> Response:
        return render(request, "channels.html", channels=channel_rows())

    @app.post("/channels/{name}/subscribe", include_in_schema=False)
    def channels_subscribe(
        request: Request, name: str, url: str = Form(...), csrf: str = Form("")
    ) -> Response:
        guard.check(request, csrf)
        try:
            masked = control.subscribe(config, name, url.strip())
        except control.ControlError as exc:
            return back("/channels", error=str(exc))
        return back("/channels", done=f"subscribed {masked} to {name}")

    @app.post("/channels/{name}/unsubscribe", include_in_schema=False)
    def channels_unsubscribe(
        request: Request, name: str, index: int = Form(...), csrf: str = Form("")
    ) -> Response:
        guard.check(request, csrf)
        try:
            url = subscribed_url(name, index)
            removed = control.unsubscribe(config, name, url)
        except control.ControlError as exc:
            return back("/channels", error=str(exc))
        return back("/channels", done="unsubscribed" if removed else "no such subscription")

    @app.get("/dead", include_in_schema=False)
    def dead_html(request: Request) -> Response:
        return render(
            request,
            "dead.html",
            dead_alerts=history.dead_alerts(),
            dead_letters=history.dead_letters(),
            channels=[c.name for c in config.channels],
        )

    @app.post("/dead/redeliver", include_in_schema=False)
    def dead_redeliver(request: Request, channel: str = Form(""), csrf: str = Form("")) -> Response:
        guard.check(request, csrf)
        try:
            count = control.redeliver(config, channel or None)
        except control.ControlError as exc:
            return back("/dead", error=str(exc))
        return back("/dead", done=f"{count} dead alert(s) sent back for delivery")

    @app.get("/login", include_in_schema=False)
    def login_html(request: Request) -> Response:
        return render(request, "login.html")

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token: str = Form(""), csrf: str = Form("")) -> Response:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not cookie or cookie != csrf:
            raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
        if guard.token is None or not guard.bearer_ok_value(token):
            return back("/login", error="wrong token")
        response = back("/", done="logged in")
        response.set_cookie(AUTH_COOKIE, guard.auth_value, httponly=True, samesite="strict")
        return response

    @app.get("/feeds/{channel}.atom", include_in_schema=False)
    def feed(request: Request, channel: str) -> Response:
        if channel not in {c.name for c in config.channels}:
            raise HTTPException(404, f"no channel named {channel!r}")
        page = history.alerts(present.Filters(channel=channel, limit=FEED_SIZE))
        articles = history.articles(present.item_ids_of(page.rows))
        alerts = [present.alert_view(a, articles) for a in page.rows]
        updated = max((a["created_at"] or 0 for a in alerts), default=time.time())
        body = pages.get_template("feed.xml").render(
            channel=channel,
            alerts=alerts,
            updated=updated,
            base=str(request.base_url).rstrip("/"),
            bodies={a["id"]: a.get("body", "") for a in page.rows},
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    # --- JSON API -------------------------------------------------------------------

    @app.get("/api/alerts")
    def api_alerts(request: Request) -> dict[str, Any]:
        """Alerts newest first; query: detector, severity, actor, channel, since, until, q,
        page, limit."""
        data = alert_page(request)
        return {"total": data["total"], "alerts": data["alerts"]}

    @app.get("/api/detections")
    def api_detections(request: Request) -> dict[str, Any]:
        """Detections newest first; same query as /api/alerts."""
        data = detection_page(request)
        return {"total": data["total"], "detections": data["detections"]}

    @app.get("/api/silences")
    def api_silences(all: bool = False) -> list[dict[str, Any]]:  # noqa: A002 - query name
        return silence_rows(include_expired=all)

    @app.post("/api/silences", status_code=201)
    def api_silence_add(request: Request, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Body: {"matchers": ["detector=strike"], "duration": "2h", "comment": "..."}."""
        guard.check(request, None)
        matchers = body.get("matchers") or []
        if not isinstance(matchers, list):
            raise HTTPException(400, 'matchers: expected a list such as ["actor=RU"]')
        try:
            return add_silence(
                [str(m) for m in matchers],
                str(body.get("duration", "2h")),
                str(body.get("comment", "")),
            )
        except control.ControlError as exc:
            raise HTTPException(400, str(exc)) from exc

    @app.post("/api/silences/{silence_id}/expire")
    def api_silence_expire(request: Request, silence_id: str) -> dict[str, Any]:
        guard.check(request, None)
        try:
            return control.expire_silence(config, silence_id).to_dict()
        except control.ControlError as exc:
            raise HTTPException(404, str(exc)) from exc

    @app.get("/api/channels")
    def api_channels() -> list[dict[str, Any]]:
        """Channels with their URLs, masked."""
        return channel_rows()

    @app.post("/api/channels/{name}/subscriptions", status_code=201)
    def api_subscribe(request: Request, name: str, body: dict[str, Any] = Body(...)) -> dict:
        """Body: {"url": "any apprise URL"}; the answer shows it masked."""
        guard.check(request, None)
        try:
            return {
                "channel": name,
                "url": control.subscribe(config, name, str(body.get("url", ""))),
            }
        except control.ControlError as exc:
            raise HTTPException(400, str(exc)) from exc

    @app.delete("/api/channels/{name}/subscriptions")
    def api_unsubscribe(request: Request, name: str, body: dict[str, Any] = Body(...)) -> dict:
        """Body: {"url": ...} (the full URL) or {"index": n} (position in /api/channels)."""
        guard.check(request, None)
        try:
            url = body.get("url") or subscribed_url(name, int(body.get("index", -1)))
            return {"removed": control.unsubscribe(config, name, str(url))}
        except control.ControlError as exc:
            raise HTTPException(400, str(exc)) from exc

    @app.get("/api/dead-alerts")
    def api_dead_alerts() -> list[dict[str, Any]]:
        return history.dead_alerts()

    @app.post("/api/dead-alerts/redeliver")
    def api_redeliver(request: Request, body: dict[str, Any] | None = Body(None)) -> dict:
        """Body (optional): {"channel": "ops"}."""
        guard.check(request, None)
        try:
            return {"redelivered": control.redeliver(config, (body or {}).get("channel") or None)}
        except control.ControlError as exc:
            raise HTTPException(400, str(exc)) from exc

    @app.get("/api/dead-letters")
    def api_dead_letters() -> list[dict[str, Any]]:
        return history.dead_letters()

    @app.get("/api/history")
    def api_history() -> dict[str, Any]:
        """How much the history holds and whether it follows the topics."""
        return {"counts": history.counts(), **follower_state()}

    @app.exception_handler(TopicError)
    async def kafka_error(request: Request, exc: TopicError) -> Response:
        return await http_error(request, HTTPException(503, str(exc)))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.endswith(".atom"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return pages.TemplateResponse(
            request,
            "error.html",
            {
                "status": exc.status_code,
                "detail": exc.detail,
                "nav": "",
                "follower": follower_state(),
            },
            status_code=exc.status_code,
        )

    # --- the shared bits, calling stream.control -------------------------------------

    def silence_rows(include_expired: bool) -> list[dict[str, Any]]:
        now = time.time()
        rows = []
        for s in control.list_silences(config, include_expired=include_expired):
            row = s.to_dict()
            row["matchers"] = [str(m) for m in s.matchers]
            row["state"] = "expired" if s.is_expired(now) else "active"
            row["until"] = present.when(s.ends_at)
            rows.append(row)
        return rows

    def add_silence(matchers: list[str], duration: str, comment: str) -> dict[str, Any]:
        matchers = [m.strip() for m in matchers if m.strip()]
        if not matchers:
            raise control.ControlError("a silence needs at least one matcher, e.g. actor=RU")
        try:
            seconds = parse_duration(duration.strip(), "duration")
        except ConfigError as exc:
            raise control.ControlError(str(exc)) from exc
        return control.add_silence(config, matchers, seconds, comment).to_dict()

    def channel_rows() -> list[dict[str, Any]]:
        return [
            {
                "name": row.name,
                "filters": row.filters,
                "urls": row.urls,
                "subscribed": row.subscribed,
                "feed": f"/feeds/{row.name}.atom",
            }
            for row in control.channels(config)
        ]

    def subscribed_url(channel: str, index: int) -> str:
        """The full subscribed URL at ``index`` (pages only ever show masked URLs)."""
        urls = control.subscribed_urls(config, channel)
        if not 0 <= index < len(urls):
            raise control.ControlError(f"no subscription number {index} on {channel}")
        return urls[index]

    return app

"""The web: pages for people, the same data as JSON under /api/ (one data function, two renderings).

Read-only: every request opens the store read-only. Templates autoescape, so article text
(which is untrusted) is always escaped; SQL goes through store.queries, parameterised.
Errors have one shape: a JSON envelope under /api/, a page elsewhere, with the same status.
"""
from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..errors import QuotewireError
from ..store import connect, db_path, queries
from .render import mark_article, mark_rendering, timeline_svg

HERE = Path(__file__).parent
MAX_PER_PAGE = 100


def pager(page_no: int, more: bool) -> dict[str, str | None]:
    """Links to the neighbouring pages of a listing (relative, so they keep the path)."""
    return {"prev_url": f"?page={page_no - 1}" if page_no > 1 else None, "next_url": f"?page={page_no + 1}" if more else None}


class NotFound(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)


def create_app(db: str | None = None) -> FastAPI:
    path = str(db_path(db))
    connect(path, readonly=True).close()  # fail at start, not at the first request
    app = FastAPI(
        title="quotewire", version=__version__, description="Who said what: statements, speakers and articles.",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["version"] = __version__

    def conn() -> sqlite3.Connection:
        return connect(path, readonly=True)

    def page(request: Request, template: str, data: dict[str, Any], status: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, template, {**data, "db": Path(path).name}, status_code=status)

    def with_conn(fn: Callable[[sqlite3.Connection], Any]) -> Any:
        c = conn()
        try:
            return fn(c)
        finally:
            c.close()

    # -- errors: one envelope ------------------------------------------------------------
    def error_response(request: Request, status: int, message: str) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"ok": False, "status": status, "error": message}, status_code=status)
        return page(request, "error.html", {"status": status, "message": message}, status)

    @app.exception_handler(QuotewireError)
    async def _quotewire_error(request: Request, exc: QuotewireError):
        status = 400 if exc.code in ("Q060", "Q011") else 404 if exc.code == "Q062" else 500
        return error_response(request, status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        return error_response(request, exc.status_code, "Not found." if exc.status_code == 404 else str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _bad_params(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return error_response(request, 400, f"Bad parameters: {problems}")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return error_response(request, 404, f"No {exc}.")

    # -- data functions ------------------------------------------------------------------
    def search_data(request: Request, q, speaker, outlet, kind, since, until, page_no, per_page) -> dict[str, Any]:
        filters = {k: v for k, v in dict(speaker=speaker, outlet=outlet, kind=kind, since=since, until=until).items() if v}
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        page_no = max(1, page_no)

        def run(c):
            result = queries.search(c, q or None, limit=per_page, offset=(page_no - 1) * per_page, **filters)
            result["facets"] = queries.facets(c, q or None, **filters)
            return result

        result = with_conn(run)
        pages = max(1, math.ceil(result["total"] / per_page))
        params = {k: v for k, v in dict(q=q, **filters, per_page=per_page if per_page != 20 else None).items() if v}
        link = lambda n: f"?{urlencode({**params, 'page': n})}" if 1 <= n <= pages else None  # noqa: E731
        return {
            "query": q or "", "filters": filters, "page": page_no, "pages": pages, "per_page": per_page,
            "prev_url": link(page_no - 1), "next_url": link(page_no + 1), **result,
            "facet_links": {
                name: [{**f, "url": "?" + urlencode({**params, name: f["value"]})} for f in items]
                for name, items in result["facets"].items()
            },
        }

    def speaker_data(speaker_id: int, page_no: int, per_page: int) -> dict[str, Any]:
        per_page = max(1, min(per_page, MAX_PER_PAGE))

        def run(c):
            sp = queries.speaker(c, speaker_id)
            if sp is None:
                raise NotFound(f"speaker {speaker_id}")
            result = queries.search(c, None, speaker_id=speaker_id, limit=per_page, offset=(max(1, page_no) - 1) * per_page)
            groups: dict[str, dict] = {}
            for st in result["statements"]:
                g = groups.setdefault(st["article_id"], {"article_id": st["article_id"], "title": st["title"], "outlet": st["outlet"], "published": st["published"], "statements": []})
                g["statements"].append(st)
            pages = max(1, math.ceil(sp["statements"] / per_page))
            return {"speaker": sp, "articles": list(groups.values()), "page": page_no, "pages": pages,
                    **pager(page_no, page_no < pages)}

        return with_conn(run)

    def article_data(article_id: str) -> dict[str, Any]:
        art = with_conn(lambda c: queries.load_article(c, article_id))
        return {"article": art}

    def speakers_data(page_no: int, per_page: int) -> dict[str, Any]:
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        rows = with_conn(lambda c: queries.speakers(c, per_page, (max(1, page_no) - 1) * per_page))
        return {"speakers": rows, "page": page_no, "per_page": per_page, **pager(page_no, len(rows) == per_page)}

    # -- routes: pages and their JSON twins --------------------------------------------------
    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/search")

    search_params = dict(
        q=Query(None, description="Full-text query (FTS5: words, \"phrases\", OR, NOT, prefix*)"),
        speaker=Query(None), outlet=Query(None), kind=Query(None, pattern="^(direct|mixed|indirect)?$"),
        since=Query(None, description="YYYY-MM-DD"), until=Query(None, description="YYYY-MM-DD"),
        page=Query(1, ge=1), per_page=Query(20, ge=1, le=MAX_PER_PAGE),
    )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str | None = search_params["q"], speaker: str | None = search_params["speaker"],
                    outlet: str | None = search_params["outlet"], kind: str | None = search_params["kind"],
                    since: str | None = search_params["since"], until: str | None = search_params["until"],
                    page: int = search_params["page"], per_page: int = search_params["per_page"]):
        return page_(request, "search.html", search_data(request, q, speaker, outlet, kind, since, until, page, per_page))

    @app.get("/api/search", summary="Search statements, with facets and pagination")
    def search_api(request: Request, q: str | None = search_params["q"], speaker: str | None = search_params["speaker"],
                   outlet: str | None = search_params["outlet"], kind: str | None = search_params["kind"],
                   since: str | None = search_params["since"], until: str | None = search_params["until"],
                   page: int = search_params["page"], per_page: int = search_params["per_page"]):
        data = search_data(request, q, speaker, outlet, kind, since, until, page, per_page)
        data.pop("facet_links")
        return {"ok": True, **data}

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_page(request: Request, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
        return page_(request, "speakers.html", speakers_data(page, per_page))

    @app.get("/api/speakers", summary="Speakers, most quoted first")
    def speakers_api(page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
        return {"ok": True, **speakers_data(page, per_page)}

    @app.get("/speakers/{speaker_id}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(request: Request, speaker_id: int, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
        data = speaker_data(speaker_id, page, per_page)
        data["timeline_svg"] = timeline_svg(data["speaker"]["timeline"])
        return page_(request, "speaker.html", data)

    @app.get("/api/speakers/{speaker_id}", summary="One speaker: aliases, roles, outlets, timeline, statements by article")
    def speaker_api(speaker_id: int, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
        return {"ok": True, **speaker_data(speaker_id, page, per_page)}

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str):
        data = article_data(article_id)
        data["marked"] = mark_article(data["article"])
        return page_(request, "article.html", data)

    @app.get("/api/articles/{article_id}", summary="One article with its attributions (offsets into its text)")
    def article_api(article_id: str):
        return {"ok": True, "article": article_data(article_id)["article"].to_dict()}

    def events_data(page_no: int, per_page: int) -> dict[str, Any]:
        from .. import coverage

        per_page = max(1, min(per_page, MAX_PER_PAGE))
        rows = with_conn(lambda c: coverage.events(c, per_page, (max(1, page_no) - 1) * per_page, min_articles=2))
        return {"events": rows, "page": page_no, "per_page": per_page, **pager(page_no, len(rows) == per_page)}

    def event_data(event_id: int) -> dict[str, Any]:
        from .. import coverage

        record = with_conn(lambda c: coverage.event_record(c, event_id))
        if record is None:
            raise NotFound(f"event {event_id}")
        return {"event": record}

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
        return page_(request, "events.html", events_data(page, per_page))

    @app.get("/api/events", summary="Events reported by two or more articles, largest first")
    def events_api(page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
        return {"ok": True, **events_data(page, per_page)}

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: int):
        data = event_data(event_id)
        ev = data["event"]
        data["columns"] = ev["articles"]
        texts = with_conn(lambda c: {a["id"]: queries.load_article(c, a["id"]).text for a in ev["articles"]})
        for st in ev["statements"]:
            for r in st["renderings"]:
                r["marked"] = mark_rendering(r, texts.get(r["article"]))
        data["rows"] = [
            {"statement": st, "cells": [[r for r in st["renderings"] if r["article"] == a["id"]] for a in ev["articles"]]}
            for st in ev["statements"]
        ]
        return page_(request, "event.html", data)

    @app.get("/api/events/{event_id}", summary="One event: its articles and each statement's aligned renderings")
    def event_api(event_id: int):
        return {"ok": True, **event_data(event_id)}

    def page_(request: Request, template: str, data: dict[str, Any]) -> HTMLResponse:
        return page(request, template, data)

    return app

"""The web: pages for people, the same data as JSON under /api/ (one data function, two renderings).

The data functions are plain module-level functions of a connection (testable without a
server); the routes are thin: open the store, call one, render it as a page or as JSON.

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

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..errors import QuotewireError
from ..store import connect, db_path, queries
from ..store.events import EventStore, event_record, events
from .render import mark_article, mark_rendering, timeline_svg

HERE = Path(__file__).parent
MAX_PER_PAGE = 100


def pager(page_no: int, more: bool) -> dict[str, str | None]:
    """Links to the neighbouring pages of a listing (relative, so they keep the path)."""
    return {"prev_url": f"?page={page_no - 1}" if page_no > 1 else None, "next_url": f"?page={page_no + 1}" if more else None}


class NotFound(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)


TEMPLATES = Jinja2Templates(directory=HERE / "templates")
TEMPLATES.env.globals["version"] = __version__
router = APIRouter()


# -- data functions: a connection in, plain data out -----------------------------------------
def search_data(c: sqlite3.Connection, q: str | None, speaker: str | None, outlet: str | None, kind: str | None,
                since: str | None, until: str | None, page_no: int, per_page: int) -> dict[str, Any]:
    filters = {k: v for k, v in dict(speaker=speaker, outlet=outlet, kind=kind, since=since, until=until).items() if v}
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page_no = max(1, page_no)
    result = queries.search(c, q or None, limit=per_page, offset=(page_no - 1) * per_page, **filters)
    result["facets"] = queries.facets(c, q or None, **filters)
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


def speaker_data(c: sqlite3.Connection, speaker_id: int, page_no: int, per_page: int) -> dict[str, Any]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    sp = queries.speaker(c, speaker_id)
    if sp is None:
        raise NotFound(f"speaker {speaker_id}")
    result = queries.search(c, None, speaker_id=speaker_id, limit=per_page, offset=(max(1, page_no) - 1) * per_page)
    groups: dict[str, dict] = {}
    for st in result["statements"]:
        g = groups.setdefault(st["article_id"], {"article_id": st["article_id"], "title": st["title"], "outlet": st["outlet"], "published": st["published"], "statements": []})
        g["statements"].append(st)
    pages = max(1, math.ceil(sp["statements"] / per_page))
    return {"speaker": sp, "articles": list(groups.values()), "page": page_no, "pages": pages, **pager(page_no, page_no < pages)}


def article_data(c: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    return {"article": queries.load_article(c, article_id)}


def speakers_data(c: sqlite3.Connection, page_no: int, per_page: int) -> dict[str, Any]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    rows = queries.speakers(c, per_page, (max(1, page_no) - 1) * per_page)
    return {"speakers": rows, "page": page_no, "per_page": per_page, **pager(page_no, len(rows) == per_page)}


def events_data(c: sqlite3.Connection, page_no: int, per_page: int) -> dict[str, Any]:
    """Events covered by two or more outlets, each with what ties it (coverage.ties)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    rows = events(c, per_page, (max(1, page_no) - 1) * per_page, min_articles=2, min_outlets=2)
    from .. import coverage  # local: only the events listing computes ties

    store = EventStore(c)
    for r in rows:
        r["ties"] = coverage.ties(store, r["id"])
        r["tied_by"] = coverage.describe_ties(r["ties"])
    return {"events": rows, "page": page_no, "per_page": per_page, **pager(page_no, len(rows) == per_page)}


def event_data(c: sqlite3.Connection, event_id: int) -> dict[str, Any]:
    record = event_record(c, event_id)
    if record is None:
        raise NotFound(f"event {event_id}")
    return {"event": record}


def event_marked(c: sqlite3.Connection, event_id: int) -> dict[str, Any]:
    """The event with each rendering in its outlet's own words (cut from the article by offsets)."""
    data = event_data(c, event_id)
    # the text alone: loading whole articles (attributions, speakers) for it read far more
    store = EventStore(c)
    texts = {a["id"]: store.article(a["id"])["text"] for a in data["event"]["articles"]}
    for st in data["event"]["statements"]:
        for r in st["renderings"]:
            r["marked"] = mark_rendering(r, texts.get(r["article"]))
    return data


def event_table(ev: dict[str, Any]) -> dict[str, Any]:
    """An event as a table: one column an article, one row a statement."""
    return {
        "columns": ev["articles"],
        "rows": [
            {"statement": st, "cells": [[r for r in st["renderings"] if r["article"] == a["id"]] for a in ev["articles"]]}
            for st in ev["statements"]
        ],
    }


# -- plumbing: the store of this app, pages, errors -------------------------------------------
def with_conn(request: Request, fn: Callable[..., Any], *args: Any) -> Any:
    c = connect(request.app.state.db, readonly=True)
    try:
        return fn(c, *args)
    finally:
        c.close()


def render_page(request: Request, template: str, data: dict[str, Any], status: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, template, {**data, "db": Path(request.app.state.db).name}, status_code=status)


def error_response(request: Request, status: int, message: str) -> Any:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"ok": False, "status": status, "error": message}, status_code=status)
    return render_page(request, "error.html", {"status": status, "message": message}, status)


async def quotewire_error(request: Request, exc: QuotewireError):
    status = 400 if exc.code in ("Q060", "Q011") else 404 if exc.code == "Q062" else 500
    return error_response(request, status, str(exc))


async def http_error(request: Request, exc: StarletteHTTPException):
    return error_response(request, exc.status_code, "Not found." if exc.status_code == 404 else str(exc.detail))


async def bad_params(request: Request, exc: RequestValidationError):
    problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
    return error_response(request, 400, f"Bad parameters: {problems}")


async def not_found(request: Request, exc: NotFound):
    return error_response(request, 404, f"No {exc}.")


# -- routes: pages and their JSON twins ------------------------------------------------------
@router.get("/", include_in_schema=False)
def home():
    return RedirectResponse("/search")


search_params = dict(
    q=Query(None, description="Full-text query (FTS5: words, \"phrases\", OR, NOT, prefix*)"),
    speaker=Query(None), outlet=Query(None), kind=Query(None, pattern="^(direct|mixed|indirect)?$"),
    since=Query(None, description="YYYY-MM-DD"), until=Query(None, description="YYYY-MM-DD"),
    page=Query(1, ge=1), per_page=Query(20, ge=1, le=MAX_PER_PAGE),
)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, q: str | None = search_params["q"], speaker: str | None = search_params["speaker"],
                outlet: str | None = search_params["outlet"], kind: str | None = search_params["kind"],
                since: str | None = search_params["since"], until: str | None = search_params["until"],
                page: int = search_params["page"], per_page: int = search_params["per_page"]):
    return render_page(request, "search.html", with_conn(request, search_data, q, speaker, outlet, kind, since, until, page, per_page))


@router.get("/api/search", summary="Search statements, with facets and pagination")
def search_api(request: Request, q: str | None = search_params["q"], speaker: str | None = search_params["speaker"],
               outlet: str | None = search_params["outlet"], kind: str | None = search_params["kind"],
               since: str | None = search_params["since"], until: str | None = search_params["until"],
               page: int = search_params["page"], per_page: int = search_params["per_page"]):
    data = with_conn(request, search_data, q, speaker, outlet, kind, since, until, page, per_page)
    data.pop("facet_links")
    return {"ok": True, **data}


@router.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
def speakers_page(request: Request, page_no: int = Query(1, ge=1, alias="page"), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    return render_page(request, "speakers.html", with_conn(request, speakers_data, page_no, per_page))


@router.get("/api/speakers", summary="Speakers, most quoted first")
def speakers_api(request: Request, page_no: int = Query(1, ge=1, alias="page"), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    return {"ok": True, **with_conn(request, speakers_data, page_no, per_page)}


@router.get("/speakers/{speaker_id}", response_class=HTMLResponse, include_in_schema=False)
def speaker_page(request: Request, speaker_id: int, page_no: int = Query(1, ge=1, alias="page"),
                 per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    data = with_conn(request, speaker_data, speaker_id, page_no, per_page)
    data["timeline_svg"] = timeline_svg(data["speaker"]["timeline"])
    return render_page(request, "speaker.html", data)


@router.get("/api/speakers/{speaker_id}", summary="One speaker: aliases, roles, outlets, timeline, statements by article")
def speaker_api(request: Request, speaker_id: int, page_no: int = Query(1, ge=1, alias="page"),
                per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    return {"ok": True, **with_conn(request, speaker_data, speaker_id, page_no, per_page)}


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, article_id: str):
    data = with_conn(request, article_data, article_id)
    data["marked"] = mark_article(data["article"])
    return render_page(request, "article.html", data)


@router.get("/api/articles/{article_id}", summary="One article with its attributions (offsets into its text)")
def article_api(request: Request, article_id: str):
    return {"ok": True, "article": with_conn(request, article_data, article_id)["article"].to_dict()}


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events_page(request: Request, page_no: int = Query(1, ge=1, alias="page"), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    return render_page(request, "events.html", with_conn(request, events_data, page_no, per_page))


@router.get("/api/events", summary="Events reported by two or more articles, largest first")
def events_api(request: Request, page_no: int = Query(1, ge=1, alias="page"), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    return {"ok": True, **with_conn(request, events_data, page_no, per_page)}


@router.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
def event_page(request: Request, event_id: int):
    data = with_conn(request, event_marked, event_id)
    return render_page(request, "event.html", {**data, **event_table(data["event"])})


@router.get("/api/events/{event_id}", summary="One event: its articles and each statement's aligned renderings")
def event_api(request: Request, event_id: int):
    return {"ok": True, **with_conn(request, event_data, event_id)}


def create_app(db: str | None = None) -> FastAPI:
    path = str(db_path(db))
    connect(path, readonly=True).close()  # fail at start, not at the first request
    app = FastAPI(
        title="quotewire", version=__version__, description="Who said what: statements, speakers and articles.",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.db = path
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(QuotewireError, quotewire_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, bad_params)
    app.add_exception_handler(NotFound, not_found)
    app.include_router(router)
    return app

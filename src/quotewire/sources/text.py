"""Plain-text articles: strict UTF-8 (a clear error otherwise), cleaned into an Article."""
from __future__ import annotations

import pathlib

from ..clean import build_article, text_blocks
from ..errors import QuotewireError
from ..model import Article


def decode_text(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM); binaries and other encodings are errors that name the fix."""
    if b"\x00" in data[:65536]:
        raise QuotewireError("Q023", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuotewireError("Q022", path=path, offset=exc.start) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_from_text(text: str, **meta) -> Article:
    """Boilerplate lines out, title and subheads found, dateline read; a map back to ``text`` kept."""
    return build_article(text_blocks(text), **meta)


def read_text(data: bytes, where: str, **meta) -> Article:
    text = decode_text(data, where)
    if not text.strip():
        raise QuotewireError("Q057", where=where)
    provenance = dict(meta.pop("provenance", None) or {})
    provenance.setdefault("file", where)
    return article_from_text(text, provenance=provenance, **meta)


def read_text_file(path: str | pathlib.Path) -> Article:
    p = pathlib.Path(path)
    if not p.exists():
        raise QuotewireError("Q024", path=str(p))
    if p.is_dir():
        raise QuotewireError("Q025", path=str(p))
    return read_text(p.read_bytes(), str(p))

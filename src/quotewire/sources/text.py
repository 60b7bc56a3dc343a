"""Plain-text articles: strict UTF-8 (a clear error otherwise), the first headline-like line as title."""
from __future__ import annotations

import pathlib

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


def guess_title(text: str) -> str | None:
    """The first non-empty line, when it reads as a headline (short, no closing full stop)."""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if len(line) <= 200 and not line.endswith((".", ":")) and len(line.split()) >= 3:
            return line
        return None
    return None


def read_text_file(path: str | pathlib.Path) -> Article:
    p = pathlib.Path(path)
    if not p.exists():
        raise QuotewireError("Q024", path=str(p))
    if p.is_dir():
        raise QuotewireError("Q025", path=str(p))
    text = decode_text(p.read_bytes(), str(p))
    return Article(text=text, title=guess_title(text), provenance={"file": str(p)})

"""Metadata of the Fundus pages (issue 13): how many read articles carry their URL, and their
outlet names (none may be empty). Reads and checks as `quotewire ingest` does (no parsing).

    python benchmarks/bench_metadata.py [--data ../shared/data/article-extraction] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire.model import Failure  # noqa: E402
from quotewire.pipeline import checked  # noqa: E402
from quotewire.settings import Settings  # noqa: E402
from quotewire.sources import read_sources  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_EXTRACTION_DATA", str(ROOT.parent / "shared" / "data" / "article-extraction")))
    ap.add_argument("--json", help="also write the report here")
    args = ap.parse_args()
    pages = sorted((pathlib.Path(args.data) / "fundus-evaluation" / "html").glob("*.html.gz"))
    articles, failures = [], []
    for item in checked(read_sources([str(p) for p in pages]), Settings.from_env()):
        (failures if isinstance(item, Failure) else articles).append(item)
    with_url = sum(bool(a.url) for a in articles)
    report = {
        "pages": len(pages), "articles": len(articles), "not_articles": [str(f) for f in failures],
        "with_url": with_url, "url_share": round(with_url / max(1, len(articles)), 4),
        "empty_outlet": sum(not (a.outlet or "").strip() for a in articles),
        "outlets": dict(sorted(Counter(a.outlet or "" for a in articles).items())),
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        pathlib.Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

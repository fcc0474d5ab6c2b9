import zlib

import numpy as np
import pytest


@pytest.fixture
def fake_embed():
    """A deterministic embedder: character bigrams hashed into 64 dimensions, L2-normalised."""

    def embed(texts, kind):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for k in range(len(t) - 1):
                out[i, zlib.crc32(t[k:k + 2].encode()) % 64] += 1
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        return out

    return embed

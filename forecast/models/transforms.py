"""Variance-stabilising transforms that keep positive counts positive.

Models of positive counts are fitted on ``log(y + shift)`` and each sample path is
back-transformed, so no path can go below zero. ``shift`` is 0 when every value is positive
and 1 when the series has zeros (``log1p``), so all-zero and sparse count series still work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Transform:
    kind: str  # "identity" or "log"
    shift: float = 0.0

    @classmethod
    def identity(cls) -> Transform:
        return cls("identity")

    def forward(self, y: np.ndarray) -> np.ndarray:
        if self.kind == "identity":
            return np.asarray(y, dtype=float)
        return np.log(np.asarray(y, dtype=float) + self.shift)

    def inverse(self, z: np.ndarray) -> np.ndarray:
        if self.kind == "identity":
            return np.asarray(z, dtype=float)
        # cap before exp so absurd paths overflow to a large finite number, not inf
        return np.exp(np.minimum(z, 700.0)) - self.shift


def choose_transform(y: np.ndarray) -> Transform:
    """Log transform for positive data; log1p when the series contains zeros."""
    return Transform("log", 0.0 if np.all(y > 0) else 1.0)

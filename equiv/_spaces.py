"""Action spaces: enough to draw legal random actions and to generate them in Hypothesis."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _shown(action):
    """An action as the trace file wrote it (numpy arrays as plain lists)."""
    return np.asarray(action).tolist() if isinstance(action, (np.ndarray, np.generic)) else action


@dataclass(frozen=True)
class Discrete:
    """``n`` actions per player; ``players > 1`` means a joint action array of shape (players,)."""

    n: int
    players: int = 1

    def sample(self, rng: np.random.Generator, legal: np.ndarray | None = None):
        if legal is None:
            acts = rng.integers(0, self.n, size=self.players)
        else:
            legal = np.asarray(legal, bool).reshape(self.players, self.n)
            acts = []
            for p in range(self.players):
                choices = np.flatnonzero(legal[p])
                if choices.size == 0:
                    raise ValueError(f"player {p} has no legal action")
                acts.append(choices[rng.integers(0, choices.size)])
            acts = np.asarray(acts)
        return int(acts[0]) if self.players == 1 else acts.astype(np.int64)

    def problem(self, action) -> str | None:
        """What is wrong with ``action`` for this space (None when it is a valid action)."""
        values = np.asarray(action)
        action = _shown(action)
        if values.dtype == bool or values.dtype.kind not in "iu":
            if values.dtype.kind == "f" and np.all(values == np.round(values)):
                return f"{action!r} is written as a float; a discrete action is an integer"
            return f"{action!r} is not an integer action"
        want = () if self.players == 1 else (self.players,)
        if values.shape != want:
            return (f"{action!r} has shape {values.shape}; this space takes "
                    f"{'one integer' if self.players == 1 else f'{self.players} integers (one per player)'}")
        if np.any(values < 0) or np.any(values >= self.n):
            return f"{action!r} is outside 0..{self.n - 1}"
        return None

    def strategy(self):
        from hypothesis import strategies as st
        one = st.integers(0, self.n - 1)
        if self.players == 1:
            return one
        return st.lists(one, min_size=self.players, max_size=self.players).map(
            lambda xs: np.asarray(xs, np.int64))


@dataclass(frozen=True)
class Box:
    """A continuous action of ``shape`` in [low, high] (bounds: one number, or a tuple per element)."""

    low: float | tuple
    high: float | tuple
    shape: tuple = ()
    dtype: str = "float32"

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.broadcast_to(np.asarray(self.low, np.float64).reshape(-1) if isinstance(self.low, tuple)
                                else np.float64(self.low), self.shape).reshape(self.shape),
                np.broadcast_to(np.asarray(self.high, np.float64).reshape(-1) if isinstance(self.high, tuple)
                                else np.float64(self.high), self.shape).reshape(self.shape))

    def sample(self, rng: np.random.Generator, legal=None):
        low, high = self.bounds()
        return rng.uniform(low, high, size=self.shape).astype(self.dtype)

    def problem(self, action) -> str | None:
        """What is wrong with ``action`` for this space (None when it is a valid action)."""
        try:
            values = np.asarray(action, dtype=np.float64)
        except (TypeError, ValueError):
            return f"{action!r} is not a number or an array of numbers"
        action = _shown(action)
        if values.shape != tuple(self.shape) and values.size != int(np.prod(self.shape, dtype=int)):
            return f"{action!r} has shape {values.shape}; this space takes shape {tuple(self.shape)}"
        if not np.all(np.isfinite(values)):
            return f"{action!r} is not finite"
        low, high = self.bounds()
        values = values.reshape(low.shape)
        if np.any(values < low) or np.any(values > high):
            return f"{action!r} is outside [{self.low}, {self.high}]"
        return None

    def strategy(self):
        from hypothesis import strategies as st
        from hypothesis.extra import numpy as hnp
        width = np.dtype(self.dtype).itemsize * 8
        low, high = self.bounds()
        if not isinstance(self.low, tuple) and not isinstance(self.high, tuple):
            elems = st.floats(float(low.flat[0]) if low.size else self.low,
                              float(high.flat[0]) if high.size else self.high, width=width, allow_nan=False)
            return hnp.arrays(self.dtype, self.shape, elements=elems)
        each = [st.floats(float(lo), float(hi), width=width, allow_nan=False)
                for lo, hi in zip(low.ravel(), high.ravel())]
        return st.tuples(*each).map(lambda xs: np.asarray(xs, self.dtype).reshape(self.shape))

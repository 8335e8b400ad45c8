"""A chaotic toy family for the teacher-forced path: the logistic map x <- r x (1 - x), r = 3.99.

The reference computes ``r * x * (1 - x)``; the port the same map written ``r * x - r * x * x``,
which rounds differently, so after a few steps the two differ by far more than a few ulp, exactly
as the reference differs from itself started one ulp away. ``LogisticBroken`` uses r = 3.9901.
``LogisticPort32`` computes in float32; ``LogisticRef32`` (the reference's formula in float32) is
the witness that judges it.
The segment tolerance (4e-16, a few ulp) is deliberately tight: a teacher-forced segment can exceed it while
staying within the reference's own one-ulp sensitivity.
"""
from __future__ import annotations

import numpy as np

from equiv import Adapter, Box, Field, Schema, Step, Suite, Tier, close, register_adapter, register_suite

R = 3.99
STEPS = 60


class _Logistic(Adapter):
    family = "logistic"
    randomness = "logistic-seed"
    deterministic_step = True
    r = R

    def reset(self, seed):
        self.x, self.t = np.float64(0.1 + 0.8 * ((seed * 2654435761) % 1000) / 1000), 0
        return np.array([self.x])

    def _next(self, x):
        raise NotImplementedError

    def step(self, action):
        self.x, self.t = self._next(self.x), self.t + 1
        return Step(np.array([self.x]), np.float64(self.x), False, self.t >= STEPS)

    def get_state(self):
        return {"x": np.float64(self.x), "t": np.int64(self.t)}

    def set_state(self, state):
        self.x, self.t = np.float64(state["x"]), int(state["t"])

    def provenance(self):
        return {"name": type(self).__name__, "version": "test"}


class LogisticRef(_Logistic):
    role = "reference"

    def _next(self, x):
        return np.float64(self.r * x * (1 - x))


class LogisticPort(_Logistic):
    role = "ported"

    def _next(self, x):
        return np.float64(self.r * x - self.r * x * x)


class LogisticBroken(LogisticPort):
    r = 3.9901


# A float32 computation that loses digits through a large intermediate, as an ill-conditioned solve
# does: its rounding is far beyond one float32 ulp of its input, so only another such computation
# (a witness) is a fair yardstick for it.
BIG = np.float32(1024.0)


class LogisticPort32(LogisticPort):
    """The port in float32, through the large intermediate, its products grouped its own way."""

    def _next(self, x):
        r, x = np.float32(self.r), np.float32(x)
        return np.float64((r * (x * (np.float32(1) - x)) + BIG) - BIG)


class LogisticBroken32(LogisticPort32):
    r = 3.9901


class LogisticRef32(LogisticRef):
    """The reference's formula in float32 through the same kind of intermediate: the second
    implementation a witness replays."""

    def _next(self, x):
        r, x = np.float32(self.r), np.float32(x)
        return np.float64((BIG + r * x * (np.float32(1) - x)) - BIG)


TIGHT = close(atol=4e-16)
SUITE = Suite(
    family="logistic",
    state=Schema([Field("x", "float64", (), TIGHT, "the map's value"), Field("t", "int64", (), doc="step")]),
    outputs=Schema([Field("obs", "float64", (1,), TIGHT, "x"), Field("reward", "float64", (), TIGHT, "x"),
                    Field("terminated", "bool", ()), Field("truncated", "bool", ())]),
    action_space=Box(0.0, 1.0, (1,), "float64"),
    tiers={"quick": Tier(l1_examples=1, lockstep_episodes=20, stat_episodes=0, max_steps=STEPS)},
    sync_every=5,
    sensitivity=10.0,
)


def register():
    for name in ("LogisticRef", "LogisticPort", "LogisticBroken", "LogisticPort32", "LogisticBroken32",
                 "LogisticRef32"):
        register_adapter(name.lower(), f"{__name__}:{name}")
    register_suite("logistic", f"{__name__}:SUITE")

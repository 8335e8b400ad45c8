"""A chaotic toy family for the teacher-forced path: the logistic map x <- r x (1 - x), r = 3.99.

The reference computes ``r * x * (1 - x)``; the port the same map written ``r * x - r * x * x``,
which rounds differently, so after a few steps the two differ by far more than a few ulp, exactly
as the reference differs from itself started one ulp away. ``LogisticBroken`` uses r = 3.9901.
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
    for name in ("LogisticRef", "LogisticPort", "LogisticBroken"):
        register_adapter(name.lower(), f"{__name__}:{name}")
    register_suite("logistic", f"{__name__}:SUITE")

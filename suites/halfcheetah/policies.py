"""Policies of the halfcheetah family: ``random`` (the framework's uniform Box sampler) and
``gait``, a fixed open-loop running gait.

``gait`` plays ``a_j(t) = 0.6 sin(2 pi t / 6 + phi_j)`` at env step t of the episode, the
three back joints in phase and the three front joints half a period behind
(``phi = (0, 0, 0, pi, pi, pi)``): a bounding run at 1/0.3 s. Chosen on the C reference
among amplitudes 0.4-0.8, periods 6-10 and four phase patterns as the fastest that never
flips the cheetah (return 581 +- 33 over 3 seeds, |torso angle| < 1.5). Its period is 6
steps, so it is the 6-row table :data:`GAIT_TABLE` (float32), indexed by ``t % 6``; the
JAX sides index the same table, so every side plays identical actions.

The framework hands a policy only ``(obs, legal, rng)``; the step index comes from
counting calls, restarted whenever a new episode's generator appears (every rollout
makes its own ``rng``; the policy keeps a reference to the current one, so identity is
reliable).
"""
from __future__ import annotations

import numpy as np

from equiv import Policy

GAIT_AMPLITUDE = 0.6
GAIT_PERIOD = 6
GAIT_PHASE = np.array([0.0, 0.0, 0.0, np.pi, np.pi, np.pi])
GAIT_TABLE = np.stack([GAIT_AMPLITUDE * np.sin(2 * np.pi * t / GAIT_PERIOD + GAIT_PHASE)
                       for t in range(GAIT_PERIOD)]).astype(np.float32)


class _Gait:
    """Callable gait policy counting its own steps per episode."""

    def __init__(self):
        self._rng = None
        self._t = 0

    def __call__(self, obs, legal, rng):
        if rng is not self._rng:
            self._rng, self._t = rng, 0
        a = GAIT_TABLE[self._t % GAIT_PERIOD].copy()
        self._t += 1
        return a


def _gait_for_config(config):
    return _Gait()


POLICIES = {
    "gait": Policy("gait", _Gait(), "open-loop bounding gait, 0.6 sin(2 pi t/6 + phase), back/front in antiphase",
                   for_config=_gait_for_config),
}

"""Per-battle numbers compared statistically (L3), read from the observations.

The observation layout (schema.OBS_LAYOUT) gives turn, hp and status of every
Pokemon after each step, which is all these need.
"""
from __future__ import annotations

import numpy as np

from suites.pokemon.schema import OBS_LAYOUT, SIDES, TEAM


def _slice(name: str) -> slice:
    start = 0
    for field, n in OBS_LAYOUT:
        if field == name:
            return slice(start, start + n)
        start += n
    raise KeyError(name)


_TURN, _HP, _STATUS = _slice("turn"), _slice("hp"), _slice("status")


def p1_win(traj) -> float:
    """1 when p1 won the battle, else 0 (p2 won, tie or cut short)."""
    if not traj.length:
        return 0.0
    return float(np.asarray(traj.outputs["reward"])[-1] > 0)


def turns(traj) -> float:
    """Showdown's turn counter at the end of the battle."""
    if not traj.length:
        return 0.0
    return float(np.asarray(traj.outputs["obs"])[-1, _TURN][0])


def _series(traj, sl):
    return np.asarray(traj.outputs["obs"])[:, sl].reshape(traj.length, SIDES, TEAM)


def _per_turn(traj, events: float) -> float:
    """A per-battle count as a frequency per turn: counts grow with battle length, and one endless
    battle (a 1,000-turn stall, which gen 1 allows) would swamp a mean of counts; length is the
    ``turns`` metric's business."""
    return events / max(turns(traj), 1.0)


def damage_per_turn(traj) -> float:
    """Steps x Pokemon whose HP went down (hits, recoil, poison, Struggle...), per turn."""
    if traj.length < 2:
        return 0.0
    hp = _series(traj, _HP)
    return _per_turn(traj, float(np.sum(np.diff(hp, axis=0) < 0)))


def status_per_turn(traj) -> float:
    """Major statuses inflicted (a Pokemon going from healthy to brn/par/slp/frz/psn/tox), per turn."""
    if traj.length < 2:
        return 0.0
    status = _series(traj, _STATUS)
    before, after = status[:-1], status[1:]
    return _per_turn(traj, float(np.sum((before == 0) & (after >= 1) & (after <= 6))))

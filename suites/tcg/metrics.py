"""Per-game numbers compared statistically (L3), read from the last step's outputs.

Once a game is over the step's view is player 0's (§9.5), and its reward pair says who
won (§9.6), so the final record is all these need.
"""
from __future__ import annotations

import numpy as np

from reference_envs.tcg_python.cards import CARDS, N_CARDS
from suites.tcg.schema import G, OBS_DISCARDS

_BASIC = np.asarray([0] + [int(CARDS[i].is_basic) for i in range(1, N_CARDS + 1)])


def _final(traj):
    view = np.asarray(traj.outputs["obs.view"])[-1]
    reward = np.asarray(traj.outputs["reward"])[-1]
    return view, reward


def first_player_win(traj) -> float:
    """1 when the player who went first won; 0 when it lost, drew or the game was cut short."""
    if not traj.length:
        return 0.0
    view, reward = _final(traj)
    first = 0 if view[G["is_first_player"]] else 1      # player 0's view: is player 0 first?
    return float(reward[first] == 1)


def turns(traj) -> float:
    """The turn on which the game ended (1..30; 30 for a draw on the turn limit)."""
    if not traj.length:
        return 0.0
    return float(_final(traj)[0][G["turn"]])


def points(traj) -> float:
    """Points scored by both players together (1 per knock-out, 2 for an ex)."""
    if not traj.length:
        return 0.0
    view = _final(traj)[0]
    return float(view[G["points_me"]] + view[G["points_opp"]])


def knockouts(traj) -> float:
    """Knock-outs in the game: Basic Pokémon cards in both discard piles at the end (every knocked-out
    stack has exactly one Basic at its bottom, and nothing else in the pool discards a Basic except
    Koga's rare hand overflow)."""
    if not traj.length:
        return 0.0
    view = _final(traj)[0]
    discards = view[OBS_DISCARDS:OBS_DISCARDS + 2 * N_CARDS].reshape(2, N_CARDS)
    return float((discards * _BASIC[1:]).sum())

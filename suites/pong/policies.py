"""The pong suite's policies. Each works in both modes: ``choose`` gives a discrete action
(0 stay, 1 up, 2 down) and ``continuous_choose`` a float direction in [-1, 1]; adapters
pick the one for their mode (``continuous_choose`` when the variant is continuous)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from equiv import Policy

TRACKER_DEADBAND = 4.0  # pixels: inside it the tracker stays still (no jitter around the ball)


def geometry(config: dict | None = None) -> dict:
    """Screen geometry of PufferLib's default Pong, as the policies read it back from obs."""
    c = {"height": 640.0, "paddle_height": 70.0, "ball_height": 32.0, "paddle_speed": 8.0, **(config or {})}
    lo, hi = -c["paddle_height"] / 2, c["height"] - c["paddle_height"] / 2
    return {"height": c["height"], "min_paddle_y": lo, "paddle_span": hi - lo,
            "half_paddle": c["paddle_height"] / 2, "half_ball": c["ball_height"] / 2,
            "paddle_speed": c["paddle_speed"]}


@dataclass(frozen=True)
class PongPolicy(Policy):
    """A policy with a rule for each action mode."""

    continuous_choose: Callable | None = None


_G = geometry()


def _gap(obs) -> float:
    """Ball centre minus the agent's paddle centre, in pixels (positive: ball is higher)."""
    paddle = float(obs[1]) * _G["paddle_span"] + _G["min_paddle_y"] + _G["half_paddle"]
    ball = float(obs[3]) * _G["height"] + _G["half_ball"]
    return ball - paddle


def _track(obs, legal, rng) -> int:
    gap = _gap(obs)
    return 1 if gap > TRACKER_DEADBAND else 2 if gap < -TRACKER_DEADBAND else 0


def _track_continuous(obs, legal, rng) -> np.ndarray:
    return np.float32(np.clip(_gap(obs) / _G["paddle_speed"], -1.0, 1.0))


POLICIES = {
    "random": PongPolicy(
        "random", lambda obs, legal, rng: int(rng.integers(0, 3)),
        "uniform over {stay, up, down}; continuous: uniform direction in [-1, 1]",
        continuous_choose=lambda obs, legal, rng: np.float32(rng.uniform(-1.0, 1.0))),
    "tracker": PongPolicy(
        "tracker", _track,
        f"moves the paddle centre toward the ball centre (dead band {TRACKER_DEADBAND:g} px); "
        "continuous: direction = gap / paddle_speed, clipped",
        continuous_choose=_track_continuous),
}

"""The pong suite's policies. Each works in both modes: ``choose`` gives a discrete action
(0 stay, 1 up, 2 down); in a continuous variant ``for_config`` swaps in a rule giving a
float direction in [-1, 1]."""
from __future__ import annotations

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


def _per_mode(discrete_rule, continuous_rule):
    """``for_config``: the continuous rule in continuous variants, else the discrete one."""
    return lambda config: continuous_rule if config.get("continuous") else discrete_rule


_G = geometry()


_F = np.float32
_PADDLE_OFFSET = _F(_G["min_paddle_y"] + _G["half_paddle"])


def _gap(obs) -> np.float32:
    """Ball centre minus the agent's paddle centre, in pixels (positive: ball is higher).

    Float32, one rounding per operation, so a JAX policy can reproduce it bit for bit
    (adapters/pong_jax.py): both sides then play the very same policy."""
    paddle = _F(obs[1]) * _F(_G["paddle_span"]) + _PADDLE_OFFSET
    ball = _F(obs[3]) * _F(_G["height"]) + _F(_G["half_ball"])
    return ball - paddle


def _track(obs, legal, rng) -> int:
    gap = _gap(obs)
    return 1 if gap > TRACKER_DEADBAND else 2 if gap < -TRACKER_DEADBAND else 0


def _track_continuous(obs, legal, rng) -> np.ndarray:
    # paddle_speed is 8: dividing by it is exact in any float arithmetic.
    return np.clip(_gap(obs) / _F(_G["paddle_speed"]), _F(-1), _F(1)).astype(np.float32)


def _random(obs, legal, rng) -> int:
    return int(rng.integers(0, 3))


def _random_continuous(obs, legal, rng) -> np.float32:
    return np.float32(rng.uniform(-1.0, 1.0))


POLICIES = {
    "random": Policy(
        "random", _random, "uniform over {stay, up, down}; continuous: uniform direction in [-1, 1]",
        for_config=_per_mode(_random, _random_continuous)),
    "tracker": Policy(
        "tracker", _track,
        f"moves the paddle centre toward the ball centre (dead band {TRACKER_DEADBAND:g} px); "
        "continuous: direction = gap / paddle_speed, clipped",
        for_config=_per_mode(_track, _track_continuous)),
}

"""Static parameters of the Pong port: the C env's constructor settings, plus the values
it derives from them, computed here once in float32 exactly as the C computes them."""
from __future__ import annotations

import dataclasses

import jax
import numpy as np

# pufferlib.ocean.pong.Pong's keyword arguments that reach the C env, with its defaults.
DEFAULTS = {
    "width": 500, "height": 640, "paddle_width": 20, "paddle_height": 70,
    "ball_width": 32, "ball_height": 32, "paddle_speed": 8,
    "ball_initial_speed_x": 10, "ball_initial_speed_y": 1,
    "ball_speed_y_increment": 3, "ball_max_speed_y": 13,
    "max_score": 21, "frameskip": 1, "continuous": False,
}
_FLOATS = ("width", "height", "paddle_width", "paddle_height", "ball_width", "ball_height",
           "paddle_speed", "ball_initial_speed_x", "ball_initial_speed_y",
           "ball_speed_y_increment", "ball_max_speed_y")


@dataclasses.dataclass(frozen=True)
class PongParams:
    """Array leaves are float32 scalars (uint32 for ``max_score``); ``frameskip`` and
    ``continuous`` shape the program and are static."""

    width: jax.Array
    height: jax.Array
    paddle_width: jax.Array  # only drawn, never used by the rules (as in C)
    paddle_height: jax.Array
    ball_width: jax.Array
    ball_height: jax.Array
    paddle_speed: jax.Array
    ball_initial_speed_x: jax.Array
    ball_initial_speed_y: jax.Array
    ball_speed_y_increment: jax.Array
    ball_max_speed_y: jax.Array
    max_score: jax.Array
    # derived, as C derives them (init(), reset_round(), compute_observations())
    min_paddle_y: jax.Array
    max_paddle_y: jax.Array
    half_paddle_height: jax.Array
    paddle_start_y: jax.Array
    ball_start_x: jax.Array
    ball_start_y: jax.Array
    ball_max_x: jax.Array
    ball_max_y: jax.Array
    paddle_span: jax.Array
    vx_span: jax.Array
    vy_span: jax.Array
    frameskip: int = 1
    continuous: bool = False


_META = ("frameskip", "continuous")
jax.tree_util.register_dataclass(
    PongParams, data_fields=[f.name for f in dataclasses.fields(PongParams) if f.name not in _META],
    meta_fields=list(_META))


def make_params(**config) -> PongParams:
    """Parameters for the given C settings (any omitted one takes PufferLib's default)."""
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"unknown Pong settings {unknown}; the env takes {sorted(DEFAULTS)}")
    c = {**DEFAULTS, **config}
    for k in ("frameskip", "max_score"):
        if isinstance(c[k], bool) or not isinstance(c[k], (int, np.integer)):
            raise ValueError(f"Pong setting {k}={c[k]!r} must be an integer")
    if c["frameskip"] < 1:
        raise ValueError(f"Pong setting frameskip={c['frameskip']} must be >= 1")
    if not 1 <= c["max_score"] < 2**31:
        raise ValueError(f"Pong setting max_score={c['max_score']} must be in [1, 2**31)")
    for k in _FLOATS:
        if isinstance(c[k], bool) or not isinstance(c[k], (int, float, np.integer, np.floating)):
            raise ValueError(f"Pong setting {k}={c[k]!r} must be a number")
    # The binding reads every setting as a C double and stores it into a float field.
    f = {k: np.float32(np.float64(c[k])) for k in _FLOATS}
    two = np.float32(2)
    with np.errstate(all="ignore"):
        min_y = -f["paddle_height"] / two
        max_y = f["height"] - f["paddle_height"] / two
        derived = dict(
            min_paddle_y=min_y, max_paddle_y=max_y, half_paddle_height=f["paddle_height"] / two,
            paddle_start_y=f["height"] / two - f["paddle_height"] / two,
            ball_start_x=f["width"] / np.float32(5),
            ball_start_y=f["height"] / two - f["ball_height"] / two,
            ball_max_x=f["width"] - f["ball_width"], ball_max_y=f["height"] - f["ball_height"],
            paddle_span=max_y - min_y, vx_span=two * f["ball_initial_speed_x"],
            vy_span=two * f["ball_max_speed_y"])
    leaves = {k: np.asarray(v, np.float32) for k, v in {**f, **derived}.items()}
    return PongParams(**leaves, max_score=np.asarray(c["max_score"], np.uint32),
                      frameskip=int(c["frameskip"]), continuous=bool(c["continuous"]))

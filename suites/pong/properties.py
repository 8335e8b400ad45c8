"""L1 generators: states placed where each rule of ``c_step`` fires, in both action modes.

Every property builds a whole canonical state (the 12 struct fields, a stale observation
buffer and a generator state) plus an action. Geometry follows the variant's settings.
Positions are mostly whole numbers (as in play, where every move is a whole number of
pixels) with arbitrary float32 values mixed in, and -0.0 now and then.

- ``anywhere``: every field uniform over its reachable range.
- ``walls``: the ball crossing the top or the bottom wall during the first frame.
- ``left_paddle_edges`` / ``right_paddle_edges``: the ball reaching a paddle with its
  edge exactly on (or a hair either side of) the paddle's top or bottom edge, after the
  frame's paddle moves; on the right also the speed-up clip at +-max and ``|vy| < 0.01``.
- ``points``: a point for either side on the first frame of the step (nothing completed,
  the stale observation is returned) or on a later one up to the last frame of a
  frameskip, with scores at 0, mid, ``max-2`` and ``max-1`` (so terminals and the
  auto-reset happen), the serve drawing from an arbitrary generator state.
- ``hits``: central hits with any speed and direction (the speed-up must not be fused
  into one multiply-add).
- ``hit_then_point``: a hit and then a point within one step (only possible when a step
  can cross the court, as in ``small_court_fs8``): rewards are assigned, not summed.
- ``played``: states reached by random play on the reference from a seed.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from equiv import Case

from reference_envs.puffer_pong.cpong import DEFAULT_CONFIG as DEFAULTS  # the family is the C env's
F32 = np.float32
_MILLI = float(np.float32(1e-3))
# No subnormal floats anywhere: XLA on CPU flushes them to zero (FTZ/DAZ, no switch to turn
# it off), the C does not. See the note in ledger.yaml. Nor values so tiny that dividing
# them by a screen size gives a subnormal (|x| < 1e-30): play starts from whole numbers and
# float32 arithmetic on such values never lands there, so no reachable state has them.
_TINY = 1e-30


def _floats(lo, hi, **kwargs):
    """float32 values in [lo, hi], none subnormal nor tiny enough to make one."""
    return st.floats(lo, hi, width=32, allow_nan=False, allow_infinity=False, allow_subnormal=False,
                     **kwargs).map(lambda v: 0.0 if 0 < abs(v) < _TINY else v)


def _f32(x) -> np.ndarray:
    return np.asarray(x, np.float32)


def _coord(lo: float, hi: float):
    """A position: usually a whole number, sometimes any float32, rarely -0.0 (if in range)."""
    parts = [st.integers(int(np.ceil(lo)), int(np.floor(hi))).map(float),
             _floats(lo, hi)]
    if lo <= 0 <= hi:
        parts.append(st.just(-0.0))
    return st.one_of(*parts)


def _nudge():
    """How far from an exact edge: on it, a hair either side, or clearly either side."""
    return st.one_of(st.sampled_from([0.0, 0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0]),
                     _floats(-_MILLI, _MILLI),
                     _floats(-4.0, 4.0))


class _Geometry:
    def __init__(self, config: dict):
        c = {**DEFAULTS, **config}
        self.c = c
        self.w, self.h = float(c["width"]), float(c["height"])
        self.ph, self.bw, self.bh = float(c["paddle_height"]), float(c["ball_width"]), float(c["ball_height"])
        self.speed, self.vx = float(c["paddle_speed"]), float(c["ball_initial_speed_x"])
        self.vmax, self.inc = float(c["ball_max_speed_y"]), float(c["ball_speed_y_increment"])
        self.lo, self.hi = -self.ph / 2, self.h - self.ph / 2
        self.fs, self.continuous, self.max_score = int(c["frameskip"]), bool(c["continuous"]), int(c["max_score"])

    def action(self):
        if self.continuous:
            return st.one_of(st.sampled_from([-1.0, 0.0, 1.0, 0.5, -0.5]),
                             _floats(-1, 1)).map(F32)
        return st.integers(0, 2)

    def direction(self, action) -> float:
        if self.continuous:
            return float(np.clip(F32(action), -1, 1))
        return {0: 0.0, 1: 1.0, 2: -1.0}.get(int(action), 0.0)

    def scores(self):
        top = max(self.max_score - 1, 0)
        return st.one_of(st.sampled_from(sorted({0, min(5, top), max(top - 1, 0), top})),
                         st.integers(0, top))

    def filler(self, draw) -> dict:
        """The fields no property aims at: random but valid."""
        return {
            "score_l": np.uint32(draw(self.scores())), "score_r": np.uint32(draw(self.scores())),
            "paddle_dir": _f32(draw(st.sampled_from([-1.0, 0.0, 1.0]) if not self.continuous
                                    else _floats(-1, 1))),
            "tick": np.int32(draw(st.integers(0, 20_000))),
            "n_bounces": np.int32(draw(st.integers(0, 400))),
            "win": np.int32(draw(st.integers(0, 1))),
            "obs": np.asarray(draw(st.lists(_floats(0, 1), min_size=8, max_size=8)), np.float32),
            "rng": np.asarray(draw(st.lists(st.integers(0, 2**32 - 1), min_size=31, max_size=31)), np.uint32),
        }

    def state(self, draw, **moving) -> dict:
        s = self.filler(draw)
        s.update({k: _f32(v) for k, v in moving.items()})
        return s

    def vy(self):
        return st.one_of(st.integers(-int(self.vmax), int(self.vmax)).map(float),
                         _floats(-self.vmax, self.vmax), st.just(-0.0))


def anywhere(g: _Geometry):
    @st.composite
    def build(draw):
        s = g.state(draw, paddle_yl=draw(_coord(g.lo, g.hi)), paddle_yr=draw(_coord(g.lo, g.hi)),
                    ball_x=draw(_coord(-g.vx, g.w - g.bw + g.vx)), ball_y=draw(_coord(-g.vmax, g.h - g.bh + g.vmax)),
                    ball_vx=draw(st.sampled_from([g.vx, -g.vx])), ball_vy=draw(g.vy()))
        return Case(s, draw(g.action()), "anywhere")
    return build()


def walls(g: _Geometry):
    @st.composite
    def build(draw):
        vy = draw(g.vy())
        top = draw(st.booleans())
        edge = 0.0 if top else g.h - g.bh
        y_after = edge + draw(_nudge()) * draw(st.sampled_from([1.0, 4.0]))
        s = g.state(draw, paddle_yl=draw(_coord(g.lo, g.hi)), paddle_yr=draw(_coord(g.lo, g.hi)),
                    ball_x=draw(_coord(g.w * 0.3, g.w * 0.6)), ball_y=y_after - vy,
                    ball_vx=draw(st.sampled_from([g.vx, -g.vx])), ball_vy=vy)
        return Case(s, draw(g.action()), f"{'top' if top else 'bottom'} wall")
    return build()


def left_paddle_edges(g: _Geometry):
    @st.composite
    def build(draw):
        vy = draw(g.vy())
        yl = draw(_coord(g.lo + g.speed + 20, g.hi - g.speed - 20))
        lower = draw(st.booleans())
        nudge = draw(_nudge())
        if lower:   # ball just under the paddle: it chases down by a full speed step
            y_after = (yl - g.speed) - g.bh + nudge
        else:       # ball just over it: it chases up by a full step
            y_after = (yl + g.speed) + g.ph + nudge
        s = g.state(draw, paddle_yl=yl, paddle_yr=draw(_coord(g.lo, g.hi)),
                    ball_x=draw(_coord(0, g.vx - 0.5)), ball_y=y_after - vy, ball_vx=-g.vx, ball_vy=vy)
        return Case(s, draw(g.action()), f"left paddle {'bottom' if lower else 'top'} edge, nudge {nudge}")
    return build()


def right_paddle_edges(g: _Geometry):
    @st.composite
    def build(draw):
        action = draw(g.action())
        d = g.direction(action)
        special = draw(st.sampled_from(["any", "flat", "near_flat", "max"]))
        if special == "flat":      # the hit leaves vy == 0 exactly -> vy = increment
            vy = -g.inc * d
        elif special == "near_flat":
            vy = -g.inc * d + draw(st.sampled_from([0.005, -0.005, 0.0099999, 0.01, 0.0100001, -0.01]))
        elif special == "max":
            vy = draw(st.sampled_from([1.0, -1.0])) * (g.vmax - draw(st.sampled_from([0.0, 1.0, 2.5])))
        else:
            vy = draw(g.vy())
        yr = draw(_coord(g.lo + g.speed + 20, g.hi - g.speed - 20))
        yr_after = float(F32(yr) + F32(F32(g.speed) * F32(d)))
        lower = draw(st.booleans())
        nudge = draw(_nudge())
        y_after = yr_after - g.bh + nudge if lower else yr_after + g.ph + nudge
        s = g.state(draw, paddle_yl=draw(_coord(g.lo, g.hi)), paddle_yr=yr,
                    ball_x=draw(_coord(g.w - g.bw - g.vx + 0.5, g.w - g.bw)), ball_y=y_after - vy,
                    ball_vx=g.vx, ball_vy=vy)
        return Case(s, action, f"right paddle {'bottom' if lower else 'top'} edge, vy {special}, nudge {nudge}")
    return build()


def points(g: _Geometry):
    @st.composite
    def build(draw):
        frame = draw(st.one_of(st.sampled_from(sorted({1, g.fs})), st.integers(1, g.fs)))
        agent_scores = draw(st.booleans())
        offset = draw(_floats(0, g.vx, exclude_max=True)) if draw(st.booleans()) else 0.0
        ball_y = draw(_coord(g.h * 0.5, g.h - g.bh - 8 * g.speed))
        vy = draw(st.sampled_from([0.0, -1.0, 1.0, -2.0]))
        far = draw(st.sampled_from([g.lo, g.lo + 1.0]))  # the paddle of the side that misses
        if agent_scores:   # ball crosses x < 0 on frame `frame`: x0 - frame*vx < 0 <= x0 - (frame-1)*vx
            s = g.state(draw, paddle_yl=far, paddle_yr=draw(_coord(g.lo, g.hi)),
                        ball_x=(frame - 1) * g.vx + offset, ball_y=ball_y, ball_vx=-g.vx, ball_vy=vy)
            action = draw(g.action())
        else:              # ball crosses x + w > width on frame `frame`
            right = g.w - g.bw
            s = g.state(draw, paddle_yl=draw(_coord(g.lo, g.hi)), paddle_yr=far,
                        ball_x=right - (frame - 1) * g.vx - offset,
                        ball_y=ball_y, ball_vx=g.vx, ball_vy=vy)
            action = 0 if not g.continuous else F32(0.0)  # stay away from the ball
        return Case(s, action, f"{'agent' if agent_scores else 'opponent'} point on frame {frame}/{g.fs}, "
                                f"scores {int(s['score_l'])}-{int(s['score_r'])}")
    return build()


def hits(g: _Geometry):
    """Plain hits by the agent's paddle, with any speed and (continuous) any direction:
    ``vy + increment * direction`` must round twice, as the C does (no fused multiply-add)."""
    @st.composite
    def build(draw):
        yr = draw(_coord(g.lo + g.speed + 1, g.hi - g.speed - 1))
        # Generic values (uniform on a fine grid), not Hypothesis' favourite simple ones:
        # a fused multiply-add only shows when the product is inexact.
        generic = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        vy = float(F32(generic.uniform(-g.vmax, g.vmax)))
        ball_y = yr + g.ph / 2 - g.bh / 2 - vy
        action = F32(generic.uniform(-1, 1)) if g.continuous else draw(g.action())
        s = g.state(draw, paddle_yl=draw(_coord(g.lo, g.hi)), paddle_yr=yr,
                    ball_x=draw(_coord(g.w - g.bw - g.vx + 0.5, g.w - g.bw)), ball_y=ball_y,
                    ball_vx=g.vx, ball_vy=vy)
        return Case(s, action, "a hit by the agent's paddle")
    return build()


def hit_then_point(g: _Geometry):
    """The agent's paddle hits the ball on the first frame and the ball then runs past the
    opponent in the same step (possible when a step is long enough to cross the court):
    the +1 must replace the 0.1, not add to it."""
    @st.composite
    def build(draw):
        yr = draw(_coord(g.h * 0.5, g.hi - g.speed - 1))
        ball_y = yr + g.ph / 2 - g.bh / 2 + draw(st.integers(-3, 3))
        s = g.state(draw, paddle_yl=g.lo, paddle_yr=yr,
                    ball_x=draw(_coord(g.w - g.bw - g.vx + 0.5, g.w - g.bw)), ball_y=ball_y,
                    ball_vx=g.vx, ball_vy=draw(st.sampled_from([0.0, 1.0, -1.0])))
        return Case(s, 0 if not g.continuous else F32(0.0), "hit, then a point in the same step")
    return build()


def played(g: _Geometry, reference):
    """States the reference reaches by random play (its own adapter, from a seed)."""
    def reach(seed_and_steps):
        seed, steps = seed_and_steps
        rng = np.random.default_rng([seed, 3])
        reference.reset(seed)
        for _ in range(steps):
            a = F32(rng.uniform(-1, 1)) if g.continuous else int(rng.integers(0, 3))
            reference.step(a)
        return reference.get_state()

    return st.tuples(st.integers(0, 2**31 - 1), st.integers(0, 400), g.action()).map(
        lambda t: Case(reach(t[:2]), t[2], f"seed {t[0]} after {t[1]} random steps"))


BUILDERS = {"anywhere": anywhere, "walls": walls, "left_paddle_edges": left_paddle_edges,
            "right_paddle_edges": right_paddle_edges, "points": points, "hits": hits,
            "hit_then_point": hit_then_point}


def cases(name: str, variants: dict):
    """The ``cases(reference, variant)`` callable of one property."""
    def make(reference, variant):
        g = _Geometry(variants[variant])
        if name == "played":
            return played(g, reference)
        return BUILDERS[name](g)
    return make

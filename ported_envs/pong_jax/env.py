"""The rules of PufferLib 3.0.0's C Pong (``pong.h``), as pure JAX functions.

``reset(seed, params)`` and ``step(state, action, params)`` are pure and jit/vmap-able;
the state has a fixed shape. What the C does, this does, quirks included:

- the opponent (left) paddle tracks the ball centre, capped at ``paddle_speed``; both
  paddles are clipped to ``[-h/2, height - h/2]`` (half off-screen);
- only the agent's (right) paddle changes ``ball_vy`` and clips the ball; a hit that
  leaves ``|vy| < 0.01`` sets ``vy = ball_speed_y_increment``;
- a point ends the frameskip loop at once. A non-terminal point resets the round but
  does *not* recompute the observation, so the step returns the observation of the last
  completed frame (possibly the previous step's: it is kept in the state);
- rewards are assigned, not summed: any bounce gives 0.1, a point overwrites it with +-1;
- ``score / max_score`` is an unsigned integer division (0 until the terminal point);
- on the terminal point (a score reaching ``max_score`` exactly) the env auto-resets
  and returns the new episode's first observation; there is no time limit;
- a new round serves with ``vy = (rand() % 2 - 1) * ball_initial_speed_y``: -1 or 0
  times the speed, never +1. ``rand()`` is glibc's, emulated in :mod:`.glibc_rand` and
  carried in the state, so a port seeded like the C (``srand(seed)`` at reset) draws the
  same numbers and the two agree step for step.

Floating point is exactly C's float32: see :mod:`.numerics`.
"""
from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
from jax import lax

from ported_envs.pong_jax import glibc_rand
from ported_envs.pong_jax.numerics import exact_div, rounded
from ported_envs.pong_jax.params import PongParams

F32, U32, I32 = jnp.float32, jnp.uint32, jnp.int32


@dataclasses.dataclass(frozen=True)
class PongState:
    """The C struct's mutable fields, the observation buffer and the generator state."""

    paddle_yl: jax.Array
    paddle_yr: jax.Array
    ball_x: jax.Array
    ball_y: jax.Array
    ball_vx: jax.Array
    ball_vy: jax.Array
    score_l: jax.Array  # uint32
    score_r: jax.Array  # uint32
    paddle_dir: jax.Array
    tick: jax.Array  # int32, steps since the round began
    n_bounces: jax.Array  # int32, bounces since the round began
    win: jax.Array  # int32, 1 if the last point was the agent's
    obs: jax.Array  # float32[8]: what the last step returned (stale after a point)
    rng: jax.Array  # uint32[31]: glibc rand() state, see glibc_rand


FIELDS = tuple(f.name for f in dataclasses.fields(PongState))
jax.tree_util.register_dataclass(PongState, data_fields=list(FIELDS), meta_fields=[])


def _fmin(x, bound):
    """C ``fminf(x, bound)`` as x86-64 computes it (``minss``): a NaN ``x`` gives ``bound``,
    and of two equal values (-0.0 and 0.0) the second is returned."""
    return jnp.where(x < bound, x, bound)


def _fmax(x, bound):
    """C ``fmaxf(x, bound)`` (``maxss``): see :func:`_fmin`."""
    return jnp.where(x > bound, x, bound)


def _clip(x, lo, hi):
    return _fmin(_fmax(x, lo), hi)


def observe(paddle_yl, paddle_yr, ball_x, ball_y, ball_vx, ball_vy, score_l, score_r,
            params: PongParams):
    """``compute_observations``: eight values, with C's float32 divisions."""
    p = params
    numer = jnp.stack([paddle_yl - p.min_paddle_y, paddle_yr - p.min_paddle_y, ball_x, ball_y,
                       ball_vx + p.ball_initial_speed_x, ball_vy + p.ball_max_speed_y])
    denom = jnp.stack([p.paddle_span, p.paddle_span, p.width, p.height, p.vx_span, p.vy_span])
    scores = lax.div(jnp.stack([score_l, score_r]), jnp.stack([p.max_score, p.max_score]))
    return jnp.concatenate([exact_div(numer, denom), scores.astype(F32)])


def _serve(rng, params: PongParams):
    """``reset_round``'s random part: one rand() draw -> (ball_vy, next rng)."""
    r, rng = glibc_rand.advance(rng)
    return (lax.rem(r, I32(2)) - 1).astype(F32) * params.ball_initial_speed_y, rng


def reset(seed, params: PongParams) -> PongState:
    """``Pong.reset(seed)`` with one env: ``srand(seed)`` then ``c_reset``."""
    p = params
    vy, rng = _serve(glibc_rand.srand(seed), p)
    zero_u = jnp.zeros((), U32)
    obs = observe(p.paddle_start_y, p.paddle_start_y, p.ball_start_x, p.ball_start_y,
                  p.ball_initial_speed_x, vy, zero_u, zero_u, p)
    return PongState(
        paddle_yl=p.paddle_start_y, paddle_yr=p.paddle_start_y, ball_x=p.ball_start_x,
        ball_y=p.ball_start_y, ball_vx=p.ball_initial_speed_x, ball_vy=vy,
        score_l=zero_u, score_r=zero_u, paddle_dir=jnp.zeros((), F32),
        tick=jnp.zeros((), I32), n_bounces=jnp.zeros((), I32), win=jnp.zeros((), I32),
        obs=obs, rng=rng)


def paddle_direction(action, params: PongParams):
    """The C's ``paddle_dir`` for an action: discrete 1 -> +1 (up), 2 -> -1, anything else 0;
    continuous: the float clipped to [-1, 1] (clipping is done by PufferLib's Python ``step``)."""
    if params.continuous:
        a = jnp.reshape(jnp.asarray(action, F32), ())
        # Selects, not min/max: they copy the bits, so even a subnormal direction survives
        # XLA's flush-to-zero (the C keeps it) and is stored in the state like the C's.
        return jnp.where(a > 1, F32(1), jnp.where(a < -1, F32(-1), a))
    a = jnp.asarray(action).astype(F32)  # the binding's action buffer is float32
    return jnp.where(a == 1, F32(1), jnp.where(a == 2, F32(-1), F32(0)))


def _frame(c, direction, p: PongParams):
    """One frame of c_step's loop. ``c`` carries the moving parts, the step's reward so far,
    whether a point ended the step, and the last completed frame's observation inputs."""
    yr = _clip(c["yr"] + rounded(p.paddle_speed * direction), p.min_paddle_y, p.max_paddle_y)
    chase = _clip(c["by"] - (c["yl"] + p.half_paddle_height), -p.paddle_speed, p.paddle_speed)
    yl = _clip(c["yl"] + chase, p.min_paddle_y, p.max_paddle_y)
    bx, by = c["bx"] + c["vx"], c["by"] + c["vy"]
    vy = jnp.where((by < 0) | (by + p.ball_height > p.height), -c["vy"], c["vy"])

    left = bx < 0
    left_hit = left & (by + p.ball_height > yl) & (by < yl + p.paddle_height)
    agent_point = left & ~left_hit
    vx = jnp.where(left_hit, -c["vx"], c["vx"])

    right = ~agent_point & (bx + p.ball_width > p.width)
    right_hit = right & (by + p.ball_height > yr) & (by < yr + p.paddle_height)
    opponent_point = right & ~right_hit
    vx = jnp.where(right_hit, -vx, vx)
    hit_vy = _clip(vy + rounded(p.ball_speed_y_increment * direction), -p.ball_max_speed_y,
                   p.ball_max_speed_y)
    hit_vy = jnp.where(jnp.abs(hit_vy) <= F32(0.01), p.ball_speed_y_increment, hit_vy)  # fabsf(vy) < 0.01 (double)
    vy = jnp.where(right_hit, hit_vy, vy)
    bx = jnp.where(right_hit, _clip(bx, F32(0), p.ball_max_x), bx)
    by = jnp.where(right_hit, _clip(by, F32(0), p.ball_max_y), by)

    point = agent_point | opponent_point
    reward = jnp.where(agent_point, F32(1), jnp.where(opponent_point, F32(-1),
                                                      jnp.where(right_hit, F32(0.1), c["reward"])))
    moved = dict(yl=yl, yr=yr, bx=bx, by=by, vx=vx, vy=vy)
    out = dict(moved, bounces=c["bounces"] + left_hit.astype(I32) + right_hit.astype(I32),
               reward=reward, agent_point=agent_point, opponent_point=opponent_point,
               framed=c["framed"] | ~point)
    # The observation is computed at the end of every frame that did not end in a point.
    out["seen"] = {k: jnp.where(point, c["seen"][k], v) for k, v in moved.items()}
    return out


def _step(state: PongState, direction, params: PongParams):
    p = params
    c = dict(yl=state.paddle_yl, yr=state.paddle_yr, bx=state.ball_x, by=state.ball_y,
             vx=state.ball_vx, vy=state.ball_vy, bounces=state.n_bounces, reward=F32(0),
             agent_point=jnp.bool_(False), opponent_point=jnp.bool_(False),
             framed=jnp.bool_(False))
    c["seen"] = {k: c[k] for k in ("yl", "yr", "bx", "by", "vx", "vy")}
    c = _frame(c, direction, p)
    if p.frameskip > 1:
        def later_frame(_, c):
            done = c["agent_point"] | c["opponent_point"]
            nxt = _frame(c, direction, p)
            return jax.tree.map(lambda old, new: jnp.where(done, old, new), c, nxt)
        c = lax.fori_loop(1, p.frameskip, later_frame, c)

    agent_point, opponent_point = c["agent_point"], c["opponent_point"]
    point = agent_point | opponent_point
    score_l = state.score_l + opponent_point.astype(U32)
    score_r = state.score_r + agent_point.astype(U32)
    terminal = (agent_point & (score_r == p.max_score)) | (opponent_point & (score_l == p.max_score))
    win = jnp.where(agent_point, I32(1), jnp.where(opponent_point, I32(0), state.win))

    serve_vy, served_rng = _serve(state.rng, p)
    rng = jnp.where(point, served_rng, state.rng)
    score_l = jnp.where(terminal, U32(0), score_l)
    score_r = jnp.where(terminal, U32(0), score_r)

    def after_point(moving, start):
        return jnp.where(point, start, moving)

    yl, yr = after_point(c["yl"], p.paddle_start_y), after_point(c["yr"], p.paddle_start_y)
    bx, by = after_point(c["bx"], p.ball_start_x), after_point(c["by"], p.ball_start_y)
    vx, vy = after_point(c["vx"], p.ball_initial_speed_x), after_point(c["vy"], serve_vy)

    # Observation: the new episode's on a terminal point, else the last completed frame's,
    # else (a point on the first frame) the one already in the state.
    s = c["seen"]
    obs_in = [jnp.where(terminal, new, seen) for new, seen in
              ((yl, s["yl"]), (yr, s["yr"]), (bx, s["bx"]), (by, s["by"]), (vx, s["vx"]), (vy, s["vy"]))]
    obs = observe(*obs_in, jnp.where(terminal, U32(0), state.score_l),
                  jnp.where(terminal, U32(0), state.score_r), p)
    obs = jnp.where(terminal | c["framed"], obs, state.obs)

    new = PongState(
        paddle_yl=yl, paddle_yr=yr, ball_x=bx, ball_y=by, ball_vx=vx, ball_vy=vy,
        score_l=score_l, score_r=score_r, paddle_dir=direction,
        tick=jnp.where(point, I32(0), state.tick + 1),
        n_bounces=jnp.where(point, I32(0), c["bounces"]), win=win, obs=obs, rng=rng)
    return obs, new, c["reward"], terminal


def step(state: PongState, action, params: PongParams):
    """One agent step: ``(obs, next_state, reward, terminated)``. Never truncates."""
    return _step(state, paddle_direction(action, params), params)

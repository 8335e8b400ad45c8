"""Deliberately broken copies of the pong_jax port, one rule changed in each.

Each mutant is the port's rules module (ported_envs/pong_jax/env.py) with one source
edit, loaded under its own module name, behind a PongJax adapter subclass. The gate must
catch every one of them (tests/pong/test_mutations.py).
"""
from __future__ import annotations

import sys
import types
from pathlib import Path

import equiv
from adapters.pong_jax import PongJax
from ported_envs.pong_jax import env as _env

# name: (what changed, [(exact source text, replacement)])
MUTATIONS = {
    "serve_plus_one": ("a new round may serve with vy = +1 (rand() % 3 - 1 instead of % 2)",
                       [("lax.rem(r, I32(2)) - 1", "lax.rem(r, I32(3)) - 1")]),
    "reward_summed": ("rewards are summed over the frames of a step instead of assigned",
                      [('jnp.where(opponent_point, F32(-1),\n                                                      '
                        'jnp.where(right_hit, F32(0.1), c["reward"])))',
                        'c["reward"] + jnp.where(opponent_point, F32(-1), jnp.where(right_hit, F32(0.1), F32(0))))'),
                       ('reward = jnp.where(agent_point, F32(1), ', 'reward = jnp.where(agent_point, c["reward"] + F32(1), ')]),
    "fresh_obs_after_point": ("the observation is recomputed after a non-terminal point (no stale obs)",
                              [('obs = jnp.where(terminal | c["framed"], obs, state.obs)',
                                'obs = observe(yl, yr, bx, by, vx, vy, score_l, score_r, p)')]),
    "no_ball_clip": ("the ball is not clipped back into the court after the agent's paddle hits it",
                     [("bx = jnp.where(right_hit, _clip(bx, F32(0), p.ball_max_x), bx)", "bx = bx")]),
    "fused_multiply_add": ("vy + increment * direction left for XLA to fuse into one FMA",
                           [("hit_vy = _clip(vy + rounded(p.ball_speed_y_increment * direction)",
                             "hit_vy = _clip(vy + (p.ball_speed_y_increment * direction)")]),
    "division_by_reciprocal": ("observations divided by broadcast divisors (XLA multiplies by 1/d)",
                               [("exact_div(numer, denom)", "numer / denom")]),
    "paddle_on_screen": ("paddles clipped fully on screen instead of half off it",
                         [("yl = _clip(c[\"yl\"] + chase, p.min_paddle_y, p.max_paddle_y)",
                           "yl = _clip(c[\"yl\"] + chase, F32(0), p.height - p.paddle_height)")]),
    "slow_opponent": ("the opponent's paddle chases at a quarter of the paddle speed",
                      [("chase = _clip(c[\"by\"] - (c[\"yl\"] + p.half_paddle_height), -p.paddle_speed, p.paddle_speed)",
                        "chase = _clip(c[\"by\"] - (c[\"yl\"] + p.half_paddle_height), -p.paddle_speed / 4, "
                        "p.paddle_speed / 4)")]),
}


def _module(name: str) -> str:
    """Build (once) the mutated rules module; return its import name."""
    mod_name = f"ported_envs.pong_jax._mutant_{name}"
    if mod_name not in sys.modules:
        source = Path(_env.__file__).read_text()
        for old, new in MUTATIONS[name][1]:
            if source.count(old) != 1:
                raise AssertionError(f"mutation {name!r}: {old!r} occurs {source.count(old)} times in env.py; "
                                     f"update tests/pong/mutants.py to the port's current source")
            source = source.replace(old, new)
        module = types.ModuleType(mod_name)
        module.__file__ = f"<mutant {name}>"
        sys.modules[mod_name] = module
        exec(compile(source, module.__file__, "exec"), module.__dict__)
    return mod_name


def adapter_class(name: str, aligned: bool = True) -> type:
    """A PongJax subclass running mutant ``name``. ``aligned=False`` declares its random
    stream its own, so only the per-side checks and statistics can judge it."""
    attrs = {"env_module": _module(name), "__doc__": MUTATIONS[name][0], "__module__": __name__}
    if not aligned:
        attrs["randomness"] = None
    cls = type(f"Mutant_{name}{'' if aligned else '_unaligned'}", (PongJax,), attrs)
    globals()[cls.__name__] = cls
    return cls


def register(name: str, aligned: bool = True) -> str:
    """Register the mutant's adapter with equiv; return its adapter name."""
    cls = adapter_class(name, aligned)
    adapter = f"pong_mutant_{name}{'' if aligned else '_unaligned'}"
    equiv.register_adapter(adapter, f"{__name__}:{cls.__name__}")
    return adapter

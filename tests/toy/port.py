"""The coin walk in JAX: the port under test, and its deliberately broken versions.

``make_step(**bugs)`` builds a jitted pure step; each keyword switches one bug on.
"""
from functools import partial

import jax
import jax.numpy as jnp

from tests.toy.rules import HORIZON, LIMIT

FIELDS = ("pos", "t", "energy", "treasures", "rng")


def _xorshift32(x):
    x = x ^ (x << 13)
    x = x ^ (x >> 17)
    return x ^ (x << 5)


def _lcg(x):  # the independent port's own generator
    return x * jnp.uint32(1664525) + jnp.uint32(1013904223)


def _step(s, action, *, limit=LIMIT, rare_reward=5.0, drift_shift=8, reward_in_f16=False,
          generator="xorshift", rare_every=64):
    r = _xorshift32(s["rng"]) if generator == "xorshift" else _lcg(s["rng"])
    move = jnp.where((action >= 0) & (action <= 2), action - 1, 0).astype(jnp.int32)
    drift = (((r >> drift_shift) & 3) == 0).astype(jnp.int32)
    pos = s["pos"] + move + drift
    rare = ((r >> 16) % rare_every) == 0
    if reward_in_f16:  # the dtype bug: half-precision arithmetic, cast back afterwards
        plain = (pos.astype(jnp.float16) * jnp.float16(0.3)).astype(jnp.float32)
    else:
        plain = pos.astype(jnp.float32) * jnp.float32(0.3)
    reward = jnp.where(rare, jnp.float32(rare_reward), plain)
    pos = jnp.where(rare, 0, pos)
    energy = s["energy"] * jnp.float32(0.5) + reward
    t = s["t"] + 1
    nxt = {"pos": pos, "t": t, "energy": energy, "treasures": s["treasures"] + rare.astype(jnp.int32), "rng": r}
    done = (jnp.abs(pos) >= limit) | (t >= HORIZON)
    obs = jnp.stack([pos.astype(jnp.float32) * jnp.float32(0.125), energy,
                     t.astype(jnp.float32) * jnp.float32(0.015625)])
    return nxt, obs, reward, done


def make_step(**bugs):
    return jax.jit(partial(_step, **bugs))

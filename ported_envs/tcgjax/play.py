"""Batches of games in one compiled call: ``vmap`` over games, ``lax.scan`` over decisions.

``make_play`` builds ``play(states, masks, xs) -> ((states, masks), records)`` for one policy:
``None`` replays given actions (xs: int32[T, B]); ``"random"`` picks uniformly among the legal
actions with the policy's own counter hash (xs: uint32[T, B] per-game, per-step keys), separate from
the game's generator. The legal mask is carried from step to step, so each step computes it once.
A finished game stays as it is (``Engine.step`` leaves an OVER state unchanged).
"""
from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp

from ported_envs.tcgjax import prng, views
from ported_envs.tcgjax.engine import Engine
from ported_envs.tcgjax.ops import fence, get, prefix_sum
from ported_envs.tcgjax.state import FIELD_NAMES, OVER

I32 = jnp.int32
U32 = jnp.uint32
POLICIES = ("random",)   # suite policies played natively in JAX
POLICY_SALT = 0x5EED7C6  # keeps the policy's stream apart from any game seed's


def random_legal(mask, key):
    """The (key mod n_legal)-th legal action in ascending order (0 when none is legal).

    Found in two levels (which group of 8 actions, then which action in it), so no running sum over
    all 72 entries is needed."""
    n = jnp.sum(mask)
    k = (key % jnp.maximum(n, 1).astype(U32)).astype(I32)
    groups = mask.reshape(9, 8).astype(I32)
    upto = prefix_sum(jnp.sum(groups, axis=1))            # legal actions in groups 0..g
    g = jnp.sum(upto <= k)
    row = get(groups, g)
    r = k - (get(upto, g) - jnp.sum(row))                 # rank of the pick within group g
    return jnp.where(n > 0, g * 8 + jnp.sum(prefix_sum(row) <= r), 0).astype(I32)


def policy_keys(seeds, t0: int, steps: int):
    """uint32[steps, B]: the random policy's draw for game ``seeds[b]`` at decision ``t0 + t``."""
    base = prng.mix32(jnp.asarray(seeds, jnp.uint32) ^ U32(POLICY_SALT))
    t = jnp.arange(t0, t0 + steps, dtype=U32)
    return prng.raw(base[None, :], t[:, None])


def obs_for_actor(E: Engine, s):
    """The observation step returns: the new actor's (player 0 when the game is over)."""
    return views.observe(E, s, fence(jnp.clip(E.actor(s), 0, 1)))   # the actor stored once (engine._act)


def make_play(E: Engine, policy: str | None, record_states: bool = False, record_outputs: bool = True):
    """``play(states, masks, xs) -> ((states, masks, checksum), records)``. With ``record_outputs=False``
    (the benchmark) every observation is still computed, as an environment step must, but only a
    running checksum of it per game is kept instead of stacking it per step."""
    step_b = jax.vmap(E.step)
    mask_b = jax.vmap(partial(views.legal_mask, E))
    obs_b = jax.vmap(partial(obs_for_actor, E))

    def body(carry, x):
        st, mask, check = carry
        a = x if policy is None else jax.vmap(random_legal)(mask, x)
        ok = jnp.take_along_axis(mask, jnp.clip(a, 0, 71)[:, None], axis=1)[:, 0] & (a >= 0) & (a < 72)
        was_live = st["phase"] != OVER
        nst, reward = fence(step_b(st, a))
        nmask = mask_b(nst)
        obs = obs_b(nst)
        rec = {"actions": a, "ok": ok, "live": was_live, "terminated": nst["phase"] == OVER}
        if record_outputs:
            rec.update(obs=obs, actor=jax.vmap(E.actor)(nst), reward=reward, legal=nmask)
        else:
            check = check + jnp.sum(obs, axis=1) + jnp.sum(reward, axis=1)
        if record_states:
            rec["states"] = {k: nst[k] for k in FIELD_NAMES}
        return (nst, nmask, check), rec

    def run(states, masks, xs):
        check = jnp.zeros(masks.shape[0], I32)
        return jax.lax.scan(body, (states, masks, check), xs)

    return jax.jit(run)


def make_step_fn(E: Engine):
    """One jitted batched decision of the random policy, ``(states, masks, keys, checksum) -> same``: the
    host-loop form of ``make_play(E, "random", record_outputs=False)``; the benchmark reports both."""
    step_b = jax.vmap(E.step)
    mask_b = jax.vmap(partial(views.legal_mask, E))
    obs_b = jax.vmap(partial(obs_for_actor, E))

    def one(st, mask, keys, check):
        a = jax.vmap(random_legal)(mask, keys)
        live = st["phase"] != OVER
        nst, reward = fence(step_b(st, a))
        nmask = mask_b(nst)
        check = check + jnp.sum(obs_b(nst), axis=1) + jnp.sum(reward, axis=1)
        return nst, nmask, check, jnp.sum(live)

    return jax.jit(one)


def bucket(n: int, least: int = 1) -> int:
    """The power of two >= n (>= least): few batch shapes, few compilations."""
    b = least
    while b < n:
        b *= 2
    return b

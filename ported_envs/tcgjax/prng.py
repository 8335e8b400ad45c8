"""The counter-based generator of spec §5 (R-5.2) in uint32 JAX arithmetic.

Every draw is ``raw(key, counter)``, so a step computes all the draws it may need at once from
consecutive counters and then advances ``rng_ctr`` by the number it actually used (§5.7 notes).
Every literal is a uint32 so that nothing promotes to a signed or 64-bit type.
"""
from __future__ import annotations

import jax.numpy as jnp

U32 = jnp.uint32
HEADS_BELOW = U32(0x80000000)  # top bit clear = heads
UNTIL_TAILS_CAP = 32            # §8 A31


def mix32(x):
    """lowbias32: a bijection on 32-bit values."""
    x = jnp.asarray(x).astype(U32)
    x = x ^ (x >> U32(16))
    x = x * U32(0x7FEB352D)
    x = x ^ (x >> U32(15))
    x = x * U32(0x846CA68B)
    x = x ^ (x >> U32(16))
    return x


def make_key(seed):
    return mix32(jnp.asarray(seed).astype(U32) ^ U32(0x9E3779B9))


def raw(key, n):
    return mix32(jnp.asarray(key).astype(U32) ^ mix32(jnp.asarray(n).astype(U32)))


def draws(key, ctr, k: int):
    """The k draws at counters ctr, ctr+1, ..., ctr+k-1 (uint32[k])."""
    return raw(key, jnp.asarray(ctr).astype(U32) + jnp.arange(k, dtype=U32))


def heads(u):
    return u < HEADS_BELOW


def below(u, n):
    """``u mod n`` as int32 (n >= 1; callers clamp n to 1 where a draw may be unused)."""
    return (u % jnp.maximum(n, 1).astype(U32)).astype(jnp.int32)


def until_tails(u):
    """Flip until tails over the coins ``u[0..31]``: (heads, draws consumed) (R-5.3)."""
    tails = ~heads(u[:UNTIL_TAILS_CAP])
    h = jnp.min(jnp.where(tails, jnp.arange(UNTIL_TAILS_CAP), UNTIL_TAILS_CAP))   # heads before the first tails
    return h, jnp.where(h < UNTIL_TAILS_CAP, h + 1, UNTIL_TAILS_CAP)

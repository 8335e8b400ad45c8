"""Small branch-free array helpers the engine is written with.

Reads and writes at a traced index are one-hot selects over the (tiny) axis instead of gathers and
scatters: under ``vmap`` a dynamic index becomes a batched gather/scatter, which XLA on CPU runs far
slower than a fused select over 4, 10 or 20 entries.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

I32 = jnp.int32


def onehot(i, n: int):
    return jnp.arange(n) == i


def get(v, i):
    """``v[i]`` along the first axis (i traced)."""
    m = onehot(i, v.shape[0]).reshape((-1,) + (1,) * (v.ndim - 1))
    return jnp.sum(jnp.where(m, v, jnp.zeros_like(v)), axis=0).astype(v.dtype)


def put(v, i, x, when=True):
    """``v`` with ``v[i] = x`` along the first axis, only ``when``."""
    m = (onehot(i, v.shape[0]) & when).reshape((-1,) + (1,) * (v.ndim - 1))
    return jnp.where(m, jnp.asarray(x, v.dtype), v)


def pick(x, p):
    """Row ``p`` (0 or 1) of a field with a leading player axis."""
    return jnp.where(p == 0, x[0], x[1])


def join(mine, yours, me):
    """The [2, ...] field whose row ``me`` is ``mine`` and whose other row is ``yours``."""
    return jnp.stack([jnp.where(me == 0, mine, yours), jnp.where(me == 0, yours, mine)])


def excl_cumsum(x):
    return jnp.cumsum(x) - x


def first_true(mask):
    """Index of the first True (len(mask) if none)."""
    n = mask.shape[0]
    return jnp.min(jnp.where(mask, jnp.arange(n), n))


def count_cards(cards, n: int = 66):
    """Histogram of card indices (0 included at index 0) over the last axis: [..., n].

    ``cards`` is materialised first, and the bins are summed one item at a time: XLA on CPU would
    otherwise fuse whatever computed ``cards`` into the one-hot reduction and recompute it for each of
    the n bins, or materialise the whole [..., k, n] one-hot (either way several times slower)."""
    cards = jax.lax.optimization_barrier(cards)
    bins = jnp.arange(n)
    out = jnp.zeros(cards.shape[:-1] + (n,), I32)
    for k in range(cards.shape[-1]):
        out = out + (cards[..., k, None] == bins).astype(I32)
    return out


def add_to_discard(discard, cards):
    """``discard`` (count per card idx, [..., 66]) plus one for each non-zero idx in ``cards`` [..., k]."""
    return discard + count_cards(cards) * (jnp.arange(discard.shape[-1]) > 0)


def remove_at(row, i, size):
    """Remove entry ``i`` of the first ``size`` entries: later ones shift down, the freed end is 0."""
    n = row.shape[0]
    idx = jnp.arange(n)
    shifted = jnp.concatenate([row[1:], jnp.zeros((1,), row.dtype)])
    out = jnp.where(idx >= i, shifted, row)
    return jnp.where(idx < size - 1, out, 0)

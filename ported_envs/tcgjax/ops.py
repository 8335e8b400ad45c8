"""Small branch-free array helpers the engine is written with.

Reads and writes at a traced index are one-hot selects over the (tiny) axis instead of gathers and
scatters: under ``vmap`` a dynamic index becomes a batched gather/scatter, which XLA on CPU runs far
slower than a fused select over 4, 10 or 20 entries.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

I32 = jnp.int32


def materialize(tree, anchor=None):
    """``tree`` unchanged, but computed once and stored before its consumers use it.

    XLA on CPU fuses a cheap computation into every consumer and, inside a fusion over a larger array,
    redoes it for every element: a per-game value (a flag, a slot, an amount) used to update a
    [2, 66] field is recomputed 132 times. ``jax.lax.optimization_barrier`` does not stop this (the
    CPU pipeline strips barriers before fusion). An integer division is an "expensive" op that XLA
    will not duplicate into a consumer that reuses its elements, so each leaf is divided by a 1 the
    compiler cannot see through: ``(anchor >> 31) | 1`` for a non-negative int32 ``anchor`` (default:
    the first element of the first leaf)."""
    leaves, treedef = jax.tree.flatten(tree)
    if anchor is None:
        anchor = leaves[0].reshape(-1)[0].astype(I32) & 0x7FFFFFFF
    one = (jnp.asarray(anchor).astype(I32) >> 31) | 1

    def keep(x):
        if x.dtype == jnp.bool_:
            return (x.astype(I32) // one) != 0
        return (x.astype(I32) // one).astype(x.dtype)

    return jax.tree.unflatten(treedef, [keep(x) for x in leaves])


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
    """The [2, ...] field whose row ``me`` is ``mine`` and whose other row is ``yours``.

    Built with a stack, which under ``vmap`` comes out player-major and is transposed into place: that
    stored copy keeps XLA from fusing the whole action into every reader of the field afterwards (a
    single select over broadcast rows measured twice as slow per step for that reason)."""
    return jnp.stack([jnp.where(me == 0, mine, yours), jnp.where(me == 0, yours, mine)])


def prefix_sum(x):
    """Inclusive running sum along the last axis by log-step shifted adds (``jnp.cumsum`` lowers to a
    reduce-window that XLA on CPU runs several times slower on these short rows)."""
    n, d = x.shape[-1], 1
    while d < n:
        x = x + jnp.pad(x, [(0, 0)] * (x.ndim - 1) + [(d, 0)])[..., :n]
        d *= 2
    return x


def excl_cumsum(x):
    return prefix_sum(x) - x


def first_true(mask):
    """Index of the first True (len(mask) if none)."""
    n = mask.shape[0]
    return jnp.min(jnp.where(mask, jnp.arange(n), n))


def count_cards(cards, n: int = 66):
    """Histogram of card indices (0 included at index 0) over the last axis: [..., n].

    ``cards`` is materialised first, and the bins are summed one item at a time: XLA on CPU would
    otherwise fuse whatever computed ``cards`` into the one-hot reduction and recompute it for each of
    the n bins, or store the whole [..., k, n] one-hot (either way several times slower)."""
    cards = materialize(cards)
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

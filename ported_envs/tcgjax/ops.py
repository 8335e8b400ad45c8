"""Small branch-free array helpers the engine is written with.

Reads and writes at a traced index are one-hot selects over the (tiny) axis instead of gathers and
scatters: under ``vmap`` a dynamic index becomes a batched gather/scatter, which XLA on CPU runs far
slower than a fused select over 4, 10 or 20 entries.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

I32 = jnp.int32


def _cond_fence(tree):
    leaves = jax.tree.leaves(tree)
    probe = jnp.ravel(leaves[0])[:1].astype(I32)
    keep = jnp.all(probe != 0x7FFFFFF3)        # true in practice; either branch returns ``tree``
    return jax.lax.cond(keep, lambda t: t, lambda t: jax.tree.map(lambda x: x + jnp.zeros_like(x), t), tree)


@jax.custom_batching.custom_vmap
def fence(tree):
    """``tree``, stored once before anything reads it.

    XLA on CPU fuses a producer into each of its consumers and recomputes it there: the new state fed
    to the legal mask and the observation made one fused step + mask + observation 2.5x slower than
    the three run separately. ``jax.lax.optimization_barrier`` does not prevent it (the CPU pipeline
    strips barriers before fusion); a conditional does, as XLA never fuses across one. Its predicate is
    data the compiler cannot know (and both branches return ``tree``). Under ``vmap`` the predicate is
    taken over the whole batch, so the conditional stays a real one instead of becoming a select."""
    return _cond_fence(tree)


@fence.def_vmap
def _fence_batched(axis_size, in_batched, tree):
    return _cond_fence(tree), in_batched[0]


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
    """The [2, ...] field whose row ``me`` is ``mine`` and whose other row is ``yours`` (one select over
    broadcast rows: a stack would come out player-major under vmap and need a transpose)."""
    rows = (jnp.arange(2) == me).reshape((2,) + (1,) * jnp.ndim(mine))
    return jnp.where(rows, jnp.asarray(mine)[None], jnp.asarray(yours)[None])


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

    The bins are summed one item at a time: as one reduction over a [..., k, n] one-hot, XLA on CPU
    either stores the whole one-hot or recomputes the items for every bin (several times slower)."""
    bins = jnp.arange(n)
    out = jnp.zeros(cards.shape[:-1] + (n,), I32)
    for k in range(cards.shape[-1]):
        out = out + (cards[..., k, None] == bins).astype(I32)
    return out


def add_to_discard(discard, cards):
    """``discard`` (count per card idx, [..., 66]) plus one for each non-zero idx in ``cards`` [..., k]."""
    return discard + count_cards(cards) * (jnp.arange(discard.shape[-1]) > 0)


def batch_ranks(on):
    """For a bool[n] over a batch: the number of True entries before each one (exclusive running count).

    Two levels of log-step prefix sums (within rows of 64, then over the row totals): one level over
    thousands of entries would be fused into one kernel recomputing every earlier step per entry."""
    n = on.shape[0]
    w = min(64, n)
    x = jnp.pad(on.astype(I32), (0, -n % w)).reshape(-1, w)
    rows = jnp.sum(x, axis=1)
    return ((prefix_sum(x) - x) + (prefix_sum(rows) - rows)[:, None]).reshape(-1)[:n]


@jax.custom_batching.custom_vmap
def add_to_discard_if(discard, cards, on):
    """``add_to_discard(discard, cards)`` when ``on``, else ``discard``.

    For the cards that leave play only now and then (knock-outs, Koga): under ``vmap`` (rule below) only
    the games with ``on`` build the [.., 66] histogram, gathered SPARSE_CHUNK at a time and scattered
    back; the whole batch building it for 20 items was a quarter of the step's element operations."""
    return jnp.where(on, add_to_discard(discard, cards), discard)


SPARSE_CHUNK = 128


@add_to_discard_if.def_vmap
def _add_to_discard_if_batched(axis_size, in_batched, discard, cards, on):
    discard, cards, on = (x if b else jnp.broadcast_to(x, (axis_size,) + jnp.shape(x))
                          for x, b in zip((discard, cards, on), in_batched))
    k = min(SPARSE_CHUNK, axis_size)
    rank = batch_ranks(on)
    games = jnp.arange(axis_size)

    def chunk(carry):
        c, out = carry
        # the games ranked c*k .. c*k+k-1 among those with ``on``; unused places keep axis_size (dropped)
        mine = on & (rank >= c * k) & (rank < c * k + k)
        idx = jnp.full(k, axis_size).at[jnp.where(mine, rank - c * k, k)].set(games, mode="drop")
        rows = add_to_discard(out.at[idx].get(mode="clip"), cards.at[idx].get(mode="clip"))
        return c + 1, out.at[idx].set(rows, mode="drop")

    total = jnp.sum(on.astype(I32))
    _, out = jax.lax.while_loop(lambda cr: cr[0] * k < total, chunk, (jnp.int32(0), discard))
    return out, True


def remove_at(row, i, size):
    """Remove entry ``i`` of the first ``size`` entries: later ones shift down, the freed end is 0."""
    n = row.shape[0]
    idx = jnp.arange(n)
    shifted = jnp.concatenate([row[1:], jnp.zeros((1,), row.dtype)])
    out = jnp.where(idx >= i, shifted, row)
    return jnp.where(idx < size - 1, out, 0)

"""Two float32 operations made exact under XLA on CPU, with no global flag.

The C reference is compiled for baseline x86-64 (SSE2, no FMA, no fast-math): every
``*``, ``+`` and ``/`` is rounded on its own. XLA on CPU departs from that in two ways,
both measured on this port (see tests/pong/test_numerics.py):

1. ``x / broadcast(d)`` and ``x / constant`` are rewritten to ``x * (1/d)``, which is
   1 ulp off for about a fifth of inputs. :func:`exact_div` hands the divisor to the
   division as a full-shape array behind ``optimization_barrier``, so the rewrite cannot
   fire; a custom vmap rule keeps that true under ``vmap`` (which would otherwise
   broadcast an unbatched divisor *after* the barrier).
2. ``a + b * c`` is contracted into one fused multiply-add (one rounding instead of
   two) on FMA-capable CPUs. :func:`rounded` passes the product through a select that is
   the identity for every input (NaN included: NaN + NaN is NaN), so the addition's
   operand is no longer a multiplication and LLVM cannot fuse it.

``XLA_FLAGS=--xla_cpu_max_isa=AVX`` would also stop the FMA, but it is process-global,
must be set before jax starts, and slows every other JAX user in the process.
"""
from __future__ import annotations

import jax.numpy as jnp
from jax import lax
from jax.custom_batching import custom_vmap


@custom_vmap
def exact_div(x, d):
    """``x / d`` rounded once, as C computes it (``d`` broadcasts against ``x``)."""
    d = lax.optimization_barrier(jnp.broadcast_to(d, jnp.broadcast_shapes(jnp.shape(x), jnp.shape(d))))
    return x / d


@exact_div.def_vmap
def _exact_div_vmap(axis_size, in_batched, x, d):
    x_batched, d_batched = in_batched
    if not x_batched:
        x = jnp.broadcast_to(x, (axis_size,) + jnp.shape(x))
    if not d_batched:
        d = jnp.broadcast_to(d, (axis_size,) + jnp.shape(d))
    # Align trailing shapes so the batch axis of both is axis 0.
    d = jnp.reshape(d, (axis_size,) + (1,) * (x.ndim - d.ndim) + d.shape[1:]) if d.ndim < x.ndim else d
    return exact_div(x, d), True


def rounded(product):
    """``product`` unchanged, but no longer fusable into a following addition."""
    return jnp.where(jnp.isnan(product), product + product, product)

"""glibc's ``rand()`` (the default TYPE_3 additive generator) in JAX.

glibc keeps 31 words and produces ``t[i] = t[i-31] + t[i-3] (mod 2**32)``, returning
``t[i] >> 1``. The state here is those last 31 words as ``uint32[31]``, oldest first, so
the next output is ``(w[0] + w[28]) >> 1``. This is the whole state of the generator
(glibc's own front/rear pointers only say where the oldest word sits in its ring).

``srand(seed)`` fills the words with ``16807 * w mod (2**31 - 1)`` (Schrage's method in
int32, as glibc computes it, so seeds >= 2**31 behave as their negative int32 value),
then discards 310 outputs.
"""
from __future__ import annotations

import jax.numpy as jnp
from jax import lax

DEGREE, SEPARATION, DISCARDS = 31, 3, 310


def srand(seed) -> jnp.ndarray:
    """The generator state after ``srand(seed)``; ``seed`` is a uint32 (or int) scalar."""
    seed = jnp.asarray(seed).astype(jnp.uint32)
    seed = jnp.where(seed == 0, jnp.uint32(1), seed)
    first = lax.bitcast_convert_type(seed, jnp.int32)

    def schrage(word, _):
        hi, lo = lax.div(word, jnp.int32(127773)), lax.rem(word, jnp.int32(127773))
        word = 16807 * lo - 2836 * hi
        word = jnp.where(word < 0, word + jnp.int32(2147483647), word)
        return word, word

    _, rest = lax.scan(schrage, first, None, length=DEGREE - 1)
    words = lax.bitcast_convert_type(jnp.concatenate([first[None], rest]), jnp.uint32)
    # glibc starts with front = 3, rear = 0: the oldest word is words[3].
    window = jnp.roll(words, -SEPARATION)
    return lax.fori_loop(0, DISCARDS, lambda _, w: advance(w)[1], window)


def advance(window):
    """One ``rand()``: (output as int32 in [0, 2**31), next state)."""
    value = window[0] + window[DEGREE - SEPARATION]
    out = lax.bitcast_convert_type(value >> 1, jnp.int32)
    return out, jnp.concatenate([window[1:], value[None]])

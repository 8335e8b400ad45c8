"""Dense Cholesky factorisation and solves for the small (nv x nv) SPD matrices of the physics.

Written as n column steps of whole-vector arithmetic (a right-looking factorisation and
column-oriented substitutions), unrolled at trace time: no LAPACK custom call (jaxlib's
batched CPU Cholesky can deadlock XLA's thread pool, see reference_envs/halfcheetah/
xla_safety.py) and no per-matrix loop, so under ``vmap`` it is plain vector arithmetic.
"""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np


def cholesky(a):
    """Lower-triangular L with L L' = a (a symmetric positive definite)."""
    n = a.shape[-1]
    rows = np.arange(n)
    cols = []
    for j in range(n):
        col = a[:, j] / jnp.sqrt(a[j, j])
        col = jnp.where(rows >= j, col, 0)
        cols.append(col)
        a = a - col[:, None] * col[None, :]  # the Schur complement; rows/cols < j become 0
    return jnp.stack(cols, axis=1)


def cho_solve(L, b):
    """x with (L L') x = b."""
    n = L.shape[-1]
    rows = np.arange(n)
    y = b
    for i in range(n):  # forward: L y = b, column by column
        yi = y[i] / L[i, i]
        y = jnp.where(rows == i, yi, jnp.where(rows > i, y - L[:, i] * yi, y))
    x = y
    for i in range(n - 1, -1, -1):  # backward: L' x = y, row i of L' is column i of L
        xi = x[i] / L[i, i]
        x = jnp.where(rows == i, xi, jnp.where(rows < i, x - L[i, :] * xi, x))
    return x


def solve_spd(a, b):
    return cho_solve(cholesky(a), b)

"""The constraint solver on the active rows only, batched without a select of every size.

The row layout is fixed (:mod:`.constraint`: every possible row, 76 for this model) so that
it batches, but a step has 0-28 active rows (random play; 4-13 typically) and MuJoCo builds
only those. An inactive row is inert (zero Jacobian, ``D`` and ``aref``), so dropping it
changes no sum but the work. :func:`solve` moves the active rows to the front (a stable
sort keeps MuJoCo's order) and runs :func:`.solver.solve` on the first ``K`` rows, ``K`` the
smallest of :data:`SIZES` (or every row) that holds all active ones.

Under ``vmap`` a per-env choice would become a select that runs every size, so a custom
batching rule picks one ``K`` for the whole batch from the largest active count in it:
a real branch, whose cost follows the busiest env. Results are those of the full layout
to rounding (sums of the same non-zero terms, grouped differently by XLA).
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.custom_batching import custom_vmap

from ported_envs.halfcheetah_jax import solver

SIZES = (16, 32)  # compacted row counts tried before the full layout


def _solve_first(k: int, M, qfrc_smooth, qacc_smooth, qacc_warmstart, J, D, aref, active, tolerance,
                 ls_tolerance, iterations, ls_iterations) -> solver.Solution:
    """The solver on the first ``k`` rows once the active ones lead; forces scattered back."""
    n = J.shape[0]
    if k >= n:
        return solver.solve(M, qfrc_smooth, qacc_smooth, qacc_warmstart, J, D, aref, tolerance,
                            ls_tolerance, iterations, ls_iterations)
    order = jnp.argsort(~active, stable=True)[:k]
    sol = solver.solve(M, qfrc_smooth, qacc_smooth, qacc_warmstart, J[order], D[order], aref[order],
                       tolerance, ls_tolerance, iterations, ls_iterations)
    force = jnp.zeros(n, sol.force.dtype).at[order].set(sol.force)
    return solver.Solution(sol.qacc, force, sol.qfrc_constraint, sol.iterations)


@functools.lru_cache(maxsize=None)
def _solver(n: int, iterations: int, ls_iterations: int, sizes: tuple = SIZES):
    """A custom-vmap solve for ``n`` rows, the given loop bounds and compacted sizes (static)."""
    sizes = tuple(k for k in sizes if k < n) + (n,)
    branches = [functools.partial(_solve_first, k, iterations=iterations, ls_iterations=ls_iterations)
                for k in sizes]
    bounds = np.asarray(sizes[:-1], np.int32)  # numpy: this factory is cached across traces

    def branch_for(count):
        return jnp.sum(count > bounds).astype(jnp.int32)  # the first size that holds count

    @custom_vmap
    def solve_rows(*args):
        count = jnp.sum(args[7].astype(jnp.int32))
        return lax.switch(branch_for(count), branches, *args)

    @solve_rows.def_vmap
    def _batched(axis_size, in_batched, *args):
        args = [a if b else jnp.broadcast_to(a, (axis_size,) + jnp.shape(a)) for a, b in zip(args, in_batched)]
        count = jnp.max(jnp.sum(args[7].astype(jnp.int32), axis=-1))
        out = lax.switch(branch_for(count), [jax.vmap(b) for b in branches], *args)
        return out, jax.tree.map(lambda _: True, out)

    return solve_rows


def solve(M, qfrc_smooth, qacc_smooth, qacc_warmstart, J, D, aref, active, tolerance, ls_tolerance,
          iterations: int, ls_iterations: int) -> solver.Solution:
    """:func:`.solver.solve` on the active rows (``active`` marks them), same results."""
    return _solver(J.shape[0], int(iterations), int(ls_iterations))(
        M, qfrc_smooth, qacc_smooth, qacc_warmstart, J, D, aref, active, tolerance, ls_tolerance)

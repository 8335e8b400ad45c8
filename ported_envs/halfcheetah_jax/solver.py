"""MuJoCo's primal Newton solver for the constraint forces (``mj_solPrimal``, Newton mode).

It minimises, over joint accelerations ``qacc``, the Gauss term ``0.5 (qacc - qacc_smooth)'
M (qacc - qacc_smooth)`` plus, for every inequality row whose ``jar = J qacc - aref`` is
negative, ``0.5 D jar^2`` (pyramidal cones and limits only, so the cost is piecewise
quadratic). Its steps, in MuJoCo's order:

- warm start: ``qacc_warmstart`` if its total cost is not above that of ``qacc_smooth``;
- certificate: stop at once if ``0.5 scale grad' M^-1 grad`` and ``scale |grad|`` are both
  under the tolerance; else factor the Hessian ``H = M + J' D_active J`` and stop if the
  gradient and the Newton decrement ``0.5 scale grad' H^-1 grad`` are;
- each iteration: search direction ``-H^-1 grad``; MuJoCo's exact line search on the
  piecewise-quadratic 1-d cost (a Newton step, a one-sided search, then a bracketed search
  with midpoints, each stopping when the slope is under ``tolerance * ls_tolerance *
  |search| / scale``); move; update the active set, Hessian and gradient; stop when the
  scaled improvement is in (0, tolerance), the scaled gradient or the Newton decrement is
  under the tolerance, the line search finds no improvement, or after ``iterations``.

``scale`` is ``1 / sum(diag M)``: MuJoCo solves each constraint island apart and scales it by
its own inertia; this model is one kinematic tree, so a constrained step is one island of
every dof. Loops are ``lax.while_loop``: batched under ``vmap``, each env keeps its own
iterate and stops where MuJoCo would (the batch runs as long as its slowest member; an env
that has stopped skips the line search's loops meanwhile). Float32 accepts a line-search
slope at its rounding floor, as MJX does (see :func:`_line_search`); float64 follows C.
:mod:`.active_rows` runs this solver on the active rows only.
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import lax

from ported_envs.halfcheetah_jax import linalg
from ported_envs.halfcheetah_jax.model import MINVAL


class Solution(NamedTuple):
    qacc: jax.Array
    force: jax.Array  # efc_force per row
    qfrc_constraint: jax.Array
    iterations: jax.Array  # int32: Newton iterations taken (d.solver_niter)


class _Point(NamedTuple):
    alpha: jax.Array
    cost: jax.Array
    d0: jax.Array
    d1: jax.Array


def _pick(cond, a: _Point, b: _Point) -> _Point:
    return _Point(*(jnp.where(cond, x, y) for x, y in zip(a, b)))


def solve(M, qfrc_smooth, qacc_smooth, qacc_warmstart, J, D, aref, tolerance, ls_tolerance,
          iterations: int, ls_iterations: int, scale_override=None) -> Solution:
    dt = M.dtype
    scale = 1 / jnp.trace(M) if scale_override is None else scale_override

    def constraint_cost(jar):
        quad = jar < 0
        return jnp.sum(jnp.where(quad, 0.5 * D * jar * jar, 0))

    def gauss(qacc, Ma):
        return 0.5 * jnp.sum((Ma - qfrc_smooth) * (qacc - qacc_smooth))

    def state_force(jaref):
        quad = jaref < 0
        return quad, jnp.where(quad, -D * jaref, 0)

    def hessian_factor(quad):
        dq = jnp.where(quad, D, 0)
        return linalg.cholesky(M + (J * dq[:, None]).T @ J)

    # warm start: the better of qacc_warmstart and qacc_smooth (ties keep the warm start)
    Ma_w = M @ qacc_warmstart
    cost_w = constraint_cost(J @ qacc_warmstart - aref) + gauss(qacc_warmstart, Ma_w)
    cost_s = constraint_cost(J @ qacc_smooth - aref)
    qacc = jnp.where(cost_w > cost_s, qacc_smooth, qacc_warmstart)
    Ma = M @ qacc
    Jaref = J @ qacc - aref
    quad, force = state_force(Jaref)
    grad = Ma - qfrc_smooth - J.T @ force

    LM = linalg.cholesky(M)
    Mgrad = linalg.cho_solve(LM, grad)
    gap_ok = jnp.maximum(0, 0.5 * scale * jnp.dot(grad, Mgrad)) < tolerance
    grad_ok = scale * jnp.sqrt(jnp.dot(grad, grad)) < tolerance
    done = gap_ok & grad_ok
    L = hessian_factor(quad)
    Mgrad = linalg.cho_solve(L, grad)
    done = done | (grad_ok & (jnp.maximum(0, 0.5 * scale * jnp.dot(grad, Mgrad)) < tolerance))
    search = -Mgrad

    ls_tol = tolerance * ls_tolerance

    def body(carry):
        qacc, Ma, Jaref, quad, grad, Mgrad, search, it, done = carry
        Mv = M @ search
        Jv = J @ search
        # batched, the body runs for every env while any runs; an env already stopped keeps
        # its carry, so its line search is skipped (else its loops would spin on a stale search)
        alpha, improvement = _line_search(Ma, Jaref, search, Mv, Jv, qfrc_smooth, D, scale, ls_tol,
                                          ls_iterations, skip=done | (it >= iterations))
        moved = alpha != 0
        qacc_n = qacc + alpha * search
        Ma_n = Ma + alpha * Mv
        Jaref_n = Jaref + alpha * Jv
        quad_n, force_n = state_force(Jaref_n)
        grad_n = Ma_n - qfrc_smooth - J.T @ force_n
        Mgrad_n = linalg.cho_solve(hessian_factor(quad_n), grad_n)
        improvement = scale * improvement
        gradient = scale * jnp.sqrt(jnp.dot(grad_n, grad_n))
        decrement = jnp.maximum(0, 0.5 * scale * jnp.dot(grad_n, Mgrad_n))
        stop = ((improvement > 0) & (improvement < tolerance)) | (gradient < tolerance) | (decrement < tolerance)
        keep = lambda new, old: jnp.where(moved, new, old)  # noqa: E731
        return (keep(qacc_n, qacc), keep(Ma_n, Ma), keep(Jaref_n, Jaref), keep(quad_n, quad),
                keep(grad_n, grad), keep(Mgrad_n, Mgrad), keep(-Mgrad_n, search),
                it + moved.astype(jnp.int32), done | ~moved | stop)

    def cond(carry):
        return ~carry[-1] & (carry[-2] < iterations)

    carry = (qacc, Ma, Jaref, quad, grad, Mgrad, search, jnp.zeros((), jnp.int32), done)
    qacc, Ma, Jaref, quad, grad, Mgrad, search, it, _ = lax.while_loop(cond, body, carry)
    _, force = state_force(Jaref)
    return Solution(qacc, force, J.T @ force, it)


def _line_search(Ma, Jaref, search, Mv, Jv, qfrc_smooth, D, scale, tolerance, ls_iterations, skip=False):
    """PrimalSearch: returns (alpha, -cost change); alpha 0 means no step. ``skip`` runs none of
    its loops (the caller discards the result)."""
    snorm = jnp.sqrt(jnp.dot(search, search))
    gtol = tolerance * snorm / scale
    g1 = jnp.dot(search, Ma) - jnp.dot(qfrc_smooth, search)
    g2 = 0.5 * jnp.dot(search, Mv)
    DJ0 = D * Jaref
    q0 = 0.5 * Jaref * DJ0
    q1 = Jv * DJ0
    q2 = 0.5 * Jv * D * Jv
    cost0 = jnp.where(Jaref < 0, q0, 0)
    gtol_slope = gtol  # the one-sided search continues while the slope is steeper than this
    if Ma.dtype == jnp.float32:
        # float32 cannot resolve MuJoCo's tolerance (1e-8, scaled): accept a slope at the
        # rounding floor of its terms, as MJX does (8 eps times a Cauchy-Schwarz bound on the
        # slope of the active rows at 0, plus the Gauss term's); else every search runs to
        # ls_iterations. Float64 keeps MuJoCo C's rule exactly.
        rows_2 = jnp.sum(jnp.where(Jaref < 0, q2, 0))
        dmag = 2 * jnp.sqrt(jnp.sum(cost0) * rows_2) + jnp.abs(g1)
        gtol = jnp.maximum(gtol, 8 * jnp.finfo(jnp.float32).eps * dmag)

    def ev(alpha) -> _Point:
        act = (Jaref + alpha * Jv) < 0
        t0 = jnp.sum(jnp.where(act, q0 - cost0, 0))
        t1 = g1 + jnp.sum(jnp.where(act, q1, 0))
        t2 = g2 + jnp.sum(jnp.where(act, q2, 0))
        cost = -jnp.sum(jnp.where(act, 0, cost0)) + alpha * alpha * t2 + alpha * t1 + t0
        d1 = 2 * t2
        return _Point(alpha, cost, 2 * alpha * t2 + t1, jnp.where(d1 <= 0, MINVAL, d1))

    def newton(p: _Point):
        return ev(p.alpha - p.d0 / p.d1)

    zero = jnp.zeros((), Ma.dtype)
    p0 = ev(zero)
    p1 = newton(p0)
    lsiter = jnp.int32(2)
    done = (jnp.abs(p1.d0) < gtol) & ((p1.alpha == 0) | (p1.cost < 0))
    res = (p1.alpha, -p1.cost)
    direction = jnp.where(p1.d0 < 0, 1, -1).astype(Ma.dtype)

    # one-sided search: Newton steps from the current point until the slope changes sign
    def one_cond(c):
        p1, p2, lsiter, done, res = c
        return ~skip & ~done & (p1.d0 * direction <= -gtol_slope) & (lsiter < ls_iterations)

    def one_body(c):
        p1, p2, lsiter, done, res = c
        p2 = p1
        p1 = newton(p1)
        ok = (jnp.abs(p1.d0) < gtol) & (p1.cost < 0)
        return p1, p2, lsiter + 1, ok, (jnp.where(ok, p1.alpha, res[0]), jnp.where(ok, -p1.cost, res[1]))

    p1, p2, lsiter, done, res = lax.while_loop(one_cond, one_body, (p1, p0, lsiter, done, res))
    out_of_evals = ~done & (lsiter >= ls_iterations)
    res = (jnp.where(out_of_evals, p1.alpha, res[0]), jnp.where(out_of_evals, -p1.cost, res[1]))
    done = done | out_of_evals

    # bracketed search between p1 and p2
    p2next = p1
    p1next = newton(p1)
    lsiter = lsiter + 1

    def bracket(p: _Point, cands):
        flag = jnp.zeros((), bool)
        for c in cands:
            neg = (p.d0 < 0) & (c.d0 < 0) & (p.d0 < c.d0)
            pos = ~neg & (p.d0 > 0) & (c.d0 > 0) & (p.d0 > c.d0)
            p = _pick(neg | pos, c, p)
            flag = flag | neg | pos
        return p, flag

    def br_cond(c):
        return ~skip & ~c[5] & (c[4] < ls_iterations)

    def br_body(c):
        p1, p2, p1next, p2next, lsiter, done, res = c
        pmid = ev(0.5 * (p1.alpha + p2.alpha))
        lsiter = lsiter + 1
        cands = (p1next, p2next, pmid)
        best, found = _pick(False, p1next, p1next), jnp.zeros((), bool)
        for cand in cands:
            better = (jnp.abs(cand.d0) < gtol) & (~found | (cand.cost < best.cost))
            best = _pick(better, cand, best)
            found = found | better
        p1u, f1 = bracket(p1, cands)
        p1next_u = newton(p1u)
        p2u, f2 = bracket(p2, cands)
        p2next_u = newton(p2u)
        lsiter = lsiter + jnp.where(found, 0, f1.astype(jnp.int32) + f2.astype(jnp.int32))
        stuck = ~found & ~f1 & ~f2
        finish = found | stuck
        pick = _pick(found, best, pmid)
        res = (jnp.where(finish, pick.alpha, res[0]), jnp.where(finish, -pick.cost, res[1]))
        p1 = _pick(found, p1, p1u)
        p2 = _pick(found, p2, p2u)
        p1next = _pick(~found & f1, p1next_u, p1next)
        p2next = _pick(~found & f2, p2next_u, p2next)
        return p1, p2, p1next, p2next, lsiter, finish, res

    p1, p2, p1next, p2next, lsiter, done2, res2 = lax.while_loop(
        br_cond, br_body, (p1, p2, p1next, p2next, lsiter, done, res))
    # out of evaluations: the better bracket end if it improves, else no step
    use1 = (p1.cost <= p2.cost) & (p1.cost < 0)
    use2 = ~use1 & (p2.cost <= p1.cost) & (p2.cost < 0)
    fallback = (jnp.where(use1, p1.alpha, jnp.where(use2, p2.alpha, zero)),
                jnp.where(use1, -p1.cost, jnp.where(use2, -p2.cost, zero)))
    alpha = jnp.where(done, res[0], jnp.where(done2, res2[0], fallback[0]))
    improvement = jnp.where(done, res[1], jnp.where(done2, res2[1], fallback[1]))
    return jnp.where(snorm < MINVAL, zero, alpha), jnp.where(snorm < MINVAL, zero, improvement)

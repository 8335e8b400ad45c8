"""Constraint rows: joint limits and pyramidal frictional contacts, MuJoCo's soft model.

Rows come in MuJoCo's order (``mj_makeConstraint``): joint limits (joint order, lower side
then upper), then contacts (contact order), each contact as ``2*(condim-1)`` pyramid edges
``J_n + mu_k J_tk`` and ``J_n - mu_k J_tk`` for k = 1..condim-1. The layout is fixed: every
possible row is present, and a row that MuJoCo would not instantiate (limit not violated,
contact not active) has ``active`` False and a zero Jacobian, reference and ``D``, which
makes it inert in the solver (its ``J*qacc - aref`` is 0, never negative).

Each row's softness follows MuJoCo's ``mj_makeImpedance`` and ``mj_referenceConstraint``:
solimp gives the impedance ``imp(pos)``; the approximate inverse inertia ``diagApprox``
comes from ``dof_invweight0`` (limits) or the bodies' ``body_invweight0`` (contacts, with the
friction term of each pyramid edge); ``R = (1-imp)/imp * diagApprox``, pyramids share
``R = 2 mu^2 R_0 / impratio``-matched edges, ``D = 1/R``; solref's time constant and damping
ratio give ``aref = -B*vel - K*imp*(pos - margin)``.
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.halfcheetah_jax import spatial as sp
from ported_envs.halfcheetah_jax.collision import Contacts, contact_pairs
from ported_envs.halfcheetah_jax import model as model_lib
from ported_envs.halfcheetah_jax.model import MAXIMP, MINIMP, MINVAL, Model
from ported_envs.halfcheetah_jax.smooth import Kinematics


class Rows(NamedTuple):
    J: jax.Array  # (nefc, nv)
    pos: jax.Array  # (nefc,) distance (negative: violated)
    D: jax.Array  # (nefc,) 1/R, 0 on inactive rows
    R: jax.Array
    aref: jax.Array  # (nefc,) reference acceleration
    active: jax.Array  # (nefc,) bool


def row_kinds(m: Model) -> tuple:
    """Static description of each row: ("limit", joint, side) or ("contact", contact, edge)."""
    limits = [("limit", j, side) for j in m.limited for side in ("lower", "upper")]
    edges = [("contact", c, e) for c in range(len(contact_pairs(m))) for e in range(4)]
    return tuple(limits + edges)


def point_jacobians(m: Model, kin: Kinematics, bodies, points):
    """Translational Jacobians (n, 3, nv) of points fixed to ``bodies`` (mj_jac): a dof moving
    the body contributes its linear velocity at the point, ``v + w x (p - com_root)``."""
    bodies = np.asarray(bodies)
    moves = model_lib.body_dof_matrix(m)[bodies]  # (n, nv)
    offset = points - kin.subtree_com[np.asarray(m.root)[bodies]]  # (n, 3)
    lin = kin.cdof[None, :, 3:] + sp.cross(kin.cdof[None, :, :3], offset[:, None, :])  # (n, nv, 3)
    return jnp.swapaxes(jnp.where(moves[:, :, None] > 0, lin, 0), 1, 2)


def _solimp(solimp):
    """Clamp solimp as getsolparam does."""
    return (jnp.clip(solimp[0], MINIMP, MAXIMP), jnp.clip(solimp[1], MINIMP, MAXIMP),
            jnp.maximum(solimp[2], 0), jnp.clip(solimp[3], MINIMP, MAXIMP), jnp.maximum(solimp[4], 1))


def _power(a, b):
    return jnp.where(b == 1, a, jnp.where(b == 2, a * a, jnp.power(a, b)))


def impedance(solimp, pos, margin):
    """getimpedance: the sigmoid from solimp's (dmin, dmax, width, midpoint, power)."""
    d0, d1, width, mid, p = _solimp(solimp)
    safe_width = jnp.where(width <= MINVAL, 1.0, width)
    x = jnp.abs((pos - margin) / safe_width)
    a = 1 / _power(mid, p - 1)
    b = 1 / _power(1 - mid, p - 1)
    xc = jnp.clip(x, 0, 1)
    y = jnp.where(p == 1, xc, jnp.where(xc <= mid, a * _power(xc, p), 1 - b * _power(1 - xc, p)))
    imp = d0 + y * (d1 - d0)
    imp = jnp.where(x >= 1, d1, jnp.where(x <= 0, d0, imp))
    return jnp.where((d0 == d1) | (width <= MINVAL), 0.5 * (d0 + d1), imp)


def _stiffness_damping(m: Model, solref, dmax):
    """K and B of solref, standard (time constant, damping ratio) or direct (negative)."""
    ref0 = jnp.where(solref[0] > 0, jnp.maximum(solref[0], 2 * m.timestep), solref[0])
    ref1 = solref[1]
    k = jnp.where(ref0 > 0, 1 / jnp.maximum(MINVAL, dmax * dmax * ref0 * ref0 * ref1 * ref1),
                  -ref0 / jnp.maximum(MINVAL, dmax * dmax))
    b = jnp.where(ref1 > 0, 2 / jnp.maximum(MINVAL, dmax * ref0), -ref1 / jnp.maximum(MINVAL, dmax))
    return k, b


def rows(m: Model, kin: Kinematics, con: Contacts, qpos, qvel) -> Rows:
    dt = qpos.dtype
    lim = np.asarray(m.limited, int)

    # joint limits: lower side (dist = q - lo, J = +1), then upper (dist = hi - q, J = -1)
    side = np.tile([1.0, -1.0], len(lim))
    joint = np.repeat(lim, 2)
    lo_hi = m.jnt_range[joint, np.tile([0, 1], len(lim))]
    l_pos = side * (qpos[joint] - lo_hi)
    l_J = jnp.asarray(np.eye(m.nv)[joint] * side[:, None], dt)
    l_imp = impedance(m.jnt_solimp[joint].T, l_pos, 0.0)
    l_R = jnp.maximum(MINVAL, (1 - l_imp) * m.dof_invweight0[joint] / l_imp)
    l_K, l_B = _stiffness_damping(m, m.jnt_solref[joint].T, _solimp(m.jnt_solimp[joint].T)[1])

    # contacts: four pyramid edges each, J_n + mu_k J_tk and J_n - mu_k J_tk for k = 1, 2
    pair = np.asarray(contact_pairs(m))
    body = np.asarray(m.pair_body)[pair]
    friction = m.pair_friction[pair]  # (ncon, 5)
    jac = con.frame @ point_jacobians(m, kin, body, con.pos)  # (ncon, 3, nv): normal, t1, t2
    mu = jnp.stack([friction[:, 0], -friction[:, 0], friction[:, 1], -friction[:, 1]], axis=1)  # (ncon, 4)
    tangent = jnp.stack([jac[:, 1], jac[:, 1], jac[:, 2], jac[:, 2]], axis=1)  # (ncon, 4, nv)
    c_J = jac[:, None, 0] + mu[:, :, None] * tangent
    solimp = m.pair_solimp[pair].T
    c_imp = impedance(solimp, con.dist, m.pair_margin[pair])
    # diagApprox of the first edge: the body's translation weight (the world has none) with its
    # friction; R[1] = R[0]/impratio sets the cone's mu; every edge gets 2 mu^2 R[0]
    tran = m.body_invweight0[body, 0]
    r0 = jnp.maximum(MINVAL, (1 - c_imp) * (tran + friction[:, 0] * friction[:, 0] * tran) / c_imp)
    cone_mu = friction[:, 0] * jnp.sqrt((r0 / jnp.maximum(MINVAL, m.impratio)) / r0)
    c_R = 2 * cone_mu * cone_mu * r0
    c_K, c_B = _stiffness_damping(m, m.pair_solref[pair].T, _solimp(solimp)[1])
    four = lambda x: jnp.repeat(x, 4)  # noqa: E731

    J = jnp.concatenate([l_J, c_J.reshape(-1, m.nv)])
    pos = jnp.concatenate([l_pos, four(con.dist)])
    R = jnp.concatenate([l_R, four(c_R)])
    k_imp = jnp.concatenate([l_K * l_imp, four(c_K * c_imp)])
    b = jnp.concatenate([jnp.broadcast_to(l_B, l_pos.shape), four(jnp.broadcast_to(c_B, c_imp.shape))])
    active = jnp.concatenate([l_pos < 0, four(con.active)])
    vel = J @ qvel
    aref = -b * vel - k_imp * pos  # margins are 0 (checked at set-up)
    zero = jnp.zeros((), dt)
    return Rows(J=jnp.where(active[:, None], J, zero), pos=pos, D=jnp.where(active, 1 / R, zero), R=R,
                aref=jnp.where(active, aref, zero), active=active)

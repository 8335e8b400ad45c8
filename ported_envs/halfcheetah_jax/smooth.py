"""Smooth dynamics: kinematics, mass matrix, bias, passive and actuator forces.

The same quantities MuJoCo's ``mj_fwdPosition`` / ``mj_fwdVelocity`` / ``mj_fwdActuation``
compute, by the same algorithms, for a tree of slide and hinge joints:

- forward kinematics (``mj_kinematics``): each body's frame from its parent's, then its
  joints applied in order; inertial and geom frames from the body frame;
- ``mj_comPos``: subtree centres of mass, body inertias (``cinert``) and motion dofs
  (``cdof``) in a frame at the root's subtree centre of mass;
- the composite-rigid-body algorithm for the joint-space inertia ``qM`` (``mj_crb``),
  armature on the diagonal;
- ``mj_comVel`` and recursive Newton-Euler without acceleration for ``qfrc_bias``
  (Coriolis, centrifugal and gravity terms, ``mj_rne(flg_acc=0)``);
- joint springs and dampers (``mj_passive``) and motors on joints (``mj_fwdActuation``).

The tree's structure is static (:class:`Model`): frames are composed body by body down the
tree (a loop unrolled at trace time), and every sum over a subtree or a chain of dofs is a
product with a constant 0/1 matrix, so each quantity is computed for all bodies or dofs at
once. ``vmap`` batches all of it without control flow.
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.halfcheetah_jax import spatial as sp
from ported_envs.halfcheetah_jax import model as model_lib
from ported_envs.halfcheetah_jax.model import MINVAL, Model


class Kinematics(NamedTuple):
    xpos: jax.Array  # (nbody, 3)
    xquat: jax.Array  # (nbody, 4)
    xmat: jax.Array  # (nbody, 3, 3)
    xipos: jax.Array  # (nbody, 3): centre of mass
    xanchor: jax.Array  # (njnt, 3)
    xaxis: jax.Array  # (njnt, 3)
    geom_xpos: jax.Array  # (ngeom, 3)
    geom_xmat: jax.Array  # (ngeom, 3, 3)
    subtree_com: jax.Array  # (nbody, 3)
    cinert: jax.Array  # (nbody, 10)
    cdof: jax.Array  # (nv, 6)


def kinematics(m: Model, qpos) -> Kinematics:
    dt = qpos.dtype
    xpos = [jnp.zeros(3, dt)]
    xquat = [jnp.asarray([1, 0, 0, 0], dt)]
    njnt = len(m.joint_kind)
    xanchor, xaxis = [None] * njnt, [None] * njnt
    for b in range(1, m.nbody):
        p = m.parent[b]
        if p:
            pos = sp.rotate(xquat[p], m.body_pos[b]) + xpos[p]
            quat = sp.quat_mul(xquat[p], m.body_quat[b])
        else:
            pos = jnp.asarray(m.body_pos[b], dt)
            quat = jnp.asarray(m.body_quat[b], dt)
        for j in m.body_joints[b]:
            axis = sp.rotate(quat, m.jnt_axis[j])
            anchor = sp.rotate(quat, m.jnt_pos[j]) + pos
            if m.joint_kind[j] == "slide":
                pos = pos + axis * (qpos[j] - m.qpos0[j])
            else:
                quat = sp.quat_mul(quat, sp.axis_angle_quat(m.jnt_axis[j], qpos[j] - m.qpos0[j]))
                pos = anchor - sp.rotate(quat, m.jnt_pos[j])
            xanchor[j], xaxis[j] = anchor, axis
        xpos.append(pos)
        xquat.append(sp.quat_normalize(quat))
    xpos, xquat = jnp.stack(xpos), jnp.stack(xquat)
    xmat = sp.quat_to_mat(xquat)

    # inertial frames (centres of mass, principal axes) and geom frames, all bodies at once
    xipos = sp.matvec(xmat, m.body_ipos) + xpos
    ximat = sp.quat_to_mat(sp.quat_mul(xquat, m.body_iquat))
    gb = np.asarray(_geom_bodies(m))
    geom_xpos = sp.matvec(xmat[gb], m.geom_pos) + xpos[gb]
    geom_xmat = sp.quat_to_mat(sp.quat_mul(xquat[gb], m.geom_quat))

    # subtree centres of mass: mass-weighted sums over each subtree
    moment = model_lib.subtree_matrix(m) @ (xipos * m.body_mass[:, None])
    light = (m.body_subtreemass < MINVAL)[:, None]
    subtree_com = jnp.where(light, xipos, moment * (1.0 / jnp.maximum(m.body_subtreemass, MINVAL))[:, None])

    root = np.asarray(m.root)
    cinert = sp.inertia_com(m.body_inertia, ximat, xipos - subtree_com[root], m.body_mass)
    cinert = jnp.where((np.arange(m.nbody) == 0)[:, None], 0, cinert)  # the world has none

    # motion dofs: hinge (axis, axis x (com - anchor)), slide (0, axis)
    xanchor, xaxis = jnp.stack(xanchor), jnp.stack(xaxis)
    joint_root = root[np.asarray([_joint_body(m, j) for j in range(njnt)])]
    offset = subtree_com[joint_root] - xanchor
    hinge = np.asarray([k == "hinge" for k in m.joint_kind])[:, None]
    cdof = jnp.concatenate([jnp.where(hinge, xaxis, 0), jnp.where(hinge, sp.cross(xaxis, offset), xaxis)], axis=-1)
    return Kinematics(xpos, xquat, xmat, xipos, xanchor, xaxis, geom_xpos, geom_xmat, subtree_com, cinert, cdof)


def _joint_body(m: Model, j: int) -> int:
    return next(b for b, js in enumerate(m.body_joints) if j in js)


def _geom_bodies(m: Model) -> tuple:
    """Body of every geom: the planes (world) and each pair's capsule, in geom order."""
    bodies = {}
    for plane in m.pair_plane:
        bodies[plane] = 0
    for g, b in zip(m.pair_geom, m.pair_body):
        bodies[g] = b
    n = len(m.geom_pos)
    if set(bodies) != set(range(n)):
        raise ValueError("every geom must be a plane or a capsule of a contact pair")
    return tuple(bodies[g] for g in range(n))


def dof_ancestors(m: Model, i: int) -> list[int]:
    """Dof i and the dofs it moves with (its parents up the tree), nearest first."""
    out = []
    while i >= 0:
        out.append(i)
        i = m.dof_parent[i]
    return out


def mass_matrix(m: Model, kin: Kinematics):
    """qM by the composite-rigid-body algorithm (mj_crb), armature on the diagonal:
    M[i, j] = cdof_j . (crb(body_i) cdof_i) for j an ancestor of i (or i)."""
    crb = model_lib.subtree_matrix(m) @ kin.cinert
    buf = sp.inertia_mul(crb[np.asarray(m.dof_body)], kin.cdof)
    G = buf @ kin.cdof.T  # G[i, j] = buf_i . cdof_j
    lower = jnp.where(model_lib.dof_ancestor_matrix(m, proper=False) > 0, G, 0)
    eye = np.eye(m.nv, dtype=bool)
    return lower + jnp.where(eye, 0, lower.T) + jnp.diag(m.dof_armature)


def com_velocities(m: Model, kin: Kinematics, qvel):
    """Body spatial velocities (cvel) and dof velocity derivatives (cdof_dot), mj_comVel:
    cdof_dot of a dof is the velocity of the frames before it crossed with the dof."""
    vq = kin.cdof * qvel[:, None]
    cvel = model_lib.body_dof_matrix(m) @ vq
    before = model_lib.dof_ancestor_matrix(m, proper=True) @ vq
    return cvel, sp.cross_motion(before, kin.cdof)


def bias_force(m: Model, kin: Kinematics, cvel, cdof_dot, qvel):
    """qfrc_bias: recursive Newton-Euler with zero joint acceleration (mj_rne, flg_acc=0)."""
    g = jnp.concatenate([jnp.zeros(3, qvel.dtype), -m.gravity])
    cacc = g + model_lib.body_dof_matrix(m) @ (cdof_dot * qvel[:, None])
    frc = sp.inertia_mul(kin.cinert, cacc) + sp.cross_force(cvel, sp.inertia_mul(kin.cinert, cvel))
    frc = jnp.where((np.arange(m.nbody) == 0)[:, None], 0, frc)
    sub = model_lib.subtree_matrix(m) @ frc
    return sp.dot(kin.cdof, sub[np.asarray(m.dof_body)])


def passive_force(m: Model, qpos, qvel):
    """Joint springs toward qpos_spring and linear dof dampers (mj_passive)."""
    spring = -m.jnt_stiffness * (qpos - m.qpos_spring)
    damper = -m.dof_damping * qvel
    return spring + damper


def actuator_force(m: Model, ctrl, nv: int):
    """Motors: ctrl clamped to ctrlrange (where ctrllimited), times gain, times gear."""
    lo, hi = m.ctrlrange[:, 0], m.ctrlrange[:, 1]
    clamped = jnp.where(m.ctrllimited, jnp.minimum(jnp.maximum(ctrl, lo), hi), ctrl)
    force = m.actuator_gear * (m.actuator_gain * clamped)
    to_dof = np.zeros((nv, len(m.actuator_dof)))
    to_dof[list(m.actuator_dof), range(len(m.actuator_dof))] = 1
    return to_dof @ force

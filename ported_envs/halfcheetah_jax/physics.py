"""One MuJoCo time step (``mj_step`` with the Euler integrator) for the HalfCheetah model.

``forward`` is ``mj_forward``'s pipeline (position, velocity, actuation, acceleration,
constraint stages) and returns every intermediate the tests compare with MuJoCo C
(``qM``, ``qfrc_bias``, ``qfrc_passive``, contacts, constraint rows, ``efc_force``, ``qacc``).
``step`` then integrates as ``mj_Euler`` does: dof damping implicitly,
``(M + h diag(damping)) qacc = qfrc_smooth + qfrc_constraint``, then
``qvel += h qacc``, ``qpos += h qvel`` (slide and hinge joints add), ``time += h``; the
solver's ``qacc`` (not the damped one) is kept as the next step's warm start.
``eulerdamp=False`` integrates explicitly (MuJoCo's ``eulerdamp`` disable flag).
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from ported_envs.halfcheetah_jax import active_rows, collision, constraint, linalg, smooth, solver
from ported_envs.halfcheetah_jax.model import Model


class PhysicsState(NamedTuple):
    qpos: jax.Array
    qvel: jax.Array
    qacc_warmstart: jax.Array
    time: jax.Array


class Forward(NamedTuple):
    kin: smooth.Kinematics
    qM: jax.Array
    contacts: collision.Contacts
    rows: constraint.Rows
    qfrc_bias: jax.Array
    qfrc_passive: jax.Array
    qfrc_actuator: jax.Array
    qfrc_smooth: jax.Array
    qacc_smooth: jax.Array
    solution: solver.Solution


def forward(m: Model, s: PhysicsState, ctrl) -> Forward:
    kin = smooth.kinematics(m, s.qpos)
    qM = smooth.mass_matrix(m, kin)
    con = collision.contacts(m, kin)
    rows = constraint.rows(m, kin, con, s.qpos, s.qvel)
    cvel, cdof_dot = smooth.com_velocities(m, kin, s.qvel)
    bias = smooth.bias_force(m, kin, cvel, cdof_dot, s.qvel)
    passive = smooth.passive_force(m, s.qpos, s.qvel)
    actuator = smooth.actuator_force(m, ctrl, m.nv)
    qfrc_smooth = passive - bias + actuator
    qacc_smooth = linalg.solve_spd(qM, qfrc_smooth)
    sol = active_rows.solve(qM, qfrc_smooth, qacc_smooth, s.qacc_warmstart, rows.J, rows.D, rows.aref,
                            rows.active, m.tolerance, m.ls_tolerance, m.iterations, m.ls_iterations)
    # no constraint rows: MuJoCo takes qacc_smooth as is and runs no solver
    any_row = jnp.any(rows.active)
    sol = solver.Solution(jnp.where(any_row, sol.qacc, qacc_smooth), sol.force, sol.qfrc_constraint,
                          jnp.where(any_row, sol.iterations, 0))
    return Forward(kin, qM, con, rows, bias, passive, actuator, qfrc_smooth, qacc_smooth, sol)


def integrate(m: Model, s: PhysicsState, f: Forward, eulerdamp: bool = True) -> PhysicsState:
    qfrc = f.qfrc_smooth + f.solution.qfrc_constraint
    if eulerdamp:
        qacc = linalg.solve_spd(f.qM + jnp.diag(m.timestep * m.dof_damping), qfrc)
    else:
        qacc = f.solution.qacc
    qvel = s.qvel + qacc * m.timestep
    qpos = s.qpos + qvel * m.timestep
    return PhysicsState(qpos, qvel, f.solution.qacc, s.time + m.timestep)


def step(m: Model, s: PhysicsState, ctrl, eulerdamp: bool = True) -> PhysicsState:
    """One physics step (mj_step)."""
    return integrate(m, s, forward(m, s, ctrl), eulerdamp)


def multi_step(m: Model, s: PhysicsState, ctrl, n: int, eulerdamp: bool = True) -> PhysicsState:
    """``n`` physics steps with the same control (mj_step(nstep=n))."""
    return jax.lax.fori_loop(0, n, lambda _, x: step(m, x, ctrl, eulerdamp), s)

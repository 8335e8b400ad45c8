"""Per-episode metrics of the halfcheetah family (compared statistically at L3).

All are read from the recorded trajectory (outputs and canonical states), the same way for
every side. Foot contact is decided by MuJoCo's own kinematics of the recorded ``qpos`` (one
``mj_kinematics`` per step on a private ``MjData``): a foot touches when either end of its
capsule is below its radius, i.e. when MuJoCo would make a contact there.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

DT = 0.05  # env step: timestep 0.01 x frame_skip 5


def episode_return(t) -> float:
    return float(np.sum(t.outputs["reward"], dtype=np.float64))


def mean_x_velocity(t) -> float:
    x = np.asarray(t.states["qpos"])[:, 0]
    return float((x[-1] - x[0]) / (DT * max(len(x) - 1, 1)))


def torso_height(t) -> float:
    """Mean rootz (the torso's height relative to its initial 0.7 m)."""
    return float(np.mean(np.asarray(t.outputs["obs"])[:, 0]))


def torso_angle(t) -> float:
    """Mean |rooty| (pitch, radians): 0 upright, pi on its back."""
    return float(np.mean(np.abs(np.asarray(t.outputs["obs"])[:, 1])))


@lru_cache(maxsize=None)
def _kinematics():
    import mujoco

    from reference_envs.halfcheetah import xml_path
    m = mujoco.MjModel.from_xml_path(str(xml_path()))
    feet = [mujoco.mj_name2id(m, mujoco.mjtObj.mjOBJ_GEOM, name) for name in ("bfoot", "ffoot")]
    return m, mujoco.MjData(m), feet


def foot_contacts(qpos: np.ndarray) -> np.ndarray:
    """(T, 2) bool: back foot, front foot on the floor, per recorded state."""
    import mujoco
    m, d, feet = _kinematics()
    out = np.zeros((len(qpos), 2), bool)
    for i, q in enumerate(np.asarray(qpos, np.float64)):
        d.qpos[:] = q
        mujoco.mj_kinematics(m, d)
        for k, g in enumerate(feet):
            axis = d.geom_xmat[g].reshape(3, 3)[:, 2]
            half, radius = m.geom_size[g, 1], m.geom_size[g, 0]
            ends = d.geom_xpos[g][2] + np.array([1.0, -1.0]) * half * axis[2]
            out[i, k] = bool(np.any(ends < radius))
    return out


def back_foot_contact(t) -> float:
    return float(np.mean(foot_contacts(t.states["qpos"])[:, 0]))


def front_foot_contact(t) -> float:
    return float(np.mean(foot_contacts(t.states["qpos"])[:, 1]))

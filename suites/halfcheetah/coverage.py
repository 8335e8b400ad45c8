"""What a HalfCheetah transition exercises, for equiv's coverage table: the physics each step met.

Keys are read from the reference's states before and after the step by MuJoCo's own kinematics (the model's
XML, one ``mj_kinematics`` on a private ``MjData``, as metrics.py does for foot contact):

- ``contact:<geom>``: the capsule reaches the floor (an end below its radius: MuJoCo makes a
  contact there), for each of the eight body geoms: feet, shins, thighs, and torso and head, which
  touch only when the cheetah is flipped or lands on its nose;
- ``limit:<joint>:low`` / ``:high``: a hinge at or past its range, where the limit constraint acts;
- ``airborne``: no geom touches the floor; ``flipped``: |pitch| beyond pi/2 (on its back);
- ``truncated``: the 1,000-step time limit.

Each key is a distinct code path of the constraint solver (which rows are active) or of the env
logic; the standard tier requires every key, so a path no check reached is named.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

GEOMS = ("bfoot", "bshin", "bthigh", "ffoot", "fshin", "fthigh", "torso", "head")
JOINTS = ("bthigh", "bshin", "bfoot", "fthigh", "fshin", "ffoot")


@lru_cache(maxsize=None)
def _model():
    import mujoco

    from reference_envs.halfcheetah import xml_path
    m = mujoco.MjModel.from_xml_path(str(xml_path()))
    geoms = [mujoco.mj_name2id(m, mujoco.mjtObj.mjOBJ_GEOM, g) for g in GEOMS]
    joints = [mujoco.mj_name2id(m, mujoco.mjtObj.mjOBJ_JOINT, j) for j in JOINTS]
    if min(geoms + joints) < 0:
        raise RuntimeError(f"the HalfCheetah model lacks a geom of {GEOMS} or a joint of {JOINTS}; "
                           f"Gymnasium's XML changed: update suites/halfcheetah/coverage.py")
    return m, mujoco.MjData(m), geoms, joints


def keys(variant):
    return ([f"contact:{g}" for g in GEOMS] + [f"limit:{j}:{side}" for j in JOINTS for side in ("low", "high")]
            + ["airborne", "flipped", "truncated"])


def _state_keys(qpos) -> set:
    import mujoco
    m, d, geoms, joints = _model()
    qpos = np.asarray(qpos, np.float64)
    d.qpos[:] = qpos
    mujoco.mj_kinematics(m, d)
    found = set()
    for name, g in zip(GEOMS, geoms):
        axis_z = d.geom_xmat[g][8]  # z component of the capsule's axis
        half, radius = m.geom_size[g, 1], m.geom_size[g, 0]
        if min(d.geom_xpos[g][2] + half * axis_z, d.geom_xpos[g][2] - half * axis_z) < radius:
            found.add(f"contact:{name}")
    if not found:
        found.add("airborne")
    for name, j in zip(JOINTS, joints):
        q = qpos[m.jnt_qposadr[j]]
        low, high = m.jnt_range[j]
        if q <= low:
            found.add(f"limit:{name}:low")
        elif q >= high:
            found.add(f"limit:{name}:high")
    if abs(qpos[2]) > np.pi / 2:
        found.add("flipped")
    return found


def hit(before, action, outputs, after, variant):
    """The keys of the states the transition starts and ends in (a limit or contact active in
    either is a constraint row the step's solver handled)."""
    found = {"truncated"} if bool(outputs.get("truncated", False)) else set()
    for state in (before, after):
        if state is not None:
            found |= _state_keys(state["qpos"])
    return sorted(found)

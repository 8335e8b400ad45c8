"""Set-up step: extract the constants the port needs from the compiled MuJoCo model.

    python -m ported_envs.halfcheetah_jax.generate_model OUT.json

Run by ``setup.sh`` (``./dev.sh setup``). This is the only place that imports ``mujoco``:
it compiles Gymnasium's ``half_cheetah.xml`` (the file ``gymnasium.make("HalfCheetah-v5")``
loads) and writes every number the port's physics reads (body tree, inertias, joints,
geoms, actuators, solver options, ``body_invweight0`` and ``dof_invweight0`` from
``mj_setConst``) into a JSON file, so nothing is hand-typed and the port never needs
MuJoCo at run time. Floats are written with ``repr``, which JSON reads back exactly.

Contact parameters of each geom pair are combined here as MuJoCo's collision driver does
(``mj_contactParam``: equal priorities mix solref/solimp by ``solmix``, take the larger
friction and condim), and the pairs that can collide are those MuJoCo's filters keep
(``contype``/``conaffinity``, different weld bodies, the parent-child filter). The model
must be of the kind the port implements (slide and hinge joints, capsules against a
plane, motors on joints, Newton solver, pyramidal cone, Euler integrator); anything else
stops here with the reason.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np


def xml_path() -> Path:
    """Gymnasium's HalfCheetah model file (what ``gymnasium.make("HalfCheetah-v5")`` loads)."""
    import gymnasium
    return Path(gymnasium.__file__).parent / "envs" / "mujoco" / "assets" / "half_cheetah.xml"


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise SystemExit(f"error: the HalfCheetah model is outside what halfcheetah_jax implements: {what}")


def _pair_params(m, g1: int, g2: int) -> dict:
    """mj_contactParam for two geoms (no explicit <pair>): the combined contact parameters."""
    p1, p2 = int(m.geom_priority[g1]), int(m.geom_priority[g2])
    if p1 != p2:
        g = g1 if p1 > p2 else g2
        return {"condim": int(m.geom_condim[g]), "solref": m.geom_solref[g].tolist(),
                "solimp": m.geom_solimp[g].tolist(), "friction3": m.geom_friction[g].tolist()}
    s1, s2 = float(m.geom_solmix[g1]), float(m.geom_solmix[g2])
    minval = 1e-15  # mjMINVAL
    if s1 >= minval and s2 >= minval:
        mix = s1 / (s1 + s2)
    elif s1 < minval and s2 < minval:
        mix = 0.5
    else:
        mix = 0.0 if s1 < minval else 1.0
    r1, r2 = m.geom_solref[g1], m.geom_solref[g2]
    if r1[0] > 0 and r2[0] > 0:
        solref = [mix * a + (1 - mix) * b for a, b in zip(r1, r2)]
    else:
        solref = [min(a, b) for a, b in zip(r1, r2)]
    solimp = [mix * a + (1 - mix) * b for a, b in zip(m.geom_solimp[g1], m.geom_solimp[g2])]
    fric = [max(a, b) for a, b in zip(m.geom_friction[g1], m.geom_friction[g2])]
    return {"condim": max(int(m.geom_condim[g1]), int(m.geom_condim[g2])), "solref": solref,
            "solimp": solimp, "friction3": fric}


def _collision_pairs(m) -> list[dict]:
    """Geom pairs MuJoCo's broadphase filters keep, in its contact order (by body pair, then
    geom order), each with its combined contact parameters."""
    import mujoco
    pairs = []
    for b1 in range(m.nbody):
        for b2 in range(b1, m.nbody):
            for g1 in range(m.body_geomadr[b1], m.body_geomadr[b1] + m.body_geomnum[b1]):
                for g2 in range(m.body_geomadr[b2], m.body_geomadr[b2] + m.body_geomnum[b2]):
                    if b1 == b2 and g2 <= g1:
                        continue
                    if not ((m.geom_contype[g1] & m.geom_conaffinity[g2]) or
                            (m.geom_contype[g2] & m.geom_conaffinity[g1])):
                        continue
                    w1, w2 = m.body_weldid[b1], m.body_weldid[b2]
                    if w1 == w2:
                        continue
                    pw1, pw2 = m.body_weldid[m.body_parentid[w1]], m.body_weldid[m.body_parentid[w2]]
                    filterparent = not (m.opt.disableflags & int(mujoco.mjtDisableBit.mjDSBL_FILTERPARENT))
                    if filterparent and w1 != 0 and w2 != 0 and (w1 == pw2 or w2 == pw1):
                        continue
                    t1, t2 = int(m.geom_type[g1]), int(m.geom_type[g2])
                    if t1 > t2:
                        g1, g2, t1, t2 = g2, g1, t2, t1
                    _require(t1 == int(mujoco.mjtGeom.mjGEOM_PLANE) and t2 == int(mujoco.mjtGeom.mjGEOM_CAPSULE),
                             f"geoms {g1} and {g2} can collide and are not a plane and a capsule")
                    params = _pair_params(m, g1, g2)
                    margin = max(float(m.geom_margin[g1]), float(m.geom_margin[g2]))
                    gap = max(float(m.geom_gap[g1]), float(m.geom_gap[g2]))
                    pairs.append({"plane": g1, "capsule": g2, "margin": margin, "gap": gap, **params})
    return pairs


def extract(path: Path | None = None) -> dict:
    import mujoco
    path = Path(path or xml_path())
    m = mujoco.MjModel.from_xml_path(str(path))
    o = m.opt
    _require(int(o.integrator) == int(mujoco.mjtIntegrator.mjINT_EULER), "integrator is not Euler")
    _require(int(o.solver) == int(mujoco.mjtSolver.mjSOL_NEWTON), "solver is not Newton")
    _require(int(o.cone) == int(mujoco.mjtCone.mjCONE_PYRAMIDAL), "friction cone is not pyramidal")
    _require(o.noslip_iterations == 0, "noslip iterations are set")
    _require(o.disableflags == 0 and o.enableflags == 0, "disable/enable flags are set")
    _require(m.nv < 60, "nv >= 60 (MuJoCo would use sparse Jacobians)")
    _require(m.ntendon == 0 and m.neq == 0 and m.npair == 0 and m.nexclude == 0 and m.nflex == 0
             and m.na == 0, "tendons, equalities, explicit pairs, excludes, flexes or activations")
    slide, hinge = int(mujoco.mjtJoint.mjJNT_SLIDE), int(mujoco.mjtJoint.mjJNT_HINGE)
    _require(all(int(t) in (slide, hinge) for t in m.jnt_type),
             "a joint is neither slide nor hinge")
    _require(m.nq == m.nv and np.all(m.jnt_qposadr == m.jnt_dofadr), "qpos and qvel do not align")
    _require(not np.any(m.dof_frictionloss), "dof frictionloss")
    _require(np.all(m.jnt_margin == 0) and np.all(m.geom_margin == 0) and np.all(m.geom_gap == 0),
             "joint or geom margins / gaps")
    _require(np.all(m.actuator_trntype == int(mujoco.mjtTrn.mjTRN_JOINT))
             and np.all(m.actuator_dyntype == int(mujoco.mjtDyn.mjDYN_NONE))
             and np.all(m.actuator_gaintype == int(mujoco.mjtGain.mjGAIN_FIXED))
             and np.all(m.actuator_biastype == int(mujoco.mjtBias.mjBIAS_NONE))
             and not np.any(m.actuator_forcelimited) and not np.any(m.jnt_actfrclimited),
             "an actuator is not a plain motor on a joint")
    _require(np.all(m.body_dofnum[1:] == m.body_jntnum[1:]), "body dof and joint counts differ")
    _require(np.all(m.qpos_spring == m.qpos0), "springs with a reference other than qpos0")
    pairs = _collision_pairs(m)
    _require(all(p["condim"] == 3 for p in pairs), "contact condim other than 3")

    f = lambda a: np.asarray(a, np.float64).tolist()  # noqa: E731
    i = lambda a: np.asarray(a, np.int64).tolist()  # noqa: E731
    dof_joint = m.actuator_trnid[:, 0]
    return {
        "source": {"xml": str(path), "xml_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                   "mujoco": mujoco.__version__},
        "nq": int(m.nq), "nv": int(m.nv), "nu": int(m.nu), "nbody": int(m.nbody),
        "opt": {"timestep": float(o.timestep), "gravity": f(o.gravity), "impratio": float(o.impratio),
                "tolerance": float(o.tolerance), "ls_tolerance": float(o.ls_tolerance),
                "iterations": int(o.iterations), "ls_iterations": int(o.ls_iterations)},
        "meaninertia": float(m.stat.meaninertia),
        "body_parentid": i(m.body_parentid), "body_rootid": i(m.body_rootid),
        "body_pos": f(m.body_pos), "body_quat": f(m.body_quat), "body_ipos": f(m.body_ipos),
        "body_iquat": f(m.body_iquat), "body_mass": f(m.body_mass), "body_inertia": f(m.body_inertia),
        "body_subtreemass": f(m.body_subtreemass), "body_invweight0": f(m.body_invweight0),
        "body_jntadr": i(m.body_jntadr), "body_jntnum": i(m.body_jntnum),
        "jnt_type": ["slide" if int(t) == slide else "hinge" for t in m.jnt_type],
        "jnt_bodyid": i(m.jnt_bodyid), "jnt_pos": f(m.jnt_pos), "jnt_axis": f(m.jnt_axis),
        "jnt_limited": [bool(x) for x in m.jnt_limited], "jnt_range": f(m.jnt_range),
        "jnt_solref": f(m.jnt_solref), "jnt_solimp": f(m.jnt_solimp), "jnt_stiffness": f(m.jnt_stiffness),
        "qpos0": f(m.qpos0), "qpos_spring": f(m.qpos_spring),
        "dof_bodyid": i(m.dof_bodyid), "dof_parentid": i(m.dof_parentid),
        "dof_armature": f(m.dof_armature), "dof_damping": f(m.dof_damping),
        "dof_invweight0": f(m.dof_invweight0),
        "geom_bodyid": i(m.geom_bodyid), "geom_pos": f(m.geom_pos), "geom_quat": f(m.geom_quat),
        "geom_size": f(m.geom_size), "geom_names": [m.geom(g).name for g in range(m.ngeom)],
        "pairs": pairs,
        "actuator_dof": i(m.jnt_dofadr[dof_joint]), "actuator_gear": f(m.actuator_gear[:, 0]),
        "actuator_gain": f(m.actuator_gainprm[:, 0]), "ctrlrange": f(m.actuator_ctrlrange),
        "ctrllimited": [bool(x) for x in m.actuator_ctrllimited],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ported_envs.halfcheetah_jax.generate_model OUT.json", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(extract(), indent=1) + "\n")
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

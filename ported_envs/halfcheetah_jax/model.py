"""The model the physics reads: MuJoCo's compiled constants for half_cheetah.xml.

``build/model.json`` is written at set-up by :mod:`.generate_model` (from the pinned MuJoCo
compiling Gymnasium's XML); this module only reads it, so the port never imports mujoco.
:class:`Model` splits the numbers into the tree's *structure* (Python ints and tuples: parent
ids, joint kinds, which dofs a body owns; static under ``jit``) and its *values* (arrays,
cast to the float dtype the physics runs in). Tests build deliberately broken models by
replacing a value (``dataclasses.replace``), never by editing the file.
"""
from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from pathlib import Path

import jax
import numpy as np

MODEL_JSON = Path(__file__).resolve().parent / "build" / "model.json"

# MuJoCo engine constants (mjmodel.h / engine headers), not model values.
MINVAL = 1e-15  # mjMINVAL: smallest value treated as non-zero
MINIMP = 0.0001  # mjMINIMP: impedance clamp
MAXIMP = 0.9999  # mjMAXIMP


@dataclasses.dataclass(frozen=True)
class Model:
    # --- structure (static) ---
    nv: int
    parent: tuple  # body -> parent body (0 is the world)
    root: tuple  # body -> root body of its tree
    body_joints: tuple  # body -> tuple of joint ids (qpos/dof addresses equal joint ids here)
    joint_kind: tuple  # "slide" | "hinge"
    dof_parent: tuple  # dof -> parent dof (-1: none)
    dof_body: tuple
    limited: tuple  # ids of joints with limits, in MuJoCo's order
    pair_body: tuple  # contact pair -> capsule's body
    pair_geom: tuple  # contact pair -> capsule geom id
    pair_plane: tuple  # contact pair -> plane geom id (a world geom)
    actuator_dof: tuple
    # --- values (arrays) ---
    timestep: jax.Array
    gravity: jax.Array  # (3,)
    impratio: jax.Array
    tolerance: jax.Array
    ls_tolerance: jax.Array
    body_pos: jax.Array  # (nbody, 3)
    body_quat: jax.Array  # (nbody, 4)
    body_ipos: jax.Array
    body_iquat: jax.Array
    body_mass: jax.Array  # (nbody,)
    body_inertia: jax.Array  # (nbody, 3)
    body_subtreemass: jax.Array
    body_invweight0: jax.Array  # (nbody, 2)
    jnt_pos: jax.Array  # (njnt, 3)
    jnt_axis: jax.Array
    jnt_range: jax.Array  # (njnt, 2)
    jnt_solref: jax.Array  # (njnt, 2)
    jnt_solimp: jax.Array  # (njnt, 5)
    jnt_stiffness: jax.Array
    qpos0: jax.Array
    qpos_spring: jax.Array
    dof_armature: jax.Array
    dof_damping: jax.Array
    dof_invweight0: jax.Array
    geom_pos: jax.Array  # (ngeom, 3)
    geom_quat: jax.Array
    geom_size: jax.Array
    pair_friction: jax.Array  # (npair, 5): MuJoCo's 5-d contact friction
    pair_solref: jax.Array  # (npair, 2)
    pair_solimp: jax.Array  # (npair, 5)
    pair_margin: jax.Array  # (npair,)
    actuator_gear: jax.Array
    actuator_gain: jax.Array
    ctrlrange: jax.Array  # (nu, 2)
    ctrllimited: jax.Array  # (nu,) bool
    # --- solver loop bounds (static) ---
    iterations: int = 100
    ls_iterations: int = 50

    @property
    def nbody(self) -> int:
        return len(self.parent)

    @property
    def npair(self) -> int:
        return len(self.pair_body)

    def astype(self, dtype) -> "Model":
        """The same model with every float value in ``dtype`` (float32 or float64)."""
        def cast(v):
            v = np.asarray(v)
            return v.astype(dtype) if v.dtype.kind == "f" else v
        return dataclasses.replace(self, **{k: cast(getattr(self, k)) for k in _VALUES})


_STATIC = ("nv", "parent", "root", "body_joints", "joint_kind", "dof_parent", "dof_body", "limited",
           "pair_body", "pair_geom", "pair_plane", "actuator_dof", "iterations", "ls_iterations")
_VALUES = tuple(f.name for f in dataclasses.fields(Model) if f.name not in _STATIC)
jax.tree_util.register_dataclass(Model, data_fields=list(_VALUES), meta_fields=list(_STATIC))


def _missing_message() -> str:
    return (f"{MODEL_JSON} is missing: it is generated at set-up from the pinned MuJoCo; run "
            f"./dev.sh setup (or ported_envs/halfcheetah_jax/setup.sh)")


@lru_cache(maxsize=None)
def raw() -> dict:
    """The generated JSON, as written by generate_model.py."""
    if not MODEL_JSON.is_file():
        raise FileNotFoundError(_missing_message())
    return json.loads(MODEL_JSON.read_text())


@lru_cache(maxsize=None)
def _load_float64() -> Model:
    r = raw()
    a = lambda k: np.asarray(r[k], np.float64)  # noqa: E731
    nbody = r["nbody"]
    joints = [tuple(range(s, s + n)) if n > 0 else () for s, n in zip(r["body_jntadr"], r["body_jntnum"])]
    pairs = r["pairs"]
    opt = r["opt"]
    # MuJoCo's 5-d contact friction from the pair's 3 values: (slide, slide, spin, roll, roll)
    friction = np.asarray([[p["friction3"][0], p["friction3"][0], p["friction3"][1],
                            p["friction3"][2], p["friction3"][2]] for p in pairs], np.float64)
    return Model(
        nv=r["nv"], parent=tuple(r["body_parentid"]), root=tuple(r["body_rootid"]),
        body_joints=tuple(joints), joint_kind=tuple(r["jnt_type"]), dof_parent=tuple(r["dof_parentid"]),
        dof_body=tuple(r["dof_bodyid"]),
        limited=tuple(j for j, lim in enumerate(r["jnt_limited"]) if lim),
        pair_body=tuple(r["geom_bodyid"][p["capsule"]] for p in pairs),
        pair_geom=tuple(p["capsule"] for p in pairs), pair_plane=tuple(p["plane"] for p in pairs),
        actuator_dof=tuple(r["actuator_dof"]),
        timestep=np.float64(opt["timestep"]), gravity=np.asarray(opt["gravity"], np.float64),
        impratio=np.float64(opt["impratio"]), tolerance=np.float64(opt["tolerance"]),
        ls_tolerance=np.float64(opt["ls_tolerance"]),
        body_pos=a("body_pos"), body_quat=a("body_quat"), body_ipos=a("body_ipos"), body_iquat=a("body_iquat"),
        body_mass=a("body_mass"), body_inertia=a("body_inertia"), body_subtreemass=a("body_subtreemass"),
        body_invweight0=a("body_invweight0").reshape(nbody, 2),
        jnt_pos=a("jnt_pos"), jnt_axis=a("jnt_axis"), jnt_range=a("jnt_range"), jnt_solref=a("jnt_solref"),
        jnt_solimp=a("jnt_solimp"), jnt_stiffness=a("jnt_stiffness"), qpos0=a("qpos0"),
        qpos_spring=a("qpos_spring"), dof_armature=a("dof_armature"), dof_damping=a("dof_damping"),
        dof_invweight0=a("dof_invweight0"), geom_pos=a("geom_pos"), geom_quat=a("geom_quat"),
        geom_size=a("geom_size"), pair_friction=friction,
        pair_solref=np.asarray([p["solref"] for p in pairs], np.float64),
        pair_solimp=np.asarray([p["solimp"] for p in pairs], np.float64),
        pair_margin=np.asarray([p["margin"] for p in pairs], np.float64),
        actuator_gear=a("actuator_gear"), actuator_gain=a("actuator_gain"), ctrlrange=a("ctrlrange"),
        ctrllimited=np.asarray(r["ctrllimited"], bool),
        iterations=int(opt["iterations"]), ls_iterations=int(opt["ls_iterations"]),
    )


def load(dtype=np.float64) -> Model:
    """The HalfCheetah model with float values in ``dtype``."""
    return _load_float64().astype(np.dtype(dtype))


def geom_names() -> list[str]:
    return list(raw()["geom_names"])


# --- the tree's structure as 0/1 matrices (static numpy constants for vectorised sums) -------

def subtree_matrix(m: Model) -> np.ndarray:
    """S[b, c] = 1 when body c is b or one of its descendants."""
    n = m.nbody
    S = np.eye(n)
    for c in range(1, n):
        b = m.parent[c]
        while True:
            S[b, c] = 1
            if b == 0:
                break
            b = m.parent[b]
    return S


def body_dof_matrix(m: Model) -> np.ndarray:
    """C[b, d] = 1 when dof d moves body b (it belongs to b or an ancestor)."""
    C = np.zeros((m.nbody, m.nv))
    for b in range(1, m.nbody):
        c = b
        while c > 0:
            for d in m.body_joints[c]:
                C[b, d] = 1
            c = m.parent[c]
    return C


def dof_ancestor_matrix(m: Model, proper: bool) -> np.ndarray:
    """A[i, j] = 1 when dof j is an ancestor of dof i (or i itself unless ``proper``)."""
    A = np.zeros((m.nv, m.nv))
    for i in range(m.nv):
        j = i if not proper else m.dof_parent[i]
        while j >= 0:
            A[i, j] = 1
            j = m.dof_parent[j]
    return A

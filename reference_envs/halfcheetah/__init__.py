"""The references of the halfcheetah family: Gymnasium's HalfCheetah-v5 on MuJoCo C, and the
same model and env logic on MuJoCo MJX.

Pinned in requirements.lock: gymnasium 1.3.0 (the newest gymnax 1.0.1 accepts), mujoco 4.0.1,
mujoco-mjx 3.17.0. Gymnasium 1.3.0's ``HalfCheetah-v5`` (``gymnasium/envs/mujoco/
half_cheetah_v5.py`` + ``mujoco_env.py``) is the env the issue describes: ``half_cheetah.xml``,
``frame_skip=5``; reset = ``mj_resetData``, ``qpos = init_qpos + U(-0.1, 0.1, 9)`` then
``qvel = init_qvel + 0.1 * standard_normal(9)`` from ``np_random`` (``default_rng(seed)``),
then ``set_state`` (``mj_forward``); step = ``ctrl[:] = action``, ``mj_step(nstep=5)``,
``mj_rnePostConstraint``; observation ``qpos[1:]`` + ``qvel``; reward
``(x_after - x_before)/dt - 0.1 * sum(action**2)``; never terminated; ``TimeLimit`` 1,000.

Canonical state (both references and the port): ``qpos`` (9), ``qvel`` (9), ``qacc_warmstart``
(9: the solver starts from it; MuJoCo's ``mjSTATE_INTEGRATION`` has it, Gymnasium's
``set_state`` does not), ``ctrl`` (6: the last action), ``time`` and ``steps`` (the TimeLimit
count), all float64 except ``steps``. Nothing random happens after reset, so no generator
state is needed: every reset in the adapters is seeded.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from functools import lru_cache
from pathlib import Path

FRAME_SKIP = 5
MAX_EPISODE_STEPS = 1000
CTRL_COST_WEIGHT = 0.1
FORWARD_REWARD_WEIGHT = 1.0
RESET_NOISE_SCALE = 0.1
PINNED = {"gymnasium": "1.3.0", "mujoco": "4.0.1", "mujoco-mjx": "3.17.0"}
STATE_FIELDS = ("qpos", "qvel", "qacc_warmstart", "ctrl", "time", "steps")


def xml_path() -> Path:
    """The model ``gymnasium.make("HalfCheetah-v5")`` loads."""
    import gymnasium
    return Path(gymnasium.__file__).parent / "envs" / "mujoco" / "assets" / "half_cheetah.xml"


@lru_cache(maxsize=None)
def joint_ranges():
    """(njnt, 2) joint ranges of the compiled model (read-only)."""
    import mujoco
    r = mujoco.MjModel.from_xml_path(str(xml_path())).jnt_range.copy()
    r.flags.writeable = False
    return r


def missing(modules: tuple) -> str | None:
    """None when the pinned packages are importable at their pinned versions; else the fix."""
    absent = [m for m in modules if importlib.util.find_spec(m) is None]
    if absent:
        return f"missing Python modules {absent}; run ./dev.sh setup"
    wrong = []
    for dist, want in PINNED.items():
        try:
            have = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
        if have != want:
            wrong.append(f"{dist} {have} (pinned {want})")
    if wrong:
        return f"{', '.join(wrong)}: the references are pinned; run ./dev.sh setup to install requirements.lock"
    return None


def provenance(extra: dict | None = None) -> dict:
    xml = xml_path()
    versions = {}
    for dist in PINNED:
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = None
    return {"versions": versions, "model": str(xml), "model_sha256": hashlib.sha256(xml.read_bytes()).hexdigest(),
            "frame_skip": FRAME_SKIP, "max_episode_steps": MAX_EPISODE_STEPS, **(extra or {})}


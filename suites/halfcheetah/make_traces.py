"""Write the halfcheetah L2 traces (suites/halfcheetah/traces/*.yaml) from their recipes.

    python -m suites.halfcheetah.make_traces

Each trace is a short scripted episode aimed at one mechanism; the reference (MuJoCo C) is
run once here to pin a few of its facts as ``expect`` entries (which the gate re-checks
against the reference every time) and to confirm that the mechanism really happens (the
script stops with the reason if a recipe no longer does what its name says).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from suites.halfcheetah.metrics import foot_contacts
from suites.halfcheetah.policies import GAIT_PERIOD, GAIT_TABLE

TRACES = Path(__file__).resolve().parent / "traces"
ZERO = [0.0] * 6


def _vec(a):
    return [float(x) for x in np.asarray(a, np.float32)]


def recipes() -> dict:
    gait = [_vec(GAIT_TABLE[t % GAIT_PERIOD]) for t in range(1000)]
    lifted = [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    return {
        "free_fall_settle": {
            "doc": "Dropped from 1 m above its start with zero action: free fall, first impact, bounces, "
                   "settling on the feet (contacts appear and go).",
            "seed": 0, "state": {"qpos": lifted}, "actions": [{"repeat": ZERO, "times": 80}]},
        "full_torque_bursts": {
            "doc": "Full torque on every joint, alternating direction every 8 steps: saturated motors, "
                   "large accelerations, joints driven onto their limits.",
            "seed": 1, "actions": [{"repeat": [1.0] * 6 if (i % 2 == 0) else [-1.0] * 6, "times": 8}
                                   for i in range(8)]},
        "limits_hit_hard": {
            "doc": "Every hinge thrown into a joint limit at speed (velocities +-8 rad/s toward alternate "
                   "limits, full torque behind them): several limit rows active at once.",
            "seed": 2, "state": {"qvel": [0.0, 0.0, 0.0, 8.0, -8.0, 8.0, -8.0, 8.0, -8.0]},
            "actions": [{"repeat": [1.0, -1.0, 1.0, -1.0, 1.0, -1.0], "times": 20},
                        {"repeat": [-1.0, 1.0, -1.0, 1.0, -1.0, 1.0], "times": 20}]},
        "flip_onto_back": {
            "doc": "Launched pitched 1.8 rad and spinning at 6 rad/s onto its back: torso "
                   "and head capsules hit the floor, then the cheetah lies on its back kicking.",
            "seed": 3, "state": {"qpos": [0.0, 0.2, 1.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                                 "qvel": [0.0, 0.0, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]},
            "actions": [{"repeat": [0.5, -0.5, 0.5, -0.5, 0.5, -0.5], "times": 30}, {"repeat": ZERO, "times": 30}]},
        "running_gait": {
            "doc": "The suite's gait policy for a whole episode: a bounding run, contacts every step or "
                   "two, truncated at the 1,000th step.",
            "seed": 4, "actions": gait, "expect": [{"step": 999, "field": "truncated", "value": True}]},
    }


def _check(name: str, states, outputs) -> None:
    """The mechanism each recipe is named after must happen on the reference."""
    qpos = np.asarray(states["qpos"])
    feet = foot_contacts(qpos)
    if name == "free_fall_settle" and not (feet[:5].sum() == 0 and feet[-20:].any()):
        raise SystemExit(f"{name}: expected no foot contact at first and contact at the end")
    if name == "limits_hit_hard":
        from reference_envs.halfcheetah import joint_ranges
        r = joint_ranges()[3:9]
        beyond = (qpos[:, 3:9] < r[:, 0]) | (qpos[:, 3:9] > r[:, 1])
        if beyond.any(axis=0).sum() < 3:
            raise SystemExit(f"{name}: fewer than three hinges went past a limit")
    if name == "flip_onto_back" and not (np.abs(qpos[:, 2]) > 2.5).any():
        raise SystemExit(f"{name}: the cheetah never got onto its back (|pitch| > 2.5)")
    if name == "running_gait" and not bool(outputs["truncated"][999]):
        raise SystemExit(f"{name}: not truncated at step 999")


def main() -> int:
    from adapters.mujoco import MujocoHalfCheetah
    ref = MujocoHalfCheetah()
    TRACES.mkdir(exist_ok=True)
    for name, r in recipes().items():
        ref.reset(r["seed"])
        start = ref.get_state()
        for k, v in r.get("state", {}).items():
            start[k] = np.asarray(v, np.float64)
        actions = []
        for a in r["actions"]:
            actions += [a["repeat"]] * a["times"] if isinstance(a, dict) else [a]
        traj = ref.replays([start], [np.asarray(actions, np.float32)])[0]
        _check(name, traj.states, traj.outputs)
        doc = {"doc": r["doc"], "variant": "f64", "seed": r["seed"]}
        if "state" in r:
            doc["state"] = r["state"]
        doc["actions"] = r["actions"]
        if "expect" in r:
            doc["expect"] = r["expect"]
        text = "# Written by suites/halfcheetah/make_traces.py; `expect` pins the reference's own behaviour.\n"
        (TRACES / f"{name}.yaml").write_text(text + yaml.safe_dump(doc, sort_keys=False, width=120))
        print(f"{name}: {len(actions)} steps")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

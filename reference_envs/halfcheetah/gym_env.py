"""Gymnasium's HalfCheetah-v5 on MuJoCo C, driven as Gymnasium itself: ``gymnasium.make``.

The env is the real ``gymnasium.make("HalfCheetah-v5")`` (TimeLimit, OrderEnforcing and
PassiveEnvChecker wrappers included); this class only adds the canonical state:

- ``get_state``: qpos, qvel, qacc_warmstart, ctrl and time from ``env.unwrapped.data``, and
  the TimeLimit's elapsed-step count;
- ``set_state``: Gymnasium's own ``set_state(qpos, qvel)`` (which runs ``mj_forward``) after
  writing ``qacc_warmstart``, ``ctrl`` and ``time`` into ``data`` (what ``mjSTATE_INTEGRATION``
  restores beyond qpos/qvel), and the elapsed-step count into the TimeLimit wrapper.

Injecting a state this way continues bit for bit like the run it was taken from (see
tests/halfcheetah/test_reference.py).
"""
from __future__ import annotations

import numpy as np

from reference_envs.halfcheetah import MAX_EPISODE_STEPS

ENV_ID = "HalfCheetah-v5"


def _time_limit(env):
    from gymnasium.wrappers import TimeLimit
    e = env
    while e is not None:
        if isinstance(e, TimeLimit):
            return e
        e = getattr(e, "env", None)
    raise RuntimeError(f"gymnasium.make({ENV_ID!r}) has no TimeLimit wrapper; Gymnasium changed")


class GymHalfCheetah:
    def __init__(self, max_episode_steps: int = MAX_EPISODE_STEPS):
        import gymnasium
        self.env = gymnasium.make(ENV_ID, max_episode_steps=int(max_episode_steps))
        self.unwrapped = self.env.unwrapped
        self.data = self.unwrapped.data
        self.model = self.unwrapped.model
        self.limit = _time_limit(self.env)
        self._started = False

    def reset(self, seed: int):
        obs, _ = self.env.reset(seed=int(seed))
        self._started = True
        return obs

    def step(self, action):
        if not self._started:
            raise RuntimeError("HalfCheetah reference: call reset(seed) or set_state() before step()")
        obs, reward, terminated, truncated, info = self.env.step(action)
        return obs, float(reward), bool(terminated), bool(truncated), info

    def get_state(self) -> dict:
        d = self.data
        return {"qpos": d.qpos.copy(), "qvel": d.qvel.copy(), "qacc_warmstart": d.qacc_warmstart.copy(),
                "ctrl": d.ctrl.copy(), "time": np.float64(d.time),
                "steps": np.int64(self.limit._elapsed_steps or 0)}

    def set_state(self, state: dict) -> None:
        d = self.data
        d.qacc_warmstart[:] = np.asarray(state["qacc_warmstart"], np.float64)
        d.ctrl[:] = np.asarray(state["ctrl"], np.float64)
        d.time = float(state["time"])
        self.unwrapped.set_state(np.asarray(state["qpos"], np.float64), np.asarray(state["qvel"], np.float64))
        self.limit._elapsed_steps = int(state["steps"])
        # OrderEnforcing refuses step() before a reset; an injected state is a started episode
        e = self.env
        while e is not None:
            if hasattr(e, "_has_reset"):
                e._has_reset = True
            e = getattr(e, "env", None)
        self._started = True

    def close(self) -> None:
        self.env.close()

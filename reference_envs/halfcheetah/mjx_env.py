"""Gymnasium's HalfCheetah-v5 logic on MuJoCo MJX (the JAX implementation of MuJoCo).

The model is Gymnasium's ``half_cheetah.xml`` compiled by the pinned MuJoCo and moved to
MJX with ``mjx.put_model`` (``impl="jax"``, the only one on CPU). An env step is Gymnasium's:
``ctrl = action``, five ``mjx.step`` calls, observation ``qpos[1:]`` + ``qvel``, reward
``(x_after - x_before)/dt - 0.1 * sum(action**2)`` (the control cost in the action's dtype),
never terminated, truncated at 1,000 steps. Resets draw Gymnasium's noise with
``numpy.random.default_rng(seed)`` on the host, exactly as Gymnasium does (this is a
reference: the real generator is the right one here).

Precision: MJX computes in JAX's default float dtype. ``x64=True`` runs every call inside
``jax.enable_x64(True)`` (float64), ``x64=False`` inside ``jax.enable_x64(False)`` (float32),
so both can live in one process whatever the global flag is. Compiled functions are cached
per precision and shared by every instance.

XLA CPU flag: see :mod:`reference_envs.halfcheetah.xla_flags` for why MJX needs
``--xla_cpu_multi_thread_eigen=false`` at large batches on CPU, and how it is applied.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from reference_envs.halfcheetah import (
    CTRL_COST_WEIGHT, FORWARD_REWARD_WEIGHT, FRAME_SKIP, MAX_EPISODE_STEPS, RESET_NOISE_SCALE, xml_path,
)

_CACHE: dict = {}
_FLOAT_FIELDS = ("qpos", "qvel", "qacc_warmstart", "ctrl", "time")


def _compiled(x64: bool):
    """(model, step, scan) for one precision: jitted, shared."""
    if x64 in _CACHE:
        return _CACHE[x64]
    import jax
    import jax.numpy as jnp
    import mujoco
    from mujoco import mjx

    with jax.enable_x64(x64):
        mj = mujoco.MjModel.from_xml_path(str(xml_path()))
        mx = mjx.put_model(mj)
        template = mjx.make_data(mx)
        dt = mj.opt.timestep * FRAME_SKIP

        def env_step(s: dict, action):
            """Canonical state dict -> (new state, obs, forward reward, truncated); the control
            cost is subtracted on the host, with numpy, as Gymnasium computes it."""
            d = template.replace(qpos=s["qpos"], qvel=s["qvel"], qacc_warmstart=s["qacc_warmstart"],
                                 ctrl=action.astype(template.ctrl.dtype), time=s["time"])
            d = jax.lax.fori_loop(0, FRAME_SKIP, lambda _, x: mjx.step(mx, x), d)
            forward = FORWARD_REWARD_WEIGHT * (d.qpos[0] - s["qpos"][0]) / dt
            steps = s["steps"] + 1
            new = {"qpos": d.qpos, "qvel": d.qvel, "qacc_warmstart": d.qacc_warmstart, "ctrl": d.ctrl,
                   "time": d.time, "steps": steps}
            obs = jnp.concatenate([d.qpos[1:], d.qvel])
            return new, obs, forward, steps >= MAX_EPISODE_STEPS

        def scan(s, actions):
            def body(c, a):
                c, obs, reward, trunc = env_step(c, a)
                return c, (obs, reward, trunc, c)
            return jax.lax.scan(body, s, actions)

        step = jax.jit(env_step)
        batch_step = jax.jit(jax.vmap(env_step))
        batch_scan = jax.jit(jax.vmap(scan, in_axes=(0, 1), out_axes=(0, 1)))
        _CACHE[x64] = (mj, step, batch_step, batch_scan, template.qpos.dtype)
    return _CACHE[x64]


def control_cost(action) -> np.ndarray:
    """Gymnasium's ``ctrl_cost_weight * np.sum(np.square(action))`` (float32 for a float32 action),
    over the last axis."""
    action = np.asarray(action, np.float32)
    return CTRL_COST_WEIGHT * np.sum(np.square(action), axis=-1)


def reset_state(seed: int, nq: int = 9, nv: int = 9, nu: int = 6) -> dict:
    """Gymnasium's reset for ``seed``: mj_resetData, then the two draws (float64)."""
    rng = np.random.default_rng(int(seed))
    qpos = np.zeros(nq) + rng.uniform(-RESET_NOISE_SCALE, RESET_NOISE_SCALE, nq)
    qvel = np.zeros(nv) + RESET_NOISE_SCALE * rng.standard_normal(nv)
    return {"qpos": qpos, "qvel": qvel, "qacc_warmstart": np.zeros(nv), "ctrl": np.zeros(nu),
            "time": np.float64(0.0), "steps": np.int64(0)}


class MjxHalfCheetah:
    """One env on MJX, stepping a canonical state held on the host (float64 in, float64 out)."""

    def __init__(self, x64: bool = True):
        import jax
        self.jax = jax
        self.x64 = bool(x64)
        self.mj, self._step, self._batch_step, self._batch_scan, self.dtype = _compiled(self.x64)
        self.state = None

    def _device(self, state: dict) -> dict:
        with self.jax.enable_x64(self.x64):
            out = {k: self.jax.numpy.asarray(np.asarray(state[k], np.float64).astype(self.dtype))
                   for k in _FLOAT_FIELDS}
            out["steps"] = self.jax.numpy.asarray(np.int32(state["steps"]))
        return out

    @staticmethod
    def _host(state) -> dict:
        out = {k: np.asarray(state[k]).astype(np.float64) for k in _FLOAT_FIELDS}
        out["steps"] = np.int64(np.asarray(state["steps"]))
        return out

    def reset(self, seed: int):
        self.state = reset_state(seed)
        return np.concatenate([self.state["qpos"][1:], self.state["qvel"]])

    def step(self, action):
        if self.state is None:
            raise RuntimeError("MJX HalfCheetah: call reset(seed) or set_state() before step()")
        action = np.asarray(action, np.float32)
        with self.jax.enable_x64(self.x64):
            new, obs, forward, trunc = self._step(self._device(self.state), self.jax.numpy.asarray(action))
        self.state = self._host(new)
        reward = np.float64(forward) - control_cost(action)
        return np.asarray(obs, np.float64), float(reward), False, bool(trunc)

    def get_state(self) -> dict:
        return {k: np.array(v, copy=True) for k, v in self.state.items()}

    def set_state(self, state: dict) -> None:
        self.state = {k: np.array(state[k], copy=True) for k in state}
        self.state["time"] = np.float64(self.state["time"])
        self.state["steps"] = np.int64(self.state["steps"])

    def run(self, states: list[dict], actions: np.ndarray):
        """Play ``actions`` (T, B, 6) from B start states in one batched scan.
        Returns per-step (obs, reward, truncated, states) with (T, B, ...) arrays, on the host."""
        jax = self.jax
        batch = {k: np.stack([np.asarray(s[k], np.float64) for s in states]) for k in _FLOAT_FIELDS}
        batch["steps"] = np.asarray([s["steps"] for s in states], np.int64)
        with jax.enable_x64(self.x64):
            dev = {k: jax.numpy.asarray(v.astype(self.dtype)) for k, v in batch.items() if k != "steps"}
            dev["steps"] = jax.numpy.asarray(batch["steps"].astype(np.int32))
            _, (obs, forward, trunc, traj) = self._batch_scan(dev, jax.numpy.asarray(np.asarray(actions, np.float32)))
            obs, trunc = np.asarray(obs, np.float64), np.asarray(trunc)
            reward = np.asarray(forward, np.float64) - control_cost(actions)
            traj = {k: np.asarray(v) for k, v in traj.items()}
        traj = {k: (v.astype(np.float64) if k != "steps" else v.astype(np.int64)) for k, v in traj.items()}
        return obs, reward, trunc, traj

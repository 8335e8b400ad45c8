"""Gymnasium's HalfCheetah-v5 as a pure-JAX env (gymnax style).

``step(state, action, params)`` sets ``ctrl = action`` and runs ``frame_skip`` physics steps
(:mod:`.physics`), then returns Gymnasium's outputs:

- observation ``qpos[1:]`` then ``qvel`` (17 values);
- reward ``forward_reward_weight * (x_after - x_before) / dt - ctrl_cost_weight * sum(a^2)``
  with ``dt = timestep * frame_skip``; the control cost is computed in the action's own
  dtype, from the unclipped action, summed left to right and not fused, as numpy computes
  ``0.1 * np.sum(np.square(action))`` for a float32 action (MuJoCo clamps ``ctrl`` for the
  physics only);
- ``terminated`` always False; ``truncated`` when the episode reaches ``max_episode_steps``
  (Gymnasium's TimeLimit wrapper, 1,000 by default).

Resets: :func:`reset_from_seed` reproduces ``env.reset(seed=seed)`` exactly (numpy's PCG64
draws, emulated on the host by :mod:`.pcg64`, so lockstep comparison with Gymnasium is
possible from a seed); :func:`reset` draws the same distributions (``U(-0.1, 0.1)`` on qpos,
``N(0, 0.1^2)`` on qvel) from a JAX key, jittable, for training. Both start at time 0 with a
zero warm start, as ``mj_resetData`` leaves MuJoCo.

Precision: the physics runs in the dtype of ``params`` (:func:`make_params`): float32 by
default, float64 when ``jax_enable_x64`` is on (or ``dtype=float64``). x64 is process-wide;
with it on, a float32 env is still float32 throughout because every array is created from
the params' and state's dtypes.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.halfcheetah_jax import model as model_lib
from ported_envs.halfcheetah_jax import pcg64, physics
from ported_envs.halfcheetah_jax.model import Model
from ported_envs.pong_jax.numerics import exact_div, rounded  # XLA-proof single roundings

FIELDS = ("qpos", "qvel", "qacc_warmstart", "ctrl", "time", "steps")
BUILD = Path(__file__).resolve().parent / "build"


def use_compile_cache():
    """Keep compiled programs on disk (build/jax_cache): a step takes ~25 s to compile on 2 cores,
    and the cache lets every later process (tests, the gate, the benchmark) start at once. Left
    alone when the process already chose a cache directory."""
    if not jax.config.jax_compilation_cache_dir:
        jax.config.update("jax_compilation_cache_dir", str(BUILD / "jax_cache"))


class EnvState(NamedTuple):
    qpos: jax.Array  # (9,)
    qvel: jax.Array  # (9,)
    qacc_warmstart: jax.Array  # (9,): MuJoCo warm-starts the next solve from it
    ctrl: jax.Array  # (6,): the last action written to ctrl (unclamped)
    time: jax.Array  # simulated seconds
    steps: jax.Array  # int32: env steps since reset (for the time limit)


@dataclasses.dataclass(frozen=True)
class EnvParams:
    model: Model
    forward_reward_weight: float = 1.0
    ctrl_cost_weight: float = 0.1  # applied in the action's dtype, as numpy does
    reset_noise_scale: float = 0.1
    frame_skip: int = 5
    max_episode_steps: int = 1000
    eulerdamp: bool = True  # MuJoCo's implicit dof damping in Euler (its default)

    @property
    def dtype(self):
        return np.asarray(self.model.timestep).dtype


jax.tree_util.register_dataclass(
    EnvParams, data_fields=["model"],
    meta_fields=["forward_reward_weight", "ctrl_cost_weight", "reset_noise_scale", "frame_skip",
                 "max_episode_steps", "eulerdamp"])


def make_params(dtype=None, *, frame_skip: int = 5, forward_reward_weight: float = 1.0,
                ctrl_cost_weight: float = 0.1, reset_noise_scale: float = 0.1,
                max_episode_steps: int = 1000, eulerdamp: bool = True, model: Model | None = None) -> EnvParams:
    """Gymnasium's ``HalfCheetah-v5`` settings (its constructor defaults and TimeLimit)."""
    if dtype is None:
        dtype = jnp.result_type(float)  # float64 under x64, else float32
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"halfcheetah_jax runs in float32 or float64, not {dtype}")
    if dtype == np.float64 and not jax.config.jax_enable_x64:
        raise ValueError("float64 needs jax_enable_x64: set JAX_ENABLE_X64=1 or "
                         "jax.config.update('jax_enable_x64', True) before using JAX")
    if int(frame_skip) < 1 or int(max_episode_steps) < 1:
        raise ValueError(f"frame_skip and max_episode_steps must be >= 1, got {frame_skip}, {max_episode_steps}")
    m = (model or model_lib.load(np.float64)).astype(dtype)
    return EnvParams(m, float(forward_reward_weight), float(ctrl_cost_weight), float(reset_noise_scale), int(frame_skip), int(max_episode_steps), bool(eulerdamp))


def observe(state: EnvState):
    return jnp.concatenate([state.qpos[1:], state.qvel])


def _initial(qpos, qvel, params: EnvParams) -> EnvState:
    dt = params.dtype
    return EnvState(jnp.asarray(qpos, dt), jnp.asarray(qvel, dt), jnp.zeros(params.model.nv, dt),
                    jnp.zeros(len(params.model.actuator_dof), dt), jnp.zeros((), dt), jnp.zeros((), jnp.int32))


def reset(key, params: EnvParams):
    """JAX-native reset for training: qpos0 + U(-s, s), s * N(0, 1) with s = reset_noise_scale."""
    dt = params.dtype
    k1, k2 = jax.random.split(key)
    s = params.reset_noise_scale
    nv = params.model.nv
    qpos = params.model.qpos0 + jax.random.uniform(k1, (nv,), dt, -s, s)
    qvel = s * jax.random.normal(k2, (nv,), dt)
    state = _initial(qpos, qvel, params)
    return observe(state), state


def reset_from_seed(seed: int, params: EnvParams):
    """Gymnasium's ``reset(seed=seed)``, draw for draw (runs on the host; not jittable)."""
    nv = params.model.nv
    noise_q, noise_v = pcg64.reset_noise(int(seed), nv, nv, params.reset_noise_scale)
    qpos = np.asarray(params.model.qpos0, np.float64) + np.asarray(noise_q)
    qvel = np.zeros(nv) + np.asarray(noise_v)
    state = _initial(qpos.astype(params.dtype), qvel.astype(params.dtype), params)
    return observe(state), state


def control_cost(action, weight):
    """``weight * sum(action**2)`` in the action's dtype, left to right, each product rounded."""
    sq = rounded(action * action)
    total = sq[0]
    for i in range(1, sq.shape[0]):
        total = total + sq[i]
    return rounded(jnp.asarray(weight, action.dtype) * total)


def step(state: EnvState, action, params: EnvParams):
    """One env step: ``(obs, state, reward, terminated, truncated, info)``."""
    m = params.model
    dt = params.dtype
    ctrl = jnp.asarray(action).astype(dt)
    phys = physics.PhysicsState(state.qpos, state.qvel, state.qacc_warmstart, state.time)
    phys = physics.multi_step(m, phys, ctrl, params.frame_skip, params.eulerdamp)
    x_before, x_after = state.qpos[0], phys.qpos[0]
    env_dt = m.timestep * params.frame_skip
    x_velocity = exact_div(x_after - x_before, env_dt)
    forward = params.forward_reward_weight * x_velocity
    cost = control_cost(jnp.asarray(action), params.ctrl_cost_weight)
    reward = forward - cost.astype(jnp.result_type(forward, cost))
    steps = state.steps + 1
    new = EnvState(phys.qpos, phys.qvel, phys.qacc_warmstart, ctrl, phys.time, steps)
    truncated = steps >= params.max_episode_steps
    info = {"x_position": phys.qpos[0], "x_velocity": x_velocity, "reward_forward": forward,
            "reward_ctrl": -cost}
    return observe(new), new, reward, jnp.zeros((), bool), truncated, info



LANES = 256  # envs per vectorised group in batch_step (measured: 64-256 run fastest on CPU)


def batch_step(state: EnvState, action, params: EnvParams, lanes: int = LANES):
    """``vmap(step)`` over a batch (leading axis), run as consecutive groups of ``lanes`` envs
    (``lax.map`` over a vmapped group) when the batch divides into several: same results, but
    each group's arrays stay in cache, and each group's constraint solver loops only as long as
    its own slowest env. A batch that does not divide runs as one vmap."""
    batch = jnp.shape(action)[0]
    one = jax.vmap(lambda s, a: step(s, a, params))
    if batch <= lanes or batch % lanes:
        return one(state, action)
    split = lambda x: x.reshape((batch // lanes, lanes) + x.shape[1:])  # noqa: E731
    out = jax.lax.map(lambda sa: one(*sa), (jax.tree.map(split, state), split(jnp.asarray(action))))
    return jax.tree.map(lambda x: x.reshape((batch,) + x.shape[2:]), out)

"""Batched play with ``vmap`` + ``lax.scan``: replays of given actions, and rollouts under a
policy written in JAX. Every function here is pure; jit them with the params static
(``PongParams`` is hashable by its static fields only through ``functools.partial``)."""
from __future__ import annotations

from typing import Callable

import jax
import jax.numpy as jnp
from jax import lax

from ported_envs.pong_jax.env import PongState, reset, step
from ported_envs.pong_jax.params import PongParams

batch_reset = jax.vmap(reset, in_axes=(0, None))
batch_step = jax.vmap(step, in_axes=(0, 0, None))


def replay(state: PongState, actions, params: PongParams, record_states: bool = True):
    """Play ``actions`` (shape (T, B, ...)) from a batch of states.

    Returns per-step outputs ``(obs, reward, terminated)`` with shape (T, B, ...) and,
    when asked, the state after every step (a PongState of (T, B, ...) arrays). Envs keep
    playing after a terminal step (the env auto-resets); callers cut each episode there.
    """
    def body(s, a):
        obs, s, reward, done = batch_step(s, a, params)
        out = (obs, reward, done, s if record_states else None)
        return s, out

    _, (obs, reward, done, states) = lax.scan(body, state, actions)
    return obs, reward, done, states


def rollout(state: PongState, key, steps: int, policy: Callable, params: PongParams,
            record_states: bool = False):
    """``steps`` steps of a batch under ``policy(obs[B, 8], key) -> actions[B]``.

    Returns (actions, obs, reward, terminated, states) stacked over time (T, B, ...).
    """
    def body(carry, _):
        s, k = carry
        k, sub = jax.random.split(k)
        a = policy(s.obs, sub)
        obs, s, reward, done = batch_step(s, a, params)
        return (s, k), (a, obs, reward, done, s if record_states else None)

    _, out = lax.scan(body, (state, key), None, length=steps)
    return out


def run_for_throughput(state: PongState, key, steps: int, policy: Callable, params: PongParams):
    """``steps`` steps of a batch, keeping only a checksum (what the benchmark times)."""
    def body(carry, _):
        s, k, total = carry
        k, sub = jax.random.split(k)
        _, s, reward, _ = batch_step(s, policy(s.obs, sub), params)
        return (s, k, total + reward), None

    (s, _, total), _ = lax.scan(body, (state, key, jnp.zeros(state.tick.shape, jnp.float32)),
                                None, length=steps)
    return s, total

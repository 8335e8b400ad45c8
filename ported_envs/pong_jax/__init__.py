"""pong_jax: PufferLib 3.0.0's C Pong ported to pure JAX, bit for bit.

Gymnax style: static :class:`PongParams` (every setting of the C env: sizes, speeds,
frameskip, continuous mode, max score) apart from a fixed-shape :class:`PongState`;
``reset(seed, params)`` and ``step(state, action, params)`` are pure, so they jit, vmap
and run under ``lax.scan`` (see :mod:`.rollout` for batched rollouts).

Randomness: the C draws from glibc's ``rand()``. This port emulates that generator in
JAX (``uint32[31]`` state in ``PongState.rng``, see :mod:`.glibc_rand`) and seeds it with
glibc's ``srand`` algorithm, so a port reset with seed *s* and a C env reset with seed *s*
(one env per process) produce the same episode step for step.

Numerics: float32 results equal the C's bit for bit, with no XLA flag (see :mod:`.numerics`).
"""
from ported_envs.pong_jax.env import FIELDS, PongState, observe, paddle_direction, reset, step
from ported_envs.pong_jax.params import DEFAULTS, PongParams, make_params

__all__ = ["DEFAULTS", "FIELDS", "PongParams", "PongState", "make_params", "observe",
           "paddle_direction", "reset", "step"]

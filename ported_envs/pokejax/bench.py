"""Batched throughput of pokejax: random legal play, ``batch`` battles in one ``lax.scan``.

The table (next to Showdown's single-process rate from the same run) is printed by
``equiv bench reference=ts_showdown ported=pokejax`` (suites/pokemon/bench.py), which calls
``batch_rate`` once per batch size. A step is one decision point of one battle (both players
act); finished battles stay put inside the scan and are not counted.
"""
from __future__ import annotations

import time

import jax
import jax.numpy as jnp
import numpy as np


def batch_rate(format: str, batch: int, steps: int = 64, prng_kind: str = "sodium") -> dict:
    """Live steps/s of ``batch`` battles played ``steps`` decisions in one scan, timed on a second
    call; ``compile_s`` is the first call minus the second (near 0 when build/jax_cache holds it)."""
    from ported_envs.pokejax.env import PokeJaxEnv, make_play
    env = PokeJaxEnv(format, prng_kind)
    n = min(batch, 1024)  # distinct battles (reset in JAX), repeated up to the batch
    starts = env.initial_states(np.arange(n))
    states = jax.tree.map(lambda x: jnp.concatenate([x] * -(-batch // n))[:batch], starts)
    play = make_play(env.step_batch, 1000, False, "random")
    keys = jax.random.split(jax.random.PRNGKey(0), steps * batch).reshape(steps, batch, 2)
    t = time.perf_counter()
    jax.block_until_ready(play(states, keys))
    first_s = time.perf_counter() - t
    keys = jax.random.split(jax.random.PRNGKey(1), steps * batch).reshape(steps, batch, 2)
    t = time.perf_counter()
    _, rec = play(states, keys)
    jax.block_until_ready(rec)
    run_s = time.perf_counter() - t
    ended = np.asarray(rec["terminated"])
    live = int(np.sum(~np.concatenate([np.zeros((1, batch), bool), ended[:-1]])))
    return {"batch": batch, "steps": live, "run_s": run_s, "steps_per_s": live / run_s,
            "compile_s": max(first_s - run_s, 0.0), "device": jax.devices()[0].platform}

"""Dev: time tracing/lowering and XLA compilation of the jitted single step (and its HLO size).

    .venv/bin/python -m ported_envs.pokejax.dev.compile_time [sodium|gen5] [--debug]
"""
import sys
import time

import jax
import jax.numpy as jnp

from ported_envs.pokejax import engine, prng
from ported_envs.pokejax.env import PokeJaxEnv


def main(argv):
    kind = prng.KINDS[argv[0]] if argv and not argv[0].startswith("-") else prng.SODIUM
    env = PokeJaxEnv("gen1customgame")
    st = env.initial_state(0)
    t = time.time()
    low = jax.jit(engine.make_step(env.tables, kind, debug="--debug" in argv)).lower(st, jnp.zeros(2, jnp.int32))
    print(f"lower {time.time() - t:.1f} s, HLO {len(low.as_text()) // 1000} k chars", flush=True)
    t = time.time()
    low.compile()
    print(f"compile {time.time() - t:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

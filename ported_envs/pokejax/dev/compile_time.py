"""Dev: time tracing/lowering and XLA compilation of the jitted single step and of the batched
play function (vmap + scan), with their HLO sizes. No compile cache is used.

    .venv/bin/python -m ported_envs.pokejax.dev.compile_time [sodium|gen5] [--debug] [--play B]
"""
import sys
import time

import jax
import jax.numpy as jnp

from ported_envs.pokejax import engine, prng
from ported_envs.pokejax.env import CHUNK, PokeJaxEnv, make_play, stack_states


def timed(name, fn, *args):
    t = time.time()
    low = jax.jit(fn).lower(*args)
    text = low.as_text()
    print(f"{name}: lower {time.time() - t:.1f} s, HLO {len(text) // 1000} k chars, "
          f"{text.count(' scatter(')} scatters, {text.count(' gather(')} gathers", flush=True)
    t = time.time()
    low.compile()
    print(f"{name}: compile {time.time() - t:.1f} s", flush=True)


def main(argv):
    jax.config.update("jax_enable_compilation_cache", False)
    kind = prng.KINDS[argv[0]] if argv and not argv[0].startswith("-") else prng.SODIUM
    env = PokeJaxEnv("gen1customgame")
    st = env.initial_state(0)
    debug = "--debug" in argv
    if "--play" in argv:
        b = int(argv[argv.index("--play") + 1])
        play = make_play(engine.make_batch_step(env.tables, kind, debug), 1000, True, None)
        states = stack_states([st] * b)
        timed(f"play batch {b}", lambda s, x: play(s, x), states, jnp.zeros((CHUNK, b, 2), jnp.int32))
    else:
        timed("step", engine.make_step(env.tables, kind, debug), st, jnp.zeros(2, jnp.int32))


if __name__ == "__main__":
    main(sys.argv[1:])

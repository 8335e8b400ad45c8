"""Cold compile times of tcgjax's programs and the size of what is compiled.

    python -m ported_envs.tcgjax.dev.compile_time [--batch 4096]

The persistent compile cache is off here, so every figure is a full trace + XLA compile. Card effects
are table lookups and selects over effect classes, so the traced program has the same size whatever
the pool holds: the jaxpr equation count printed is a property of the rules, not of the 65 cards.
"""
from __future__ import annotations

import argparse
import time
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
from jax.extend.core import jaxprs_in_params


def count_eqns(jaxpr) -> int:
    n = 0
    for eqn in jaxpr.eqns:
        n += 1
        for sub in jaxprs_in_params(eqn.params):
            n += count_eqns(sub)
    return n


def timed_compile(fn, *args) -> float:
    t = time.perf_counter()
    fn.lower(*args).compile()
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=64)
    a = ap.parse_args(argv)
    jax.config.update("jax_enable_compilation_cache", False)
    from ported_envs.tcgjax import cards, play, views
    from ported_envs.tcgjax.engine import Engine
    E = Engine()
    arrays = cards.deck_arrays("A-Fire", "B-Water")
    s = E.reset(np.uint32(1), *arrays)
    b = a.batch
    seeds = jnp.arange(b, dtype=jnp.uint32)
    sb = jax.vmap(E.reset, in_axes=(0, None, None, None))(seeds, *arrays)
    mb = jax.vmap(partial(views.legal_mask, E))(sb)
    keys = play.policy_keys(seeds, 0, a.steps)
    step_eqns = count_eqns(jax.make_jaxpr(E.step)(s, jnp.int32(0)).jaxpr)
    mask_eqns = count_eqns(jax.make_jaxpr(partial(views.legal_mask, E))(s).jaxpr)
    obs_eqns = count_eqns(jax.make_jaxpr(partial(views.observe, E))(s, jnp.int32(0)).jaxpr)
    print(f"traced equations (sub-jaxprs included): step {step_eqns}, legal mask {mask_eqns}, observation {obs_eqns}")
    rows = [
        ("reset, one game", jax.jit(E.reset), (np.uint32(1), *arrays)),
        ("step, one game", jax.jit(E.step), (s, jnp.int32(0))),
        ("legal mask, one game", jax.jit(partial(views.legal_mask, E)), (s,)),
        ("observation, one game", jax.jit(partial(views.observe, E)), (s, jnp.int32(0))),
        (f"step, vmap over {b} games", jax.jit(jax.vmap(E.step)), (sb, jnp.zeros(b, jnp.int32))),
        (f"random-policy decision (step, mask, observation), vmap over {b}", play.make_step_fn(E),
         (sb, mb, keys[0], jnp.zeros(b, jnp.int32))),
        (f"lax.scan of {a.steps} such decisions over {b} games",
         play.make_play(E, "random", record_outputs=False), (sb, mb, keys)),
        (f"lax.scan of {a.steps} recorded decisions (outputs and states) over {b} games",
         play.make_play(E, "random", record_states=True), (sb, mb, keys)),
    ]
    print("| program | cold compile s |\n|---|---|")
    for name, fn, args in rows:
        print(f"| {name} | {timed_compile(fn, *args):.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    import sys
    raise SystemExit(main(sys.argv[1:]))

"""Random-legal-action throughput: tcgjax batches against the Python reference, side by side, one run.

    equiv bench reference=tcg_python ported=tcgjax [--batches 1,256,4096,16384] [--steps 64]
                                                   [--games 200] [--decks A-Fire,B-Water]
    python -m ported_envs.tcgjax.bench  (the same, with the bundled adapters)

A step is one decision of one game through the environment interface: the legal mask of the actor,
a uniformly random legal action, the transition, the new actor's 416-value observation and the new
mask. The reference does exactly this through its adapter (``legal_actions``, ``step``), one game at
a time, in 1 process and in a pool of processes (one per core). tcgjax does it for ``batch`` games
at once in one compiled ``lax.scan`` of ``--steps`` decisions from fresh games, timed on a second
call with the same shapes (so the compile, reported apart, is not in the rate); only steps of games
still running count. The two are measured in the same run on the same machine: compare the ratios.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import time

import numpy as np


def reference_games(reference_cls, decks, seeds) -> tuple:
    """(steps, seconds) of random-legal games on the reference adapter."""
    ref = reference_cls(*decks)
    steps, t = 0, time.perf_counter()
    for seed in seeds:
        ref.reset(seed)
        rng = random.Random(seed)
        done = False
        while not done:
            legal = np.flatnonzero(ref.legal_actions())
            done = ref.step(int(legal[rng.randrange(len(legal))])).terminated
            steps += 1
    return steps, time.perf_counter() - t


def _pool_worker(job):
    reference_cls, decks, seeds = job
    return reference_games(reference_cls, decks, seeds)


def reference_pool(reference_cls, decks, seeds, processes: int) -> tuple:
    """(steps, wall seconds) of the same games spread over a pool of processes (started before timing)."""
    chunks = [seeds[i::processes] for i in range(processes)]
    with mp.get_context("fork").Pool(processes) as pool:
        pool.map(_pool_worker, [(reference_cls, decks, c[:2]) for c in chunks])     # warm the workers
        t = time.perf_counter()
        out = pool.map(_pool_worker, [(reference_cls, decks, c) for c in chunks])
        wall = time.perf_counter() - t
    return sum(o[0] for o in out), wall


def port_rate(decks, batch: int, steps: int, rules=None) -> dict:
    """Live steps/s of ``batch`` random games for ``steps`` decisions in one scan (second call timed)."""
    import jax
    import jax.numpy as jnp

    from ported_envs.tcgjax import cards
    from ported_envs.tcgjax.env import TcgJaxEnv
    from ported_envs.tcgjax.play import make_play, policy_keys
    from ported_envs.tcgjax.rules import Rules
    env = TcgJaxEnv(rules or Rules())
    play = make_play(env.E, "random", record_states=False, record_outputs=False)
    arrays = cards.deck_arrays(*decks)
    out = {"batch": batch}
    for call, base in (("first", 0), ("second", 1 << 20)):
        seeds = jnp.arange(base, base + batch, dtype=jnp.uint32)
        states = env.reset_batch(seeds, *arrays)
        masks = env.mask_batch(states)
        keys = policy_keys(seeds, 0, steps)
        jax.block_until_ready((states, masks, keys))
        t, c = time.perf_counter(), time.process_time()
        (_, _, check), rec = play(states, masks, keys)
        jax.block_until_ready((check, rec))
        out[call] = time.perf_counter() - t
        out[call + "_cpu"] = time.process_time() - c
        out["live"] = int(np.asarray(rec["live"]).sum())
    out["steps_per_s"] = out["live"] / out["second"]
    out["compile_s"] = max(out["first"] - out["second"], 0.0)
    return out


def main(args=None, reference_cls=None, ported_cls=None) -> int:
    ap = argparse.ArgumentParser(prog="equiv bench reference=tcg_python ported=tcgjax", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", default="1,256,4096,16384")
    ap.add_argument("--steps", type=int, default=64, help="decisions per timed scan (default 64)")
    ap.add_argument("--games", type=int, default=200, help="reference games per measurement (default 200)")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--decks", default="A-Fire,B-Water")
    a = ap.parse_args(list(args or []))
    if reference_cls is None:
        from adapters.tcg_python import TcgPython as reference_cls
    if ported_cls is None:
        from adapters.tcgjax import TcgJax as ported_cls
    decks = tuple(a.decks.split(","))
    rules = getattr(ported_cls, "rules", None)
    import jax
    print(f"tcg bench: {decks[0]} vs {decks[1]}, random legal actions; {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}; JAX {jax.__version__} on {jax.devices()[0].platform}", flush=True)
    seeds = list(range(a.games))
    ref_steps, ref_s = reference_games(reference_cls, decks, seeds)
    ref_rate = ref_steps / ref_s
    rows = [("reference (Python), 1 process", 1, ref_rate, None)]
    print(f"  reference, 1 process: {ref_steps} steps in {ref_s:.2f} s", flush=True)
    if a.processes > 1:
        steps, wall = reference_pool(reference_cls, decks, seeds, a.processes)
        rows.append((f"reference, pool of {a.processes} processes", a.processes, steps / wall, None))
        print(f"  reference, {a.processes} processes: {steps} steps in {wall:.2f} s", flush=True)
    for b in (int(x) for x in a.batches.split(",")):
        r = port_rate(decks, b, a.steps, rules)
        rows.append(("tcgjax lax.scan (vmap)", b, r["steps_per_s"], r["compile_s"]))
        print(f"  tcgjax batch {b}: {r['live']} live steps in {r['second']:.3f} s "
              f"(CPU {r['second_cpu']:.2f} s), compile {r['compile_s']:.1f} s", flush=True)
    print()
    print(f"| implementation | games at once | steps/s | x reference (1 process) | compile s |")
    print(f"|---|---|---|---|---|")
    for name, b, rate, comp in rows:
        print(f"| {name} | {b:,} | {rate:,.0f} | {rate / ref_rate:.1f} | {'' if comp is None else f'{comp:.1f}'} |")
    best = max(r[2] for r in rows if r[3] is not None)
    print(f"\nbest tcgjax / reference 1 process: {best / ref_rate:.1f}x (goal on this CPU: 50x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(None))

"""The sodium pre-draw buffer the engine builds (``prng.stream(SODIUM, key, n)`` under ``vmap``),
timed per battle-draw for each formulation of the ChaCha20 block, side by side in one process.

    python -m ported_envs.pokejax.dev.prng_bench [--batches 1024,4096] [--draws 16] [--reps 7]
    python -m ported_envs.pokejax.dev.prng_bench --play 1024,4096 [--format gen1customgame]

``--play`` times random play instead (``bench.batch_rate``, sodium, the gate's PRNG mode) with the
pure-JAX stream and with the kernel, each in its own process (``POKEJAX_NATIVE_PRNG``), one after
the other per batch, next to Showdown's single-process in-Node rate from the same run.

Every candidate's outputs and states are checked bit-identical to the first one (the formulation
the engine used before, a scan of ``prng._sodium_next``) before it is timed; tests/pokejax/test_prng.py
checks ``prng.stream`` against Showdown's own PRNG. ``blocks/draw`` is the compiled code's xor count
over one block's 320: how many copies of the 20 rounds XLA emits per draw (one fusion per kept
word, each with the whole block), so 1 means the block is computed once. It counts the code, not
its trips: the rolled loop's 0.75 is its body's 240 xors (one fusion per word again, each with the
whole double round) run 10 times, 7.5 blocks per draw.
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax import prng as P, sodium_native

XORS_PER_BLOCK = 320  # 10 double rounds x 8 quarter-rounds x 4 xors


def stream_with(next_fn, s, n):
    """``prng.stream`` with another per-draw function (carry: the uint32[8] key)."""
    def body(carry, _):
        new, r = next_fn(carry)
        return new, (r, new)
    _, (outs, states) = jax.lax.scan(body, s, None, length=n)
    return outs, states


def before_next(s):
    """The engine's formulation before the kernel (``prng._sodium_next``): unrolled block, stacked,
    barrier, sliced."""
    blk = jax.lax.optimization_barrier(jnp.stack(P._chacha_block(s), axis=-1))
    return blk[..., :8], P._bswap(blk[..., 8])


def words_stream(s, n):
    """The 16 words kept as separate arrays (no stack, no slice), the key carried as 8 arrays: one
    fusion per kept word all the same, since XLA CPU does not fuse them into one multi-output loop."""
    def body(carry, _):
        blk = P._chacha_block(jnp.stack(carry, axis=-1))
        new = tuple(blk[:8])
        return new, (P._bswap(blk[8]), new)
    _, (outs, states) = jax.lax.scan(body, tuple(s[..., i] for i in range(8)), None, length=n)
    return outs, jnp.stack(states, axis=-1)


def candidates():
    """name -> per-battle ``key[8] -> (outs[n], states[n, 8])`` (run under vmap, as the engine does)."""
    out = {
        "before (unrolled, stacked)": lambda s, n: stream_with(before_next, s, n),
        "words carried apart": words_stream,
        "rolled fori_loop (…,16)": lambda s, n: stream_with(P.sodium_next_rolled, s, n),
    }
    if sodium_native.available():
        out["native FFI kernel"] = sodium_native.stream
    out["prng.stream (landed)"] = lambda s, n: P.stream(P.SODIUM, s, n)
    return out


def blocks_per_draw(compiled_text: str) -> str:
    """Copies of the block in the compiled HLO (xors / 320); a custom call runs its own code."""
    if "custom-call" in compiled_text and "pokejax_sodium_stream" in compiled_text:
        return "1 (kernel)"
    xors = len(re.findall(r" xor\(", compiled_text))
    return f"{xors / XORS_PER_BLOCK:.2f}"


# ``short`` replaces make_batch_step's default pre-draw count (engine.DRAWS_SHORT) in that process
PLAY = ("import json,sys; from ported_envs.pokejax import engine; from ported_envs.pokejax.bench import batch_rate; "
        "d = engine.make_batch_step.__defaults__; engine.make_batch_step.__defaults__ = d[:-1] + (int(sys.argv[4]),); "
        "print(json.dumps(batch_rate(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), 'sodium')))")


def play(batches, format: str, steps: int, battles: int, shorts):
    import json
    import os
    import subprocess
    import sys
    from ported_envs.pokejax import layout
    # Showdown's own in-Node random-play loop (what `equiv bench` calls its single-process rate),
    # run directly as dev/record_battles.js runs Showdown: the port imports no adapter.
    sd = Path(__file__).resolve().parents[3] / "reference_envs" / "ts_showdown"
    out = subprocess.run(["node", "bench_inprocess.js", str(layout.data_path()), format, str(battles)],
                         cwd=sd, capture_output=True, text=True, check=True, timeout=1800)
    single = json.loads(out.stdout.strip().splitlines()[-1])["steps_per_s"]
    print(f"Showdown in one Node process (no bridge), {battles} {format} battles: {single:.0f} steps/s")
    print(f"  {'batch':>6} {'stream':>10} {'pre-draw':>9} {'steps/s':>9} {'x Showdown':>11} {'compile s':>10}")
    runs = [("pure JAX", "0", shorts[0])] + [("kernel", "1", sh) for sh in shorts]
    for batch in batches:
        for label, native, short in runs:
            out = subprocess.run([sys.executable, "-c", PLAY, format, str(batch), str(steps), str(short)], check=True,
                                 capture_output=True, text=True, timeout=1200,
                                 env={**os.environ, "POKEJAX_NATIVE_PRNG": native})
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"  {batch:>6} {label:>10} {short:>9} {r['steps_per_s']:>9.0f} {r['steps_per_s'] / single:>11.1f} "
                  f"{r['compile_s']:>10.1f}", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batches", default="1024,4096")
    ap.add_argument("--draws", type=int, default=16, help="buffer length (engine.DRAWS_SHORT is 16)")
    ap.add_argument("--reps", type=int, default=7, help="timed calls per cell; the best is reported")
    ap.add_argument("--only", default="", help="comma-separated substrings of candidate names")
    ap.add_argument("--play", default="", help="batch sizes: time random play before/after instead")
    ap.add_argument("--format", default="gen1customgame", help="with --play")
    ap.add_argument("--scan-steps", type=int, default=64, help="with --play: decisions per battle timed")
    ap.add_argument("--battles", type=int, default=200, help="with --play: Showdown's baseline battles")
    ap.add_argument("--short", default="16", help="with --play: pre-draw counts of the first batched step "
                    "(engine.DRAWS_SHORT; the pure-JAX row uses the first, the kernel one row each)")
    a = ap.parse_args(argv)
    if a.play:
        return play([int(b) for b in a.play.split(",")], a.format, a.scan_steps, a.battles,
                    [int(x) for x in a.short.split(",")])
    n = a.draws
    cands = candidates()
    if a.only:
        cands = {k: v for k, v in cands.items() if any(o in k for o in a.only.split(","))}
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}; {n} draws per battle; best of {a.reps}")
    for batch in (int(b) for b in a.batches.split(",")):
        keys = jnp.asarray(np.random.default_rng(batch).integers(0, 2 ** 32, (batch, 8), dtype=np.uint64)
                           .astype(np.uint32))
        want = None
        print(f"\nbatch {batch}")
        print(f"  {'formulation':30s} {'ns/draw':>9s} {'ns/battle-step':>15s} {'blocks/draw':>12s} {'compile s':>10s}")
        for name, fn in cands.items():
            f = jax.jit(jax.vmap(lambda s, fn=fn: fn(s, n)))
            t = time.perf_counter()
            comp = f.lower(keys).compile()
            compile_s = time.perf_counter() - t
            got = jax.block_until_ready(comp(keys))
            if want is None:
                want = got
            same = all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(got, want))
            if not same:
                print(f"  {name:30s} NOT BIT-IDENTICAL to the first formulation: not timed")
                continue
            best = float("inf")
            for _ in range(a.reps):
                t = time.perf_counter()
                jax.block_until_ready(comp(keys))
                best = min(best, time.perf_counter() - t)
            per_draw = best / (batch * n) * 1e9
            print(f"  {name:30s} {per_draw:9.1f} {per_draw * n:15.0f} "
                  f"{blocks_per_draw(comp.as_text()):>12s} {compile_s:10.2f}", flush=True)


if __name__ == "__main__":
    main()

"""Throughput of the halfcheetah references and port, side by side from one run.

    equiv bench reference=mujoco ported=halfcheetah_jax [--seconds 2] [--batches 1,256,4096,16384]
    python -m suites.halfcheetah.bench [same options]

Env steps per second (one env step = 5 MuJoCo steps), random actions, compile time apart:

- Gymnasium ``gym.make("HalfCheetah-v5")``, one env;
- MuJoCo C: ``mj_step(nstep=5)`` in a Python loop, one thread; ``mujoco.rollout`` over a batch
  with 1 and 2 threads;
- MJX ``jit(vmap)`` + ``lax.scan``, float32 and float64, each row in a child process with a
  time limit. Its batched LAPACK Cholesky deadlocks XLA's CPU pool beyond 512 envs per call
  (reference_envs/halfcheetah/xla_safety.py), so a larger batch runs as consecutive calls
  of 512 (the row says so);
- halfcheetah_jax ``jit`` + ``lax.scan`` of ``env.batch_step`` (``vmap``; a batch above 256
  runs as ``lax.map`` over groups of 256 in the same call), float32 and float64, in this
  process (it has no LAPACK call, any batch runs in one call).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys

BATCHES = (1, 256, 4096)  # add 16384 with --batches (minutes per row on 2 cores)
MJX_BATCHES = (1, 256, 4096)


def _parse(args):
    p = argparse.ArgumentParser(prog="equiv bench reference=mujoco ported=halfcheetah_jax",
                                description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=2.0, help="timed seconds per row (default 2)")
    p.add_argument("--batches", default=",".join(map(str, BATCHES)), help="port batch sizes")
    p.add_argument("--mjx-batches", default=",".join(map(str, MJX_BATCHES)), help="MJX batch sizes ('' to skip)")
    p.add_argument("--precisions", default="float32,float64")
    p.add_argument("--mjx-child", nargs=3, metavar=("BATCH", "PRECISION", "SECONDS"), help=argparse.SUPPRESS)
    return p.parse_args(list(args or []))


def mjx_throughput(batch: int, precision: str, seconds: float) -> dict:
    """Env steps/s of MJX jit(vmap)+scan at ``batch`` (run this in the flagged child)."""
    import time

    import jax
    import numpy as np

    from reference_envs.halfcheetah.mjx_env import _compiled, reset_state
    from reference_envs.halfcheetah.xla_safety import SAFE_LAPACK_BATCH
    x64 = precision == "float64"
    steps = max(1, min(16, 4096 // batch))
    calls_per_step = max(1, -(-batch // SAFE_LAPACK_BATCH))
    batch = batch // calls_per_step  # one call's share; the row times calls_per_step of them
    mj, step, batch_step, batch_scan, dtype = _compiled(x64)
    states = [reset_state(s) for s in range(batch)]
    with jax.enable_x64(x64):
        dev = {k: jax.numpy.asarray(np.stack([s[k] for s in states]).astype(dtype))
               for k in ("qpos", "qvel", "qacc_warmstart", "ctrl", "time")}
        dev["steps"] = jax.numpy.zeros(batch, jax.numpy.int32)
        acts = jax.numpy.asarray(np.random.default_rng(0).uniform(-1, 1, (steps, batch, 6)).astype(np.float32))
        t0 = time.perf_counter()
        compiled = batch_scan.lower(dev, acts).compile()
        compile_s = time.perf_counter() - t0
        dev, out = compiled(dev, acts)
        jax.block_until_ready(out)
        calls, start = 0, time.perf_counter()
        while True:
            for _ in range(calls_per_step):  # the whole batch, one safe share after another
                dev, out = compiled(dev, acts)
                jax.block_until_ready(out)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
    return {"steps_per_s": calls_per_step * batch * steps * calls / elapsed, "compile_s": compile_s,
            "calls": calls_per_step}


def _mjx_row(batch: int, precision: str, seconds: float) -> dict:
    cmd = [sys.executable, "-m", "suites.halfcheetah.bench", "--mjx-child", str(batch), precision, str(seconds)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    except subprocess.TimeoutExpired:
        return {"error": "no answer in 20 minutes (killed)"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


def main(args=None, reference_cls=None, ported_cls=None) -> list[dict]:
    opts = _parse(args)
    if opts.mjx_child:
        batch, precision, seconds = opts.mjx_child
        print(json.dumps(mjx_throughput(int(batch), precision, float(seconds))))
        return []
    from equiv._registry import adapter_class
    ref_cls = reference_cls or adapter_class("mujoco")
    port_cls = ported_cls or adapter_class("halfcheetah_jax")
    if not hasattr(ref_cls, "throughput_mj_step"):
        ref_cls = adapter_class("mujoco")  # the C rows always come from MuJoCo C
    import jax
    precisions = [p for p in opts.precisions.split(",") if p]
    print(f"HalfCheetah-v5 throughput, env steps/s ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, jax {jax.__version__} on {jax.default_backend()}, {opts.seconds:g} s per row)")
    rows = [{"name": "Gymnasium gym.make", "batch": 1, **ref_cls.throughput_gym(opts.seconds)},
            {"name": "MuJoCo C mj_step(nstep=5)", "batch": 1, **ref_cls.throughput_mj_step(opts.seconds)}]
    c_single = rows[-1]["steps_per_s"]
    for b in (256, 4096):
        for nthread in (1, 2):
            rows.append({"name": f"MuJoCo C rollout, {nthread} thread(s)", "batch": b,
                         **ref_cls.throughput_rollout(b, opts.seconds, nthread)})
    mjx = {}
    for precision in precisions:
        for b in [int(x) for x in opts.mjx_batches.split(",") if x]:
            r = _mjx_row(b, precision, opts.seconds)
            mjx[(precision, b)] = r.get("steps_per_s")
            split = f" ({r['calls']} x {b // r['calls']})" if r.get("calls", 1) > 1 else ""
            rows.append({"name": f"MJX jit(vmap) {precision}{split}", "batch": b, **r})
    for precision in precisions:
        for b in [int(x) for x in opts.batches.split(",") if x]:
            r = port_cls.throughput(b, opts.seconds, precision)
            ratio = mjx.get((precision, b))
            r["vs_mjx"] = r["steps_per_s"] / ratio if ratio else None
            rows.append({"name": f"{port_cls.__name__} jit(vmap) {precision}", "batch": b, **r})
    print(f"\n  {'implementation':<40}{'batch':>7}{'steps/s':>13}{'vs C 1 thread':>15}{'vs MJX':>9}{'compile s':>11}")
    for row in rows:
        if "error" in row:
            print(f"  {row['name']:<40}{row['batch']:>7}  failed: {row['error']}")
            continue
        vs = row.get("vs_mjx")
        ratio = f"{vs:.1f}x" if vs else "-"
        compile_s = f"{row['compile_s']:.1f}" if row.get("compile_s") else "-"
        print(f"  {row['name']:<40}{row['batch']:>7}{row['steps_per_s']:>13,.0f}"
              f"{row['steps_per_s'] / c_single:>14.2f}x{ratio:>9}{compile_s:>11}")
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])

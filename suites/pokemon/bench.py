"""Throughput of a pokemon pair, side by side from one run: random-vs-random gen-1 battles.

    equiv bench reference=ts_showdown ported=X [--battles 200] [--processes 1,2] [--format gen1customgame]
        [--batches 1,256,4096,16384] [--scan-steps 64]
    python -m suites.pokemon.bench [same options]

Each row plays the same battles (seeds 0..N-1) under the uniform random policy through the
adapter's ``rollouts`` (the reference spreads them over a pool of Node processes) and reports
decision steps per second, wall-clock and per CPU-second of this process and its children.
A port with a batched engine (a ``batch_rate(format, batch, steps)`` static method, e.g.
pokejax) also gets one row per batch size: that many battles stepped together in one compiled
scan, compile time apart, as a multiple of Showdown's single-process in-Node rate.
"""
from __future__ import annotations

import argparse
import os
import resource
import time


def _parse(args):
    p = argparse.ArgumentParser(prog="equiv bench reference=X ported=Y", description=__doc__.splitlines()[0])
    # Node's JIT is still warming up over a few dozen battles (30 battles measured 760-1,200 steps/s,
    # 200 battles ~2,000), so a short run flatters every ratio against Showdown.
    p.add_argument("--battles", type=int, default=200)
    p.add_argument("--processes", default="1,2", help="reference pool sizes to time (comma-separated)")
    p.add_argument("--format", default="gen1customgame")
    p.add_argument("--batches", default="1,256,4096,16384", help="batch sizes for a batched port ('' = none)")
    p.add_argument("--scan-steps", type=int, default=64, help="decisions per battle in each timed scan")
    return p.parse_args(list(args or []))


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def time_rollouts(adapter, battles: int, warm: bool = False) -> dict:
    """Steps/s of ``battles`` random-vs-random rollouts; ``warm`` runs them once untimed first, so a
    compiled port is timed without its compile (reported as ``compile_s``)."""
    from suites.pokemon import SUITE
    policy = SUITE.uniform_random()
    compile_s = 0.0
    if warm:
        t0 = time.perf_counter()
        adapter.rollouts(list(range(battles)), policy, 3000)
        compile_s = time.perf_counter() - t0
    c0, t0 = _cpu(), time.perf_counter()
    trajs = adapter.rollouts(list(range(battles)), policy, 3000)
    wall = time.perf_counter() - t0
    adapter.close()  # children are counted in RUSAGE_CHILDREN once they exit
    cpu = _cpu() - c0
    steps = sum(t.length for t in trajs)
    return {"steps": steps, "wall_s": wall, "steps_per_s": steps / wall, "steps_per_cpu_s": steps / max(cpu, 1e-9),
            "compile_s": max(compile_s - wall, 0.0)}


def main(args=None, reference_cls=None, ported_cls=None) -> list[dict]:
    opts = _parse(args)
    if reference_cls is None:
        from equiv._registry import adapter_class
        reference_cls = adapter_class("ts_showdown")
    print(f"pokemon throughput: {opts.battles} random-vs-random {opts.format} battles, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"  {'implementation':<34}{'steps':>8}{'steps/s':>10}{'steps/CPU-s':>13}")
    rows = []
    baseline = getattr(reference_cls, "inprocess_baseline", None)
    if baseline is not None:
        for canonical in (False, True):
            r = baseline(opts.format, opts.battles, canonical)
            rows.append({"side": "reference-inprocess", "canonical": canonical, **r})
            label = "Showdown in Node, no bridge" + (" +canonical" if canonical else "")
            print(f"  {label:<34}{r['steps']:>8}{r['steps_per_s']:>10.0f}{r['steps_per_cpu_s']:>13.0f}")
    for n in [int(x) for x in opts.processes.split(",")]:
        r = time_rollouts(reference_cls(format=opts.format, processes=n), opts.battles)
        rows.append({"side": "reference", "processes": n, **r})
        print(f"  {reference_cls.__name__ + f' ({n} Node process(es))':<34}{r['steps']:>8}"
              f"{r['steps_per_s']:>10.0f}{r['steps_per_cpu_s']:>13.0f}")
    if ported_cls is not None and ported_cls is not reference_cls:
        r = time_rollouts(ported_cls(format=opts.format), opts.battles, warm=True)
        rows.append({"side": "ported", **r})
        base = rows[0]["steps_per_s"]
        print(f"  {ported_cls.__name__:<34}{r['steps']:>8}{r['steps_per_s']:>10.0f}{r['steps_per_cpu_s']:>13.0f}"
              f"   ({r['steps_per_s'] / base:.2f}x the 1-process reference; timed warm, compile {r['compile_s']:.1f} s)")
        batch_rate = getattr(ported_cls, "batch_rate", None)
        if batch_rate is not None and opts.batches:
            single = rows[0]["steps_per_s"]  # Showdown in one Node process, no bridge
            print(f"  {ported_cls.__name__} batched (random play, one lax.scan of {opts.scan_steps} decisions; "
                  f"x = multiple of the in-Node single-process rate {single:.0f}/s)")
            print(f"  {'batch':>8}{'steps':>10}{'steps/s':>12}{'x Showdown':>12}{'compile s':>11}")
            for b in [int(x) for x in opts.batches.split(",")]:
                r = batch_rate(opts.format, b, opts.scan_steps)
                rows.append({"side": "ported-batched", **r})
                print(f"  {b:>8}{r['steps']:>10}{r['steps_per_s']:>12.0f}{r['steps_per_s'] / single:>12.1f}"
                      f"{r['compile_s']:>11.1f}   ({r['device']})")
    return rows


if __name__ == "__main__":
    main()

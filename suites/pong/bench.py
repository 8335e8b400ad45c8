"""Throughput of a pong pair, side by side from one run.

    equiv bench reference=puffer_pong ported=pong_jax [--frameskip 1,8] [--seconds 2]
    python -m suites.pong.bench [same options]

Rows: the reference with 1 env and vectorised over 1,000 envs; the port at batch 1,
1,024, 4,096 and 16,384 under ``lax.scan``. Agent steps per second (one step = one
action = ``frameskip`` frames); compile time is reported apart and not counted.
Adapters take part through a ``throughput(config, batch, seconds) -> {steps_per_s,
compile_s}`` hook.
"""
from __future__ import annotations

import argparse
import os
import platform

REFERENCE_BATCHES = (1, 1000)
PORT_BATCHES = (1, 1024, 4096, 16384)


def _parse(args):
    p = argparse.ArgumentParser(prog="equiv bench reference=X ported=Y", description=__doc__.splitlines()[0])
    p.add_argument("--frameskip", default="1,8", help="comma-separated frameskips (default 1,8)")
    p.add_argument("--continuous", action="store_true", help="continuous actions instead of discrete")
    p.add_argument("--seconds", type=float, default=2.0, help="timed seconds per row (default 2)")
    p.add_argument("--port-batches", default=",".join(map(str, PORT_BATCHES)))
    return p.parse_args(list(args or []))


def _hook(cls, side):
    from equiv import Adapter
    if not any("throughput" in vars(k) for k in cls.__mro__[:cls.__mro__.index(Adapter)]):  # the default
        raise SystemExit(f"error: the {side} adapter {cls.__name__} does not measure its own throughput, so "
                         f"the pong benchmark cannot time it; give it equiv.Adapter.throughput(config, batch, "
                         f"seconds) (see adapters/pong_jax.py)")
    return cls.throughput


def main(args=None, reference_cls=None, ported_cls=None) -> list[dict]:
    opts = _parse(args)
    if reference_cls is None or ported_cls is None:
        from equiv._registry import adapter_class
        reference_cls = reference_cls or adapter_class("puffer_pong")
        ported_cls = ported_cls or adapter_class("pong_jax")
    ref, port = _hook(reference_cls, "reference"), _hook(ported_cls, "ported")
    import jax
    print(f"pong throughput, agent steps/s ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, jax {jax.__version__} on {jax.default_backend()}, "
          f"{'continuous' if opts.continuous else 'discrete'} actions, {opts.seconds:g} s per row)")
    rows = []
    for fs in [int(x) for x in opts.frameskip.split(",")]:
        config = {"frameskip": fs, "continuous": opts.continuous}
        print(f"\nframeskip {fs}")
        print(f"  {'implementation':<34}{'batch':>7}{'steps/s':>15}{'vs C vec':>10}{'compile s':>11}")
        base = None
        for b in REFERENCE_BATCHES:
            r = ref(config, b, opts.seconds)
            base = r["steps_per_s"] if b == REFERENCE_BATCHES[-1] else base
            rows.append({"frameskip": fs, "side": "reference", "name": reference_cls.__name__, "batch": b, **r})
        for b in [int(x) for x in opts.port_batches.split(",")]:
            r = port(config, b, opts.seconds)
            rows.append({"frameskip": fs, "side": "ported", "name": ported_cls.__name__, "batch": b, **r})
        for row in (r for r in rows if r["frameskip"] == fs):
            label = (f"{row['name']} (C), {'1 env' if row['batch'] == 1 else 'vectorised'}" if row["side"] == "reference"
                     else f"{row['name']} lax.scan")
            comp = f"{row['compile_s']:.2f}" if row["side"] == "ported" else "-"
            print(f"  {label:<34}{row['batch']:>7}{row['steps_per_s']:>15,.0f}"
                  f"{row['steps_per_s'] / base:>9.2f}x{comp:>11}")
    return rows


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])

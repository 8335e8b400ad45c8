"""Where a batched decision's time goes: each part timed alone, and a per-kernel profile.

    python -m ported_envs.tcgjax.dev.profile [--batch 4096] [--warm 24] [--top 25] [--trace]

Games (the six §10.9 pairings mixed) are first played ``--warm`` random decisions so the states are
mid-game; then one decision (the benchmark's: policy, step, mask, observation) and each of its parts
are timed alone from those states (best of several runs, µs of CPU per game). ``--trace`` adds a
jax.profiler trace of the whole decision, summed per XLA kernel (fusion) name.
"""
from __future__ import annotations

import argparse
import collections
import tempfile
import time
from functools import partial
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np


def best_time(fn, args, runs: int = 7) -> tuple:
    """(best wall s, CPU s of that run) of ``fn(*args)``."""
    jax.block_until_ready(fn(*args))
    best = (float("inf"), 0.0)
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        jax.block_until_ready(fn(*args))
        w = time.perf_counter() - t
        if w < best[0]:
            best = (w, time.process_time() - c)
    return best


def mid_game(E, batch: int, warm: int):
    from ported_envs.tcgjax import cards, views
    from ported_envs.tcgjax.bench import PAIRINGS
    from ported_envs.tcgjax.play import make_play, policy_keys
    per = [cards.deck_arrays(*d) for d in PAIRINGS]
    arrays = [np.stack([per[i % len(per)][k] for i in range(batch)]) for k in range(3)]
    seeds = jnp.arange(batch, dtype=jnp.uint32)
    st = jax.jit(jax.vmap(E.reset))(seeds, *arrays)
    mask = jax.jit(jax.vmap(partial(views.legal_mask, E)))(st)
    if warm:
        play = make_play(E, "random", record_outputs=False)
        (st, mask, _), _ = play(st, mask, policy_keys(seeds, 0, warm))
    return st, mask, policy_keys(seeds, warm, 1)[0]


def trace_kernels(fn, args, top: int):
    """Sum of kernel durations per name over 5 runs of ``fn(*args)``, the ``top`` largest."""
    d = tempfile.mkdtemp(prefix="tcgjax-prof-")
    jax.block_until_ready(fn(*args))
    with jax.profiler.trace(d):
        for _ in range(5):
            jax.block_until_ready(fn(*args))
    path = next(Path(d).rglob("*.xplane.pb"))
    data = jax.profiler.ProfileData.from_file(str(path))
    tot, cnt = collections.Counter(), collections.Counter()
    for plane in data.planes:
        for line in plane.lines:
            if line.name == "python":
                continue
            for ev in line.events:
                if not ev.name.startswith(("ThunkExecutor", "$")):
                    tot[ev.name] += ev.duration_ns
                    cnt[ev.name] += 1
    print(f"\ntrace {d}: {sum(cnt.values()) / 5:.0f} kernels per run, {sum(tot.values()) / 5e3:.0f} us in them; "
          f"top {top} by total time")
    for name, ns in tot.most_common(top):
        print(f"  {ns / 5e3:10.1f} us/run  x{cnt[name] / 5:<5.1f} {name[:80]}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--warm", type=int, default=24)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--trace", action="store_true")
    a = ap.parse_args(argv)
    from ported_envs.tcgjax import views
    from ported_envs.tcgjax.engine import Engine
    from ported_envs.tcgjax.ops import fence
    from ported_envs.tcgjax.play import make_step_fn, obs_for_actor, random_legal
    E = Engine()
    st, mask, keys = mid_game(E, a.batch, a.warm)
    act = jax.jit(jax.vmap(random_legal))(mask, keys)
    nst = jax.jit(lambda s, x: fence(jax.vmap(E.step)(s, x)))(st, act)[0]
    check = jnp.zeros(a.batch, jnp.int32)
    parts = [
        ("decision (policy, step, mask, observation)", make_step_fn(E), (st, mask, keys, check)),
        ("policy", jax.jit(jax.vmap(random_legal)), (mask, keys)),
        ("step", jax.jit(lambda s, x: fence(jax.vmap(E.step)(s, x))), (st, act)),
        ("legal mask", jax.jit(jax.vmap(partial(views.legal_mask, E))), (nst,)),
        ("observation", jax.jit(lambda s: jnp.sum(jax.vmap(partial(obs_for_actor, E))(s), axis=1)), (nst,)),
    ]
    print(f"batch {a.batch}, after {a.warm} random decisions; JAX {jax.__version__}")
    for name, fn, args in parts:
        w, c = best_time(fn, args)
        print(f"  {name:45s} {w * 1e6 / a.batch:6.2f} us wall/game  {c * 1e6 / a.batch:6.2f} us CPU/game")
    if a.trace:
        trace_kernels(parts[0][1], parts[0][2], a.top)
    return 0


if __name__ == "__main__":
    import sys
    raise SystemExit(main(sys.argv[1:]))

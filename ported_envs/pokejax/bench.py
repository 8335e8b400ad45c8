"""Random-action steps/s of pokejax (vmap + lax.scan) at several batch sizes, next to Showdown's
single-process rate measured in the same run. Compile time is reported apart.

    .venv/bin/python -m ported_envs.pokejax.bench [--batches 1,256,4096,16384] [--steps 64]
        [--prng sodium|gen5] [--showdown-battles 30]

A step is one decision point of one battle (both players act). Finished battles stay put inside
the scan and are not counted: steps/s counts only steps of live battles.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax.env import PokeJaxEnv

ROOT = Path(__file__).resolve().parents[2]
SD = ROOT / "reference_envs" / "ts_showdown" / "node_modules" / "pokemon-showdown"

SHOWDOWN_JS = r"""
const {Battle} = require(process.argv[1]);
const data = require(process.argv[2]);
const pool = data.team_pool.map(t => t.map(m => m.set));
const n = +process.argv[3];
let steps = 0, x = 12345;
const rnd = k => { x = (x * 1103515245 + 12345) >>> 0; return Math.floor((x / 4294967296) * k); };
const t0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  const b = new Battle({formatid: 'gen1customgame', seed: 'sodium,' + (i + 1).toString(16).padStart(16, '0'),
    send: () => {}, p1: {name: 'p1', team: pool[(2 * i) % pool.length]}, p2: {name: 'p2', team: pool[(2 * i + 1) % pool.length]}});
  while (!b.ended && b.turn < 1000) {
    for (const side of b.sides) {
      const req = side.activeRequest; if (!req || req.wait) continue;
      const c = [];
      req.side.pokemon.forEach((p, j) => { if (!p.active && !p.condition.endsWith(' fnt')) c.push(`switch ${j + 1}`); });
      if (!req.forceSwitch) { if (req.active[0].trapped) c.length = 0; req.active[0].moves.forEach((m, i) => { if (!m.disabled) c.push(`move ${i + 1}`); }); }
      side.choose(c.length ? c[rnd(c.length)] : 'default');
    }
    steps++;
  }
}
const u = process.cpuUsage(t0);
console.log(JSON.stringify({steps, cpu_s: (u.user + u.system) / 1e6}));
"""


def showdown_rate(battles: int) -> float:
    out = subprocess.run(["node", "-e", SHOWDOWN_JS, str(SD), str(ROOT / "reference_envs/ts_showdown/data/gen1.json"),
                          str(battles)], capture_output=True, text=True, check=True).stdout
    r = json.loads(out)
    return r["steps"] / r["cpu_s"]


def pokejax_rate(env: PokeJaxEnv, batch: int, steps: int) -> tuple[float, float]:
    """(live steps/s, first-call seconds) of random legal play, ``batch`` battles in one scan."""
    from ported_envs.pokejax.env import make_play, stack_states
    n = min(batch, len(env.starts()))
    starts = stack_states([env.initial_state(i) for i in range(n)])
    states = jax.tree.map(lambda x: jnp.concatenate([x] * -(-batch // n))[:batch], starts)
    play = make_play(env._step, 1000, False, "random")
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
    live_steps = int(np.sum(~np.concatenate([np.zeros((1, batch), bool), ended[:-1]])))
    return live_steps / run_s, first_s - run_s


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", default="1,256,4096,16384")
    ap.add_argument("--steps", type=int, default=64)
    ap.add_argument("--prng", default="sodium")
    ap.add_argument("--showdown-battles", type=int, default=30)
    args = ap.parse_args(argv)
    sd = showdown_rate(args.showdown_battles)
    env = PokeJaxEnv("gen1customgame", args.prng)
    print(f"device: {jax.devices()[0].platform}  prng: {args.prng}  scan length: {args.steps}")
    print(f"{'engine':<26}{'steps/s':>14}{'x Showdown':>12}{'compile s':>11}  (compile: first call minus a run;"
          f" near 0 when ported_envs/pokejax/build/jax_cache already holds it)")
    print(f"{'Showdown 0.11.11 (1 proc)':<26}{sd:>14,.0f}{1.0:>12.2f}{'-':>11}")
    for b in [int(x) for x in args.batches.split(",")]:
        rate, comp = pokejax_rate(env, b, args.steps)
        print(f"{'pokejax batch ' + str(b):<26}{rate:>14,.0f}{rate / sd:>12.2f}{comp:>11.1f}")


if __name__ == "__main__":
    main()

"""Dev: replay battles recorded by record_battles.js in pokejax; compare the draw tape and every
canonical field step by step and print each battle's first divergence.

    node ported_envs/pokejax/dev/record_battles.js gen1customgame 0 100 > /tmp/b100.jsonl
    .venv/bin/python -m ported_envs.pokejax.dev.compare_battles /tmp/b100.jsonl [limit] [-jit] [-v]
    .venv/bin/python -m ported_envs.pokejax.dev.compare_battles /tmp/b100.jsonl [limit] -batched

Without -jit the engine runs eagerly (no compile, ~1 s per step); with -jit it compiles once.
-batched replays all the battles at once through the batched path the adapter uses (``env.make_play``:
the batch step under ``lax.scan``) and compares every field at every step (no tape there).
"""
import json
import sys

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax import engine, layout, prng, tables


def to_np(d):
    return layout.as_numpy(d, "recorded state")


def differing(want: dict, got: dict) -> list[str]:
    return [name for name, _, _ in layout.FIELDS if not np.array_equal(want[name], got[name])]


def first_divergence(step, b, verbose=False):
    st = {k: jnp.asarray(v) for k, v in to_np(b["init"]).items()}
    for k, s in enumerate(b["steps"]):
        prev = st
        st, ((rows, n), _over) = step(st, jnp.asarray(s["a"], jnp.int32))
        mine = np.asarray(rows)[:int(n)].tolist()
        fail = None
        if mine != s["tape"]:
            fail = f"step {k} a={s['a']} tape differs:\n  ref  {s['tape']}\n  mine {mine}"
        else:
            ref, got = to_np(s["s"]), {kk: np.asarray(v) for kk, v in st.items()}
            diffs = differing(ref, got)
            if diffs:
                fail = f"step {k} a={s['a']} fields differ: " + "; ".join(
                    f"{f}: ref={ref[f].tolist()} mine={got[f].tolist()}" for f in diffs[:6])
        if fail:
            if verbose:
                pr = {kk: np.asarray(v) for kk, v in prev.items()}
                for f in ("hp", "status", "volatiles", "move_id", "side_last_selected_move", "speed",
                          "modified_stats", "request"):
                    fail += f"\n   prev {f} {pr[f].tolist()}"
            return fail
    return None


def batched(battles):
    """Battles of one format replayed together; returns the count that diverged."""
    from ported_envs.pokejax.env import CHUNK, PokeJaxEnv, bucket, make_play, play_chunks, stack_states
    env = PokeJaxEnv(battles[0].get("format", "gen1customgame"))
    acts = [np.array([s["a"] for s in b["steps"]], np.int32) for b in battles]
    n, longest = len(battles), max(len(a) for a in acts)
    padded = np.full((-(-longest // CHUNK) * CHUNK, bucket(n), 2), 13, np.int32)  # 13 = wait
    for i, a in enumerate(acts):
        padded[:len(a), i] = a
    starts = [{k: jnp.asarray(v) for k, v in to_np(b["init"]).items()} for b in battles]
    states = stack_states(starts + [starts[0]] * (bucket(n) - n))
    rec = play_chunks(make_play(env.step_batch, 1000, True, None), states,
                      lambda t, _b: padded[t:t + CHUNK], longest, n)
    bad = 0
    for i, b in enumerate(battles):
        fail = None
        for k, s in enumerate(b["steps"]):
            if not rec["ok"][k, i]:
                fail = f"step {k} a={s['a']}: the action is not legal in the port's state"
            elif rec["overflow"][k, i]:
                fail = f"step {k}: more PRNG draws than engine.DRAWS_PER_STEP"
            else:
                diffs = differing(to_np(s["s"]), {f: v[k, i] for f, v in rec["states"].items()})
                fail = f"step {k} a={s['a']} fields differ: {diffs[:6]}" if diffs else None
            if fail:
                break
        if fail:
            bad += 1
            print(f"battle {b['i']}: {fail}", flush=True)
    return bad


def main(argv):
    args = [a for a in argv if not a.startswith("-")]
    limit = int(args[1]) if len(args) > 1 else 10**9
    if "-batched" in argv:
        by_format = {}
        for line in list(open(args[0]))[:limit]:
            b = json.loads(line)
            by_format.setdefault(b.get("format", "gen1customgame"), []).append(b)
        n = sum(len(bs) for bs in by_format.values())
        bad = sum(batched(bs) for bs in by_format.values())
        print(f"{n - bad} exact, {bad} diverged")
        return
    tab = tables.build(layout.load_data())
    steps = {}

    def step_for(fmt):
        if fmt not in steps:
            steps[fmt] = engine.make_step(tab, prng.SODIUM, debug=True, format=fmt)
            if "-jit" in argv:
                from ported_envs.pokejax.env import use_compile_cache
                use_compile_cache()
                steps[fmt] = jax.jit(steps[fmt])
        return steps[fmt]

    if "-jit" not in argv:
        jax.config.update("jax_disable_jit", True)
    ok = bad = 0
    for line in list(open(args[0]))[:limit]:
        b = json.loads(line)
        fail = first_divergence(step_for(b.get("format", "gen1customgame")), b, "-v" in argv)
        if fail:
            bad += 1
            print(f"battle {b['i']}: {fail}", flush=True)
        else:
            ok += 1
    print(f"{ok} exact, {bad} diverged")


if __name__ == "__main__":
    main(sys.argv[1:])

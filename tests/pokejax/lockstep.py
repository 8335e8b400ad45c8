"""Lockstep of one battle between given teams: Showdown plays (draw tape on), pokejax replays the
same joint actions from the same start; legal masks, draw tapes and every state field compared at
every step. Used by the move checks (test_moves.py) and the dev sweep (__main__)."""
from __future__ import annotations

import numpy as np

from suites.pokemon import schema


def focused(moves: set, rng):
    """A policy for one side: a legal move in ``moves`` 3 times in 4 when one is there, a switch
    to a holder when the active has none, else uniform over the legal actions."""
    def choose(state, legal_row, side):
        acts = list(np.flatnonzero(legal_row))
        usable = [i for i in range(4) if legal_row[i] and int(state["move_id"][side, 0, i]) in moves]
        if usable and rng.random() < 0.75:
            return int(usable[rng.integers(len(usable))])
        holders = [4 + j for j in range(1, 6) if legal_row[4 + j]
                   and np.isin(state["move_id"][side, j], list(moves)).any()]
        if holders and not usable and rng.random() < 0.5:
            return int(holders[rng.integers(len(holders))])
        return int(acts[rng.integers(len(acts))])
    return choose


def stale_disable(state: dict) -> bool:
    """The Disable-then-Transform corner: a move slot that Transform or Mimic replaced over a base
    slot still flagged disabled (the flag it had then; the Pokemon shows it again once it switches
    out or faints)."""
    replaced = np.asarray(state["move_virtual"]) | np.asarray(state["transformed"])[..., None]
    return bool((np.asarray(state["base_move_disabled"]) & replaced).any())


def play(ref, port, seed: int, teams: list, focus: set, max_steps: int = 300, corner: list | None = None):
    """Returns (first divergence or None, steps played, {move id: times a side chose it}).
    Steps whose reference state is in the Disable-then-Transform corner (``stale_disable``) are
    appended to ``corner`` when given."""
    rng = np.random.default_rng([seed, 0xF0C])
    ref.start(seed, teams)
    port.set_state(ref.get_state())
    policy = [focused(focus, rng), focused(focus, rng)]
    used: dict = {}
    for k in range(max_steps):
        state = ref.get_state()
        mask = ref.legal_actions()
        if not np.array_equal(mask, port.legal_actions()):
            return f"seed {seed} step {k}: legal masks differ ref={mask.astype(int).tolist()} port=" \
                   f"{port.legal_actions().astype(int).tolist()}", k, used
        a = np.array([policy[s](state, mask[s], s) for s in (0, 1)], np.int32)
        for s in (0, 1):
            if a[s] < 4:
                mv = int(state["move_id"][s, 0, a[s]])
                used[mv] = used.get(mv, 0) + 1
        r, p = ref.step(a), port.step(a)
        want = [d[:3] for d in r.info.get("draws", [])]
        if want != p.info["tape"]:
            return f"seed {seed} step {k} a={a.tolist()}: tape ref={want} port={p.info['tape']}", k, used
        after = ref.get_state()
        bad = schema.STATE.compare(after, port.get_state())
        if corner is not None and stale_disable(after):
            corner.append(f"seed {seed} step {k}")
        if bad:
            return f"seed {seed} step {k} a={a.tolist()}: " + "; ".join(str(m) for m in bad[:4]), k, used
        if r.terminated or r.truncated:
            return None, k + 1, used
    return None, max_steps, used


def pair(fmt: str = "gen1customgame"):
    from adapters.pokejax import PokeJax
    from adapters.ts_showdown import TsShowdown
    return TsShowdown(format=fmt, record_tape=True), PokeJax(format=fmt, debug=True)


if __name__ == "__main__":  # dev sweep: python -m tests.pokejax.lockstep FORMAT FIRST N [move ...]
    import sys

    from suites.pokemon import wholegame
    fmt, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    names = sys.argv[4:]
    ref, port = pair(fmt)
    ids = {m["id"]: i for i, m in enumerate(schema.load_data()["moves"]) if m.get("id")}
    focus = {ids[x] for x in names}
    bad, chosen, corner = 0, {}, []
    for seed in range(first, first + n):
        fail, steps, used = play(ref, port, seed, wholegame.teams(seed, tuple(names)), focus, corner=corner)
        for m, k in used.items():
            chosen[m] = chosen.get(m, 0) + k
        if fail:
            bad += 1
            print(fail, flush=True)
    seeds = sorted({c.split()[1] for c in corner}, key=int)
    print(f"Disable-then-Transform corner (stale base-slot flag) at {len(corner)} steps of seeds {seeds}")
    print(f"{n - bad} exact, {bad} diverged; chosen: "
          + ", ".join(f"{x} {chosen.get(ids[x], 0)}" for x in names))
    ref.close()

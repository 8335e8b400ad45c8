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


def known_gap(before: dict, action, ref_after: dict, port_after: dict) -> str | None:
    """The one divergence pokejax documents (README, Not covered): a transformed Pokemon that
    switches out shows on its base slots the disabled flags of the last request before it
    transformed, which the state has no field to keep. Named when it is exactly that: only
    ``move_disabled`` differs, only on benched slots of a side whose transformed active switched."""
    bad = schema.STATE.compare(ref_after, port_after)
    if not bad or any(getattr(m, "field", None) != "move_disabled" for m in bad):
        return None
    diff = np.asarray(ref_after["move_disabled"]) != np.asarray(port_after["move_disabled"])
    for s in (0, 1):
        if diff[s].any() and not (bool(before["transformed"][s, 0]) and 4 <= int(action[s]) <= 9
                                  and not diff[s, 0].any()):
            return None
    return "a transformed Pokemon's base slots keep their pre-Transform disabled flags (README, Not covered)"


def play(ref, port, seed: int, teams: list, focus: set, max_steps: int = 300, gaps: list | None = None):
    """Returns (first divergence or None, steps played, {move id: times a side chose it}).
    A divergence ``known_gap`` names is appended to ``gaps`` (when given) and the port is set
    to the reference's state to go on; otherwise it ends the battle as any divergence does."""
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
        bad = schema.STATE.compare(ref.get_state(), port.get_state())
        gap = known_gap(state, a, ref.get_state(), port.get_state()) if bad and gaps is not None else None
        if gap:
            gaps.append(f"seed {seed} step {k}: {gap}")
            port.set_state(ref.get_state())
            bad = None
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
    bad, chosen, gaps = 0, {}, []
    for seed in range(first, first + n):
        fail, steps, used = play(ref, port, seed, wholegame.teams(seed, tuple(names)), focus, gaps=gaps)
        for m, k in used.items():
            chosen[m] = chosen.get(m, 0) + k
        if fail:
            bad += 1
            print(fail, flush=True)
    for g in gaps:
        print("known gap:", g)
    print(f"{n - bad} exact, {bad} diverged, {len(gaps)} known gaps passed over; chosen: "
          + ", ".join(f"{x} {chosen.get(ids[x], 0)}" for x in names))
    ref.close()

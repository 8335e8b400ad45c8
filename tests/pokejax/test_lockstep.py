"""Lockstep against Showdown: seeded random battles played by ts_showdown, replayed by pokejax,
state and draw tape compared at every step. Slow (the engine compiles for minutes on 2 cores)."""
import numpy as np
import pytest

from suites.pokemon import schema

N_BATTLES = 20


def _pair(fmt):
    from adapters.pokejax import PokeJax
    from adapters.ts_showdown import TsShowdown
    for cls in (PokeJax, TsShowdown):
        why = cls.missing()
        if why:
            pytest.fail(f"{cls.__name__}: {why}")
    return TsShowdown(format=fmt, record_tape=True), PokeJax(format=fmt, debug=True)


def first_divergence(ref, port, seed, max_steps=400):
    rng = np.random.default_rng([seed, 7])
    ref.reset(seed)
    port.set_state(ref.get_state())
    for k in range(max_steps):
        mask = ref.legal_actions()
        if not np.array_equal(mask, port.legal_actions()):
            return f"seed {seed} step {k}: legal masks differ"
        a = np.array([rng.choice(np.flatnonzero(mask[s])) for s in (0, 1)], np.int32)
        r, p = ref.step(a), port.step(a)
        want = [d[:3] for d in r.info.get("draws", [])]
        if want != p.info["tape"]:
            return f"seed {seed} step {k} a={a.tolist()}: tape ref={want} port={p.info['tape']}"
        bad = schema.STATE.compare(ref.get_state(), port.get_state())
        if bad:
            return f"seed {seed} step {k} a={a.tolist()}: " + "; ".join(str(m) for m in bad[:4])
        if r.terminated or r.truncated:
            return None
    return None


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["gen1customgame", "gen1randombattle"])
def test_seeded_battles_are_lockstep_exact(fmt):
    ref, port = _pair(fmt)
    fails = [f for f in (first_divergence(ref, port, s) for s in range(N_BATTLES)) if f]
    assert not fails, f"{len(fails)}/{N_BATTLES} battles diverged; first: {fails[0]}"

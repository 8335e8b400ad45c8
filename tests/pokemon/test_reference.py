"""ts_showdown, the pokemon reference, on its own: built, deterministic, injectable, tape-checkable.

Default run: a few battles per check (about a minute on 2 cores). ``--run-slow`` runs the deep
versions (100 tape replays, hundreds of round trips with coverage teams).
"""
import json
import os
import re
import signal
import struct
import subprocess

import numpy as np
import pytest

from adapters.ts_showdown import TsShowdown
from equiv import AdapterError, Discrete
from reference_envs.ts_showdown import client
from suites.pokemon import SUITE
from suites.pokemon.schema import N_ACTIONS, STATE, load_data

SPACE = Discrete(N_ACTIONS, players=2)


@pytest.fixture(scope="module", autouse=True)
def built():
    problem = TsShowdown.missing()
    if problem:
        pytest.fail(f"the ts_showdown reference is not usable: {problem}")


def random_actions(env, seed, steps):
    """Reset ``env`` to ``seed`` and play up to ``steps`` uniform random joint actions."""
    rng = np.random.default_rng([seed, 3])
    env.reset(seed)
    acts, states = [], [env.get_state()]
    for _ in range(steps):
        a = SPACE.sample(rng, env.legal_actions())
        out = env.step(a)
        acts.append(a)
        states.append(env.get_state())
        if out.terminated or out.truncated:
            break
    return acts, states


def assert_same_state(a, b, where):
    diff = [m for m in STATE.compare(a, b)]
    assert not diff, f"{where}: " + "; ".join(str(m) for m in diff[:5])


# --- the data file --------------------------------------------------------------------------
def test_data_file_exported_from_showdown():
    data = load_data()
    assert data["showdown_version"] == client.SHOWDOWN_VERSION
    assert [s["num"] for s in data["species"][1:]] == list(range(1, 152))
    assert [m["num"] for m in data["moves"][1:166]] == list(range(1, 166))
    assert [m["id"] for m in data["moves"][166:]] == ["recharge", "fight", "nomove", "cannotmove"]
    chart = np.asarray(data["type_chart"]["damage_taken"])
    t = {name: i for i, name in enumerate(data["types"])}
    assert chart[t["Ghost"], t["Normal"]] == 3 and chart[t["Water"], t["Fire"]] == 2   # immune, resisted
    assert chart[t["Psychic"], t["Ghost"]] == 3  # the gen-1 bug: Ghost does not affect Psychic
    assert len(data["team_pool"]) == 1024 and all(len(team) == 6 for team in data["team_pool"])
    wrap = data["moves"][35]
    assert wrap["id"] == "wrap" and wrap["accuracy"] == 85 and "onTryMove" in wrap["handlers"]


# --- determinism ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["gen1customgame", "gen1randombattle"])
def test_deterministic_across_processes(fmt):
    a, b = TsShowdown(format=fmt), TsShowdown(format=fmt)
    try:
        for seed in (0, 5):
            acts, states = random_actions(a, seed, 400)
            b.reset(seed)
            assert a.bridge.pid != b.bridge.pid
            assert_same_state(states[0], b.get_state(), f"reset({seed})")
            for t, act in enumerate(acts):
                b.step(act)
                assert_same_state(states[t + 1], b.get_state(), f"seed {seed} step {t}")
    finally:
        a.close()
        b.close()


def test_different_seeds_give_different_battles():
    env = TsShowdown()
    try:
        env.reset(1)
        s1 = env.get_state()
        env.reset(2)
        assert STATE.compare(s1, env.get_state())
    finally:
        env.close()


# --- state round trip -------------------------------------------------------------------------------
def roundtrip_failures(fmt, seeds, every=4, continue_steps=6, faults=()):
    """For states reached by random play: set_state(get_state(b)) in a second process, then the
    same actions, must give the same states and outputs as continuing b. Returns the failures."""
    original, restored = TsShowdown(format=fmt), TsShowdown(format=fmt, faults=faults)
    failures = []
    try:
        for seed in seeds:
            acts, states = random_actions(original, seed, 300)
            for k in range(1, len(acts) - 1, every):
                restored.set_state(states[k])
                again = restored.get_state()
                diff = STATE.compare(states[k], again)
                if diff:
                    failures.append(f"seed {seed} step {k}: get_state after set_state: {diff[0]}")
                    continue
                for t in range(k, min(k + continue_steps, len(acts))):
                    restored.step(acts[t])
                    diff = STATE.compare(states[t + 1], restored.get_state())
                    if diff:
                        failures.append(f"seed {seed} step {k}: {t - k + 1} steps after the injection: {diff[0]}")
                        break
    finally:
        original.close()
        restored.close()
    return failures


@pytest.mark.parametrize("fmt", ["gen1customgame", "gen1randombattle"])
def test_set_state_continues_exactly(fmt):
    assert roundtrip_failures(fmt, seeds=[3, 4]) == []


def test_wrong_state_conversion_is_caught_by_the_round_trip():
    # The bridge's "modified_stats_from_stored" fault forgets gen 1's modifiedStats (boosts and the
    # par/brn drops baked into the stats), the trap of injecting Showdown states.
    failures = roundtrip_failures("gen1customgame", seeds=[3, 4, 6], every=2, faults=["modified_stats_from_stored"])
    assert failures, "the round-trip property did not notice a converter that drops modifiedStats"
    assert any("modified_stats" in f for f in failures), failures[:3]


def node_roundtrip(fmt, battles, teams, every=3, fault=None):
    cmd = ["node", "roundtrip_check.js", str(client.DATA_FILE), fmt, str(battles), teams, str(every)]
    if fault:
        cmd.append(fault)
    proc = subprocess.run(cmd, cwd=client.HERE, capture_output=True, text=True, timeout=1800)
    assert proc.stdout.strip(), f"roundtrip_check.js printed nothing; stderr: {proc.stderr[-2000:]}"
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


def test_conversion_keeps_the_protocol_log_identical():
    """Inside Node the protocol log is visible: rebuilt battles must print the same lines."""
    code, summary = node_roundtrip("gen1customgame", 4, "cover")
    assert code == 0 and summary["checks"] > 20, summary
    code, summary = node_roundtrip("gen1customgame", 3, "random", fault="modified_stats_from_stored")
    assert code == 1 and summary["failures"], "the log/state check missed the broken converter"


@pytest.mark.slow
@pytest.mark.parametrize("fmt,teams,battles", [("gen1customgame", "cover", 150), ("gen1customgame", "random", 150),
                                               ("gen1randombattle", "random", 150)])
def test_conversion_deep(fmt, teams, battles):
    code, summary = node_roundtrip(fmt, battles, teams)
    assert code == 0, summary["failures"]


@pytest.mark.slow
def test_set_state_continues_exactly_deep():
    assert roundtrip_failures("gen1randombattle", seeds=range(10, 40), every=3) == []


# --- draw tapes ---------------------------------------------------------------------------------------
def tape_replays(n_battles):
    env = TsShowdown()
    try:
        for seed in range(n_battles):
            acts, states = random_actions(env, 100 + seed, 400)
            tape = env.draw_tape(100 + seed, acts)
            assert len(tape) == len(acts)
            traj = env.replay_tape(100 + seed, acts, tape)
            for t in range(len(acts)):
                got = {k: v[t] for k, v in traj.states.items()}
                assert_same_state(states[t + 1], got, f"battle {seed} step {t} replayed from its tape")
    finally:
        env.close()


def test_tape_replay_reproduces_battles():
    tape_replays(8)


@pytest.mark.slow
def test_tape_replay_100_battles():
    tape_replays(100)


def test_tape_pinpoints_a_changed_draw():
    env = TsShowdown()
    try:
        acts, _ = random_actions(env, 42, 60)
        tape = env.draw_tape(42, acts)
        t = next(i for i, step in enumerate(tape) if len(step["draws"]) >= 2)
        k_in_step = 1
        k = sum(len(s["draws"]) for s in tape[:t]) + k_in_step
        lo, hi, value, site = tape[t]["draws"][k_in_step]
        broken = json.loads(json.dumps(tape))
        broken[t]["draws"][k_in_step][1] = hi + 1  # a port that drew with the wrong bound
        with pytest.raises(client.TapeMismatch) as err:
            env.replay_tape(42, acts, broken)
        msg = str(err.value)
        assert re.match(rf"step {t}: draw #{k}: asked \[{lo},{hi}\) but tape has \[{lo},{hi + 1}\) at \S", msg), msg
        assert site.split(" ")[0] in msg  # the call site of the draw is named
    finally:
        env.close()


def test_tape_with_a_missing_draw_is_caught():
    env = TsShowdown()
    try:
        acts, _ = random_actions(env, 43, 40)
        tape = env.draw_tape(43, acts)
        t = next(i for i, step in enumerate(tape) if step["draws"])
        broken = json.loads(json.dumps(tape))
        del broken[t]["draws"][-1]
        with pytest.raises(client.TapeMismatch, match=rf"step {t}: draw #\d+: asked \[\d+,\d+\) but the tape has no more draws"):
            env.replay_tape(43, acts, broken)
    finally:
        env.close()


# --- the PRNG field is the documented ChaCha20 key ---------------------------------------------------------
def _chacha_block(key_words, nonce=b"LibsodiumDRG"):
    def rotl(x, n):
        return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF

    def quarter(s, a, b, c, d):
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 7)

    init = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574, *key_words, 0, *struct.unpack("<3I", nonce)]
    w = list(init)
    for _ in range(10):
        for a, b, c, d in ((0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
                           (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14)):
            quarter(w, a, b, c, d)
    return struct.pack("<16I", *[(x + y) & 0xFFFFFFFF for x, y in zip(w, init)])


def test_prng_field_is_the_chacha20_key_and_predicts_the_draws():
    env = TsShowdown()
    try:
        acts, states = random_actions(env, 9, 30)
        tape = env.draw_tape(9, acts)
        for t in range(len(acts)):
            key = [int(x) for x in states[t]["prng"]]
            for lo, hi, value, site in tape[t]["draws"]:
                block = _chacha_block(key)
                key = list(struct.unpack("<8I", block[:32]))
                raw = int.from_bytes(block[32:36], "big")
                assert value == lo + (raw * (hi - lo) >> 32), f"step {t}: draw at {site}"
            assert key == [int(x) for x in states[t + 1]["prng"]], f"step {t}: PRNG state after the step"
    finally:
        env.close()


# --- actions, errors, dead processes --------------------------------------------------------------------------
def test_legal_mask_and_illegal_action():
    env = TsShowdown()
    try:
        env.reset(0)
        legal = env.legal_actions()
        assert legal.shape == (2, N_ACTIONS) and legal[:, :4].all() and not legal[:, 4].any()
        with pytest.raises(AdapterError, match=r"p1 action 4 \(switch 1\) is not legal now; legal: move 1"):
            env.step(np.array([4, 0]))
        with pytest.raises(ValueError, match="joint action"):
            env.step(3)
    finally:
        env.close()


def test_killed_node_process_gives_a_clear_error_then_restarts():
    env = TsShowdown()
    try:
        env.reset(0)
        pid = env.bridge.pid
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(AdapterError, match=r"ts_showdown bridge .*(exited|died).*exit status -9") as err:
            env.step(np.array([0, 0]))
        assert "battles it held are lost" in str(err.value)
        with pytest.raises(AdapterError, match="process that has since died"):  # never silently continued elsewhere
            env.step(np.array([0, 0]))
        env.reset(0)  # a fresh process
        assert env.bridge.pid != pid and env.legal_actions()[0, 0]
    finally:
        env.close()


def test_hung_node_process_is_detected_by_timeout():
    bridge = client.Bridge(timeout=1.0)
    try:
        bridge.call({"cmd": "ping"})
        with pytest.raises(AdapterError, match=r"did not answer within 1 s \(hung\)"):
            bridge.call({"cmd": "debug_hang"})
        assert not bridge.alive()
        assert bridge.call({"cmd": "ping"})["pong"]  # the next call starts a fresh process
    finally:
        bridge.close()


def test_rollouts_mark_episodes_cut_by_a_dead_process():
    env = TsShowdown(processes=2)
    calls = {"n": 0}

    def killer(obs, legal, rng):
        calls["n"] += 1
        if calls["n"] == 25:
            os.kill(env.pool[1].pid, signal.SIGKILL)
        return SPACE.sample(rng, legal)

    try:
        trajs = env.rollouts([0, 1, 2, 3], killer, 3000)
        assert any(t.interrupted for t in trajs)
        cut = [t for t in trajs if t.interrupted]
        assert all("exit status -9" in t.interrupted for t in cut), cut[0].interrupted
    finally:
        env.close()


def test_pool_rollouts_equal_single_battles():
    single, pool = TsShowdown(), TsShowdown(processes=2)
    try:
        policy = SUITE.uniform_random()
        a = [single.rollout(s, policy, 3000) for s in (7, 8, 9)]
        b = pool.rollouts([7, 8, 9], policy, 3000)
        for x, y in zip(a, b):
            assert np.array_equal(x.actions, y.actions)
            for k in x.outputs:
                assert np.array_equal(x.outputs[k], y.outputs[k]), k
    finally:
        single.close()
        pool.close()


def test_after_the_end_only_wait_and_it_changes_nothing():
    env = TsShowdown()
    try:
        env.rollout(3, SUITE.uniform_random(), 3000)
        end = env.get_state()
        assert end["ended"] and (env.legal_actions() == [[False] * 13 + [True]] * 2).all()
        out = env.step(np.array([13, 13]))
        assert out.terminated and not STATE.compare(end, env.get_state())
        with pytest.raises(AdapterError, match="battle has ended; only wait"):
            env.step(np.array([0, 0]))
    finally:
        env.close()

"""The batched paths (vmap over battles + lax.scan over steps) give exactly what the one-step path
gives. Slow: they compile the whole engine (about a minute per shape on 2 cores, then cached in
ported_envs/pokejax/build/jax_cache)."""
import numpy as np
import pytest

from suites.pokemon import schema


def _port():
    from adapters.pokejax import PokeJax
    why = PokeJax.missing()
    if why:
        pytest.fail(why)
    return PokeJax(format="gen1customgame")


def _random_actions(port, seed, n):
    """Random legal joint actions played through the one-step path; returns (actions, outputs, states)."""
    rng = np.random.default_rng([seed, 11])
    port.reset(seed)
    acts, outs, states = [], [], []
    for _ in range(n):
        mask = port.legal_actions()
        a = np.array([rng.choice(np.flatnonzero(mask[s])) for s in (0, 1)], np.int32)
        st = port.step(a)
        acts.append(a)
        outs.append(st.outputs(port.legal_actions()))
        states.append(port.get_state())
        if st.terminated or st.truncated:
            break
    return np.array(acts), outs, states


@pytest.mark.slow
def test_replays_match_the_one_step_path():
    port = _port()
    seeds = [0, 1, 2]
    runs = [_random_actions(port, s, 80) for s in seeds]
    trajs = port.replays(seeds, [r[0] for r in runs], record_states=True)
    for seed, (acts, outs, states), tr in zip(seeds, runs, trajs):
        assert tr.interrupted is None and tr.length == len(acts), (seed, tr.interrupted, tr.length)
        for k in range(len(acts)):
            for name, want in outs[k].items():
                assert np.array_equal(tr.outputs[name][k], want), (seed, k, name)
            bad = schema.STATE.compare(states[k], {f: v[k] for f, v in tr.states.items()})
            assert not bad, (seed, k, bad[:3])


@pytest.mark.slow
def test_replay_flags_an_illegal_action_and_first_policy_rollouts_end():
    port = _port()
    (tr,) = port.replays([0], [np.array([[13, 13]] * 3)], record_states=False)  # wait is not legal at a move request
    assert tr.length == 0 and "not legal" in tr.interrupted
    from equiv import Policy
    first = Policy("first", lambda obs, legal, rng: None)
    trajs = port.rollouts([0, 1], first, max_steps=3000)
    for tr in trajs:
        assert tr.interrupted is None
        assert tr.outputs["terminated"][-1] or tr.outputs["truncated"][-1]
        legal = np.concatenate([np.ones((1, 2, schema.N_ACTIONS), bool), tr.outputs["legal"][:-1]])
        first_legal = np.argmax(legal, axis=-1)
        assert np.array_equal(tr.actions[1:], first_legal[1:])

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


@pytest.mark.slow
def test_a_battle_needing_more_draws_than_the_short_buffer_is_restepped_exactly():
    """The batch step pre-draws a short PRNG buffer and re-steps the batch with the full one when a
    battle overflows it. With a 2-draw short buffer (turn 1 alone takes more) the result must equal
    the default's, step for step; without the re-step the overflow shows."""
    import jax
    import jax.numpy as jnp
    from ported_envs.pokejax import engine
    from ported_envs.pokejax.env import make_play, stack_states
    env = _port().env
    states = stack_states([env.initial_state(s) for s in range(8)])
    keys = jax.random.split(jax.random.PRNGKey(5), 40 * 8).reshape(40, 8, 2)
    tiny = engine.make_batch_step(env.tables, env.kind, format=env.format, short=2)
    runs = [make_play(step, 1000, True, "random")(states, keys) for step in (tiny, env.step_batch)]
    (_, got), (_, want) = runs
    assert not np.any(want["overflow"]) and not np.any(got["overflow"])
    for name in want:
        for a, b in zip(jax.tree.leaves(got[name]), jax.tree.leaves(want[name])):
            assert np.array_equal(np.asarray(a), np.asarray(b)), name
    first_only = jax.jit(jax.vmap(engine.make_step(env.tables, env.kind, format=env.format, batched=True, draws=2)))
    _, (_, over) = first_only(states, jnp.asarray(np.asarray(want["actions"][0])))
    assert np.any(np.asarray(over)), "turn 1 should need more than 2 draws (the re-step above was not exercised)"

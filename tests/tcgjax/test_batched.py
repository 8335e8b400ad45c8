"""tcgjax's batched paths agree with its single steps: native random rollouts, replays from seeds and
from injected states, padding of odd batch sizes, and finished games staying put inside a scan."""
import numpy as np

from adapters.tcgjax import TcgJax
from equiv import Policy


def single_steps(ad, start, actions):
    """Play ``actions`` one jitted step at a time; per step (state, view, actor, reward, mask)."""
    if isinstance(start, dict):
        ad.set_state(start)
    else:
        ad.reset(start)
    rows = []
    for a in actions:
        out = ad.step(int(a))
        rows.append((ad.get_state(), out.obs["view"], int(out.obs["actor"]), out.reward, ad.legal_actions()))
    return rows


def assert_same(traj, rows):
    assert traj.length == len(rows) and traj.interrupted is None
    for t, (state, view, actor, reward, mask) in enumerate(rows):
        for k, v in state.items():
            assert np.array_equal(traj.states[k][t], v), (t, k)
        assert np.array_equal(traj.outputs["obs.view"][t], view), t
        assert int(traj.outputs["obs.actor"][t]) == actor and np.array_equal(traj.outputs["reward"][t], reward)
        assert np.array_equal(traj.outputs["legal"][t], mask), t


def test_native_random_rollouts_replay_step_by_step():
    ad = TcgJax("C-Dragon-Lightning", "D-Psychic")
    seeds = [3, 1, 4, 1, 5]                               # 5 games (a padded batch of 8), a repeated seed
    trajs = ad.rollouts(seeds, Policy("random", None), 2048, record_states=True)
    assert [t.seed for t in trajs] == seeds
    for seed, traj in zip(seeds, trajs):
        assert traj.outputs["terminated"][-1] and not traj.outputs["terminated"][:-1].any()
        assert all(traj.outputs["legal"][t - 1][a] if t else True for t, a in enumerate(traj.actions))
        assert_same(traj, single_steps(TcgJax("C-Dragon-Lightning", "D-Psychic"), seed, traj.actions))
    assert np.array_equal(trajs[1].actions, trajs[3].actions)   # the policy's draws depend on the seed only
    assert not np.array_equal(trajs[0].actions, trajs[1].actions)


def test_replays_from_states_and_seeds_together():
    ad = TcgJax("E-Fighting", "F-Grass-Poison")
    first = ad.rollouts([11], Policy("random", None), 2048, record_states=True)[0]
    mid = first.length // 2
    start = {k: v[mid - 1] for k, v in first.states.items()}
    rest = first.actions[mid:]
    trajs = ad.replays([start, 11, 12], [rest, first.actions[:10], []], record_states=True)
    assert_same(trajs[0], single_steps(TcgJax("E-Fighting", "F-Grass-Poison"), start, rest))
    assert_same(trajs[1], single_steps(TcgJax("E-Fighting", "F-Grass-Poison"), 11, first.actions[:10]))
    assert trajs[2].length == 0 and trajs[2].seed == 12


def test_a_replay_stops_at_an_illegal_action_and_says_why():
    ad = TcgJax("A-Fire", "B-Water")
    traj = ad.replays([12345], [[0, 0, 0]])[0]             # END is illegal before an Active is placed
    assert traj.length == 0 and "END" in traj.interrupted and "not legal" in traj.interrupted


def test_finished_games_stay_put_in_a_long_scan():
    ad = TcgJax("B-Water", "C-Dragon-Lightning")
    traj = ad.rollouts([31337], Policy("random", None), 1000, record_states=True)[0]
    longer = ad.replays([31337], [np.concatenate([traj.actions, np.zeros(300, np.int64)])], record_states=True)[0]
    assert longer.length == traj.length                   # the replay stops at the terminal step
    assert int(longer.states["phase"][-1]) == 3


def test_an_over_state_is_a_fixed_point_of_step_for_every_action():
    """Finished games stay put inside a batch because no action changes an OVER state (each action
    kind is gated by its phase), not because of a select after the step."""
    import jax
    ad = TcgJax("A-Fire", "B-Water")
    traj = ad.rollouts([7], Policy("random", None), 2048, record_states=True)[0]
    over = {k: v[-1] for k, v in traj.states.items()}
    assert int(over["phase"]) == 3
    from ported_envs.tcgjax.state import from_numpy
    st = from_numpy(over)
    step = jax.jit(jax.vmap(ad.env.E.step, in_axes=(None, 0)))
    nxt, reward = step(st, np.arange(-1, 73, dtype=np.int32))
    for k, v in over.items():
        assert (np.asarray(nxt[k]) == v).all(), k
    assert not np.asarray(reward).any()


def test_random_policy_picks_the_kth_legal_action():
    """The native random policy: legal action number (key mod n_legal), ascending; 0 when none."""
    import jax
    import jax.numpy as jnp
    from ported_envs.tcgjax.play import random_legal
    rng = np.random.default_rng(0)
    pick = jax.jit(jax.vmap(random_legal))
    for density in (0.0, 0.02, 0.3, 1.0):
        masks = rng.random((256, 72)) < density
        keys = rng.integers(0, 2 ** 32, 256, dtype=np.uint32)
        out = np.asarray(pick(jnp.asarray(masks), jnp.asarray(keys)))
        for m, k, a in zip(masks, keys, out):
            legal = np.flatnonzero(m)
            assert a == (legal[k % len(legal)] if len(legal) else 0)

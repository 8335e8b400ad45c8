"""The exact reset of spec §5.4 on tcgjax: the full reset vectors of §5.6 and the state of §9.1."""
import jax
import numpy as np
import pytest

from ported_envs.tcgjax import cards
from ported_envs.tcgjax.engine import Engine
from ported_envs.tcgjax.rules import Rules
from ported_envs.tcgjax.state import SETUP, to_numpy
from tests.tcgjax.port import TEST_DECK_T

W, L, R, P, F, G = (cards.TYPES[x] for x in "WLRPFG")

# seed, deck0, deck1, first, next, ctr (1 + 19 per opening attempt + 2), hand0, deck0, hand1, deck1
VECTORS = [
    (12345, "A-Fire", "B-Water", 1, [R, W], 41,
     [10, 6, 54, 56, 9], [59, 10, 61, 52, 52, 7, 5, 4, 63, 56, 8, 6, 5, 4, 9],
     [13, 11, 15, 56, 18], [14, 52, 49, 13, 16, 14, 12, 11, 52, 17, 12, 63, 58, 58, 56]),
    (7, "C-Dragon-Lightning", "D-Psychic", 1, [L, P], 41,
     [45, 20, 56, 55, 44], [21, 52, 56, 23, 45, 52, 20, 46, 63, 46, 50, 44, 24, 22, 61],
     [63, 28, 32, 61, 25], [27, 28, 56, 29, 27, 26, 30, 51, 25, 47, 52, 26, 49, 56, 31]),
    (2024, "E-Fighting", "F-Grass-Poison", 0, [F, G], 41,
     [52, 34, 56, 33, 62], [62, 36, 34, 38, 52, 37, 38, 39, 35, 53, 33, 37, 35, 48, 56],
     [40, 52, 43, 56, 56], [52, 40, 57, 64, 3, 2, 65, 42, 1, 60, 41, 1, 3, 43, 42]),
    # deck T needs 3 opening shuffles (attempts [3, 1]): 1 + 19 * 4 + 2 = 79 draws
    (1, TEST_DECK_T, "B-Water", 1, [L, W], 79,
     [49, 51, 54, 44, 51], [56, 53, 50, 54, 45, 45, 55, 50, 56, 53, 55, 46, 61, 49, 46],
     [12, 17, 11, 56, 11], [52, 49, 13, 14, 63, 58, 13, 56, 52, 15, 18, 12, 58, 16, 14]),
]

ENGINE = Engine()
RESET = jax.jit(ENGINE.reset)


def reset(seed, d0, d1, fn=RESET) -> dict:
    return to_numpy(fn(np.uint32(seed), *cards.deck_arrays(d0, d1)))


@pytest.mark.parametrize("v", VECTORS, ids=[str(v[0]) for v in VECTORS])
def test_reset_vectors(v):
    seed, d0, d1, first, nxt, ctr, h0, k0, h1, k1 = v
    s = reset(seed, d0, d1)
    assert int(s["first_player"]) == first
    assert s["zone_next"].tolist() == nxt and s["zone_cur"].tolist() == [0, 0]
    assert int(s["rng_ctr"]) == ctr
    assert s["hand"][0, :5].tolist() == h0 and s["hand"][1, :5].tolist() == h1
    assert s["deck"][0, :15].tolist() == k0 and s["deck"][1, :15].tolist() == k1


def test_state_right_after_reset():
    """§9.1 'State right after reset'."""
    s = reset(12345, "A-Fire", "B-Water")
    assert s["rng_ctr"].dtype == np.uint32 and s["rng_key"].dtype == np.uint32 and s["turn"].dtype == np.int32
    assert int(s["rng_key"]) == 0x6F6344E1
    assert int(s["phase"]) == SETUP and int(s["setup_player"]) == int(s["turn_player"]) == int(s["first_player"])
    assert int(s["turn"]) == 0 and int(s["result"]) == -1 and s["points"].tolist() == [0, 0]
    for flag in ("supporter_played", "retreated", "retreat_red", "giovanni", "blaine", "hand_revealed",
                 "pend_len", "resume"):
        assert int(s[flag]) == 0, flag
    assert s["blue_until"].tolist() == [-1, -1]
    assert not s["card"].any() and not s["dmg"].any() and not s["under"].any() and not s["energy"].any()
    assert (s["ability_turn"] == -1).all() and (s["growl_until"] == -1).all()
    assert s["deck_size"].tolist() == [15, 15] and s["hand_size"].tolist() == [5, 5]
    assert not s["deck"][:, 15:].any() and not s["hand"][:, 5:].any() and not s["discard"].any()
    assert s["etypes"].tolist() == [[R, 0, 0], [W, 0, 0]] and s["n_etypes"].tolist() == [1, 1]
    assert not s["pend_kind"].any() and not s["pend_player"].any() and not s["pend_count"].any()


def test_reset_is_vmappable_and_matches_single_resets():
    batch = jax.jit(jax.vmap(ENGINE.reset, in_axes=(0, None, None, None)))
    seeds = np.array([12345, 7, 1, 99], np.uint32)
    out = batch(seeds, *cards.deck_arrays(TEST_DECK_T, "B-Water"))
    for i, seed in enumerate(seeds):
        one = reset(seed, TEST_DECK_T, "B-Water")
        for k, v in one.items():
            assert np.array_equal(np.asarray(out[k][i]), v), k


def test_opening_fallback_swaps_the_first_basic_to_the_top():
    """§5.4 step 3 'else' branch: after the cap, the Basic with the lowest array index is swapped into
    a[19]. Reached here by lowering the cap to 1 on a seed whose first shuffle of deck T has no Basic
    on top (the 3-attempt opening of VECTORS)."""
    capped = jax.jit(Engine(Rules(opening_attempt_cap=1)).reset)
    s = reset(1, TEST_DECK_T, "B-Water", capped)
    assert int(s["rng_ctr"]) == 1 + 19 + 19 + 2                     # one shuffle per player
    hand = s["hand"][0, :5].tolist()
    assert hand[0] == 44 and sum(1 for c in hand if c == 44) == 1    # Dratini (the only Basic) on top
    assert sorted(s["deck"][0, :15].tolist() + hand) == sorted(TEST_DECK_T.cards)


def test_decks_are_checked_against_r_1_1():
    with pytest.raises(ValueError, match="R-1.1.2"):
        cards.make_deck("three Potions", "W", [11] * 3 + [49] * 17)
    with pytest.raises(ValueError, match="R-1.1.1"):
        cards.make_deck("short", "W", [11] * 2)
    with pytest.raises(ValueError, match="R-1.1.3"):
        cards.make_deck("no Basic", "W", [49, 49, 50, 50, 51, 51, 52, 52, 53, 53, 54, 54, 55, 55, 56, 56, 57, 58,
                                          59, 60])
    with pytest.raises(ValueError, match="R-1.1.4"):
        cards.make_deck("colorless", "C", TEST_DECK_T.cards)
    with pytest.raises(ValueError, match="unknown deck"):
        cards.deck("Z-Nothing")


def test_module_level_functions_jit_and_vmap():
    """The gymnax-style API: reset(seed, deck0, deck1), legal_mask, step, observe, done."""
    from functools import partial

    import jax.numpy as jnp

    import ported_envs.tcgjax as tcg
    seeds = jnp.asarray([12345, 7], jnp.uint32)
    s = jax.jit(jax.vmap(partial(tcg.reset, deck0="A-Fire", deck1="B-Water")))(seeds)
    assert np.asarray(s["first_player"]).tolist() == [1, 1] and int(s["rng_ctr"][0]) == 41
    masks = jax.vmap(tcg.legal_mask)(s)
    first_basic = jnp.argmax(masks, axis=1)                        # a Basic to the Active Spot
    s2, reward = jax.jit(jax.vmap(tcg.step))(s, first_basic)
    views = jax.vmap(tcg.observe)(s2, s2["setup_player"])
    assert views.shape == (2, 416) and not np.asarray(reward).any() and not np.asarray(tcg.done(s2)).any()
    assert (np.asarray(s2["card"]).sum(axis=(1, 2)) > 0).all()

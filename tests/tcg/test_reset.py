"""The exact reset of spec §5.4 against the full reset vectors of §5.6."""
import numpy as np
import pytest

from reference_envs.tcg_python import TcgEngine, make_deck
from reference_envs.tcg_python.cards import TYPES
from reference_envs.tcg_python.state import SETUP

W, L, R, P, F, G = (TYPES[x] for x in "WLRPFG")
TEST_DECK_T = make_deck("T", "WL", [44, 45, 45, 46, 46, 49, 49, 50, 50, 51, 51, 53, 53, 54, 54, 55, 55, 56, 56, 61])

# seed, deck0, deck1, first, attempts, next, ctr, hand0, deck0 list, hand1, deck1 list
VECTORS = [
    (12345, "A-Fire", "B-Water", 1, (1, 1), [R, W], 41,
     [10, 6, 54, 56, 9], [59, 10, 61, 52, 52, 7, 5, 4, 63, 56, 8, 6, 5, 4, 9],
     [13, 11, 15, 56, 18], [14, 52, 49, 13, 16, 14, 12, 11, 52, 17, 12, 63, 58, 58, 56]),
    (7, "C-Dragon-Lightning", "D-Psychic", 1, (1, 1), [L, P], 41,
     [45, 20, 56, 55, 44], [21, 52, 56, 23, 45, 52, 20, 46, 63, 46, 50, 44, 24, 22, 61],
     [63, 28, 32, 61, 25], [27, 28, 56, 29, 27, 26, 30, 51, 25, 47, 52, 26, 49, 56, 31]),
    (2024, "E-Fighting", "F-Grass-Poison", 0, (1, 1), [F, G], 41,
     [52, 34, 56, 33, 62], [62, 36, 34, 38, 52, 37, 38, 39, 35, 53, 33, 37, 35, 48, 56],
     [40, 52, 43, 56, 56], [52, 40, 57, 64, 3, 2, 65, 42, 1, 60, 41, 1, 3, 43, 42]),
    (1, TEST_DECK_T, "B-Water", 1, (3, 1), [L, W], 79,
     [49, 51, 54, 44, 51], [56, 53, 50, 54, 45, 45, 55, 50, 56, 53, 55, 46, 61, 49, 46],
     [12, 17, 11, 56, 11], [52, 49, 13, 14, 63, 58, 13, 56, 52, 15, 18, 12, 58, 16, 14]),
]


@pytest.mark.parametrize("v", VECTORS, ids=[str(v[0]) for v in VECTORS])
def test_reset_vectors(v):
    seed, d0, d1, first, attempts, nxt, ctr, h0, k0, h1, k1 = v
    e = TcgEngine()
    e.reset(seed, d0, d1)
    s = e.get_state()
    assert int(s["first_player"]) == first
    assert e.opening_attempts == attempts
    assert s["zone_next"].tolist() == nxt and s["zone_cur"].tolist() == [0, 0]
    assert int(s["rng_ctr"]) == ctr
    assert s["hand"][0, :5].tolist() == h0 and s["hand"][1, :5].tolist() == h1
    assert s["deck"][0, :15].tolist() == k0 and s["deck"][1, :15].tolist() == k1


def test_state_right_after_reset():
    """§9.1 'State right after reset'."""
    e = TcgEngine()
    e.reset(12345, "A-Fire", "B-Water")
    s = e.get_state()
    assert s["rng_ctr"].dtype == np.uint32 and s["rng_key"].dtype == np.uint32 and s["turn"].dtype == np.int32
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


def test_unknown_deck_is_named():
    with pytest.raises(ValueError, match="Z-Nothing.*sample decks"):
        TcgEngine().reset(1, "Z-Nothing", "A-Fire")


def test_illegal_deck_is_refused():
    with pytest.raises(ValueError, match="R-1.1.2"):
        make_deck("three Potions", "W", [11] * 3 + [49] * 17)
    with pytest.raises(ValueError, match="R-1.1.1"):
        make_deck("short", "W", [11] * 2)

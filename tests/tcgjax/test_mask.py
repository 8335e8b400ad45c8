"""The exact legal mask of spec §9.4 on tcgjax, and the adapter's errors for illegal actions."""
import numpy as np
import pytest

from adapters.tcgjax import TcgJax
from equiv import AdapterError
from suites.tcg.scenarios import pokemon, scenario
from tests.tcgjax.port import port_at

END = 0
TELEPORT, INFERNO_DANCE, SABRINA_SWITCH, WATER_SHURIKEN, STRETCH_KICK = 3, 4, 2, 5, 6


def attach(k):
    return 1 + k


def play(i, t=4):
    return 5 + 5 * i + t


def ability(k):
    return 55 + k


def retreat(b):
    return 58 + b


def attack(a):
    return 62 + a


def own_slot(k):
    return 64 + k


def opp_slot(k):
    return 68 + k


def legal(state) -> set:
    return {int(a) for a in np.flatnonzero(port_at(state).legal_actions())}


def main(p0_slots, p1_slots=None, hand=(), deck0="A-Fire", deck1="B-Water", turn=5, **kw):
    p0 = {"slots": p0_slots, "hand": list(hand)}
    p0.update(kw.pop("p0", {}))
    return scenario(deck0, deck1, turn=turn, turn_player=0,
                    p0=p0, p1={"slots": p1_slots or {0: pokemon("Froakie")}, **kw.pop("p1", {})}, **kw)


def test_setup_mask():
    ad = TcgJax("A-Fire", "B-Water")
    ad.reset(12345)        # player 1 sets up first: hand Greninja, Froakie, Staryu, Research, Cloyster
    assert set(np.flatnonzero(ad.legal_actions())) == {play(1), play(2)}   # Basics only, t = 4; no END yet
    ad.step(play(1))
    assert ad.get_state()["card"][1, 0] == 11 and ad.legal_actions()[END]
    ad.step(play(1))                                                       # Staryu (now hand slot 1): Bench
    assert ad.get_state()["card"][1, 1] == 15
    out = ad.step(END)
    assert int(out.obs["actor"]) == 0 and not ad.legal_actions()[END]      # now player 0 sets up


def test_setup_stops_at_four_pokemon():
    ad = TcgJax("D-Psychic", "D-Psychic")
    ad.reset(3)
    s = ad.get_state()
    p = int(s["setup_player"])
    s["hand"][p, :5] = [25, 25, 28, 28, 47]                                # five Basics
    ad.set_state(s)
    for _ in range(4):
        ad.step(play(0))
    assert not ad.legal_actions()[5:55].any() and ad.legal_actions()[END]


def test_main_basics_and_attach():
    s = main({0: pokemon("Magmar")}, hand=["Charmander", "Charmeleon", "Giovanni"], p0={"zone_cur": "R"})
    assert legal(s) == {END, attach(0), play(0), play(2)}              # no evolve onto Magmar
    s.players[0].zone_cur = 0
    assert attach(0) not in legal(s)


def test_bench_full_blocks_basics():
    s = main({0: pokemon("Magmar"), 1: pokemon("Slugma"), 2: pokemon("Slugma"), 3: pokemon("Charmander")},
             hand=["Charmander"])
    assert play(0) not in legal(s)


def test_targeted_trainers():
    s = main({0: pokemon("Magmar", dmg=10), 1: pokemon("Slugma"), 2: pokemon("Charmander", tool="Giant Cape")},
             hand=["Potion", "Giant Cape"])
    assert {a for a in legal(s) if 5 <= a < 15} == {play(0, 0), play(1, 0), play(1, 1)}


def test_erika_misty_brock_targets():
    s = scenario("F-Grass-Poison", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Bulbasaur", dmg=20), 1: pokemon("Grimer", dmg=20),
                               2: pokemon("Bulbasaur")}, "hand": ["Erika"]},
                 p1={"slots": {0: pokemon("Froakie")}})
    assert {a for a in legal(s) if 5 <= a < 55} == {play(0, 0)}          # damaged and Grass only
    s = scenario("B-Water", "E-Fighting", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Froakie"), 1: pokemon("Staryu")}, "hand": ["Misty"]},
                 p1={"slots": {0: pokemon("Onix")}})
    assert {a for a in legal(s) if 5 <= a < 55} == {play(0, 0), play(0, 1)}
    s = scenario("E-Fighting", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Geodude"), 1: pokemon("Onix")}, "hand": ["Brock"]},
                 p1={"slots": {0: pokemon("Froakie")}})
    assert {a for a in legal(s) if 5 <= a < 55} == {play(0, 1)}
    s.players[0].slots[1].card = 33                                   # no Golem/Onix: Brock unplayable
    assert not {a for a in legal(s) if 5 <= a < 55}


def test_supporter_once_per_turn_and_conditions():
    s = main({0: pokemon("Magmar")}, {0: pokemon("Froakie")}, hand=["Sabrina", "Professor's Research"])
    assert play(0) not in legal(s) and play(1) in legal(s)            # Sabrina needs an opposing Bench
    s.players[1].slots[1] = s.players[1].slots[0].copy()
    assert play(0) in legal(s)
    s.supporter_played = 1
    assert play(0) not in legal(s) and play(1) not in legal(s)
    s.supporter_played, s.turn = 0, 1                                 # §8 A2: a Supporter on turn 1 is fine
    assert play(1) in legal(s)


def test_koga_needs_muk_or_weezing_and_a_bench():
    s = scenario("F-Grass-Poison", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Weezing", under=("Koffing",))}, "hand": ["Koga"]},
                 p1={"slots": {0: pokemon("Froakie")}})
    assert play(0) not in legal(s)
    s.players[0].slots[2] = s.players[0].slots[0].copy()
    assert play(0) in legal(s)
    s.players[0].slots[0].card = 42                                   # Koffing Active
    assert play(0) not in legal(s)


def test_abilities():
    s = scenario("F-Grass-Poison", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Bulbasaur"), 1: pokemon("Weezing", under=("Koffing",))}},
                 p1={"slots": {0: pokemon("Froakie")}})
    assert ability(1) not in legal(s)                                  # Gas Leak only from the Active Spot
    s.players[0].slots[0], s.players[0].slots[1] = s.players[0].slots[1], s.players[0].slots[0]
    assert ability(0) in legal(s)
    s.players[0].slots[0].ability_turn = 5
    assert ability(0) not in legal(s)                                  # once per turn
    s = scenario("D-Psychic", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Jigglypuff"), 2: pokemon("Gardevoir", under=("Ralts", "Kirlia"))}},
                 p1={"slots": {0: pokemon("Froakie")}})
    assert ability(2) not in legal(s)                                  # Psy Shadow needs a P-type Active
    s.players[0].slots[0].card = 25
    assert ability(2) in legal(s)
    s.players[0].slots[0].status[2] = 1                                # Asleep does not block Abilities
    assert ability(2) in legal(s)
    s = scenario("B-Water", "A-Fire", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Cloyster", under=("Shellder",))}},
                 p1={"slots": {0: pokemon("Magmar")}})
    assert not any(a in legal(s) for a in range(55, 59))               # Shell Armor is passive


def test_retreat_rules():
    s = main({0: pokemon("Magmar", energy="R"), 2: pokemon("Slugma")})
    assert retreat(2) not in legal(s)                                  # cost 2, one Energy
    s.retreat_red = 1
    assert {retreat(2)} == {a for a in legal(s) if 59 <= a <= 61}
    s.retreat_red = 0
    s.players[0].slots[0].energy = [0, 2, 0, 0, 0, 0, 0, 0]
    assert retreat(2) in legal(s)
    for flag in ("asleep", "paralyzed"):
        s.players[0].slots[0].status = [0, 0, int(flag == "asleep"), int(flag == "paralyzed"), 0]
        assert retreat(2) not in legal(s)
    s.players[0].slots[0].status = [1, 1, 0, 0, 1]                     # Poisoned, Burned, Confused may retreat
    assert retreat(2) in legal(s)
    s.retreated = 1
    assert retreat(2) not in legal(s)


def test_retreat_zero_cost_and_discard_order():
    s = scenario("B-Water", "A-Fire", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Starmie ex", under=("Staryu",)), 1: pokemon("Froakie")}},
                 p1={"slots": {0: pokemon("Magmar")}})
    assert retreat(1) in legal(s)                                      # cost 0, no Energy needed
    s = scenario("A-Fire", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Magmar", energy="RRGW"), 1: pokemon("Slugma")}},
                 p1={"slots": {0: pokemon("Froakie")}})
    ad = port_at(s)
    ad.step(retreat(1))                                                # G, then W, never R first
    out = ad.get_state()
    assert out["energy"][0, 1].tolist() == [0, 2, 0, 0, 0, 0, 0, 0] and out["card"][0, 1] == 7
    assert int(out["retreated"]) == 1


def test_attack_costs():
    s = main({0: pokemon("Magmar", energy="RW")})
    assert attack(0) not in legal(s)                                   # RR needs two Fire
    s.players[0].slots[0].energy = [0, 2, 0, 0, 0, 0, 0, 0]
    assert attack(0) in legal(s) and attack(1) not in legal(s)         # Magmar has one attack
    s.players[0].slots[0].status = [0, 0, 0, 1, 0]
    assert attack(0) not in legal(s)
    s = scenario("A-Fire", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Charizard ex", under=("Charmander", "Charmeleon"), energy="RRW")}},
                 p1={"slots": {0: pokemon("Froakie")}})
    assert attack(0) in legal(s) and attack(1) not in legal(s)         # RCC yes, RRCC needs 4 in total


def test_choice_masks():
    base = dict(p0_slots={0: pokemon("Moltres ex"), 1: pokemon("Slugma"), 2: pokemon("Froakie")},
                p1_slots={0: pokemon("Froakie"), 3: pokemon("Staryu")}, phase=2)
    assert legal(main(**base, pending=[[TELEPORT, 0, 1]])) == {own_slot(1), own_slot(2)}
    assert legal(main(**base, pending=[[INFERNO_DANCE, 0, 2]])) == {own_slot(1)}      # Fire only
    assert legal(main(**base, pending=[[SABRINA_SWITCH, 1, 1]])) == {own_slot(3)}     # the opponent answers
    assert legal(main(**base, pending=[[WATER_SHURIKEN, 0, 1]])) == {opp_slot(0), opp_slot(3)}
    assert legal(main(**base, pending=[[STRETCH_KICK, 0, 1]])) == {opp_slot(3)}


def test_illegal_action_names_action_and_actor():
    ad = TcgJax("A-Fire", "B-Water")
    ad.reset(12345)
    with pytest.raises(AdapterError, match=r"action 0 \(END\) is not legal for player 1"):
        ad.step(END)
    with pytest.raises(AdapterError, match=r"action 12 \(PLAY_HAND\(i=1, t=2\)\).*player 1"):
        ad.step(play(1, 2))
    with pytest.raises(AdapterError, match="not an action index"):
        ad.step(72)
    with pytest.raises(AdapterError, match="not an action index"):
        ad.step("END")


def test_no_action_after_the_end():
    ad = TcgJax("A-Fire", "B-Water")
    ad.reset(1)
    s = ad.get_state()
    s["phase"], s["result"] = np.int32(3), np.int32(2)
    ad.set_state(s)
    assert not ad.legal_actions().any()
    with pytest.raises(AdapterError, match="game is over"):
        ad.step(END)


def test_bad_state_and_settings_are_named():
    ad = TcgJax()
    with pytest.raises(AdapterError, match="reset"):
        ad.get_state()
    ad.reset(1)
    s = ad.get_state()
    del s["blue_until"]
    with pytest.raises(ValueError, match="blue_until"):
        ad.set_state(s)
    s = ad.get_state()
    s["hand"] = np.zeros((2, 9), np.int32)
    with pytest.raises(ValueError, match="hand.*shape"):
        ad.set_state(s)
    with pytest.raises(ValueError, match="frameskip"):
        TcgJax(frameskip=4)
    with pytest.raises(ValueError, match="unknown deck"):
        TcgJax("Z-Nothing", "A-Fire")

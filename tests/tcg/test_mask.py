"""The exact legal mask of spec §9.4, and errors for illegal actions."""
import pytest

from reference_envs.tcg_python import IllegalActionError, TcgEngine
from reference_envs.tcg_python.actions import END, ability, attach, attack, describe, opp_slot, own_slot, play, retreat
from reference_envs.tcg_python.state import (INFERNO_DANCE, SABRINA_SWITCH, STRETCH_KICK, TELEPORT,
                                             WATER_SHURIKEN, to_canonical)
from suites.tcg.scenarios import pokemon, scenario


def legal(state) -> set[int]:
    e = TcgEngine()
    e.set_state(to_canonical(state))
    return {a for a, ok in enumerate(e.legal_mask()) if ok}


def main(p0_slots, p1_slots=None, hand=(), deck0="A-Fire", deck1="B-Water", turn=5, **kw):
    p0 = {"slots": p0_slots, "hand": list(hand)}
    p0.update(kw.pop("p0", {}))
    return scenario(deck0, deck1, turn=turn, turn_player=0,
                    p0=p0, p1={"slots": p1_slots or {0: pokemon("Froakie")}, **kw.pop("p1", {})}, **kw)


def test_setup_mask():
    e = TcgEngine()
    e.reset(12345, "A-Fire", "B-Water")      # player 1 sets up first: hand Greninja, Froakie, Staryu, PR, Cloyster
    mask = e.legal_mask()
    assert {a for a in range(72) if mask[a]} == {play(1), play(2)}    # Basics only, t = 4; no END yet
    e.step(play(1))
    assert e.g.players[1].slots[0].card == 11 and e.legal_mask()[END]
    e.step(play(1))                                                   # Staryu (shifted to slot 1) to the Bench
    assert e.g.players[1].slots[1].card == 15
    e.step(END)
    assert e.actor == 0 and not e.legal_mask()[END]                   # now player 0 sets up


def test_setup_stops_at_four_pokemon():
    e = TcgEngine()
    e.reset(3, "D-Psychic", "D-Psychic")
    e.g.players[e.actor].hand = [25, 25, 28, 28, 47]                  # five Basics
    for _ in range(4):
        e.step(play(0))
    assert not any(e.legal_mask()[5:55]) and e.legal_mask()[END]


def test_main_basics():
    s = main({0: pokemon("Magmar")}, hand=["Charmander", "Charmeleon", "Giovanni"], p0={"zone_cur": "R"})
    acts = legal(s)
    assert {END, attach(0), play(0), play(2)} == acts                 # no evolve onto Magmar, no bench targets
    s.players[0].zone_cur = 0
    assert attach(0) not in legal(s)


def test_bench_full_blocks_basics():
    s = main({0: pokemon("Magmar"), 1: pokemon("Slugma"), 2: pokemon("Slugma"), 3: pokemon("Charmander")},
             hand=["Charmander"])
    assert play(0) not in legal(s)


def test_targeted_trainers():
    s = main({0: pokemon("Magmar", dmg=10), 1: pokemon("Slugma"), 2: pokemon("Charmander", tool="Giant Cape")},
             hand=["Potion", "Giant Cape"])
    acts = legal(s)
    assert {a for a in acts if 5 <= a < 15} == {play(0, 0), play(1, 0), play(1, 1)}


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
    e = TcgEngine()
    e.set_state(to_canonical(s))
    e.step(retreat(1))                                                 # G, then W, never R first
    assert e.g.players[0].slots[1].energy == [0, 2, 0, 0, 0, 0, 0, 0]


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
    e = TcgEngine()
    e.reset(12345, "A-Fire", "B-Water")
    with pytest.raises(IllegalActionError, match=r"action 0 \(END\) is not legal for player 1 in phase SETUP"):
        e.step(END)
    with pytest.raises(IllegalActionError, match=r"action 12 \(PLAY_HAND\(i=1, t=2\)\).*player 1"):
        e.step(play(1, 2))
    with pytest.raises(IllegalActionError, match="out of range"):
        e.step(72)
    with pytest.raises(IllegalActionError, match="not an action index"):
        e.step("END")
    assert describe(62) == "ATTACK(a=0)" and describe(70) == "CHOOSE_OPP_SLOT(k=2)"


def test_no_action_after_the_end():
    e = TcgEngine()
    e.reset(1, "A-Fire", "B-Water")
    e.g.phase, e.g.result = 3, 2
    assert not any(e.legal_mask()) and e.actor == -1
    with pytest.raises(IllegalActionError, match="game is over"):
        e.step(END)

"""Write the tcg suite's L2 traces (suites/tcg/traces/*.yaml).

    python -m suites.tcg.make_traces

One trace per worked example of spec §10 and per sample deck's signature interactions.
Each is played on the reference while it is written; every number the spec gives is
asserted here first and then pinned in the trace's ``expect`` entries, so an L2 run checks
the reference against the spec as well as the port against the reference. Traces that
start from a built position carry the whole §9.1 state (``state:``), built with
suites/tcg/scenarios.py (20 cards per player); coin results are chosen by picking the
PRNG counter (``find_ctr``), never by editing draws.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from reference_envs.tcg_python import TcgEngine
from reference_envs.tcg_python.actions import (END, ability, attach, attack, describe, opp_slot, own_slot, play,
                                               retreat)
from reference_envs.tcg_python.cards import BY_NAME, CARDS, TYPES
from reference_envs.tcg_python.prng import mix32
from reference_envs.tcg_python.state import to_canonical
from suites.tcg.scenarios import below_is, find_ctr, heads, idx, pokemon, scenario, tails

TRACES_DIR = Path(__file__).resolve().parent / "traces"
VARIANT_OF = {("A-Fire", "B-Water"): "fire_vs_water", ("C-Dragon-Lightning", "D-Psychic"): "dragon_vs_psychic",
              ("E-Fighting", "F-Grass-Poison"): "fighting_vs_grass", ("F-Grass-Poison", "A-Fire"): "grass_vs_fire",
              ("B-Water", "C-Dragon-Lightning"): "water_vs_dragon", ("D-Psychic", "E-Fighting"): "psychic_vs_fighting"}
R, W, L, P, F, G, D = (TYPES[x] for x in "RWLPFGD")


class Trace:
    """Plays actions on the reference while recording them and the expectations."""

    def __init__(self, name: str, doc: str, variant: str, *, seed: int = 0, state=None, decks=None):
        self.name, self.doc, self.variant, self.seed = name, doc, variant, seed
        self.e = TcgEngine()
        self.start = None
        if state is not None:
            self.start = to_canonical(state)
            self.e.set_state(self.start)
        else:
            self.e.reset(seed, *decks)
        self.actions, self.expect = [], []

    @property
    def g(self):
        return self.e.g

    def hand_index(self, name: str) -> int:
        return self.g.players[self.e.actor].hand.index(idx(name))

    def act(self, action: int) -> "Trace":
        if not self.e.legal_mask()[action]:
            raise AssertionError(f"{self.name}: {describe(action)} is not legal at step {len(self.actions)}")
        self.e.step(action)
        self.actions.append(int(action))
        return self

    def play(self, name: str, t: int = 4) -> "Trace":
        return self.act(play(self.hand_index(name), t))

    def pin(self, *fields: str) -> "Trace":
        """Pin the current value of state fields (``state.`` implied) or outputs (reward, legal,
        terminated, obs.actor, obs.view) after the last action."""
        state = self.e.get_state()
        for f in fields:
            if f == "reward":
                value = list(self.e.reward)
            elif f == "legal":
                value = [bool(x) for x in self.e.legal_mask()]
            elif f == "terminated":
                value = self.e.done
            elif f == "obs.actor":
                value = self.e.actor
            else:
                value = np.asarray(state[f]).tolist()
                f = "state." + f
            self.expect.append({"step": len(self.actions) - 1, "field": f, "value": value})
        return self

    def write(self) -> Path:
        path = TRACES_DIR / f"{self.name}.yaml"
        path.write_text(self.text())
        return path

    def text(self) -> str:
        lines = [f"# Written by suites/tcg/make_traces.py; regenerate rather than edit.",
                 f"doc: {_quote(self.doc)}", f"variant: {self.variant}", f"seed: {self.seed}"]
        if self.start is not None:
            lines.append("state:")
            for k, v in self.start.items():
                lines.append(f"  {k}: {_flow(np.asarray(v).tolist())}")
        lines.append("actions: [" + ", ".join(str(a) for a in self.actions) + "]")
        lines.append(f"# {' '.join(describe(a) for a in self.actions)}")
        if self.expect:
            lines.append("expect:")
            for e in self.expect:
                lines.append(f"  - {{step: {e['step']}, field: {e['field']}, value: {_flow(e['value'])}}}")
        return "\n".join(lines) + "\n"


def _flow(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    return str(v)


def _quote(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', "'") + '"'


def first_legal_setup(t: Trace) -> None:
    for _ in range(2):
        t.act(next(a for a in range(5, 55) if t.e.legal_mask()[a]))
        t.act(END)


# --- §10.1 ------------------------------------------------------------------------------------------

def ex_10_1():
    t = Trace("ex10_1_seed12345", "§10.1: seed 12345, A-Fire vs B-Water (player 1 first). Setup consumes no "
              "randomness; player 1 draws idx 56 on turn 1; on turn 2 player 0 draws idx 9, current = next = R, "
              "rng_ctr 42.", "fire_vs_water", seed=12345, decks=("A-Fire", "B-Water"))
    first_legal_setup(t)
    assert t.g.players[1].hand[-1] == 56 and t.g.rng.ctr == 41
    t.pin("hand", "rng_ctr")
    t.act(END)
    g = t.g
    assert g.players[0].hand[-1] == 9 and (g.players[0].zone_cur, g.players[0].zone_next, g.rng.ctr) == (R, R, 42)
    yield t.pin("hand", "zone_cur", "zone_next", "rng_ctr")

    t = Trace("ex10_1_seed7", "§10.1: seed 7, C vs D (player 1 first): turn 1 player 1 draws 31; turn 2 player 0 "
              "draws 61, current L, draw 41 = 0x71EA673D is odd so next = types[1] = L; turn 3 player 1 draws 56, "
              "current = next = P, rng_ctr 43.", "dragon_vs_psychic", seed=7, decks=("C-Dragon-Lightning", "D-Psychic"))
    first_legal_setup(t)
    assert t.g.players[1].hand[-1] == 31
    t.pin("hand")
    t.act(END)
    g = t.g
    assert (g.players[0].hand[-1], g.players[0].zone_cur, g.players[0].zone_next, g.rng.ctr) == (61, L, L, 42)
    t.pin("hand", "zone_cur", "zone_next", "rng_ctr")
    t.act(END)
    assert (g.players[1].hand[-1], g.players[1].zone_cur, g.players[1].zone_next, g.rng.ctr) == (56, P, P, 43)
    yield t.pin("hand", "zone_cur", "zone_next", "rng_ctr")

    t = Trace("ex10_1_seed2024", "§10.1: seed 2024, E vs F (player 0 first): turn 1 player 0 draws 56; turn 2 "
              "player 1 draws 42, current G, draw 41 = 0x01885361 is odd so next = D; rng_ctr 42.",
              "fighting_vs_grass", seed=2024, decks=("E-Fighting", "F-Grass-Poison"))
    first_legal_setup(t)
    assert t.g.players[0].hand[-1] == 56
    t.pin("hand")
    t.act(END)
    g = t.g
    assert (g.players[1].hand[-1], g.players[1].zone_cur, g.players[1].zone_next, g.rng.ctr) == (42, G, D, 42)
    yield t.pin("hand", "zone_cur", "zone_next", "rng_ctr")


# --- §10.2 damage pipeline ------------------------------------------------------------------------------

def ex_10_2():
    ctr = find_ctr(1, [heads, heads, heads, tails])
    s = scenario("C-Dragon-Lightning", "B-Water", turn=5, turn_player=0, seed=1, rng_ctr=ctr, giovanni=1,
                 supporter_played=1, p0={"slots": {0: pokemon("Zapdos ex", energy="LLL")}},
                 p1={"slots": {0: pokemon("Articuno ex"), 1: pokemon("Froakie")}})
    t = Trace("ex10_2_1_zapdos_giovanni_weakness", "§10.2.1: Thundering Hurricane, 3 heads of 4, Giovanni, "
              "into Articuno ex (Weakness L, 140 HP): 150 + 10 + 20 = 180 -> KO, +2 points; player 1 promotes.",
              "dragon_vs_psychic", state=s)
    t.act(attack(1))
    g = t.g
    assert g.players[0].points == 2 and g.players[1].discard[idx("Articuno ex")] == 1 and g.rng.ctr == ctr + 4
    yield t.pin("points", "card", "discard", "pend_kind", "obs.actor")

    s = scenario("E-Fighting", "B-Water", turn=6, turn_player=0, first_player=1,
                 p0={"slots": {0: pokemon("Golem", under=("Geodude", "Graveler"), energy="FFFF"), 1: pokemon("Onix")}},
                 p1={"slots": {0: pokemon("Cloyster", under=("Shellder",)), 1: pokemon("Froakie")}, "blue_until": 6})
    t = Trace("ex10_2_2_golem_into_cloyster_blue", "§10.2.2: Double-Edge (150) into Cloyster (Shell Armor) "
              "whose owner played Blue last turn: 150 - 10 - 10 = 130 >= 120 -> KO, +1; Golem takes 50 itself.",
              "fighting_vs_grass", state=s)
    t.act(attack(0))
    assert t.g.players[0].points == 1 and t.g.players[0].slots[0].dmg == 50
    yield t.pin("points", "dmg", "discard")

    s = scenario("F-Grass-Poison", "E-Fighting", turn=6, turn_player=0, first_player=1,
                 p0={"slots": {0: pokemon("Bulbasaur", energy="GG", growl_until=6)}},
                 p1={"slots": {0: pokemon("Geodude")}})
    t = Trace("ex10_2_3_growl_then_weakness", "§10.2.3: Bulbasaur with a Growl marker, Vine Whip (40) into "
              "Geodude (Weakness G): 40 - 20 = 20, + 20 = 40.", "fighting_vs_grass", state=s)
    t.act(attack(0))
    assert t.g.players[1].slots[0].dmg == 40
    yield t.pin("dmg")

    s = scenario("B-Water", "A-Fire", turn=6, turn_player=0, first_player=1,
                 p0={"slots": {0: pokemon("Froakie", energy="W", growl_until=6)}},
                 p1={"slots": {0: pokemon("Charmander")}})
    t = Trace("ex10_2_4_growl_to_zero", "§10.2.4: Froakie with a Growl marker, Flop (10) into Charmander "
              "(Weakness W): 10 - 20 -> 0, no damage and no Weakness.", "fire_vs_water", state=s)
    t.act(attack(0))
    assert t.g.players[1].slots[0].dmg == 0
    yield t.pin("dmg")

    s = scenario("B-Water", "A-Fire", turn=6, turn_player=0, first_player=1,
                 p0={"slots": {0: pokemon("Articuno ex", energy="WWW")}},
                 p1={"slots": {0: pokemon("Magcargo", under=("Slugma",)), 1: pokemon("Slugma"),
                               2: pokemon("Charmander", dmg=50)}, "blue_until": 6})
    t = Trace("ex10_2_5_blizzard_blue", "§10.2.5: Blizzard into Magcargo (Weakness W) with Blue active: Active "
              "80 + 20 - 10 = 90; each Benched Pokémon 10 - 10 = 0, so the Charmander with 50 damage survives.",
              "fire_vs_water", state=s)
    t.act(attack(1))
    assert [t.g.players[1].slots[k].dmg for k in range(3)] == [90, 0, 50]
    yield t.pin("dmg")

    ctr = find_ctr(2, [below_is(2, 0), below_is(2, 1), below_is(2, 0), below_is(2, 0)])
    s = scenario("C-Dragon-Lightning", "C-Dragon-Lightning", turn=7, turn_player=0, seed=2, rng_ctr=ctr,
                 giovanni=1, supporter_played=1,
                 p0={"slots": {0: pokemon("Dragonite", under=("Dratini", "Dragonair"), energy="WLLL")}},
                 p1={"slots": {0: pokemon("Dragonite", under=("Dratini", "Dragonair"), tool="Giant Cape"),
                               1: pokemon("Dratini")}})
    t = Trace("ex10_2_6_draco_meteor", "§10.2.6: Draco Meteor picks (Active, Bench1, Active, Active) with "
              "Giovanni; the defending Active has no Weakness: one instance 150 + 10 = 160 (a Giant Cape keeps it "
              "alive to show it); Bench1 takes 50.", "dragon_vs_psychic", state=s)
    t.act(attack(0))
    assert [t.g.players[1].slots[0].dmg, t.g.players[1].slots[1].dmg] == [160, 50]
    yield t.pin("dmg", "rng_ctr")

    s = scenario("C-Dragon-Lightning", "B-Water", turn=6, turn_player=0, first_player=1, giovanni=1,
                 supporter_played=1, p0={"slots": {0: pokemon("Pikachu ex", energy="LL"), 1: pokemon("Dratini")}},
                 p1={"slots": {0: pokemon("Froakie")}})
    t = Trace("ex10_2_7_circle_circuit_empty", "§10.2.7: Pikachu ex (placed in a Lightning deck) uses Circle "
              "Circuit with no Benched Lightning Pokémon: base 0, nothing happens (Giovanni does not make it 10).",
              "dragon_vs_psychic", state=s)
    t.act(attack(0))
    assert t.g.players[1].slots[0].dmg == 0
    yield t.pin("dmg")


# --- §10.3 counter-damage and simultaneous knock-outs ----------------------------------------------------

def ex_10_3():
    def punch(name, doc, coin, buzz_dmg, p_points=2, o_points=0, p_bench=True, o_bench=True):
        ctr = find_ctr(3, [coin])
        s = scenario("C-Dragon-Lightning", "C-Dragon-Lightning", turn=9, turn_player=0, seed=3, rng_ctr=ctr,
                     p0={"slots": {0: pokemon("Electabuzz", energy="LL", dmg=buzz_dmg),
                                   **({1: pokemon("Dratini")} if p_bench else {})}, "points": p_points},
                     p1={"slots": {0: pokemon("Pikachu ex", dmg=50, tool="Rocky Helmet"),
                                   **({1: pokemon("Magnemite")} if o_bench else {})}, "points": o_points})
        t = Trace(name, doc, "dragon_vs_psychic", state=s)
        t.act(attack(0))
        return t

    t = punch("ex10_3_helmet_p_wins", "§10.3: Thunder Punch heads, 80 into Pikachu ex (120 HP, 50 damage) with "
              "Rocky Helmet: KO, +2 -> 4 points; the Helmet puts 20 on Electabuzz (30 + 20 = 50 < 70); player 0 "
              "wins by R-3.5 step 4.", heads, 30)
    g = t.g
    assert g.players[0].points == 4 and g.players[0].slots[0].dmg == 50 and g.result == 0 and t.e.reward == (1, -1)
    yield t.pin("points", "dmg", "result", "phase", "reward", "terminated", "obs.actor")

    t = punch("ex10_3_double_ko_draw", "§10.3 variant: Electabuzz had 50 damage, so the Helmet knocks it out "
              "too (+1 to player 1, now 3): both have Pokémon left and both >= 3 points -> draw (R-3.5 step 3).",
              heads, 50, o_points=2)
    assert t.g.result == 2 and [p.points for p in t.g.players] == [4, 3] and t.e.reward == (0, 0)
    yield t.pin("points", "result", "reward", "terminated")

    t = punch("ex10_3_double_ko_no_bench_loses", "§10.3 variant: both Actives knocked out, player 0 has no "
              "Bench while player 1 does: player 1 wins (R-3.5 step 2) although player 0 has 4 points.",
              heads, 50, p_bench=False)
    assert t.g.result == 1 and t.e.reward == (-1, 1)
    yield t.pin("points", "result", "reward")

    t = punch("ex10_3_double_ko_nobody_left", "§10.3 variant: both Actives knocked out and neither player has a "
              "Bench: draw (R-3.5 step 1).", heads, 50, p_bench=False, o_bench=False)
    assert t.g.result == 2 and t.e.reward == (0, 0)
    yield t.pin("result", "reward")

    t = punch("ex10_3_tails_recoil_helmet", "§10.3 tails variant: 40 into Pikachu ex (50 -> 90), then 20 recoil "
              "and 20 Rocky Helmet on Electabuzz (30 -> 70: knocked out, +1 to player 1); player 0 promotes.",
              tails, 30, p_points=0)
    g = t.g
    assert g.players[1].slots[0].dmg == 90 and g.players[1].points == 1 and g.pending[0][:2] == [1, 0]
    t.pin("dmg", "points", "pend_kind", "pend_player", "obs.actor")
    t.act(own_slot(1))
    yield t.pin("card", "turn", "turn_player")


# --- §10.4-10.7 --------------------------------------------------------------------------------------

def ex_10_4():
    ctr = find_ctr(4, [tails, heads])
    s = scenario("A-Fire", "B-Water", turn=8, turn_player=0, first_player=1, seed=4, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Magcargo", under=("Slugma",), dmg=90, status=("poisoned", "burned")),
                               1: pokemon("Charmander")}},
                 p1={"slots": {0: pokemon("Froakie", status=("asleep",))}})
    t = Trace("ex10_4_checkup", "§10.4: END with the turn player's Active (120 HP, 90 damage) Poisoned and "
              "Burned and the opponent's Asleep: +10 (100), +20 (120), burn coin #1, the opponent's sleep coin "
              "#2 (heads: wakes up), then the KO (+1 to player 1) and player 0 promotes before turn 9.",
              "fire_vs_water", state=s)
    t.act(END)
    g = t.g
    assert g.rng.ctr == ctr + 2 and g.players[1].points == 1 and g.players[1].slots[0].status[2] == 0
    t.pin("rng_ctr", "points", "status", "pend_kind", "turn", "discard")
    t.act(own_slot(1))
    assert g.turn == 9 and g.rng.ctr == ctr + 3
    yield t.pin("card", "turn", "turn_player", "rng_ctr")


def ex_10_5():
    ctr = find_ctr(5, [heads])
    s = scenario("C-Dragon-Lightning", "B-Water", turn=5, turn_player=0, seed=5, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Pincurchin", energy="LL")}},
                 p1={"slots": {0: pokemon("Froakie", energy="W"), 1: pokemon("Staryu")}})
    t = Trace("ex10_5_paralysis", "§10.5: turn 5 Pincurchin heads -> Paralyzed; it stays through the Checkup "
              "after turn 5; on turn 6 its owner can neither attack nor retreat; the Checkup after turn 6 removes "
              "it; on turn 8 it can attack.", "dragon_vs_psychic", state=s)
    t.act(attack(0))
    mask = t.e.legal_mask()
    assert t.g.turn == 6 and t.g.players[1].slots[0].status[3] == 1 and not mask[attack(0)] and not mask[retreat(1)]
    t.pin("status", "legal")
    t.act(END)
    assert t.g.players[1].slots[0].status[3] == 0
    t.pin("status")
    t.act(END)
    assert t.g.turn == 8 and t.e.legal_mask()[attack(0)]
    yield t.pin("legal")


def ex_10_6():
    t = Trace("ex10_6_energy_zone", "§10.6: player 1 (single type W) goes second: turn 2 current W, unused W "
              "disappears at the end of turn 2, turn 4 current W again; player 0 gets R on turns 3 and 5, none on "
              "turn 1.", "fire_vs_water", seed=2024, decks=("A-Fire", "B-Water"))
    first_legal_setup(t)
    assert t.g.first_player == 0 and t.g.players[0].zone_cur == 0
    t.pin("zone_cur")
    seen = []
    for _ in range(4):
        t.act(END)
        seen.append(list(p.zone_cur for p in t.g.players))
        t.pin("zone_cur")
    assert seen == [[0, W], [R, 0], [0, W], [R, 0]]
    yield t


def ex_10_7():
    s = scenario("A-Fire", "B-Water", turn=1, turn_player=0, first_player=0,
                 p0={"slots": {0: pokemon("Charmander")}, "hand": ["Charmeleon", "Charizard ex", "Charmander"]},
                 p1={"slots": {0: pokemon("Froakie")}, "hand": ["Frogadier"]})
    t = Trace("ex10_7_evolution_timing", "§10.7: a Basic placed in setup first evolves on its owner's second "
              "turn (turn 3 for the first player, turn 4 for the second); a Pokémon evolved on turn 3 cannot "
              "evolve again before turn 5; a Basic benched on turn 3 evolves on turn 5, not turn 3.",
              "fire_vs_water", state=s)
    evolve0 = lambda name: play(t.hand_index(name), 0)
    assert not t.e.legal_mask()[play(0, 0)]               # turn 1: no evolution
    t.act(END)                                            # turn 2 (player 1's first turn)
    assert not t.e.legal_mask()[play(t.hand_index("Frogadier"), 0)]
    t.pin("legal")
    t.act(END)                                            # turn 3
    t.act(evolve0("Charmeleon"))
    assert not any(t.e.legal_mask()[play(t.hand_index("Charizard ex"), k)] for k in range(4))
    t.pin("card", "entered", "legal")
    t.play("Charmander")                                  # benched on turn 3 (slot 1)
    assert t.g.players[0].slots[1].entered == 3
    t.act(END)                                            # turn 4: player 1 can evolve now
    assert t.e.legal_mask()[play(t.hand_index("Frogadier"), 0)]
    t.pin("legal")
    t.act(END)                                            # turn 5
    ok = t.e.legal_mask()
    assert ok[play(t.hand_index("Charizard ex"), 0)]
    t.pin("legal")
    t.act(evolve0("Charizard ex"))
    yield t.pin("card", "under", "entered")


# --- §10.9 rollout vectors -----------------------------------------------------------------------------

ROLLOUTS = [("uniform", 12345, "A-Fire", "B-Water", 1, 2, [0, 1], 30, 101, 79),
            ("uniform", 7, "C-Dragon-Lightning", "D-Psychic", 1, 2, [1, 0], 30, 98, 76),
            ("uniform", 2024, "E-Fighting", "F-Grass-Poison", 0, 2, [0, 0], 30, 95, 85),
            ("uniform", 99, "F-Grass-Poison", "A-Fire", 1, 2, [0, 0], 30, 91, 92),
            ("uniform", 31337, "B-Water", "C-Dragon-Lightning", 1, 2, [0, 0], 30, 101, 77),
            ("uniform", 5, "D-Psychic", "E-Fighting", 1, 2, [0, 0], 30, 102, 89),
            ("greedy", 12345, "A-Fire", "B-Water", 1, 1, [2, 3], 17, 79, 66),
            ("greedy", 7, "C-Dragon-Lightning", "D-Psychic", 1, 2, [1, 2], 30, 104, 84),
            ("greedy", 2024, "E-Fighting", "F-Grass-Poison", 0, 1, [1, 3], 20, 81, 78),
            ("greedy", 99, "F-Grass-Poison", "A-Fire", 1, 1, [2, 4], 28, 97, 97),
            ("greedy", 31337, "B-Water", "C-Dragon-Lightning", 1, 1, [0, 4], 19, 80, 73),
            ("greedy", 5, "D-Psychic", "E-Fighting", 1, 1, [0, 3], 17, 63, 80)]


def spec_policy(name: str, k: int, legal: list[int]) -> int:
    """The deterministic test policies of §10.9."""
    if name == "uniform":
        return legal[mix32(k ^ 0x00C0FFEE) % len(legal)]
    r = mix32(((k * 7919) & 0xFFFFFFFF) ^ 0xBEEF)
    groups = [[a for a in legal if a >= 64], [a for a in legal if 1 <= a <= 4], [a for a in legal if 5 <= a <= 54],
              [a for a in legal if 55 <= a <= 58], [a for a in legal if 62 <= a <= 63],
              [a for a in legal if 59 <= a <= 61] if r % 10 == 0 else [], [0]]
    group = next(g for g in groups if g)
    return group[r % len(group)]


def ex_10_9():
    for policy, seed, d0, d1, first, result, points, turn, decisions, ctr in ROLLOUTS:
        t = Trace(f"ex10_9_{policy}_{seed}", f"§10.9 rollout vector: the {policy} test policy, seed {seed}, "
                  f"{d0} vs {d1}: first {first}, result {result}, points {points}, turn {turn}, {decisions} "
                  f"decisions, final rng_ctr {ctr}.", VARIANT_OF[(d0, d1)], seed=seed, decks=(d0, d1))
        k = 0
        while not t.e.done:
            mask = t.e.legal_mask()
            t.act(spec_policy(policy, k, [a for a in range(72) if mask[a]]))
            k += 1
        g = t.g
        assert (g.first_player, g.result, [p.points for p in g.players], g.turn, k, g.rng.ctr) == (
            first, result, points, turn, decisions, ctr)
        yield t.pin("first_player", "result", "points", "turn", "rng_ctr", "reward", "terminated")


# --- each sample deck's signature interactions ----------------------------------------------------------

def deck_fire():
    ctr = find_ctr(11, [heads, heads, tails])
    s = scenario("A-Fire", "B-Water", turn=5, turn_player=0, seed=11, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Moltres ex", energy="RR"), 1: pokemon("Charmander"), 2: pokemon("Slugma")},
                     "hand": ["Giant Cape", "Sabrina", "Charmeleon", "Magcargo"], "zone_cur": "R"},
                 p1={"slots": {0: pokemon("Froakie"), 1: pokemon("Staryu", dmg=10)}})
    t = Trace("deck_a_fire", "A-Fire: Giant Cape (+20 HP), Sabrina (the opponent picks its new Active), Inferno "
              "Dance with 2 heads of 3 (two new R Energy, one Benched Fire Pokémon at a time), then on turn 7 "
              "evolutions, an attach and Heat Blast knocking out Staryu (+1, the opponent promotes).",
              "fire_vs_water", state=s)
    t.play("Giant Cape", 0)
    assert t.e.observe(0)[45 + 1] == 160                 # max HP in the view: 140 + 20
    t.play("Sabrina")
    assert t.e.actor == 1
    t.pin("pend_kind", "pend_player", "obs.actor", "legal")
    t.act(own_slot(1))                                    # Staryu comes in
    t.act(attack(0))                                      # Inferno Dance: H H T
    assert t.g.pending == [[4, 0, 2]]
    t.pin("pend_kind", "pend_count", "rng_ctr")
    t.act(own_slot(1)).act(own_slot(2))
    assert t.g.players[0].slots[1].energy[R - 1] == 1 and t.g.players[0].slots[2].energy[R - 1] == 1
    t.pin("energy", "card", "turn")
    t.act(END)                                            # turn 6: player 1 ends
    t.play("Charmeleon", 1).play("Magcargo", 2)
    t.act(attach(0))
    t.act(attack(1))                                      # Heat Blast 70 into Staryu (50 HP, 10 damage)
    assert t.g.players[0].points == 1 and t.g.players[1].discard[idx("Staryu")] == 1
    yield t.pin("points", "card", "under", "energy", "pend_kind", "obs.actor")


def deck_water():
    ctr = find_ctr(12, [heads, heads, tails])
    s = scenario("B-Water", "A-Fire", turn=6, turn_player=0, first_player=1, seed=12, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Starmie ex", under=("Staryu",)),
                               1: pokemon("Greninja", under=("Froakie", "Frogadier")),
                               2: pokemon("Articuno ex", energy="W"), 3: pokemon("Cloyster", under=("Shellder",), dmg=30)},
                     "hand": ["Misty", "Potion"], "zone_cur": "W"},
                 p1={"slots": {0: pokemon("Magmar", energy="RR"), 1: pokemon("Slugma", dmg=50), 2: pokemon("Charmander")}})
    t = Trace("deck_b_water", "B-Water: Misty flips H H T (two W on the Benched Articuno ex), Potion on Cloyster, "
              "Water Shuriken knocks out the damaged Slugma (20 damage, no modifiers, +1), Starmie ex retreats "
              "for free (cost 0, no Energy), attach, Blizzard: 80 + 20 into Magmar (KO, +1) and 10 to the Bench; "
              "the opponent promotes its last Pokémon.", "fire_vs_water", state=s)
    t.play("Misty", 2)
    assert t.g.players[0].slots[2].energy[W - 1] == 3
    t.pin("energy", "rng_ctr")
    t.play("Potion", 3)
    assert t.g.players[0].slots[3].dmg == 10
    t.act(ability(1))
    t.pin("pend_kind", "legal")
    t.act(opp_slot(1))
    assert t.g.players[0].points == 1 and not t.g.players[1].slots[1].occupied
    t.pin("points", "card", "dmg", "ability_turn", "phase")
    t.act(retreat(2))                                     # Starmie ex: retreat cost 0
    assert t.g.players[0].slots[0].card == idx("Articuno ex") and t.g.players[0].slots[0].energy[W - 1] == 3
    t.pin("card", "energy", "retreated")
    t.act(attach(0))
    t.act(attack(1))                                      # Blizzard
    assert t.g.players[0].points == 2 and t.g.players[1].slots[2].dmg == 10
    t.pin("points", "card", "dmg", "pend_kind")
    t.act(own_slot(2))                                    # player 1 promotes Charmander
    yield t.pin("card", "turn", "turn_player")


def deck_dragon():
    ctr = find_ctr(13, [heads, heads, heads, heads])
    s = scenario("C-Dragon-Lightning", "D-Psychic", turn=7, turn_player=0, seed=13, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Zapdos ex", energy="LLL"), 1: pokemon("Magneton", under=("Magnemite",)),
                               2: pokemon("Dragonite", under=("Dratini", "Dragonair"), energy="WLC".replace("C", "L"))},
                     "hand": ["X Speed", "Rocky Helmet", "Giovanni"], "zone_cur": "W"},
                 p1={"slots": {0: pokemon("Mewtwo ex", energy="PP"), 1: pokemon("Ralts"), 2: pokemon("Drowzee")}})
    t = Trace("deck_c_dragon", "C-Dragon-Lightning: Volt Charge, Rocky Helmet, Giovanni, Thundering Hurricane "
              "with 4 heads (200 + 10 into Mewtwo ex: KO, +2); then X Speed and a retreat to Dragonite, whose "
              "Draco Meteor picks random targets two turns later.", "dragon_vs_psychic", state=s)
    t.act(ability(1))
    assert t.g.players[0].slots[1].energy[L - 1] == 1
    t.play("Rocky Helmet", 0).play("Giovanni")
    t.act(attack(1))
    assert t.g.players[0].points == 2 and t.g.players[1].discard[idx("Mewtwo ex")] == 1
    t.pin("points", "rng_ctr", "pend_kind", "obs.actor")
    t.act(own_slot(2))                                    # player 1 promotes Drowzee
    t.act(END)                                            # turn 8: player 1 ends
    t.play("X Speed")
    t.act(retreat(2))                                     # Zapdos ex (retreat 1) -> Dragonite, cost 0
    assert t.g.players[0].slots[0].card == idx("Dragonite") and sum(t.g.players[0].slots[2].energy) == 3
    t.pin("card", "energy", "retreat_red")
    t.act(attach(0))
    t.act(attack(0))                                      # Draco Meteor: 4 picks among Drowzee, Ralts
    yield t.pin("dmg", "points", "card", "rng_ctr")


def deck_psychic():
    ctr = find_ctr(14, [heads, lambda u: True, tails])   # Pendulum, turn 6's Energy, the confusion coin
    s = scenario("D-Psychic", "E-Fighting", turn=5, turn_player=0, seed=14, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Misdreavus", energy="P"), 1: pokemon("Gardevoir", under=("Ralts", "Kirlia")),
                               2: pokemon("Hypno", under=("Drowzee",)), 3: pokemon("Abra")},
                     "hand": ["Hand Scope", "Jigglypuff"]},
                 p1={"slots": {0: pokemon("Onix", energy="FF"), 1: pokemon("Cubone")}, "hand": ["Brock", "Potion"]})
    t = Trace("deck_d_psychic", "D-Psychic: Hand Scope shows the opponent's hand in the view, Psy Shadow (a P "
              "Energy to the Psychic Active), Sleep Pendulum heads (Asleep), then Confuse Ray replaces Asleep by "
              "Confused (mutually exclusive); the opponent's confused Onix flips tails and does nothing.",
              "dragon_vs_psychic", state=s)
    t.play("Hand Scope")
    view = t.e.observe(0)
    assert view[22] == 1 and view[35:45][:2] == [idx("Brock"), idx("Potion")]
    t.pin("hand_revealed")
    t.act(ability(1))
    assert t.g.players[0].slots[0].energy[P - 1] == 2
    t.act(ability(2))                                     # Sleep Pendulum: heads
    assert t.g.players[1].slots[0].status[2] == 1
    t.pin("status", "energy", "ability_turn", "rng_ctr")
    t.act(attack(0))                                      # Confuse Ray: Confused replaces Asleep
    assert t.g.players[1].slots[0].status[2:] == [0, 0, 1]
    t.pin("status", "turn")
    t.act(attach(0)) if t.e.legal_mask()[attach(0)] else None
    t.act(attack(0))                                      # Onix's Land Crush [FFF] while confused
    yield t.pin("dmg", "status", "rng_ctr", "turn")


def deck_fighting():
    s = scenario("E-Fighting", "F-Grass-Poison", turn=5, turn_player=0, seed=15,
                 p0={"slots": {0: pokemon("Cubone", energy="F"), 1: pokemon("Hitmonlee"),
                               2: pokemon("Golem", under=("Geodude", "Graveler"), energy="FF")},
                     "hand": ["Brock", "Red Card"], "zone_cur": "F", "zone_next": "F"},
                 p1={"slots": {0: pokemon("Venusaur ex", under=("Bulbasaur", "Ivysaur"), energy="GGGG", dmg=20),
                               1: pokemon("Koffing", dmg=40)}, "hand": ["Erika", "Leaf", "Blue"]})
    t = Trace("deck_e_fighting", "E-Fighting: Red Card (the opponent's 3-card hand shuffled in, 3 drawn), Growl "
              "(Venusaur ex's Giant Bloom does 100 - 20 = 80 next turn, knocking out Cubone, then heals 30), "
              "Brock on the Benched Golem, and Hitmonlee's Stretch Kick on the Benched Koffing (40 + 30: KO).",
              "fighting_vs_grass", state=s)
    t.play("Red Card")
    assert len(t.g.players[1].hand) == 3
    t.pin("hand_size", "deck_size", "rng_ctr")
    t.act(attack(0))                                      # Growl
    assert t.g.players[1].slots[0].growl_until == 6
    t.pin("growl_until")
    t.act(attack(1))                                      # turn 6: Giant Bloom 100 - 20 into Cubone (60 HP): KO
    assert t.g.players[1].points == 1 and t.g.players[1].slots[0].dmg == 0
    t.pin("points", "dmg", "pend_kind")
    t.act(own_slot(1))                                    # Hitmonlee comes in; turn 7
    t.play("Brock", 2)
    assert t.g.players[0].slots[2].energy[F - 1] == 3
    t.act(attach(0)).act(attack(0))                       # Stretch Kick: choose a Benched Pokémon
    t.pin("energy", "pend_kind", "legal")
    t.act(opp_slot(1))
    assert t.g.players[0].points == 1 and not t.g.players[1].slots[1].occupied
    yield t.pin("points", "card", "discard", "turn")


def deck_grass():
    s = scenario("F-Grass-Poison", "E-Fighting", turn=6, turn_player=0, first_player=1,
                 p0={"slots": {0: pokemon("Weezing", under=("Koffing",), energy="D"),
                               1: pokemon("Muk", under=("Grimer",), energy="DDG", tool="Giant Cape"),
                               2: pokemon("Bulbasaur", dmg=40)},
                     "hand": ["Leaf", "Blue", "Koga"], "zone_cur": "D"},
                 p1={"slots": {0: pokemon("Onix"), 1: pokemon("Geodude")}})
    t = Trace("deck_f_grass", "F-Grass-Poison: Gas Leak poisons Onix, Leaf cuts Weezing's retreat to 1 (its "
              "own-type D Energy is discarded last), Venoshock does 70 + 50 into the poisoned Onix (110 HP: KO, "
              "+1); Blue makes Geodude's Tackle into Muk 20 + 20 (Weakness F) - 10 = 30; Koga returns Muk and "
              "Grimer to the hand (Giant Cape to the discard pile) and Bulbasaur is promoted.",
              "fighting_vs_grass", state=s)
    t.act(ability(0))
    assert t.g.players[1].slots[0].status[0] == 1
    t.play("Leaf")
    t.act(attach(0))
    t.act(retreat(1))
    assert t.g.players[0].slots[1].energy[D - 1] == 1 and t.g.players[0].slots[0].card == idx("Muk")
    t.pin("status", "card", "energy", "retreat_red", "retreated")
    t.act(attack(0))                                      # Venoshock into the poisoned Onix: 120 >= 110
    assert t.g.players[0].points == 1
    t.pin("points", "pend_kind", "obs.actor")
    t.act(own_slot(1))                                    # player 1 promotes Geodude
    t.act(attach(0)).act(END)                             # turn 7: Geodude gets an F Energy
    t.play("Blue").act(END)                               # turn 8
    assert t.g.players[0].blue_until == 9
    t.act(attach(0)).act(attack(0))                       # turn 9: Tackle into Muk
    assert t.g.players[0].slots[0].dmg == 30
    t.pin("dmg", "blue_until")
    t.play("Koga")                                        # turn 10
    hand = t.g.players[0].hand
    assert hand[-2:] == [idx("Muk"), idx("Grimer")] and t.g.players[0].discard[idx("Giant Cape")] == 1
    t.pin("hand", "discard", "pend_kind", "card")
    t.act(own_slot(2))
    yield t.pin("card", "dmg", "phase")


EXAMPLES = (ex_10_1, ex_10_2, ex_10_3, ex_10_4, ex_10_5, ex_10_6, ex_10_7, ex_10_9,
            deck_fire, deck_water, deck_dragon, deck_psychic, deck_fighting, deck_grass)


def all_traces():
    """Every trace, played on the reference (the spec's numbers asserted on the way)."""
    for make in EXAMPLES:
        yield from make()


def main(argv: list[str]) -> int:
    TRACES_DIR.mkdir(exist_ok=True)
    written = []
    for t in all_traces():
        written.append(t.write())
    for old in TRACES_DIR.glob("*.yaml"):
        if old not in written:
            old.unlink()
    print(f"wrote {len(written)} traces to {TRACES_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

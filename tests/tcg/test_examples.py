"""The worked examples of spec §10 on the reference (10.1-10.7, and the rollout vectors of 10.9)."""
import pytest

from reference_envs.tcg_python import TcgEngine
from reference_envs.tcg_python.actions import END, attack, own_slot, play
from reference_envs.tcg_python.cards import ASLEEP, BURNED, CARDS, PARALYZED, POISONED, TYPES
from reference_envs.tcg_python.prng import mix32
from reference_envs.tcg_python.state import CHOICE, MAIN, OVER, PROMOTE, to_canonical
from suites.tcg.scenarios import below_is, find_ctr, heads, idx, pokemon, scenario, tails

R, W, L, P, G, D = (TYPES[x] for x in "RWLPGD")


def engine_at(state) -> TcgEngine:
    """An engine continuing from ``state`` (through the canonical form, as an adapter would)."""
    e = TcgEngine()
    e.set_state(to_canonical(state))
    return e


def first_legal_setup(e: TcgEngine) -> None:
    """Both players place their first legal Basic and END (no randomness, §10.1)."""
    for _ in range(2):
        e.step(next(a for a in range(5, 55) if e.legal_mask()[a]))
        e.step(END)


# --- 10.1 ---------------------------------------------------------------------------------------

def test_10_1_seed_12345():
    e = TcgEngine()
    e.reset(12345, "A-Fire", "B-Water")
    first_legal_setup(e)
    g = e.g
    assert (g.turn, g.turn_player, g.players[1].hand[-1]) == (1, 1, 56)     # player 1 drew idx 56
    e.step(END)
    assert (g.turn, g.players[0].hand[-1]) == (2, 9)
    assert (g.players[0].zone_cur, g.players[0].zone_next, g.rng.ctr) == (R, R, 42)


def test_10_1_seed_7():
    e = TcgEngine()
    e.reset(7, "C-Dragon-Lightning", "D-Psychic")
    first_legal_setup(e)
    g = e.g
    assert g.players[1].hand[-1] == 31
    e.step(END)
    assert g.players[0].hand[-1] == 61 and g.players[0].zone_cur == L
    assert g.players[0].zone_next == L and g.rng.ctr == 42            # draw 41 = 0x71EA673D, odd
    e.step(END)
    assert (g.turn, g.players[1].hand[-1], g.players[1].zone_cur, g.players[1].zone_next, g.rng.ctr) == (
        3, 56, P, P, 43)


def test_10_1_seed_2024():
    e = TcgEngine()
    e.reset(2024, "E-Fighting", "F-Grass-Poison")
    first_legal_setup(e)
    g = e.g
    assert (g.turn_player, g.players[0].hand[-1]) == (0, 56)
    e.step(END)
    assert g.players[1].hand[-1] == 42 and g.players[1].zone_cur == G
    assert g.players[1].zone_next == D and g.rng.ctr == 42


# --- 10.2 damage pipeline ------------------------------------------------------------------------------

def _attack(state, a: int) -> TcgEngine:
    e = engine_at(state)
    e.step(attack(a))
    return e


def test_10_2_1_zapdos_giovanni_weakness_ko():
    ctr = find_ctr(1, [heads, heads, heads, tails])
    s = scenario("C-Dragon-Lightning", "B-Water", turn=5, turn_player=0, seed=1, rng_ctr=ctr, giovanni=1,
                 p0={"slots": {0: pokemon("Zapdos ex", energy="LLL")}},
                 p1={"slots": {0: pokemon("Articuno ex"), 1: pokemon("Froakie")}})
    e = _attack(s, 1)
    g = e.g
    assert g.players[0].points == 2 and g.players[1].discard[idx("Articuno ex")] == 1   # 180 >= 140: KO, +2
    assert g.phase == CHOICE and g.pending[0][:2] == [PROMOTE, 1]
    ctr2 = find_ctr(1, [heads, heads, tails, tails])                 # 2 heads: 100 + 10 + 20 = 130 < 140
    s.rng.ctr = ctr2
    e = _attack(s, 1)
    assert e.g.players[1].slots[0].dmg == 130


def test_10_2_2_golem_into_cloyster_blue():
    s = scenario("E-Fighting", "B-Water", turn=6, turn_player=0,
                 p0={"slots": {0: pokemon("Golem", under=("Geodude", "Graveler"), energy="FFFF"),
                               1: pokemon("Onix")}},
                 p1={"slots": {0: pokemon("Cloyster", under=("Shellder",)), 1: pokemon("Froakie")},
                     "blue_until": 6})                               # Blue played on turn 5
    e = _attack(s, 0)
    g = e.g
    assert g.players[0].points == 1 and g.players[1].discard[idx("Cloyster")] == 1   # 130 >= 120
    assert g.players[1].discard[idx("Shellder")] == 1
    assert g.players[0].slots[0].dmg == 50                            # self-damage, no modifiers


def test_10_2_3_growl_then_weakness():
    s = scenario("F-Grass-Poison", "E-Fighting", turn=6, turn_player=0,
                 p0={"slots": {0: pokemon("Bulbasaur", energy="GG", growl_until=6)}},
                 p1={"slots": {0: pokemon("Geodude")}})
    assert _attack(s, 0).g.players[1].slots[0].dmg == 40               # 40 - 20 + 20


def test_10_2_4_growl_to_zero_skips_weakness():
    s = scenario("B-Water", "A-Fire", turn=6, turn_player=0,
                 p0={"slots": {0: pokemon("Froakie", energy="W", growl_until=6)}},
                 p1={"slots": {0: pokemon("Charmander")}})
    assert _attack(s, 0).g.players[1].slots[0].dmg == 0


def test_10_2_5_blizzard_with_blue():
    s = scenario("B-Water", "A-Fire", turn=6, turn_player=0,
                 p0={"slots": {0: pokemon("Articuno ex", energy="WWW")}},
                 p1={"slots": {0: pokemon("Magcargo", under=("Slugma",)), 1: pokemon("Slugma"),
                               2: pokemon("Charmander", dmg=50)}, "blue_until": 6})
    opp = _attack(s, 1).g.players[1]
    assert [opp.slots[k].dmg for k in range(3)] == [90, 0, 50]        # 80+20-10; 10-10 on the Bench


def test_10_2_6_draco_meteor_picks():
    picks = [below_is(2, 0), below_is(2, 1), below_is(2, 0), below_is(2, 0)]
    ctr = find_ctr(2, picks)
    s = scenario("C-Dragon-Lightning", "C-Dragon-Lightning", turn=7, turn_player=0, seed=2, rng_ctr=ctr,
                 giovanni=1,
                 p0={"slots": {0: pokemon("Dragonite", under=("Dratini", "Dragonair"), energy="WLLL")}},
                 p1={"slots": {0: pokemon("Dragonite", under=("Dratini", "Dragonair"), tool="Giant Cape"),
                               1: pokemon("Dratini")}})
    e = _attack(s, 0)
    opp = e.g.players[1]
    assert [opp.slots[0].dmg, opp.slots[1].dmg] == [160, 50]          # one instance 150 + 10; bench 50
    assert e.g.rng.ctr == ctr + 4 + 1                                 # 4 picks, then the next turn's Energy


def test_10_2_7_circle_circuit_without_bench():
    s = scenario("C-Dragon-Lightning", "B-Water", turn=6, turn_player=0, giovanni=1,
                 p0={"slots": {0: pokemon("Pikachu ex", energy="LL"), 1: pokemon("Dratini")}},
                 p1={"slots": {0: pokemon("Froakie")}})
    assert _attack(s, 0).g.players[1].slots[0].dmg == 0


# --- 10.3 counter-damage and simultaneous knock-outs ---------------------------------------------------------

def _thunder_punch(coin, electabuzz_dmg, p_points=2, o_points=0, p_bench=True, o_bench=True):
    ctr = find_ctr(3, [coin])
    s = scenario("C-Dragon-Lightning", "C-Dragon-Lightning", turn=9, turn_player=0, seed=3, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Electabuzz", energy="LL", dmg=electabuzz_dmg),
                               **({1: pokemon("Dratini")} if p_bench else {})}, "points": p_points},
                 p1={"slots": {0: pokemon("Pikachu ex", dmg=50, tool="Rocky Helmet"),
                               **({1: pokemon("Magnemite")} if o_bench else {})}, "points": o_points})
    e = engine_at(s)
    reward = e.step(attack(0))
    return e, reward


def test_10_3_heads_p_wins():
    e, reward = _thunder_punch(heads, 30)
    g = e.g
    assert g.players[0].points == 4 and g.players[0].slots[0].dmg == 50     # 30 + 20 Helmet, survives
    assert g.result == 0 and g.phase == OVER and reward == (1, -1)
    assert g.players[1].discard[idx("Rocky Helmet")] == 1                   # Tool follows the KO'd holder


def test_10_3_heads_p_wins_by_no_pokemon_left():
    e, reward = _thunder_punch(heads, 30, o_bench=False)
    assert e.g.result == 0 and reward == (1, -1)


def test_10_3_double_ko_both_three_points_is_a_draw():
    e, reward = _thunder_punch(heads, 50, o_points=2)
    g = e.g
    assert g.players[0].points == 4 and g.players[1].points == 3
    assert g.result == 2 and reward == (0, 0)


def test_10_3_double_ko_p_without_bench_loses():
    e, reward = _thunder_punch(heads, 50, p_bench=False)
    assert e.g.result == 1 and reward == (-1, 1)


def test_10_3_double_ko_nobody_left_is_a_draw():
    e, reward = _thunder_punch(heads, 50, p_bench=False, o_bench=False)
    assert e.g.result == 2 and reward == (0, 0)


def test_10_3_tails_recoil_and_helmet():
    e, reward = _thunder_punch(tails, 30, p_points=0)
    g = e.g
    assert g.players[1].slots[0].dmg == 90                           # 50 + 40
    assert g.players[0].discard[idx("Electabuzz")] == 1               # 30 + 20 recoil + 20 Helmet = 70
    assert g.players[1].points == 1 and g.phase == CHOICE and g.pending[0][:2] == [PROMOTE, 0]


# --- 10.4 Checkup -------------------------------------------------------------------------------------------

def test_10_4_checkup_order():
    ctr = find_ctr(4, [tails, heads])                                # burn stays; O wakes up
    s = scenario("A-Fire", "B-Water", turn=8, turn_player=0, seed=4, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Magcargo", under=("Slugma",), dmg=90, status=("poisoned", "burned")),
                               1: pokemon("Charmander")}},
                 p1={"slots": {0: pokemon("Froakie", status=("asleep",))}})
    e = engine_at(s)
    e.step(END)
    g = e.g
    assert g.rng.ctr == ctr + 2                                      # two coins; O's turn not started yet
    assert g.players[0].discard[idx("Magcargo")] == 1 and g.players[1].points == 1
    assert g.players[1].slots[0].status[ASLEEP] == 0                 # coin #2 was O's sleep coin
    assert g.phase == CHOICE and g.pending == [[PROMOTE, 0, 1]] and g.turn == 8
    e.step(own_slot(1))
    assert g.turn == 9 and g.turn_player == 1 and g.phase == MAIN and g.rng.ctr == ctr + 3


# --- 10.5 Paralysis timing ---------------------------------------------------------------------------------

def test_10_5_paralysis_lasts_through_the_owners_next_turn():
    ctr = find_ctr(5, [heads])
    s = scenario("C-Dragon-Lightning", "B-Water", turn=5, turn_player=0, seed=5, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Pincurchin", energy="LL")}},
                 p1={"slots": {0: pokemon("Froakie", energy="W"), 1: pokemon("Staryu")}})
    e = engine_at(s)
    e.step(attack(0))
    g = e.g
    froakie = g.players[1].slots[0]
    assert (g.turn, g.turn_player) == (6, 1) and froakie.status[PARALYZED] == 1   # kept by P's Checkup
    mask = e.legal_mask()
    assert not mask[attack(0)] and not any(mask[59:62])               # cannot attack or retreat
    e.step(END)                                                       # Checkup after turn 6 removes it
    assert froakie.status[PARALYZED] == 0
    e.step(END)                                                       # turn 7 (P)
    assert g.turn == 8 and e.legal_mask()[attack(0)]


# --- 10.6 Energy Zone timing -------------------------------------------------------------------------------

def test_10_6_energy_zone_timing():
    e = TcgEngine()
    e.reset(2024, "A-Fire", "B-Water")                                # seed 2024: player 0 goes first
    assert e.g.first_player == 0
    first_legal_setup(e)
    g = e.g
    seen = []
    for _ in range(5):                                                # turns 1..5, nothing attached
        seen.append((g.turn, g.players[0].zone_cur, g.players[1].zone_cur))
        e.step(END)
        assert g.players[1 - g.turn_player].zone_cur == 0             # unused Energy disappears
    assert seen == [(1, 0, 0), (2, 0, W), (3, R, 0), (4, 0, W), (5, R, 0)]


# --- 10.7 Evolution timing ---------------------------------------------------------------------------------

def _can_evolve(turn, turn_player, entered, slot=0, active="Charmander", card="Charmeleon", under=()):
    slots = {0: pokemon("Magmar", entered=0), slot: pokemon(active, under=under, entered=entered)}
    s = scenario("A-Fire", "B-Water", turn=turn, turn_player=turn_player, first_player=0,
                 **{f"p{turn_player}": {"slots": slots, "hand": [card]}},
                 **{f"p{1 - turn_player}": {"slots": {0: pokemon("Froakie")}}})
    return engine_at(s).legal_mask()[play(0, slot)]


def test_10_7_evolution_timing():
    assert not _can_evolve(1, 0, 0) and _can_evolve(3, 0, 0)          # first player: turn 3
    assert not _can_evolve(2, 1, 0) and _can_evolve(4, 1, 0)          # second player: turn 4
    assert not _can_evolve(5, 0, 5, slot=1) and _can_evolve(7, 0, 5, slot=1)   # benched on turn 5
    kw = dict(active="Charmeleon", card="Charizard ex", under=("Charmander",))
    assert not _can_evolve(7, 0, 7, **kw) and _can_evolve(9, 0, 7, **kw)       # evolved on turn 7


def test_10_7_basic_benched_this_turn_cannot_evolve():
    s = scenario("A-Fire", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Magmar")}, "hand": ["Charmander", "Charmeleon"]},
                 p1={"slots": {0: pokemon("Froakie")}})
    e = engine_at(s)
    e.step(play(0))                                                   # Charmander to bench slot 1
    assert e.g.players[0].slots[1].card == idx("Charmander") and e.g.players[0].slots[1].entered == 5
    assert not any(e.legal_mask()[play(0, t)] for t in range(5))


# --- 10.9 rollout vectors ------------------------------------------------------------------------------------

ROLLOUTS = [  # policy, seed, deck0, deck1, first, result, points, turn, decisions, rng_ctr
    ("uniform", 12345, "A-Fire", "B-Water", 1, 2, [0, 1], 30, 101, 79),
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
    ("greedy", 5, "D-Psychic", "E-Fighting", 1, 1, [0, 3], 17, 63, 80),
]


def spec_test_policy(name: str, k: int, legal: list[int]) -> int:
    """The two deterministic test policies of §10.9."""
    if name == "uniform":
        return legal[mix32(k ^ 0x00C0FFEE) % len(legal)]
    r = mix32(((k * 7919) & 0xFFFFFFFF) ^ 0xBEEF)
    groups = [[a for a in legal if a >= 64], [a for a in legal if 1 <= a <= 4],
              [a for a in legal if 5 <= a <= 54], [a for a in legal if 55 <= a <= 58],
              [a for a in legal if 62 <= a <= 63], [a for a in legal if 59 <= a <= 61] if r % 10 == 0 else [],
              [0]]
    group = next(g for g in groups if g)
    return group[r % len(group)]


@pytest.mark.parametrize("row", ROLLOUTS, ids=[f"{r[0]}-{r[1]}" for r in ROLLOUTS])
def test_10_9_rollout_vectors(row):
    policy, seed, d0, d1 = row[:4]
    e = TcgEngine()
    e.reset(seed, d0, d1)
    k = 0
    while not e.done:
        mask = e.legal_mask()
        e.step(spec_test_policy(policy, k, [a for a in range(72) if mask[a]]))
        k += 1
    g = e.g
    assert (g.first_player, g.result, [p.points for p in g.players], g.turn, k, g.rng.ctr) == tuple(row[4:])

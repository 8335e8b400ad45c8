"""The worked examples of spec §10 on tcgjax (10.1-10.7 and the rollout vectors of 10.9).

Each §10 situation is built with suites/tcg/scenarios.py (card-conserving states by name), injected
through the §9.1 canonical form, and stepped on the port; the numbers asserted are the spec's."""
import pytest

from adapters.tcgjax import TcgJax
from ported_envs.tcgjax.cards import TYPES
from reference_envs.tcg_python.prng import mix32
from suites.tcg.scenarios import below_is, find_ctr, heads, idx, pokemon, scenario, tails
from tests.tcgjax.port import legal, port_at

R, W, L, P, G, D = (TYPES[x] for x in "RWLPGD")
END = 0
MAIN, CHOICE, OVER = 1, 2, 3
PROMOTE = 1
POISONED, BURNED, ASLEEP, PARALYZED = 0, 1, 2, 3


def attack(a):
    return 62 + a


def play(i, t=4):
    return 5 + 5 * i + t


def own_slot(k):
    return 64 + k


def started(seed, d0, d1) -> TcgJax:
    """Reset, then both players place their first legal Basic and END (no randomness, §10.1)."""
    ad = TcgJax(d0, d1)
    ad.reset(seed)
    for _ in range(2):
        ad.step(next(a for a in legal(ad) if 5 <= a < 55))
        ad.step(END)
    return ad


# --- 10.1 -------------------------------------------------------------------------------------------

def test_10_1_seed_12345():
    ad = started(12345, "A-Fire", "B-Water")
    s = ad.get_state()
    assert (int(s["turn"]), int(s["turn_player"])) == (1, 1)
    assert s["hand"][1, s["hand_size"][1] - 1] == 56                  # player 1 drew idx 56
    ad.step(END)
    s = ad.get_state()
    assert int(s["turn"]) == 2 and s["hand"][0, s["hand_size"][0] - 1] == 9
    assert (s["zone_cur"][0], s["zone_next"][0], int(s["rng_ctr"])) == (R, R, 42)


def test_10_1_seed_7():
    ad = started(7, "C-Dragon-Lightning", "D-Psychic")
    s = ad.get_state()
    assert s["hand"][1, s["hand_size"][1] - 1] == 31
    ad.step(END)
    s = ad.get_state()
    assert s["hand"][0, s["hand_size"][0] - 1] == 61 and s["zone_cur"][0] == L
    assert s["zone_next"][0] == L and int(s["rng_ctr"]) == 42          # draw 41 = 0x71EA673D, odd
    ad.step(END)
    s = ad.get_state()
    assert (int(s["turn"]), s["hand"][1, s["hand_size"][1] - 1], s["zone_cur"][1], s["zone_next"][1],
            int(s["rng_ctr"])) == (3, 56, P, P, 43)


def test_10_1_seed_2024():
    ad = started(2024, "E-Fighting", "F-Grass-Poison")
    s = ad.get_state()
    assert int(s["turn_player"]) == 0 and s["hand"][0, s["hand_size"][0] - 1] == 56
    ad.step(END)
    s = ad.get_state()
    assert s["hand"][1, s["hand_size"][1] - 1] == 42 and s["zone_cur"][1] == G
    assert s["zone_next"][1] == D and int(s["rng_ctr"]) == 42


# --- 10.2 damage pipeline ----------------------------------------------------------------------------

def attacked(state, a: int):
    ad = port_at(state)
    ad.step(attack(a))
    return ad.get_state()


def test_10_2_1_zapdos_giovanni_weakness_ko():
    ctr = find_ctr(1, [heads, heads, heads, tails])
    s = scenario("C-Dragon-Lightning", "B-Water", turn=5, turn_player=0, seed=1, rng_ctr=ctr, giovanni=1,
                 p0={"slots": {0: pokemon("Zapdos ex", energy="LLL")}},
                 p1={"slots": {0: pokemon("Articuno ex"), 1: pokemon("Froakie")}})
    out = attacked(s, 1)
    assert out["points"][0] == 2 and out["discard"][1, idx("Articuno ex")] == 1   # 150+10+20 >= 140
    assert int(out["phase"]) == CHOICE and out["pend_kind"][0] == PROMOTE and out["pend_player"][0] == 1
    s.rng.ctr = find_ctr(1, [heads, heads, tails, tails])              # 2 heads: 100 + 10 + 20 = 130 < 140
    assert attacked(s, 1)["dmg"][1, 0] == 130


def test_10_2_2_golem_into_cloyster_blue():
    s = scenario("E-Fighting", "B-Water", turn=6, turn_player=0,
                 p0={"slots": {0: pokemon("Golem", under=("Geodude", "Graveler"), energy="FFFF"),
                               1: pokemon("Onix")}},
                 p1={"slots": {0: pokemon("Cloyster", under=("Shellder",)), 1: pokemon("Froakie")},
                     "blue_until": 6})                               # Blue played on turn 5
    out = attacked(s, 0)
    assert out["points"][0] == 1 and out["discard"][1, idx("Cloyster")] == 1   # 150 - 10 - 10 = 130 >= 120
    assert out["discard"][1, idx("Shellder")] == 1
    assert out["dmg"][0, 0] == 50                                    # self-damage, no modifiers


def test_10_2_3_growl_then_weakness():
    s = scenario("F-Grass-Poison", "E-Fighting", turn=6, turn_player=0,
                 p0={"slots": {0: pokemon("Bulbasaur", energy="GG", growl_until=6)}},
                 p1={"slots": {0: pokemon("Geodude")}})
    assert attacked(s, 0)["dmg"][1, 0] == 40                         # 40 - 20 + 20


def test_10_2_4_growl_to_zero_skips_weakness():
    s = scenario("B-Water", "A-Fire", turn=6, turn_player=0,
                 p0={"slots": {0: pokemon("Froakie", energy="W", growl_until=6)}},
                 p1={"slots": {0: pokemon("Charmander")}})
    assert attacked(s, 0)["dmg"][1, 0] == 0


def test_10_2_5_blizzard_with_blue():
    s = scenario("B-Water", "A-Fire", turn=6, turn_player=0,
                 p0={"slots": {0: pokemon("Articuno ex", energy="WWW")}},
                 p1={"slots": {0: pokemon("Magcargo", under=("Slugma",)), 1: pokemon("Slugma"),
                               2: pokemon("Charmander", dmg=50)}, "blue_until": 6})
    assert attacked(s, 1)["dmg"][1, :3].tolist() == [90, 0, 50]       # 80+20-10; 10-10 on the Bench


def test_10_2_6_draco_meteor_picks():
    ctr = find_ctr(2, [below_is(2, 0), below_is(2, 1), below_is(2, 0), below_is(2, 0)])
    s = scenario("C-Dragon-Lightning", "C-Dragon-Lightning", turn=7, turn_player=0, seed=2, rng_ctr=ctr,
                 giovanni=1,
                 p0={"slots": {0: pokemon("Dragonite", under=("Dratini", "Dragonair"), energy="WLLL")}},
                 p1={"slots": {0: pokemon("Dragonite", under=("Dratini", "Dragonair"), tool="Giant Cape"),
                               1: pokemon("Dratini")}})
    out = attacked(s, 0)
    assert out["dmg"][1, :2].tolist() == [160, 50]                   # one instance 150 + 10; Bench 50
    assert int(out["rng_ctr"]) == ctr + 4 + 1                        # 4 picks, then the next turn's Energy


def test_10_2_7_circle_circuit_without_bench():
    s = scenario("C-Dragon-Lightning", "B-Water", turn=6, turn_player=0, giovanni=1,
                 p0={"slots": {0: pokemon("Pikachu ex", energy="LL"), 1: pokemon("Dratini")}},
                 p1={"slots": {0: pokemon("Froakie")}})
    assert attacked(s, 0)["dmg"][1, 0] == 0


# --- 10.3 counter-damage and simultaneous knock-outs -------------------------------------------------

def thunder_punch(coin, electabuzz_dmg, p_points=2, o_points=0, p_bench=True, o_bench=True):
    ctr = find_ctr(3, [coin])
    s = scenario("C-Dragon-Lightning", "C-Dragon-Lightning", turn=9, turn_player=0, seed=3, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Electabuzz", energy="LL", dmg=electabuzz_dmg),
                               **({1: pokemon("Dratini")} if p_bench else {})}, "points": p_points},
                 p1={"slots": {0: pokemon("Pikachu ex", dmg=50, tool="Rocky Helmet"),
                               **({1: pokemon("Magnemite")} if o_bench else {})}, "points": o_points})
    ad = port_at(s)
    out = ad.step(attack(0))
    return ad.get_state(), out.reward.tolist(), out


def test_10_3_heads_p_wins():
    s, reward, out = thunder_punch(heads, 30)
    assert s["points"][0] == 4 and s["dmg"][0, 0] == 50                # 30 + 20 Helmet, survives
    assert int(s["result"]) == 0 and int(s["phase"]) == OVER and reward == [1, -1] and out.terminated
    assert s["discard"][1, idx("Rocky Helmet")] == 1                    # the Tool follows the KO'd holder
    assert int(out.obs["actor"]) == -1


def test_10_3_heads_p_wins_by_no_pokemon_left():
    s, reward, _ = thunder_punch(heads, 30, o_bench=False)
    assert int(s["result"]) == 0 and reward == [1, -1]


def test_10_3_double_ko_both_three_points_is_a_draw():
    s, reward, _ = thunder_punch(heads, 50, o_points=2)
    assert s["points"].tolist() == [4, 3] and int(s["result"]) == 2 and reward == [0, 0]


def test_10_3_double_ko_p_without_bench_loses():
    s, reward, _ = thunder_punch(heads, 50, p_bench=False)
    assert int(s["result"]) == 1 and reward == [-1, 1]


def test_10_3_double_ko_nobody_left_is_a_draw():
    s, reward, _ = thunder_punch(heads, 50, p_bench=False, o_bench=False)
    assert int(s["result"]) == 2 and reward == [0, 0]


def test_10_3_tails_recoil_and_helmet():
    s, reward, _ = thunder_punch(tails, 30, p_points=0)
    assert s["dmg"][1, 0] == 90                                      # 50 + 40
    assert s["discard"][0, idx("Electabuzz")] == 1                    # 30 + 20 recoil + 20 Helmet = 70
    assert s["points"][1] == 1 and int(s["phase"]) == CHOICE
    assert (s["pend_kind"][0], s["pend_player"][0]) == (PROMOTE, 0) and reward == [0, 0]


# --- 10.4 Checkup ------------------------------------------------------------------------------------

def test_10_4_checkup_order():
    ctr = find_ctr(4, [tails, heads])                                # burn stays; O wakes up
    s = scenario("A-Fire", "B-Water", turn=8, turn_player=0, seed=4, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Magcargo", under=("Slugma",), dmg=90, status=("poisoned", "burned")),
                               1: pokemon("Charmander")}},
                 p1={"slots": {0: pokemon("Froakie", status=("asleep",))}})
    ad = port_at(s)
    ad.step(END)
    out = ad.get_state()
    assert int(out["rng_ctr"]) == ctr + 2                             # two coins; O's turn not started yet
    assert out["discard"][0, idx("Magcargo")] == 1 and out["points"][1] == 1   # 90 + 10 + 20 = 120
    assert out["status"][1, 0, ASLEEP] == 0                          # coin #2 was O's sleep coin
    assert int(out["phase"]) == CHOICE and out["pend_kind"].tolist() == [PROMOTE, 0, 0, 0]
    assert out["pend_player"][0] == 0 and int(out["turn"]) == 8
    ad.step(own_slot(1))
    out = ad.get_state()
    assert (int(out["turn"]), int(out["turn_player"]), int(out["phase"]), int(out["rng_ctr"])) == (9, 1, MAIN, ctr + 3)


# --- 10.5 Paralysis timing ----------------------------------------------------------------------------

def test_10_5_paralysis_lasts_through_the_owners_next_turn():
    ctr = find_ctr(5, [heads])
    s = scenario("C-Dragon-Lightning", "B-Water", turn=5, turn_player=0, seed=5, rng_ctr=ctr,
                 p0={"slots": {0: pokemon("Pincurchin", energy="LL")}},
                 p1={"slots": {0: pokemon("Froakie", energy="W"), 1: pokemon("Staryu")}})
    ad = port_at(s)
    ad.step(attack(0))
    out = ad.get_state()
    assert (int(out["turn"]), int(out["turn_player"])) == (6, 1) and out["status"][1, 0, PARALYZED] == 1
    mask = ad.legal_actions()
    assert not mask[attack(0)] and not mask[59:62].any()              # cannot attack or retreat
    ad.step(END)                                                      # the Checkup after turn 6 removes it
    assert ad.get_state()["status"][1, 0, PARALYZED] == 0
    ad.step(END)                                                      # turn 7 (P)
    assert int(ad.get_state()["turn"]) == 8 and ad.legal_actions()[attack(0)]


# --- 10.6 Energy Zone timing --------------------------------------------------------------------------

def test_10_6_energy_zone_timing():
    ad = started(2024, "A-Fire", "B-Water")                           # seed 2024: player 0 goes first
    assert int(ad.get_state()["first_player"]) == 0
    seen = []
    for _ in range(5):                                                # turns 1..5, nothing attached
        s = ad.get_state()
        seen.append((int(s["turn"]), int(s["zone_cur"][0]), int(s["zone_cur"][1])))
        ad.step(END)
        s2 = ad.get_state()
        assert s2["zone_cur"][1 - s2["turn_player"]] == 0             # unused Energy disappears
    assert seen == [(1, 0, 0), (2, 0, W), (3, R, 0), (4, 0, W), (5, R, 0)]


# --- 10.7 Evolution timing ----------------------------------------------------------------------------

def can_evolve(turn, turn_player, entered, slot=0, active="Charmander", card="Charmeleon", under=()):
    slots = {0: pokemon("Magmar", entered=0), slot: pokemon(active, under=under, entered=entered)}
    s = scenario("A-Fire", "B-Water", turn=turn, turn_player=turn_player, first_player=0,
                 **{f"p{turn_player}": {"slots": slots, "hand": [card]}},
                 **{f"p{1 - turn_player}": {"slots": {0: pokemon("Froakie")}}})
    return bool(port_at(s).legal_actions()[play(0, slot)])


def test_10_7_evolution_timing():
    assert not can_evolve(1, 0, 0) and can_evolve(3, 0, 0)            # first player: turn 3
    assert not can_evolve(2, 1, 0) and can_evolve(4, 1, 0)            # second player: turn 4
    assert not can_evolve(5, 0, 5, slot=1) and can_evolve(7, 0, 5, slot=1)   # benched on turn 5
    kw = dict(active="Charmeleon", card="Charizard ex", under=("Charmander",))
    assert not can_evolve(7, 0, 7, **kw) and can_evolve(9, 0, 7, **kw)       # evolved on turn 7


def test_10_7_basic_benched_this_turn_cannot_evolve():
    s = scenario("A-Fire", "B-Water", turn=5, turn_player=0,
                 p0={"slots": {0: pokemon("Magmar")}, "hand": ["Charmander", "Charmeleon"]},
                 p1={"slots": {0: pokemon("Froakie")}})
    ad = port_at(s)
    ad.step(play(0))                                                  # Charmander to bench slot 1
    out = ad.get_state()
    assert out["card"][0, 1] == idx("Charmander") and out["entered"][0, 1] == 5
    assert not any(ad.legal_actions()[play(0, t)] for t in range(5))


# --- 10.9 rollout vectors -----------------------------------------------------------------------------

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


def spec_test_policy(name: str, k: int, legal_actions: list[int]) -> int:
    """The two deterministic test policies of §10.9."""
    if name == "uniform":
        return legal_actions[mix32(k ^ 0x00C0FFEE) % len(legal_actions)]
    r = mix32(((k * 7919) & 0xFFFFFFFF) ^ 0xBEEF)
    groups = [[a for a in legal_actions if a >= 64], [a for a in legal_actions if 1 <= a <= 4],
              [a for a in legal_actions if 5 <= a <= 54], [a for a in legal_actions if 55 <= a <= 58],
              [a for a in legal_actions if 62 <= a <= 63],
              [a for a in legal_actions if 59 <= a <= 61] if r % 10 == 0 else [], [0]]
    group = next(g for g in groups if g)
    return group[r % len(group)]


@pytest.mark.parametrize("row", ROLLOUTS, ids=[f"{r[0]}-{r[1]}" for r in ROLLOUTS])
def test_10_9_rollout_vectors(row):
    policy, seed, d0, d1 = row[:4]
    ad = TcgJax(d0, d1)
    ad.reset(seed)
    k, done = 0, False
    while not done:
        done = ad.step(spec_test_policy(policy, k, legal(ad))).terminated
        k += 1
    s = ad.get_state()
    assert (int(s["first_player"]), int(s["result"]), s["points"].tolist(), int(s["turn"]), k,
            int(s["rng_ctr"])) == tuple(row[4:])
    assert not ad.legal_actions().any()                               # OVER: no legal action


def test_10_9_rollout_vectors_batched():
    """The same 12 games in one vmap + scan replay (the actions played above, recomputed here)."""
    by_decks = {}
    for row in ROLLOUTS:
        policy, seed, d0, d1 = row[:4]
        ad = TcgJax(d0, d1)
        ad.reset(seed)
        actions, done = [], False
        while not done:
            a = spec_test_policy(policy, len(actions), legal(ad))
            actions.append(a)
            done = ad.step(a).terminated
        by_decks.setdefault((d0, d1), []).append((seed, actions, row))
    for (d0, d1), games in by_decks.items():
        trajs = TcgJax(d0, d1).replays([g[0] for g in games], [g[1] for g in games], record_states=True)
        for (seed, actions, row), t in zip(games, trajs):
            assert t.length == len(actions) and t.interrupted is None
            last = {k: v[-1] for k, v in t.states.items()}
            assert (int(last["first_player"]), int(last["result"]), last["points"].tolist(), int(last["turn"]),
                    t.length, int(last["rng_ctr"])) == tuple(row[4:])
            assert t.outputs["terminated"][-1] and not t.outputs["terminated"][:-1].any()

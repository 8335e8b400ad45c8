"""The data files: verbatim copies of the spec's YAML blocks, and complete."""
from collections import Counter

import pytest
import yaml

from reference_envs.tcg_python.cards import CARDS, CARDS_FILE, DECKS_FILE, TYPES, load_decks
from suites.tcg import extract_cards

POKEMON_FIELDS = {"idx", "id", "name", "kind", "stage", "evolves_from", "type", "hp", "weakness", "retreat",
                  "ex", "ability", "attacks"}
ATTACK_PARAMS = {  # §6.3: the parameters each attack effect code takes
    "none": set(), "coins_times": {"coins"}, "until_tails_times": set(),
    "coin_plus_or_recoil": {"extra", "recoil"}, "coin_inflict": {"status"}, "inflict": {"status"},
    "self_damage": {"amount"}, "heal_self": {"amount"}, "discard_self_energy": {"energy", "count"},
    "bonus_if_opp_poisoned": {"extra"}, "times_own_bench_type": {"energy"}, "spread_opp_bench": {"amount"},
    "snipe_opp_bench": {"amount"}, "random_hits": {"hits", "amount"},
    "zone_to_bench_type_coins": {"coins", "energy"}, "growl": {"amount"}, "teleport": set()}
ABILITY_PARAMS = {"water_shuriken": {"amount"}, "volt_charge": {"energy"}, "psy_shadow": {"energy"},
                  "sleep_pendulum": set(), "gas_leak": set(), "shell_armor": {"amount"}}
TRAINER_PARAMS = {"heal_target": ({"amount"}, {"target_type"}), "retreat_reduce": ({"amount"}, set()),
                  "reveal_opp_hand": (set(), set()), "search_random_basic": (set(), set()),
                  "opp_shuffle_hand_draw": ({"count"}, set()), "tool_hp": ({"amount"}, set()),
                  "tool_counter": ({"amount"}, set()), "draw": ({"count"}, set()), "misty": (set(), set()),
                  "blaine": ({"amount", "names"}, set()), "koga": ({"names"}, set()),
                  "giovanni": ({"amount"}, set()), "brock": ({"names"}, set()), "sabrina": (set(), set()),
                  "blue": ({"amount"}, set())}


def test_files_equal_the_spec_blocks():
    if not extract_cards.DEFAULT_SPEC.is_file():
        pytest.skip(f"the spec is not at {extract_cards.DEFAULT_SPEC} (a clone without ../shared); the "
                    f"structure tests below still check the committed files")
    for path, text in extract_cards.generated_files().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} differs from the spec's block: run python suites/tcg/extract_cards.py")


def test_extraction_names_a_missing_block(tmp_path):
    spec = tmp_path / "spec.md"
    spec.write_text("# nothing here\n")
    with pytest.raises(ValueError, match="6.6"):
        extract_cards.generated_files(spec)


def test_card_pool_structure():
    entries = yaml.safe_load(CARDS_FILE.read_text(encoding="utf-8"))["cards"]
    assert [e["idx"] for e in entries] == list(range(1, 66))
    assert len({e["id"] for e in entries}) == 65 and len({e["name"] for e in entries}) == 65
    kinds = Counter(e["kind"] for e in entries)
    assert kinds == {"pokemon": 48, "item": 5, "tool": 2, "supporter": 10}
    for e in entries:
        if e["kind"] == "pokemon":
            assert set(e) == POKEMON_FIELDS, e["name"]
            assert e["stage"] in (0, 1, 2) and (e["evolves_from"] is None) == (e["stage"] == 0)
            assert e["type"] in TYPES and (e["weakness"] is None or e["weakness"] in TYPES)
            assert e["hp"] % 10 == 0 and 0 <= e["retreat"] <= 4 and isinstance(e["ex"], bool)
            assert 1 <= len(e["attacks"]) <= 2
            for a in e["attacks"]:
                assert set(a) == {"name", "cost", "damage", "effect"} | ATTACK_PARAMS[a["effect"]], a
                assert all(c in TYPES for c in a["cost"]) and a["damage"] % 10 == 0
            if e["ability"] is not None:
                ab = e["ability"]
                assert set(ab) == {"name", "effect"} | ABILITY_PARAMS[ab["effect"]], ab
        else:
            required, optional = TRAINER_PARAMS[e["effect"]]
            extra = set(e) - {"idx", "id", "name", "kind", "effect"}
            assert required <= extra <= required | optional, e
    by_name = {e["name"]: e for e in entries}
    for e in entries:  # every evolution's pre-evolution is in the pool, one stage lower
        if e["kind"] == "pokemon" and e["stage"]:
            assert by_name[e["evolves_from"]]["stage"] == e["stage"] - 1, e["name"]


def test_loaded_cards_match_the_file():
    entries = yaml.safe_load(CARDS_FILE.read_text(encoding="utf-8"))["cards"]
    for e in entries:
        c = CARDS[e["idx"]]
        assert (c.name, c.kind, c.id) == (e["name"], e["kind"], e["id"])
        if c.is_pokemon:
            assert c.hp == e["hp"] and c.type == TYPES[e["type"]] and c.retreat == e["retreat"]
            assert [a.damage for a in c.attacks] == [a["damage"] for a in e["attacks"]]
            assert [list(a.cost) for a in c.attacks] == [[TYPES[x] for x in a["cost"]] for a in e["attacks"]]


def test_sample_decks():
    entries = yaml.safe_load(DECKS_FILE.read_text(encoding="utf-8"))["decks"]
    assert [d["name"] for d in entries] == ["A-Fire", "B-Water", "C-Dragon-Lightning", "D-Psychic",
                                           "E-Fighting", "F-Grass-Poison"]
    decks = load_decks()
    basics = {"A-Fire": 6, "B-Water": 6, "C-Dragon-Lightning": 7, "D-Psychic": 8, "E-Fighting": 7,
              "F-Grass-Poison": 6}   # §7 "Basics: n"
    for name, deck in decks.items():
        assert len(deck.cards) == 20
        assert sum(CARDS[c].is_basic for c in deck.cards) == basics[name]
        names = {CARDS[c].name for c in deck.cards}
        for c in deck.cards:   # §7: every evolution's pre-evolution is present
            if CARDS[c].is_pokemon and CARDS[c].stage:
                assert CARDS[c].evolves_from in names
    assert decks["C-Dragon-Lightning"].energy == (TYPES["W"], TYPES["L"])   # stored ascending (R-1.1.4)
    assert decks["A-Fire"].cards[:6] == (4, 4, 5, 5, 6, 6)                  # canonical order (R-1.1.5)

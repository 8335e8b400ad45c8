"""The card pool and sample decks as integer tables (spec §6.6, §7, §11 "Data").

Read from ``suites/tcg/cards.yaml`` and ``suites/tcg/decks.yaml`` (the spec's YAML blocks, extracted
verbatim by ``suites/tcg/extract_cards.py``); nothing here is retyped. Every effect code and
parameter becomes a small integer column, so the engine dispatches card effects by table lookup and
arithmetic selects, never by per-card Python control flow.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
CARDS_FILE = ROOT / "suites" / "tcg" / "cards.yaml"
DECKS_FILE = ROOT / "suites" / "tcg" / "decks.yaml"

N_CARDS = 65  # card indices 1..65; 0 = empty
TYPES = {"G": 1, "R": 2, "W": 3, "L": 4, "P": 5, "F": 6, "D": 7, "M": 8, "C": 9, "N": 10}
ENERGY_TYPES = 8  # only G..M exist as Energy
KINDS = {"pokemon": 1, "item": 2, "supporter": 3, "tool": 4}
STATUSES = ("poisoned", "burned", "asleep", "paralyzed", "confused")  # the §9.1 status order

# attack effect codes (§6.3); 0 = none
ATTACK_EFFECTS = ("none", "coins_times", "until_tails_times", "coin_plus_or_recoil", "coin_inflict", "inflict",
                  "self_damage", "heal_self", "discard_self_energy", "bonus_if_opp_poisoned",
                  "times_own_bench_type", "spread_opp_bench", "snipe_opp_bench", "random_hits",
                  "zone_to_bench_type_coins", "growl", "teleport")
ABILITIES = ("none", "water_shuriken", "volt_charge", "psy_shadow", "sleep_pendulum", "gas_leak", "shell_armor")
ACTIVATED = ("water_shuriken", "volt_charge", "psy_shadow", "sleep_pendulum", "gas_leak")
TRAINER_EFFECTS = ("none", "draw", "search_random_basic", "heal_target", "retreat_reduce", "reveal_opp_hand",
                   "opp_shuffle_hand_draw", "tool_hp", "tool_counter", "misty", "blaine", "koga", "giovanni",
                   "brock", "sabrina", "blue")
# Trainers whose play action names one of the player's slots as target t (§9.3)
TARGETED = ("heal_target", "misty", "brock", "tool_hp", "tool_counter")

AE = {n: i for i, n in enumerate(ATTACK_EFFECTS)}
AB = {n: i for i, n in enumerate(ABILITIES)}
TE = {n: i for i, n in enumerate(TRAINER_EFFECTS)}
ST = {n: i for i, n in enumerate(STATUSES)}

# per-attack parameter columns: (name in the YAML, how to encode it)
_ATTACK_PARAMS = ("coins", "extra", "recoil", "status", "amount", "energy", "count", "hits")
_ATTACK_KEYS = {"name", "cost", "damage", "effect", *_ATTACK_PARAMS}
_CARD_KEYS = {"idx", "id", "name", "kind", "stage", "evolves_from", "type", "hp", "weakness", "retreat", "ex",
              "ability", "attacks", "effect", "amount", "count", "target_type", "names"}


@dataclass(frozen=True)
class Tables:
    """Integer columns indexed by card idx (row 0 = no card). Attack columns are [66, 2] (attack 0, 1)."""

    kind: np.ndarray
    stage: np.ndarray
    ptype: np.ndarray          # Pokemon type 1..10
    hp: np.ndarray
    weak: np.ndarray           # 0 = no Weakness
    retreat: np.ndarray
    ex: np.ndarray
    name: np.ndarray           # name id (shared by printings of one name)
    evolves_from: np.ndarray   # name id, 0 for Basics and Trainers
    ability: np.ndarray        # ABILITIES code
    ability_amount: np.ndarray
    ability_energy: np.ndarray
    n_attacks: np.ndarray
    cost: np.ndarray           # [66, 2, 8] typed Energy symbols per type G..M
    cost_total: np.ndarray     # [66, 2] all symbols, Colorless included
    damage: np.ndarray         # [66, 2] printed base
    effect: np.ndarray         # [66, 2] ATTACK_EFFECTS code
    coins: np.ndarray
    extra: np.ndarray
    recoil: np.ndarray
    status: np.ndarray         # [66, 2] STATUSES index, -1 none
    amount: np.ndarray
    energy: np.ndarray         # [66, 2] type index, 0 none
    count: np.ndarray
    hits: np.ndarray
    trainer: np.ndarray        # TRAINER_EFFECTS code
    tr_amount: np.ndarray
    tr_count: np.ndarray
    tr_type: np.ndarray        # heal target type (Erika), 0 = any
    names_ok: np.ndarray       # [66, 66] bool: card j's name is in trainer i's `names` (Blaine, Koga, Brock)
    card_names: tuple          # idx -> name, for messages
    card_ids: tuple            # idx -> set code


def _type(letter, where):
    if letter is None:
        return 0
    if letter not in TYPES:
        raise ValueError(f"{where}: unknown type letter {letter!r}; known: {sorted(TYPES)}")
    return TYPES[letter]


def _code(table: dict, value, where):
    if value not in table:
        raise ValueError(f"{where}: unknown effect code {value!r}; the engine implements {sorted(table)} "
                         f"(spec §6.3); add it to ported_envs/tcgjax/cards.py and the engine")
    return table[value]


def load_yaml(path: Path, key: str) -> list:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; it is generated from the spec by "
                                f"python suites/tcg/extract_cards.py (and committed)")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or key not in data:
        raise ValueError(f"{path} should hold a mapping with a {key!r} list")
    return data[key]


def build_tables(cards: list) -> Tables:
    n = N_CARDS + 1
    if sorted(c["idx"] for c in cards) != list(range(1, n)):
        raise ValueError(f"the card pool must number its cards 1..{N_CARDS} exactly once each")
    z = lambda *shape: np.zeros((n, *shape), np.int32)  # noqa: E731
    col = {k: z() for k in ("kind", "stage", "ptype", "hp", "weak", "retreat", "ex", "name", "evolves_from",
                            "ability", "ability_amount", "ability_energy", "n_attacks", "trainer", "tr_amount",
                            "tr_count", "tr_type")}
    atk = {k: z(2) for k in ("cost_total", "damage", "effect", "coins", "extra", "recoil", "amount", "energy",
                             "count", "hits")}
    atk["status"] = np.full((n, 2), -1, np.int32)
    cost = z(2, 8)
    names = sorted({c["name"] for c in cards} | {nm for c in cards for nm in c.get("names") or ()}
                   | {c["evolves_from"] for c in cards if c.get("evolves_from")})
    name_id = {nm: i + 1 for i, nm in enumerate(names)}
    names_ok = np.zeros((n, n), bool)
    card_names, card_ids = [""] * n, [""] * n
    for c in cards:
        i, where = c["idx"], f"card {c.get('idx')} ({c.get('name')})"
        extra_keys = set(c) - _CARD_KEYS
        if extra_keys:
            raise ValueError(f"{where}: unknown fields {sorted(extra_keys)}")
        card_names[i], card_ids[i] = c["name"], c["id"]
        col["kind"][i] = _code(KINDS, c["kind"], where)
        col["name"][i] = name_id[c["name"]]
        if c["kind"] == "pokemon":
            col["stage"][i] = c["stage"]
            col["ptype"][i] = _type(c["type"], where)
            col["hp"][i], col["retreat"][i], col["ex"][i] = c["hp"], c["retreat"], int(bool(c["ex"]))
            col["weak"][i] = _type(c["weakness"], where)
            col["evolves_from"][i] = name_id[c["evolves_from"]] if c["evolves_from"] else 0
            ab = c.get("ability")
            if ab:
                col["ability"][i] = _code(AB, ab["effect"], where)
                col["ability_amount"][i] = ab.get("amount", 0)
                col["ability_energy"][i] = _type(ab.get("energy"), where)
            attacks = c["attacks"]
            if not 1 <= len(attacks) <= 2:
                raise ValueError(f"{where}: a Pokemon has 1 or 2 attacks, not {len(attacks)}")
            col["n_attacks"][i] = len(attacks)
            for j, a in enumerate(attacks):
                bad = set(a) - _ATTACK_KEYS
                if bad:
                    raise ValueError(f"{where}, attack {a.get('name')}: unknown parameters {sorted(bad)}")
                for sym in a["cost"]:
                    t = _type(sym, where)
                    if t <= ENERGY_TYPES:
                        cost[i, j, t - 1] += 1
                atk["cost_total"][i, j] = len(a["cost"])
                atk["damage"][i, j] = a["damage"]
                atk["effect"][i, j] = _code(AE, a["effect"], where)
                for p in ("coins", "extra", "recoil", "amount", "count", "hits"):
                    atk[p][i, j] = a.get(p, 0)
                if "status" in a:
                    atk["status"][i, j] = _code(ST, a["status"], where)
                atk["energy"][i, j] = _type(a.get("energy"), where)
        else:
            col["trainer"][i] = _code(TE, c["effect"], where)
            col["tr_amount"][i] = c.get("amount", 0)
            col["tr_count"][i] = c.get("count", 0)
            col["tr_type"][i] = _type(c.get("target_type"), where)
    for c in cards:  # after the loop above: every card has its name by now
        for nm in c.get("names") or ():
            names_ok[c["idx"], 1:] |= np.array([card_names[j] == nm for j in range(1, n)])
    return Tables(**col, **atk, cost=cost, names_ok=names_ok, card_names=tuple(card_names),
                  card_ids=tuple(card_ids))


@lru_cache(maxsize=None)
def tables() -> Tables:
    return build_tables(load_yaml(CARDS_FILE, "cards"))


@dataclass(frozen=True)
class Deck:
    name: str
    cards: tuple        # 20 card indices in canonical order
    etypes: tuple       # declared Energy types, ascending


def make_deck(name: str, energy, cards) -> Deck:
    """A deck from card indices in canonical order and Energy type letters, checked against R-1.1."""
    return build_deck({"name": name, "energy": list(energy), "cards": list(cards)}, {})


def build_deck(entry: dict, id_to_idx: dict) -> Deck:
    """A deck from a decks.yaml entry (``list`` of [count, card id]) or from ``cards`` (card indices)."""
    where = f"deck {entry.get('name')!r}"
    cards = [int(c) for c in entry.get("cards", ())]
    for count, cid in entry.get("list", ()):
        if cid not in id_to_idx:
            raise ValueError(f"{where}: card id {cid!r} is not in the pool")
        cards += [id_to_idx[cid]] * int(count)
    if not all(1 <= c <= N_CARDS for c in cards):
        raise ValueError(f"{where}: card indices are 1..{N_CARDS}")
    if len(cards) != 20:
        raise ValueError(f"{where}: a deck is exactly 20 cards (R-1.1.1), this one has {len(cards)}")
    t = tables()
    names = [t.card_names[c] for c in cards]
    over = sorted({n for n in names if names.count(n) > 2})
    if over:
        raise ValueError(f"{where}: at most 2 cards of one name (R-1.1.2); too many: {over}")
    if not any(t.kind[c] == KINDS["pokemon"] and t.stage[c] == 0 for c in cards):
        raise ValueError(f"{where}: a deck needs at least 1 Basic Pokemon (R-1.1.3)")
    et = sorted(_type(t, where) for t in entry["energy"])
    if not 1 <= len(et) <= 3 or len(set(et)) != len(et) or max(et) > ENERGY_TYPES:
        raise ValueError(f"{where}: 1 to 3 distinct Energy types from G..M (R-1.1.4), got {entry['energy']}")
    return Deck(entry["name"], tuple(cards), tuple(et))


@lru_cache(maxsize=None)
def decks() -> dict:
    """{deck name: Deck} for the sample decks of §7."""
    t = tables()
    id_to_idx = {cid: i for i, cid in enumerate(t.card_ids) if cid}
    return {e["name"]: build_deck(e, id_to_idx) for e in load_yaml(DECKS_FILE, "decks")}


def deck(name_or_deck) -> Deck:
    """A sample deck by name (``A-Fire`` or just ``A``), or a Deck passed through."""
    if isinstance(name_or_deck, Deck):
        return name_or_deck
    all_decks = decks()
    if name_or_deck in all_decks:
        return all_decks[name_or_deck]
    short = [d for n, d in all_decks.items() if n.split("-")[0] == name_or_deck]
    if len(short) == 1:
        return short[0]
    raise ValueError(f"unknown deck {name_or_deck!r}; the sample decks are {sorted(all_decks)}")


def deck_arrays(d0, d1) -> tuple:
    """(cards int32[2, 20], etypes int32[2, 3], n_etypes int32[2]) for two decks (names or Decks)."""
    ds = [deck(d0), deck(d1)]
    cards = np.array([d.cards for d in ds], np.int32)
    etypes = np.zeros((2, 3), np.int32)
    for p, d in enumerate(ds):
        etypes[p, :len(d.etypes)] = d.etypes
    return cards, etypes, np.array([len(d.etypes) for d in ds], np.int32)

"""The 65-card pool (spec §6) and the sample decks (spec §7), loaded from the data files
extracted verbatim from the spec (suites/tcg/cards.yaml, suites/tcg/decks.yaml)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "suites" / "tcg"
CARDS_FILE = DATA_DIR / "cards.yaml"
DECKS_FILE = DATA_DIR / "decks.yaml"

# §0.1 canonical type index; 0 = none. Only 1..8 exist as Energy.
TYPES = {"G": 1, "R": 2, "W": 3, "L": 4, "P": 5, "F": 6, "D": 7, "M": 8, "C": 9, "N": 10}
TYPE_LETTER = {v: k for k, v in TYPES.items()}
ENERGY_TYPES = range(1, 9)
COLORLESS = TYPES["C"]

# §9.1 status flags, in this order
POISONED, BURNED, ASLEEP, PARALYZED, CONFUSED = range(5)
STATUS_INDEX = {"poisoned": POISONED, "burned": BURNED, "asleep": ASLEEP,
                "paralyzed": PARALYZED, "confused": CONFUSED}

# §0.3 global constants
DECK_SIZE = 20
MAX_COPIES_PER_NAME = 2
MAX_ENERGY_TYPES = 3


@dataclass(frozen=True)
class Attack:
    name: str
    cost: tuple          # type indices; 9 (C) = any type
    damage: int          # printed base
    effect: str          # §6.3 code
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def typed_cost(self) -> Counter:
        return Counter(t for t in self.cost if t != COLORLESS)


@dataclass(frozen=True)
class Ability:
    name: str
    effect: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def activated(self) -> bool:
        return self.effect != "shell_armor"   # §6.3: Shell Armor is the only passive one


@dataclass(frozen=True)
class Card:
    idx: int
    id: str
    name: str
    kind: str                    # pokemon, item, supporter, tool
    stage: int = 0
    evolves_from: str | None = None
    type: int = 0
    hp: int = 0
    weakness: int = 0            # 0: none
    retreat: int = 0
    ex: bool = False
    ability: Ability | None = None
    attacks: tuple = ()
    effect: str | None = None    # Trainers: §6.3 code
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_pokemon(self) -> bool:
        return self.kind == "pokemon"

    @property
    def is_basic(self) -> bool:
        return self.kind == "pokemon" and self.stage == 0


_POKEMON_KEYS = {"idx", "id", "name", "kind", "stage", "evolves_from", "type", "hp", "weakness",
                 "retreat", "ex", "ability", "attacks"}
_TRAINER_KEYS = {"idx", "id", "name", "kind", "effect"}


def _params(entry: dict, known: set) -> dict:
    return {k: v for k, v in entry.items() if k not in known}


def _card(entry: dict) -> Card:
    kind = entry["kind"]
    if kind == "pokemon":
        ability = entry.get("ability")
        return Card(
            idx=entry["idx"], id=entry["id"], name=entry["name"], kind=kind, stage=entry["stage"],
            evolves_from=entry["evolves_from"], type=TYPES[entry["type"]], hp=entry["hp"],
            weakness=TYPES[entry["weakness"]] if entry["weakness"] else 0, retreat=entry["retreat"],
            ex=bool(entry["ex"]),
            ability=None if ability is None else Ability(ability["name"], ability["effect"],
                                                         _params(ability, {"name", "effect"})),
            attacks=tuple(Attack(a["name"], tuple(TYPES[c] for c in a["cost"]), a["damage"], a["effect"],
                                 _params(a, {"name", "cost", "damage", "effect"}))
                          for a in entry["attacks"]))
    return Card(idx=entry["idx"], id=entry["id"], name=entry["name"], kind=kind,
                effect=entry["effect"], params=_params(entry, _TRAINER_KEYS))


@lru_cache(maxsize=None)
def load_cards(path: Path = CARDS_FILE) -> tuple:
    """Cards indexed by idx: ``cards[idx]`` (index 0 is None)."""
    try:
        entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["cards"]
    except OSError as e:
        raise FileNotFoundError(f"card pool {path} is missing ({e}); regenerate it with "
                                f"`python suites/tcg/extract_cards.py`") from e
    table = [None] * (len(entries) + 1)
    for e in entries:
        table[e["idx"]] = _card(e)
    if any(c is None for c in table[1:]):
        raise ValueError(f"{path}: card indices are not 1..{len(entries)} without gaps")
    return tuple(table)


CARDS = load_cards()
N_CARDS = len(CARDS) - 1
BY_ID = {c.id: c for c in CARDS[1:]}
BY_NAME = {c.name: c for c in CARDS[1:]}
ROCKY_HELMET = BY_NAME["Rocky Helmet"].idx
GIANT_CAPE = BY_NAME["Giant Cape"].idx


@dataclass(frozen=True)
class Deck:
    """A deck in canonical order (R-1.1.5) with its declared Energy types, sorted (R-1.1.4)."""

    name: str
    energy: tuple     # type indices, ascending
    cards: tuple      # 20 card indices in canonical order


def check_deck(deck: Deck) -> Deck:
    """R-1.1: raise ValueError naming the broken rule."""
    where = f"deck {deck.name!r}"
    if len(deck.cards) != DECK_SIZE:
        raise ValueError(f"{where} has {len(deck.cards)} cards; R-1.1.1 needs exactly {DECK_SIZE}")
    unknown = [c for c in deck.cards if not (1 <= c <= N_CARDS)]
    if unknown:
        raise ValueError(f"{where}: card indices {unknown} are outside the pool 1..{N_CARDS}")
    names = Counter(CARDS[c].name for c in deck.cards)
    over = {n: k for n, k in names.items() if k > MAX_COPIES_PER_NAME}
    if over:
        raise ValueError(f"{where}: more than {MAX_COPIES_PER_NAME} copies of {over} (R-1.1.2)")
    if not any(CARDS[c].is_basic for c in deck.cards):
        raise ValueError(f"{where} has no Basic Pokémon (R-1.1.3)")
    e = deck.energy
    if not (1 <= len(e) <= MAX_ENERGY_TYPES and len(set(e)) == len(e) and all(t in ENERGY_TYPES for t in e)
            and list(e) == sorted(e)):
        raise ValueError(f"{where}: Energy types {e} must be 1-3 distinct types from G..M (1..8), "
                         f"ascending (R-1.1.4)")
    return deck


def make_deck(name: str, energy, card_indices) -> Deck:
    """A deck from type letters or indices and a canonical list of card indices."""
    types = tuple(sorted(TYPES[t] if isinstance(t, str) else int(t) for t in energy))
    return check_deck(Deck(name, types, tuple(int(c) for c in card_indices)))


@lru_cache(maxsize=None)
def load_decks(path: Path = DECKS_FILE) -> dict:
    """The sample decks of §7 by name, lines expanded in written order (R-1.1.5)."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["decks"]
    decks = {}
    for d in entries:
        cards = [BY_ID[card_id].idx for count, card_id in d["list"] for _ in range(count)]
        decks[d["name"]] = make_deck(d["name"], d["energy"], cards)
    return decks


def deck_named(name) -> Deck:
    """A sample deck by name (or a Deck passed through), with a helpful error."""
    if isinstance(name, Deck):
        return check_deck(name)
    decks = load_decks()
    if name not in decks:
        raise ValueError(f"unknown deck {name!r}; the sample decks are {sorted(decks)} "
                         f"(or pass a Deck made with make_deck)")
    return decks[name]

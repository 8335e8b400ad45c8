"""The game state as plain Python objects, and its canonical form (spec §9.1).

Field names follow §9.1 so the two forms map one to one. Inside the engine a deck is a
list from bottom to top (the top card is the last element, R-5.4) and a hand is a list in
arrival order; the canonical arrays pad both with 0. numpy is used only in
``to_canonical`` / ``from_canonical``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reference_envs.tcg_python.cards import N_CARDS
from reference_envs.tcg_python.prng import Draws

N_SLOTS = 4                 # slot 0 Active, 1..3 Bench
HAND_MAX = 10
DECK_MAX = 20
PEND_MAX = 4

# §9.1 enumerations
SETUP, MAIN, CHOICE, OVER = range(4)                       # phase
ONGOING, DRAW = -1, 2                                      # result (0/1: that player won)
RESUME_MAIN, AFTER_ATTACK, END_TURN, NEXT_TURN = range(4)  # resume
PROMOTE, SABRINA_SWITCH, TELEPORT, INFERNO_DANCE, WATER_SHURIKEN, STRETCH_KICK = range(1, 7)
PENDING_NAMES = {PROMOTE: "PROMOTE", SABRINA_SWITCH: "SABRINA_SWITCH", TELEPORT: "TELEPORT",
                 INFERNO_DANCE: "INFERNO_DANCE", WATER_SHURIKEN: "WATER_SHURIKEN",
                 STRETCH_KICK: "STRETCH_KICK"}
PHASE_NAMES = ("SETUP", "MAIN", "CHOICE", "OVER")


@dataclass
class Slot:
    """One Pokémon slot; an empty slot holds the canonical empty values of §9.1."""

    card: int = 0
    under: list = field(default_factory=lambda: [0, 0])      # [Basic idx, Stage-1 idx]
    dmg: int = 0
    energy: list = field(default_factory=lambda: [0] * 8)    # count per type G..M
    tool: int = 0
    status: list = field(default_factory=lambda: [0] * 5)    # poisoned, burned, asleep, paralyzed, confused
    entered: int = 0
    ability_turn: int = -1
    growl_until: int = -1

    @property
    def occupied(self) -> bool:
        return self.card != 0

    def copy(self) -> "Slot":
        return Slot(self.card, list(self.under), self.dmg, list(self.energy), self.tool,
                    list(self.status), self.entered, self.ability_turn, self.growl_until)

    def clear_conditions(self) -> None:
        """R-4.2.4, §8 A22: Special Conditions and attack markers go."""
        self.status = [0] * 5
        self.growl_until = -1


@dataclass
class Player:
    deck: list = field(default_factory=list)                  # bottom .. top
    hand: list = field(default_factory=list)                  # arrival order
    discard: list = field(default_factory=lambda: [0] * (N_CARDS + 1))   # count per card idx
    etypes: list = field(default_factory=list)                # declared Energy types, ascending
    zone_cur: int = 0
    zone_next: int = 0
    points: int = 0
    blue_until: int = -1
    slots: list = field(default_factory=lambda: [Slot() for _ in range(N_SLOTS)])

    @property
    def active(self) -> Slot:
        return self.slots[0]

    def bench_slots(self) -> list[int]:
        """Occupied bench slot numbers, ascending."""
        return [s for s in (1, 2, 3) if self.slots[s].occupied]

    def has_pokemon(self) -> bool:
        return any(s.occupied for s in self.slots)

    def copy(self) -> "Player":
        return Player(list(self.deck), list(self.hand), list(self.discard), list(self.etypes),
                      self.zone_cur, self.zone_next, self.points, self.blue_until,
                      [s.copy() for s in self.slots])


@dataclass
class GameState:
    rng: Draws = field(default_factory=Draws)     # rng_key, rng_ctr (§5.2)
    turn: int = 0
    turn_player: int = 0
    first_player: int = 0
    setup_player: int = -1
    phase: int = SETUP
    result: int = ONGOING
    players: list = field(default_factory=lambda: [Player(), Player()])
    # turn-player flags, reset at every turn start
    supporter_played: int = 0
    retreated: int = 0
    retreat_red: int = 0
    giovanni: int = 0
    blaine: int = 0
    hand_revealed: int = 0
    pending: list = field(default_factory=list)   # FIFO of [kind, player, count]; head first
    resume: int = RESUME_MAIN

    def copy(self) -> "GameState":
        c = GameState(**{k: v for k, v in vars(self).items() if k not in ("players", "pending", "rng")})
        c.rng = Draws(self.rng.key, self.rng.ctr)
        c.players = [p.copy() for p in self.players]
        c.pending = [list(e) for e in self.pending]
        return c


# --- canonical form (§9.1) -------------------------------------------------------------

SCALARS = ("turn", "turn_player", "first_player", "setup_player", "phase", "result",
           "supporter_played", "retreated", "retreat_red", "giovanni", "blaine", "hand_revealed",
           "resume")
# every §9.1 field: (name, shape, dtype)
FIELDS = (
    [("rng_key", (), "uint32"), ("rng_ctr", (), "uint32")]
    + [(n, (), "int32") for n in ("turn", "turn_player", "first_player", "setup_player", "phase", "result")]
    + [("points", (2,), "int32"), ("deck", (2, DECK_MAX), "int32"), ("deck_size", (2,), "int32"),
       ("hand", (2, HAND_MAX), "int32"), ("hand_size", (2,), "int32"),
       ("discard", (2, N_CARDS + 1), "int32"), ("etypes", (2, 3), "int32"), ("n_etypes", (2,), "int32"),
       ("zone_cur", (2,), "int32"), ("zone_next", (2,), "int32"), ("card", (2, N_SLOTS), "int32"),
       ("under", (2, N_SLOTS, 2), "int32"), ("dmg", (2, N_SLOTS), "int32"),
       ("energy", (2, N_SLOTS, 8), "int32"), ("tool", (2, N_SLOTS), "int32"),
       ("status", (2, N_SLOTS, 5), "int32"), ("entered", (2, N_SLOTS), "int32"),
       ("ability_turn", (2, N_SLOTS), "int32"), ("growl_until", (2, N_SLOTS), "int32"),
       ("blue_until", (2,), "int32")]
    + [(n, (), "int32") for n in ("supporter_played", "retreated", "retreat_red", "giovanni", "blaine",
                                 "hand_revealed")]
    + [("pend_kind", (PEND_MAX,), "int32"), ("pend_player", (PEND_MAX,), "int32"),
       ("pend_count", (PEND_MAX,), "int32"), ("pend_len", (), "int32"), ("resume", (), "int32")]
)
SLOT_FIELDS = ("card", "under", "dmg", "energy", "tool", "status", "entered", "ability_turn", "growl_until")


def _pad(values: list, n: int) -> list:
    return list(values) + [0] * (n - len(values))


def to_canonical(g: GameState) -> dict:
    """The §9.1 dict of numpy arrays."""
    import numpy as np
    P = g.players
    out = {"rng_key": np.uint32(g.rng.key), "rng_ctr": np.uint32(g.rng.ctr)}
    for name in SCALARS:
        out[name] = np.int32(getattr(g, name))
    out["points"] = [p.points for p in P]
    out["deck"] = [_pad(p.deck, DECK_MAX) for p in P]
    out["deck_size"] = [len(p.deck) for p in P]
    out["hand"] = [_pad(p.hand, HAND_MAX) for p in P]
    out["hand_size"] = [len(p.hand) for p in P]
    out["discard"] = [p.discard for p in P]
    out["etypes"] = [_pad(p.etypes, 3) for p in P]
    out["n_etypes"] = [len(p.etypes) for p in P]
    for name in ("zone_cur", "zone_next", "blue_until"):
        out[name] = [getattr(p, name) for p in P]
    for name in SLOT_FIELDS:
        out[name] = [[getattr(s, name) for s in p.slots] for p in P]
    out["pend_kind"] = _pad([e[0] for e in g.pending], PEND_MAX)
    out["pend_player"] = _pad([e[1] for e in g.pending], PEND_MAX)
    out["pend_count"] = _pad([e[2] for e in g.pending], PEND_MAX)
    out["pend_len"] = len(g.pending)
    return {name: np.asarray(out[name], dtype=dtype).reshape(shape) for name, shape, dtype in FIELDS}


class StateError(ValueError):
    """A canonical state that does not describe a game (wrong fields, shapes or padding)."""


def from_canonical(arrays) -> GameState:
    """A GameState from a §9.1 dict; StateError names the first problem and the fix."""
    import numpy as np
    names = {n for n, _, _ in FIELDS}
    missing, extra = sorted(names - set(arrays)), sorted(set(arrays) - names)
    if missing or extra:
        raise StateError(f"canonical state has missing fields {missing} and unexpected fields {extra}; "
                         f"pass exactly the spec §9.1 fields")
    v = {}
    for name, shape, dtype in FIELDS:
        a = np.asarray(arrays[name])
        if a.shape != shape:
            raise StateError(f"field {name!r} has shape {a.shape}, §9.1 says {shape}")
        if a.dtype.kind not in "iub":
            raise StateError(f"field {name!r} has dtype {a.dtype}; it must hold integers ({dtype})")
        v[name] = a.astype(np.int64).tolist()
    g = GameState(rng=Draws(v["rng_key"], v["rng_ctr"]), **{n: v[n] for n in SCALARS})
    for p in range(2):
        pl = Player()
        pl.deck = _used(v["deck"][p], v["deck_size"][p], f"deck[{p}]", "deck_size")
        pl.hand = _used(v["hand"][p], v["hand_size"][p], f"hand[{p}]", "hand_size")
        pl.discard = list(v["discard"][p])
        pl.etypes = _used(v["etypes"][p], v["n_etypes"][p], f"etypes[{p}]", "n_etypes")
        pl.zone_cur, pl.zone_next = v["zone_cur"][p], v["zone_next"][p]
        pl.points, pl.blue_until = v["points"][p], v["blue_until"][p]
        for s in range(N_SLOTS):
            for name in SLOT_FIELDS:
                setattr(pl.slots[s], name, v[name][p][s])
            if pl.slots[s].card == 0 and pl.slots[s] != Slot():
                raise StateError(f"slot [{p},{s}] is empty (card 0) but its other fields are not the "
                                 f"canonical empty values of §9.1: {pl.slots[s]}")
        g.players[p] = pl
    n = v["pend_len"]
    g.pending = [list(e) for e in zip(v["pend_kind"], v["pend_player"], v["pend_count"])][:max(n, 0)]
    _used(v["pend_kind"], n, "pend_kind", "pend_len")
    return g


def _used(values: list, size: int, what: str, size_name: str) -> list:
    if not 0 <= size <= len(values):
        raise StateError(f"{size_name} for {what} is {size}, outside 0..{len(values)}")
    if any(values[size:]):
        raise StateError(f"{what} holds non-zero entries beyond {size_name}={size} ({values}); "
                         f"§9.1 pads unused entries with 0")
    return list(values[:size])

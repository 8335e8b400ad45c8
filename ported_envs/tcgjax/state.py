"""The canonical state of spec §9.1 and the constants of the state machine (§9.2) and actions (§9.3).

A state is a dict of arrays with exactly the §9.1 field names, dtypes and shapes, so it is a JAX
pytree, ``vmap``s over a leading batch axis and converts to and from the numpy dicts the equiv
schema compares without renaming anything.
"""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np

I32 = jnp.int32
U32 = jnp.uint32

# phase, resume, pending kinds (§9.1, §9.2)
SETUP, MAIN, CHOICE, OVER = 0, 1, 2, 3
R_MAIN, R_AFTER_ATTACK, R_END_TURN, R_NEXT_TURN = 0, 1, 2, 3
PROMOTE, SABRINA_SWITCH, TELEPORT, INFERNO_DANCE, WATER_SHURIKEN, STRETCH_KICK = 1, 2, 3, 4, 5, 6
PENDING_NAMES = {PROMOTE: "PROMOTE", SABRINA_SWITCH: "SABRINA_SWITCH", TELEPORT: "TELEPORT",
                 INFERNO_DANCE: "INFERNO_DANCE", WATER_SHURIKEN: "WATER_SHURIKEN", STRETCH_KICK: "STRETCH_KICK"}

# global constants (§0.3)
DECK_SIZE, OPENING_HAND, HAND_MAX, BENCH_MAX = 20, 5, 10, 3
POINTS_TO_WIN, TURN_LIMIT, OPENING_ATTEMPT_CAP = 3, 30, 100
SLOTS, FIFO = 4, 4
N_ACTIONS, OBS_SIZE = 72, 416

# (name, dtype, shape) in §9.1 order
FIELDS = (
    ("rng_key", np.uint32, ()), ("rng_ctr", np.uint32, ()),
    ("turn", np.int32, ()), ("turn_player", np.int32, ()), ("first_player", np.int32, ()),
    ("setup_player", np.int32, ()), ("phase", np.int32, ()), ("result", np.int32, ()),
    ("points", np.int32, (2,)),
    ("deck", np.int32, (2, DECK_SIZE)), ("deck_size", np.int32, (2,)),
    ("hand", np.int32, (2, HAND_MAX)), ("hand_size", np.int32, (2,)),
    ("discard", np.int32, (2, 66)),
    ("etypes", np.int32, (2, 3)), ("n_etypes", np.int32, (2,)),
    ("zone_cur", np.int32, (2,)), ("zone_next", np.int32, (2,)),
    ("card", np.int32, (2, SLOTS)), ("under", np.int32, (2, SLOTS, 2)),
    ("dmg", np.int32, (2, SLOTS)), ("energy", np.int32, (2, SLOTS, 8)),
    ("tool", np.int32, (2, SLOTS)), ("status", np.int32, (2, SLOTS, 5)),
    ("entered", np.int32, (2, SLOTS)), ("ability_turn", np.int32, (2, SLOTS)),
    ("growl_until", np.int32, (2, SLOTS)), ("blue_until", np.int32, (2,)),
    ("supporter_played", np.int32, ()), ("retreated", np.int32, ()), ("retreat_red", np.int32, ()),
    ("giovanni", np.int32, ()), ("blaine", np.int32, ()), ("hand_revealed", np.int32, ()),
    ("pend_kind", np.int32, (FIFO,)), ("pend_player", np.int32, (FIFO,)), ("pend_count", np.int32, (FIFO,)),
    ("pend_len", np.int32, ()), ("resume", np.int32, ()),
)
FIELD_NAMES = tuple(f[0] for f in FIELDS)

# fields with a leading player axis, and the per-slot ones (moved together when Pokemon change slots)
PLAYER_FIELDS = ("points", "deck", "deck_size", "hand", "hand_size", "discard", "etypes", "n_etypes", "zone_cur",
                 "zone_next", "card", "under", "dmg", "energy", "tool", "status", "entered", "ability_turn",
                 "growl_until", "blue_until")
SLOT_FIELDS = ("card", "under", "dmg", "energy", "tool", "status", "entered", "ability_turn", "growl_until")
# the canonical values of an empty slot (§9.1)
SLOT_EMPTY = {"card": 0, "under": 0, "dmg": 0, "energy": 0, "tool": 0, "status": 0, "entered": 0,
              "ability_turn": -1, "growl_until": -1}


def to_numpy(state) -> dict:
    """A (possibly jnp) state as the numpy dict of §9.1."""
    return {name: np.asarray(state[name]).astype(dt).reshape(shape) for name, dt, shape in FIELDS}


def from_numpy(state: dict, where: str = "state") -> dict:
    """A §9.1 dict (numpy or lists) as jnp arrays, checking names and shapes with a clear error."""
    missing = [n for n in FIELD_NAMES if n not in state]
    extra = [n for n in state if n not in FIELD_NAMES]
    if missing or extra:
        raise ValueError(f"{where}: the tcg state has exactly the §9.1 fields; missing {missing}, unknown {extra}")
    out = {}
    for name, dt, shape in FIELDS:
        v = np.asarray(state[name])
        if v.shape != shape:
            raise ValueError(f"{where}: field {name!r} must have shape {shape}, got {v.shape}")
        out[name] = jnp.asarray(v.astype(dt))
    return out


def stack(states: list) -> dict:
    """A batch (leading axis) from a list of states."""
    return {k: jnp.stack([jnp.asarray(s[k]) for s in states]) for k in FIELD_NAMES}


def unstack(batch: dict, i: int) -> dict:
    return {k: batch[k][i] for k in FIELD_NAMES}


def describe_action(a) -> str:
    """``PLAY_HAND(i=2, t=4)``-style name of an action index (§9.3), for error messages."""
    try:
        a = int(a)
    except (TypeError, ValueError):
        return f"{a!r} is not an action index (integers 0..{N_ACTIONS - 1})"
    if not 0 <= a < N_ACTIONS:
        return f"{a} is not an action index (integers 0..{N_ACTIONS - 1})"
    if a == 0:
        return "END"
    for lo, hi, name, arg in ((1, 4, "ATTACH", "k"), (55, 58, "USE_ABILITY", "k"), (59, 61, "RETREAT", "b"),
                              (62, 63, "ATTACK", "a"), (64, 67, "CHOOSE_OWN_SLOT", "k"),
                              (68, 71, "CHOOSE_OPP_SLOT", "k")):
        if lo <= a <= hi:
            return f"{name}({arg}={a - lo + (1 if name == 'RETREAT' else 0)})"
    return f"PLAY_HAND(i={(a - 5) // 5}, t={(a - 5) % 5})"

"""pokejax's own battle-state layout: field names, dtypes and shapes, code tables, observation.

The port owns this contract so it runs without the test suite. It is written to agree with the
pokemon family's canonical state (``suites/pokemon/schema.py``); ``adapters/pokejax.py`` checks
the two agree when it is built (``mismatches``), and ``tests/pokejax/test_env.py`` checks it too.
Game data (species, moves, types, random-battle sets) comes from the data file Showdown's dex is
exported to at set-up (``data_path``), never typed by hand.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

S, T, M = 2, 6, 4  # sides, team slots, move slots
STATUSES = ("", "brn", "par", "slp", "frz", "psn", "tox", "fnt")
VOLATILES = (
    "confusion", "flinch", "partiallytrapped", "fakepartiallytrapped", "partialtrappinglock",
    "mustrecharge", "lockedmove", "twoturnmove", "invulnerability", "bide", "disable", "rage",
    "reflect", "lightscreen", "mist", "focusenergy", "leechseed", "residualdmg", "substitute",
    "minimize", "defensecurl",
)
V = len(VOLATILES)
ACTIONS = ("move 1", "move 2", "move 3", "move 4", "switch 1", "switch 2", "switch 3", "switch 4",
           "switch 5", "switch 6", "recharge", "struggle", "fight", "wait")
N_ACTIONS = len(ACTIONS)

FIELDS = (
    ("turn", "int32", ()), ("request", "int8", (S,)), ("ended", "bool", ()), ("winner", "int8", ()),
    ("prng", "uint32", (8,)), ("last_damage", "int32", ()), ("last_move", "int16", ()),
    ("side_last_selected_move", "int16", (S,)), ("side_last_selected_move_slot", "int8", (S,)),
    ("side_last_enemy_selected_move", "int16", (S,)), ("side_last_move", "int16", (S,)),
    ("side_last_enemy_move", "int16", (S,)),
    ("species", "int16", (S, T)), ("base_species", "int16", (S, T)), ("level", "int16", (S, T)),
    ("hp", "int16", (S, T)), ("maxhp", "int16", (S, T)), ("status", "int8", (S, T)),
    ("fainted", "bool", (S, T)), ("status_time", "int8", (S, T)), ("status_start_time", "int8", (S, T)),
    ("status_source", "int8", (S, T)), ("status_stage", "int8", (S, T)),
    ("ivs", "int8", (S, T, 6)), ("evs", "int16", (S, T, 6)),
    ("base_stats", "int16", (S, T, 5)), ("stored_stats", "int16", (S, T, 5)),
    ("modified_stats", "int16", (S, T, 5)), ("boosts", "int8", (S, T, 7)), ("speed", "int16", (S, T)),
    ("types", "int8", (S, T, 2)), ("transformed", "bool", (S, T)), ("sub_fainted", "bool", (S, T)),
    ("maybe_locked", "bool", (S, T)), ("maybe_disabled", "bool", (S, T)), ("trapped", "bool", (S, T)),
    ("maybe_trapped", "bool", (S, T)), ("active_turns", "int16", (S, T)), ("poke_last_move", "int16", (S, T)),
    ("move_id", "int16", (S, T, M)), ("move_pp", "int8", (S, T, M)), ("move_maxpp", "int8", (S, T, M)),
    ("move_disabled", "bool", (S, T, M)), ("move_virtual", "bool", (S, T, M)),
    ("base_move_id", "int16", (S, T, M)), ("base_move_pp", "int8", (S, T, M)),
    ("base_move_maxpp", "int8", (S, T, M)), ("base_move_disabled", "bool", (S, T, M)),
    ("volatiles", "bool", (S, V)), ("vol_duration", "int8", (S, V)),
    ("vol_confusion_time", "int8", (S,)), ("vol_trapped_source", "int8", (S,)),
    ("vol_trapped_move", "int16", (S,)), ("vol_trapped_maybe_locked", "bool", (S,)),
    ("vol_trap_lock_move", "int16", (S,)), ("vol_trap_lock_total", "int8", (S,)),
    ("vol_trap_lock_damage", "int16", (S,)), ("vol_trap_lock_target", "int8", (S,)),
    ("vol_locked_move", "int16", (S,)), ("vol_locked_time", "int8", (S,)),
    ("vol_locked_accuracy", "int16", (S,)), ("vol_twoturn_move", "int16", (S,)),
    ("vol_bide_damage", "int32", (S,)), ("vol_bide_time", "int8", (S,)),
    ("vol_disable_move", "int16", (S,)), ("vol_disable_slot", "int8", (S,)),
    ("vol_disable_time", "int8", (S,)), ("vol_rage_accuracy", "int16", (S,)),
    ("vol_residual_counter", "int8", (S,)), ("vol_substitute_hp", "int16", (S,)),
)
DTYPES = {name: np.dtype(dt) for name, dt, _ in FIELDS}
SHAPES = {name: shape for name, _, shape in FIELDS}
# fields whose "none" value is -1 rather than 0 (a Pokemon reference)
NEG_NONE = ("vol_trapped_source", "vol_trap_lock_target")

# the observation: these fields flattened (C order) and concatenated, as int32
OBS_FIELDS = ("turn", "request", "species", "level", "hp", "maxhp", "status", "modified_stats", "boosts",
              "types", "move_id", "move_pp", "move_disabled", "volatiles")
OBS_SIZE = sum(int(np.prod(SHAPES[f], dtype=np.int64)) for f in OBS_FIELDS)


def empty_state() -> dict:
    """A numpy state with every field at its "none" value (0, or -1 for Pokemon references)."""
    return {name: np.full(shape, -1 if name in NEG_NONE else 0, dt) for name, dt, shape in FIELDS}


def as_numpy(state: dict, what: str = "state") -> dict:
    """``state`` as numpy arrays of this layout; a missing field or a wrong size is named."""
    out = {}
    for name, dt, shape in FIELDS:
        if name not in state:
            raise ValueError(f"pokejax: {what} lacks field {name!r} (pokejax.layout.FIELDS lists them)")
        a = np.asarray(state[name])
        if a.size != int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"pokejax: {what} field {name!r} has {a.size} values; the layout wants shape {shape}")
        out[name] = a.astype(dt).reshape(shape)
    return out


def mismatches(fields, statuses, volatiles, actions, obs_layout) -> list[str]:
    """How this layout differs from a family contract given as (name, dtype, shape) triples, the
    status/volatile/action name tables and ((field, size), ...) observation layout; [] if it agrees."""
    out = []
    mine = [(n, np.dtype(d).name, tuple(s)) for n, d, s in FIELDS]
    theirs = [(n, np.dtype(d).name, tuple(s)) for n, d, s in fields]
    if [m[0] for m in mine] != [t[0] for t in theirs]:
        out.append(f"field names/order: pokejax {[m[0] for m in mine]} vs contract {[t[0] for t in theirs]}")
    for m, t in zip(mine, theirs):
        if m != t and m[0] == t[0]:
            out.append(f"field {m[0]}: pokejax {m[1]}{m[2]} vs contract {t[1]}{t[2]}")
    for name, a, b in (("STATUSES", STATUSES, statuses), ("VOLATILES", VOLATILES, volatiles),
                       ("ACTIONS", ACTIONS, actions)):
        if tuple(a) != tuple(b):
            out.append(f"{name}: pokejax {list(a)} vs contract {list(b)}")
    mine_obs = [(f, int(np.prod(SHAPES[f], dtype=np.int64))) for f in OBS_FIELDS]
    if mine_obs != [(f, int(n)) for f, n in obs_layout]:
        out.append(f"observation layout: pokejax {mine_obs} vs contract {list(obs_layout)}")
    return out


def data_path() -> Path:
    """The gen-1 data file exported from Showdown's dex at set-up (``EQUIV_POKEMON_DATA`` overrides)."""
    override = os.environ.get("EQUIV_POKEMON_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "reference_envs" / "ts_showdown" / "data" / "gen1.json"


def load_data() -> dict:
    path = data_path()
    if not path.is_file():
        raise FileNotFoundError(f"pokejax: the gen-1 data file {path} is missing; run ./dev.sh setup "
                                f"(or bash reference_envs/ts_showdown/setup.sh) to export it from Showdown")
    return json.loads(path.read_text())

"""The pokemon family's canonical state: gen-1 singles, two sides of up to six Pokemon.

Everything needed to continue a battle exactly, in fixed-size integer arrays.
SCHEMA.md (next to this file) explains each encoding; this module is the one
source of truth for names, dtypes, shapes and code tables.

Conventions
- Sides are ``[p1, p2]``. A side's Pokemon are in Showdown's *current* team order:
  index 0 is the active Pokemon (switching swaps positions), and a ``switch k``
  choice names the Pokemon at index ``k-1``. Empty slots have ``species == 0``.
- Species, move and type ids index the lists of the generated data file
  (``reference_envs/ts_showdown/data/gen1.json``, see :func:`data_path`);
  id 0 always means "none". Species and move ids equal their dex numbers
  (1..151, 1..165); pseudo-moves (recharge, fight, nomove, cannotmove) follow.
- Stats are ``[atk, def, spa, spd, spe]`` (gen 1 has one Special: spa == spd);
  boosts are ``[atk, def, spa, spd, spe, accuracy, evasion]``.
- Volatile statuses belong to the active Pokemon of a side (Showdown clears
  them on switch-out), so they are per side. ``volatiles[side, v]`` says whether
  volatile ``VOLATILES[v]`` is present; its counters live in the ``vol_*`` fields
  and are 0 when it is absent.
- A reference to a Pokemon (the trapper of a Wrap, say) is its index in its
  side's current order, -1 for none.
"""
from __future__ import annotations

import os
from pathlib import Path

from equiv import EXACT, Field, Schema

SIDES = 2
TEAM = 6
MOVE_SLOTS = 4

STATS = ("atk", "def", "spa", "spd", "spe")
BOOSTS = ("atk", "def", "spa", "spd", "spe", "accuracy", "evasion")

# status code -> Showdown status id ("" = healthy)
STATUSES = ("", "brn", "par", "slp", "frz", "psn", "tox", "fnt")

# per-side request code: what the side must choose now
REQUESTS = ("none", "move", "switch")  # none: wait, or the battle ended

WINNERS = {-1: "no result yet", 0: "p1", 1: "p2", 2: "tie"}

# every volatile status a gen-1 battle can hold (Showdown condition ids)
VOLATILES = (
    "confusion", "flinch", "partiallytrapped", "fakepartiallytrapped", "partialtrappinglock",
    "mustrecharge", "lockedmove", "twoturnmove", "invulnerability", "bide", "disable", "rage",
    "reflect", "lightscreen", "mist", "focusenergy", "leechseed", "residualdmg", "substitute",
    "minimize", "defensecurl",
)
VOLATILE_INDEX = {v: i for i, v in enumerate(VOLATILES)}

# Action slots per player (the legal mask has shape (2, N_ACTIONS)).
ACTIONS = (
    "move 1", "move 2", "move 3", "move 4",
    "switch 1", "switch 2", "switch 3", "switch 4", "switch 5", "switch 6",
    "recharge",   # the Recharge pseudo-move after Hyper Beam
    "struggle",   # Struggle, when no move is usable
    "fight",      # any other single forced entry: gen-1 "Fight" (asleep, frozen, partially
                  # trapped) or a locked move (Thrash, Rage, Bide, Wrap, second turn of Dig...)
    "wait",       # the side has nothing to choose this step (the foe replaces a fainted Pokemon)
)
N_ACTIONS = len(ACTIONS)
ACTION_INDEX = {a: i for i, a in enumerate(ACTIONS)}

S, T, M = SIDES, TEAM, MOVE_SLOTS
V = len(VOLATILES)


def _f(name, dtype, shape, doc):
    return Field(name, dtype, tuple(shape), EXACT, doc)


STATE_FIELDS = [
    # --- battle ---
    _f("turn", "int32", (), "Showdown battle.turn"),
    _f("request", "int8", (S,), "per side: 0 none (wait / ended), 1 move, 2 switch (replace a fainted active)"),
    _f("ended", "bool", (), "battle.ended"),
    _f("winner", "int8", (), "-1 none, 0 p1, 1 p2, 2 tie"),
    _f("prng", "uint32", (8,), "sodium PRNG state: the 32-byte ChaCha20 key as 8 little-endian "
       "uint32 words (word i = bytes 4i..4i+3 of the hex seed)"),
    _f("last_damage", "int32", (), "battle.lastDamage (gen-1 Counter, Bide, multi-hit, Wrap)"),
    _f("last_move", "int16", (), "battle.lastMove id (0 none)"),
    # --- per side ---
    _f("side_last_selected_move", "int16", (S,), "side.lastSelectedMove id (gen-1 Counter/desync state)"),
    _f("side_last_selected_move_slot", "int8", (S,), "side.lastSelectedMoveSlot (PP deduction slot)"),
    _f("side_last_enemy_selected_move", "int16", (S,), "side.lastEnemySelectedMove id"),
    _f("side_last_move", "int16", (S,), "side.lastMove id (0 none)"),
    _f("side_last_enemy_move", "int16", (S,), "side.lastEnemyMove id (0 none)"),
    # --- per Pokemon, current team order (index 0 = active) ---
    _f("species", "int16", (S, T), "current species id (differs from base_species after Transform); 0 empty"),
    _f("base_species", "int16", (S, T), "the team member's own species id"),
    _f("level", "int16", (S, T), "level"),
    _f("hp", "int16", (S, T), "current HP"),
    _f("maxhp", "int16", (S, T), "max HP"),
    _f("status", "int8", (S, T), "index into STATUSES: 0 none, 1 brn, 2 par, 3 slp, 4 frz, 5 psn, 6 tox, 7 fnt"),
    _f("fainted", "bool", (S, T), "pokemon.fainted (status is not always 7 for a fainted Pokemon: "
       "Showdown writes fnt only on the active one)"),
    _f("status_time", "int8", (S, T), "statusState.time: sleep turns left (0 otherwise)"),
    _f("status_start_time", "int8", (S, T), "statusState.startTime: the sleep duration drawn (0 otherwise)"),
    _f("status_source", "int8", (S, T), "who inflicted the status: 0 unset, 1 own side (Rest), 2 the foe "
       "(Sleep Clause Mod counts foe-inflicted and unset sleep)"),
    _f("status_stage", "int8", (S, T), "statusState.stage (toxic stage; 0 otherwise)"),
    _f("ivs", "int8", (S, T, 6), "the set's IVs [hp,atk,def,spa,spd,spe] (Showdown's gen-1 DVs x2); "
       "Showdown recomputes stats from them on switch-in"),
    _f("evs", "int16", (S, T, 6), "the set's EVs [hp,atk,def,spa,spd,spe] (gen-1 stat experience, 0..255 scale)"),
    _f("base_stats", "int16", (S, T, 5), "baseStoredStats [atk,def,spa,spd,spe]: the member's own stats"),
    _f("stored_stats", "int16", (S, T, 5), "storedStats (copied from the target by Transform)"),
    _f("modified_stats", "int16", (S, T, 5), "gen-1 modifiedStats: stored stats with boosts and the "
       "par (1/4 speed) / brn (1/2 atk) drops baked in; what getStat reads"),
    _f("boosts", "int8", (S, T, 7), "boost stages [atk,def,spa,spd,spe,accuracy,evasion]"),
    _f("speed", "int16", (S, T), "pokemon.speed: the cached action-order speed (refreshed only at "
       "Showdown's updateSpeed calls, so it can lag modified_stats)"),
    _f("types", "int8", (S, T, 2), "type ids; [t, 0] for a single type (Conversion/Transform change them)"),
    _f("transformed", "bool", (S, T), "pokemon.transformed"),
    _f("sub_fainted", "bool", (S, T), "pokemon.subFainted (gen 1: its Substitute broke this turn)"),
    _f("maybe_locked", "bool", (S, T), "pokemon.maybeLocked, set at turn start (Wrap's hidden lock; "
       "decides whether the gen-1 Fight button replaces the moves)"),
    _f("maybe_disabled", "bool", (S, T), "pokemon.maybeDisabled, set at turn start"),
    _f("trapped", "bool", (S, T), "pokemon.trapped (cannot switch), set at turn start and by locked moves"),
    _f("maybe_trapped", "bool", (S, T), "pokemon.maybeTrapped"),
    _f("active_turns", "int16", (S, T), "pokemon.activeTurns"),
    _f("poke_last_move", "int16", (S, T), "pokemon.lastMove id (Mirror Move reads the foe's; 0 none)"),
    _f("move_id", "int16", (S, T, M), "moveSlots ids (after Transform/Mimic: the current ones); 0 empty"),
    _f("move_pp", "int8", (S, T, M), "moveSlots pp"),
    _f("move_maxpp", "int8", (S, T, M), "moveSlots maxpp"),
    _f("move_disabled", "bool", (S, T, M), "moveSlots disabled flag"),
    _f("move_virtual", "bool", (S, T, M), "moveSlots virtual flag (a slot Mimic or Transform wrote)"),
    _f("base_move_id", "int16", (S, T, M), "baseMoveSlots ids (the member's own moves)"),
    _f("base_move_pp", "int8", (S, T, M), "baseMoveSlots pp"),
    _f("base_move_maxpp", "int8", (S, T, M), "baseMoveSlots maxpp"),
    _f("base_move_disabled", "bool", (S, T, M), "baseMoveSlots disabled flag. A slot that is not "
       "virtual is the base slot object itself (same flag as move_disabled); once Transform or Mimic "
       "puts another object in the slot, the base one keeps the flag it had then, and it is the "
       "slot's flag again after switch-out or faint (gen 1: a stale Disable flag)"),
    # --- volatiles of each side's active Pokemon ---
    _f("volatiles", "bool", (S, V), "volatile v present on the side's active Pokemon (VOLATILES order)"),
    _f("vol_duration", "int8", (S, V), "effectState.duration of each volatile (0 when absent/unset)"),
    _f("vol_confusion_time", "int8", (S,), "confusion: turns left"),
    _f("vol_trapped_source", "int8", (S,), "partiallytrapped: index of the trapper in the foe's team, -1"),
    _f("vol_trapped_move", "int16", (S,), "partiallytrapped: the trapping move id (its sourceEffect)"),
    _f("vol_trapped_maybe_locked", "bool", (S,), "partiallytrapped: maybeLocked"),
    _f("vol_trap_lock_move", "int16", (S,), "partialtrappinglock: the trapping move id"),
    _f("vol_trap_lock_total", "int8", (S,), "partialtrappinglock: totalDuration drawn"),
    _f("vol_trap_lock_damage", "int16", (S,), "partialtrappinglock: damage repeated each turn"),
    _f("vol_trap_lock_target", "int8", (S,), "partialtrappinglock: index of the locked foe, -1"),
    _f("vol_locked_move", "int16", (S,), "lockedmove: move id (Thrash, Petal Dance)"),
    _f("vol_locked_time", "int8", (S,), "lockedmove: turns left"),
    _f("vol_locked_accuracy", "int16", (S,), "lockedmove: the carried accuracy (gen-1 accuracy bug)"),
    _f("vol_twoturn_move", "int16", (S,), "twoturnmove: move id being charged"),
    _f("vol_bide_damage", "int32", (S,), "bide: damage stored"),
    _f("vol_bide_time", "int8", (S,), "bide: turns left"),
    _f("vol_disable_move", "int16", (S,), "disable: disabled move id"),
    _f("vol_disable_slot", "int8", (S,), "disable: disabled slot index"),
    _f("vol_disable_time", "int8", (S,), "disable: turns left"),
    _f("vol_rage_accuracy", "int16", (S,), "rage: the carried accuracy"),
    _f("vol_residual_counter", "int8", (S,), "residualdmg: the toxic counter"),
    _f("vol_substitute_hp", "int16", (S,), "substitute: its HP"),
]

STATE = Schema(STATE_FIELDS)

# Observation: one int32 vector, full information (a reference env; both players see
# everything). Layout in OBS_LAYOUT order; see SCHEMA.md.
OBS_LAYOUT = (
    ("turn", 1), ("request", S), ("species", S * T), ("level", S * T), ("hp", S * T),
    ("maxhp", S * T), ("status", S * T), ("modified_stats", S * T * 5), ("boosts", S * T * 7),
    ("types", S * T * 2), ("move_id", S * T * M), ("move_pp", S * T * M),
    ("move_disabled", S * T * M), ("volatiles", S * V),
)
OBS_SIZE = sum(n for _, n in OBS_LAYOUT)


def observation(state: dict):
    """The fixed-size observation of a canonical state (int32 vector of OBS_SIZE)."""
    import numpy as np
    parts = [np.asarray(state[name], np.int32).reshape(-1) for name, _ in OBS_LAYOUT]
    return np.concatenate(parts).astype(np.int32)


def data_path() -> Path:
    """The generated gen-1 data file (species, moves, type chart, random-battle sets).

    Made by ``reference_envs/ts_showdown/setup.sh`` from the installed Showdown dex;
    ``EQUIV_POKEMON_DATA`` overrides the location.
    """
    override = os.environ.get("EQUIV_POKEMON_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "reference_envs" / "ts_showdown" / "data" / "gen1.json"


def load_data() -> dict:
    """The data file as a dict, or a clear error saying how to make it."""
    import json
    path = data_path()
    if not path.is_file():
        from equiv import ConfigError
        raise ConfigError(f"the gen-1 data file {path} is missing; run ./dev.sh setup "
                           f"(or bash reference_envs/ts_showdown/setup.sh) to export it from Showdown")
    return json.loads(path.read_text())

"""The tcg family's canonical state (spec §9.1) and step outputs, every field exact.

The state is the §9.1 table as written: int32 unless noted, ``rng_key``/``rng_ctr``
uint32. Player-indexed fields have a leading axis of 2 (player 0, player 1); slot 0 is
the Active Spot, 1..3 the Bench. Decks: ``deck[p, 0..deck_size-1]``, top card last;
hands in arrival order; unused entries 0.
"""
from __future__ import annotations

from equiv import EXACT, Field, Schema

N_ACTIONS = 72
OBS_SIZE = 416
N_CARDS = 65


def _f(name, shape, doc, dtype="int32"):
    return Field(name, dtype, tuple(shape), EXACT, doc)


STATE = Schema([
    _f("rng_key", (), "PRNG key, set once at reset from the seed (§5.2)", "uint32"),
    _f("rng_ctr", (), "PRNG draw counter: draws consumed so far (§5.2)", "uint32"),
    _f("turn", (), "0 in setup, then 1..30 (global: both players' turns count)"),
    _f("turn_player", (), "0/1; the first player during setup"),
    _f("first_player", (), "0/1, decided by the first draw of the game (R-1.2)"),
    _f("setup_player", (), "player placing Pokémon in SETUP, else -1"),
    _f("phase", (), "0 SETUP, 1 MAIN, 2 CHOICE, 3 OVER"),
    _f("result", (), "-1 ongoing, 0/1 that player won, 2 draw"),
    _f("points", (2,), "points per player (1 per KO, 2 for an ex)"),
    _f("deck", (2, 20), "card idx, top = deck[p, deck_size-1]; unused 0"),
    _f("deck_size", (2,), "cards in each deck"),
    _f("hand", (2, 10), "card idx in arrival order; unused 0"),
    _f("hand_size", (2,), "cards in each hand"),
    _f("discard", (2, N_CARDS + 1), "count per card idx in each discard pile (index 0 unused)"),
    _f("etypes", (2, 3), "declared Energy types, ascending, 0-padded"),
    _f("n_etypes", (2,), "number of declared Energy types"),
    _f("zone_cur", (2,), "Energy attachable this turn (type idx, 0 none)"),
    _f("zone_next", (2,), "next turn's Energy (type idx)"),
    _f("card", (2, 4), "top card idx of each slot, 0 empty"),
    _f("under", (2, 4, 2), "[Basic idx, Stage-1 idx] beneath the top card, 0 if none"),
    _f("dmg", (2, 4), "damage on each Pokémon"),
    _f("energy", (2, 4, 8), "attached Energy count per type G..M"),
    _f("tool", (2, 4), "Tool idx or 0"),
    _f("status", (2, 4, 5), "0/1 for Poisoned, Burned, Asleep, Paralyzed, Confused"),
    _f("entered", (2, 4), "turn the Pokémon was put into play or last evolved (setup = 0)"),
    _f("ability_turn", (2, 4), "turn its Ability was last used, -1"),
    _f("growl_until", (2, 4), "last turn its Growl marker is active, -1"),
    _f("blue_until", (2,), "last turn Blue protects that player's Pokémon, -1"),
    _f("supporter_played", (), "turn-player flag"),
    _f("retreated", (), "turn-player flag"),
    _f("retreat_red", (), "retreat cost reduction this turn (X Speed, Leaf)"),
    _f("giovanni", (), "turn-player flag"),
    _f("blaine", (), "turn-player flag"),
    _f("hand_revealed", (), "turn-player flag (Hand Scope)"),
    _f("pend_kind", (4,), "pending-choice FIFO: 1 PROMOTE, 2 SABRINA_SWITCH, 3 TELEPORT, 4 INFERNO_DANCE, "
                          "5 WATER_SHURIKEN, 6 STRETCH_KICK; head at 0; unused 0"),
    _f("pend_player", (4,), "who answers each pending choice"),
    _f("pend_count", (4,), "answers left (INFERNO_DANCE: heads; every other kind: 1)"),
    _f("pend_len", (), "entries in the FIFO"),
    _f("resume", (), "0 MAIN, 1 AFTER_ATTACK, 2 END_TURN, 3 NEXT_TURN"),
])

OUTPUTS = Schema([
    Field("obs.view", "int32", (OBS_SIZE,), EXACT, "§9.5 observation of the player who acts next "
                                                   "(player 0 once the game is over)"),
    Field("obs.actor", "int32", (), EXACT, "who acts next: setup player, turn player or the pending "
                                           "choice's player; -1 once over"),
    Field("reward", "int32", (2,), EXACT, "§9.6: +1/-1 to winner/loser on the step that ends the game, "
                                          "0 for a draw and on every other step"),
    Field("terminated", "bool", (), EXACT, "phase == OVER"),
    Field("truncated", "bool", (), EXACT, "always False: the 30-turn limit is a draw (a result)"),
    Field("legal", "bool", (N_ACTIONS,), EXACT, "§9.4 legal-action mask of the next actor"),
])

# --- the observation's layout (§9.5), for the policies and metrics that read it -----------------
OBS_GLOBAL = ("turn", "phase", "pend_kind", "pend_count", "is_turn_player", "is_first_player", "points_me",
              "points_opp", "deck_size_me", "deck_size_opp", "hand_size_me", "hand_size_opp",
              "supporter_played", "retreated", "retreat_red", "giovanni", "blaine", "zone_cur_me",
              "zone_next_me", "zone_next_opp", "blue_me", "blue_opp", "opp_hand_visible", "etypes_me",
              "etypes_opp")
OBS_SLOT = ("card", "max_hp", "dmg", "energy_G", "energy_R", "energy_W", "energy_L", "energy_P", "energy_F",
            "energy_D", "energy_M", "tool", "poisoned", "burned", "asleep", "paralyzed", "confused",
            "entered_now", "ability_used_now", "growled", "under_basic", "under_stage1")
G = {name: i for i, name in enumerate(OBS_GLOBAL)}          # index of each global value
S = {name: i for i, name in enumerate(OBS_SLOT)}            # offset of each value inside a slot block
OBS_HANDS = len(OBS_GLOBAL)                                  # own hand [10], then the opponent's [10]
OBS_SLOTS = OBS_HANDS + 20                                   # own slots 0..3, then the opponent's
OBS_DISCARDS = OBS_SLOTS + 8 * len(OBS_SLOT)                 # own discard[1..65], then the opponent's
OBS_DECK = OBS_DISCARDS + 2 * N_CARDS                        # own deck contents [65]
assert OBS_DECK + N_CARDS == OBS_SIZE


def obs_slot(view, whose: int, k: int):
    """The 22 values of slot k, own (whose=0) or the opponent's (whose=1)."""
    at = OBS_SLOTS + (4 * whose + k) * len(OBS_SLOT)
    return view[at:at + len(OBS_SLOT)]

"""L1 case generators: states reached by random play on the reference, then one joint action.

Playing to a state costs tens of bridge round trips, so each variant keeps a bank of
states recorded once per process (battles from fixed seeds under uniform random play);
Hypothesis picks a battle, a step and the actions, and shrinks toward the first ones.
"""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from equiv import Case, Discrete
from suites.pokemon.coverage import HEALERS, base_damage
from suites.pokemon.schema import N_ACTIONS, STATUSES, VOLATILE_INDEX, load_data

BANK_BATTLES = 12
BANK_MAX_STEPS = 400
_banks: dict = {}

SPACE = Discrete(N_ACTIONS, players=2)


def _bank(reference, variant: str) -> list[list[tuple[dict, np.ndarray]]]:
    """Per battle, the (state, legal mask) before each step, for a fixed set of seeds."""
    key = (variant, getattr(reference, "format", None))
    if key not in _banks:
        battles = []
        for seed in range(BANK_BATTLES):
            reference.reset(7919 * seed + 17)
            rng = np.random.default_rng([seed, 77])
            states = []
            for _ in range(BANK_MAX_STEPS):
                legal = np.asarray(reference.legal_actions(), bool)
                states.append((reference.get_state(), legal))
                out = reference.step(SPACE.sample(rng, legal))
                if out.terminated or out.truncated:
                    break
            battles.append(states)
        _banks[key] = battles
    return _banks[key]


def _pick(legal: np.ndarray, picks) -> np.ndarray:
    acts = []
    for p in range(2):
        choices = np.flatnonzero(legal[p])
        acts.append(int(choices[picks[p] % len(choices)]))
    return np.asarray(acts, np.int64)


def played(reference, variant: str):
    """A state from the bank and a legal joint action."""
    bank = _bank(reference, variant)

    @st.composite
    def case(draw):
        b = draw(st.integers(0, len(bank) - 1))
        t = draw(st.integers(0, len(bank[b]) - 1))
        picks = draw(st.tuples(st.integers(0, N_ACTIONS - 1), st.integers(0, N_ACTIONS - 1)))
        state, legal = bank[b][t]
        return Case({k: v.copy() for k, v in state.items()}, _pick(legal, picks),
                    note=f"bank battle {b} step {t}")

    return case()


def perturbed(reference, variant: str):
    """A bank state with a fresh PRNG key and changed HP / sleep / confusion counters (kept
    consistent: HP within [1, maxhp] for Pokemon still standing, counters in their ranges), so
    transitions off the played trajectories are compared too."""
    bank = _bank(reference, variant)

    @st.composite
    def case(draw):
        b = draw(st.integers(0, len(bank) - 1))
        t = draw(st.integers(0, len(bank[b]) - 1))
        state, legal = bank[b][t]
        s = {k: v.copy() for k, v in state.items()}
        s["prng"] = np.asarray(draw(st.lists(st.integers(0, 2**32 - 1), min_size=8, max_size=8)), np.uint32)
        standing = (s["species"] > 0) & ~s["fainted"] & (s["hp"] > 0)
        for side, slot in zip(*np.nonzero(standing)):
            if draw(st.booleans()):
                s["hp"][side, slot] = draw(st.integers(1, int(s["maxhp"][side, slot])))
            if s["status"][side, slot] == 3 and s["status_time"][side, slot] > 0:
                s["status_time"][side, slot] = draw(st.integers(1, 7))
        for side in range(2):
            if s["volatiles"][side, VOLATILE_INDEX["confusion"]] and s["vol_confusion_time"][side] > 0:
                s["vol_confusion_time"][side] = draw(st.integers(1, 5))
        picks = draw(st.tuples(st.integers(0, N_ACTIONS - 1), st.integers(0, N_ACTIONS - 1)))
        return Case(s, _pick(legal, picks), note=f"bank battle {b} step {t}, perturbed")

    return case()


# --- per-mechanic properties: a bank state with a targeted situation injected -----------------
#
# Each strategy starts from a bank state where both players choose a move (the common decision
# point), writes one situation into it (a move, a status, volatiles, boost stages, accuracy
# stages), and hands the result to the reference once (set_state). The state Showdown reads back
# is the case's state (the request flags Showdown derives, e.g. ``trapped`` under Recharge,
# included), and its legal mask picks the action, preferring the one that exercises the mechanic.
# One bridge round trip per example on top of the comparison's own.

STATUS_CODES = {name: code for code, name in enumerate(STATUSES)}
# tox is left out: only Toxic inflicts it in gen 1, and no move of the random-battle pool is Toxic
MOVE_STATUSES = ("brn", "par", "slp", "frz", "psn")
INJECTED_VOLATILES = ("confusion", "substitute", "reflect", "lightscreen", "mustrecharge", "focusenergy")
_RAISE = (1, 1.5, 2, 2.5, 3, 3.5, 4)            # Showdown's gen-1 boost multipliers (boostBy)
_LOWER = (100, 66, 50, 40, 33, 28, 25)          # ... and its percentages for negative stages
_pool_moves: dict = {}


def pool_moves() -> dict[int, int]:
    """Every move of the exported random-battle team pool: move id -> the maxpp the pool gives it."""
    if not _pool_moves:
        for team in load_data()["team_pool"]:
            for member in team:
                for m, maxpp in zip(member["moves"], member["maxpp"]):
                    _pool_moves.setdefault(int(m), int(maxpp))
    return dict(sorted(_pool_moves.items()))


def max_pp(move: int) -> int:
    """A move's max PP with three PP Ups, as Showdown gives every set move (40-PP moves: 61)."""
    pp = int(load_data()["moves"][move]["pp"])
    return pp * 8 // 5 - (3 if pp == 40 else 0)


def game_moves() -> list[int]:
    """Every gen-1 move the whole-game variant draws from (suites/pokemon/wholegame.py)."""
    from suites.pokemon import wholegame
    ids = {m.get("id"): i for i, m in enumerate(load_data()["moves"]) if m.get("id")}
    return [ids[name] for name in wholegame._tables()["moves"]]


def _decision_points(bank) -> list[tuple[int, int]]:
    """(battle, step) of bank states where both players may pick one of their moves."""
    return [(b, t) for b, states in enumerate(bank) for t, (s, legal) in enumerate(states)
            if not s["ended"] and (s["request"] == 1).all() and legal[:, :4].any(axis=1).all()]


def _modify(value: int, factor: float) -> int:
    """Gen-1 modifyStat: floor, at least 1."""
    return max(1, math.floor(value * factor))


def gen1_modified_stats(stored, boosts, status: int) -> np.ndarray:
    """Modified stats the way Showdown's gen-1 boostBy builds them from the stored stats (stage
    multiplier, floor, >= 1, raised stats capped at 999), then the par (1/4 speed) / brn (1/2
    attack) drop, as on a switch-in or a status landing after the boosts."""
    out = []
    for i in range(5):
        b = int(boosts[i])
        v = _modify(int(stored[i]), _RAISE[b]) if b >= 0 else _modify(int(stored[i]), _LOWER[-b] / 100)
        out.append(min(v, 999) if b > 0 else v)
    if status == STATUS_CODES["par"]:
        out[4] = _modify(out[4], 0.25)
    if status == STATUS_CODES["brn"]:
        out[0] = _modify(out[0], 0.5)
    return np.asarray(out, np.int16)


def _restat(s: dict, side: int, slot: int) -> None:
    """Recompute a member's modified stats (and an active one's cached speed) from its state."""
    boosts = s["boosts"][side, slot] if slot == 0 else np.zeros(7, np.int8)
    s["modified_stats"][side, slot] = gen1_modified_stats(s["stored_stats"][side, slot], boosts,
                                                          int(s["status"][side, slot]))
    if slot == 0:
        s["speed"][side, 0] = s["modified_stats"][side, 0, 4]


def _settle(reference, state: dict) -> tuple[dict, np.ndarray]:
    """Inject into the reference; the state it reads back (derived request flags included) and
    the legal mask of that state."""
    reference.set_state(state)
    return reference.get_state(), np.asarray(reference.legal_actions(), bool)


def _choose(legal: np.ndarray, prefer, picks) -> np.ndarray:
    """Per player: the preferred action when it is legal, else a legal one chosen by ``picks``."""
    fallback = _pick(legal, picks)
    return np.asarray([p if p is not None and legal[i, p] else fallback[i] for i, p in enumerate(prefer)],
                      np.int64)


class _Spread:
    """Indices spread over the examples. Hypothesis mostly varies the later draws of an example
    and keeps its earlier ones, so plain ``integers(0, n-1)`` draws for the bank state and the
    injected move repeat a lot (12 distinct bank states in 30 examples); each index here adds
    a salt drawn first (26 distinct moves out of 60 picks in 30 examples instead of 16-20).
    Shrinking still goes to salt 0 and index 0."""

    def __init__(self, draw):
        self.draw, self.salt = draw, draw(st.integers(0, 2**62))

    def index(self, n: int) -> int:
        i = (self.salt + self.draw(st.integers(0, n - 1))) % n
        self.salt //= n
        return i

    def two_distinct(self, n: int) -> tuple[int, int]:
        """Two different indices below ``n``, hashed (Fibonacci hashing): a plain index lands on
        some of 18 values once in 240 draws and on 0 forty times, as Hypothesis's draws are
        small more often than not; hashed, every value comes 3+ times (8 seeds measured)."""
        x = ((self.salt ^ self.draw(st.integers(0, 2**62))) * 0x9E3779B97F4A7C15) % 2**64
        i = x * n >> 64
        step = ((x * 0xD1B54A32D192ED03) % 2**64) * (n - 1) >> 64
        return i, (i + 1 + step) % n


def _bank_state(spread, bank, points):
    b, t = points[spread.index(len(points))]
    return b, t, {k: v.copy() for k, v in bank[b][t][0].items()}


_PICKS = st.tuples(st.integers(0, N_ACTIONS - 1), st.integers(0, N_ACTIONS - 1))


def _put_move(s: dict, side: int, slot: int, move: int, pp: int) -> int:
    """Give the active Pokemon of ``side`` ``move`` in ``slot`` (its own slot if it knows the move
    already; the next free slot if ``slot`` is past its last move). Returns the slot used."""
    ids = list(s["move_id"][side, 0])
    used = [i for i, m in enumerate(ids) if m]
    slot = ids.index(move) if move in ids else min(slot, len(used))
    transformed = bool(s["transformed"][side, 0])
    maxpp = 5 if transformed else max_pp(move)  # Transform copies moves with 5 PP
    s["move_id"][side, 0, slot] = move
    s["move_pp"][side, 0, slot] = min(pp, maxpp)
    s["move_maxpp"][side, 0, slot] = maxpp
    if not transformed and not s["move_virtual"][side, 0, slot]:
        s["base_move_id"][side, 0, slot] = move
        s["base_move_pp"][side, 0, slot] = min(pp, maxpp)
        s["base_move_maxpp"][side, 0, slot] = maxpp
    return slot


def move_effect(reference, variant: str):
    """Both active Pokemon get a move of the random-battle pool (any of its moves, sensible PP) in
    one of their slots, and each player uses that move when it is legal."""
    bank = _bank(reference, variant)
    points = _decision_points(bank)
    moves = pool_moves()
    names = {m: load_data()["moves"][m]["id"] for m in moves}

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        prefer, used = [], []
        for side in range(2):
            move = list(moves)[spread.index(len(moves))]
            slot = _put_move(s, side, draw(st.integers(0, 3)), move, draw(st.integers(1, moves[move])))
            prefer.append(slot)
            used.append(names[move])
        s, legal = _settle(reference, s)
        action = _choose(legal, prefer, draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; moves p1 {used[0]}, p2 {used[1]}")

    return case()


def status(reference, variant: str):
    """A member of one side (the active one, or one on the bench that its player then switches
    in) gets par/brn/psn/slp/frz with consistent counters and the gen-1 stat drop baked into
    its modified stats."""
    bank = _bank(reference, variant)
    points = _decision_points(bank)

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        side = draw(st.integers(0, 1))
        standing = [j for j in range(6) if s["species"][side, j] and not s["fainted"][side, j] and s["hp"][side, j] > 0]
        slot = standing[0] if draw(st.integers(0, 2)) else draw(st.sampled_from(standing))
        name = draw(st.sampled_from(MOVE_STATUSES))
        s["status"][side, slot] = STATUS_CODES[name]
        s["status_time"][side, slot] = s["status_start_time"][side, slot] = s["status_stage"][side, slot] = 0
        s["status_source"][side, slot] = 2
        if name == "slp":
            if draw(st.booleans()):  # Rest: two turns, self-inflicted
                s["status_source"][side, slot] = 1
                s["status_start_time"][side, slot] = 2
                s["status_time"][side, slot] = draw(st.integers(1, 2))
            else:
                s["status_start_time"][side, slot] = draw(st.integers(1, 7))
                s["status_time"][side, slot] = draw(st.integers(1, int(s["status_start_time"][side, slot])))
        _restat(s, side, slot)
        s, legal = _settle(reference, s)
        prefer = [None, None]
        if slot > 0 and draw(st.integers(0, 3)):
            prefer[side] = 4 + slot
        action = _choose(legal, prefer, draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; p{side + 1} slot {slot} {name}")

    return case()


def volatile(reference, variant: str):
    """The active Pokemon of one side gets one to three volatiles with consistent counters:
    confusion (turns left), Substitute (its HP), Reflect, Light Screen, Recharge, Focus Energy."""
    names = INJECTED_VOLATILES
    bank = _bank(reference, variant)
    points = _decision_points(bank)

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        side = draw(st.integers(0, 1))
        chosen = sorted(draw(st.sets(st.sampled_from(names), min_size=1, max_size=min(3, len(names)))),
                        key=names.index)
        for name in chosen:
            v = VOLATILE_INDEX[name]
            s["volatiles"][side, v] = True
            s["vol_duration"][side, v] = 0
            if name == "confusion":
                s["vol_confusion_time"][side] = draw(st.integers(1, 5))
            elif name == "substitute":
                s["vol_substitute_hp"][side] = draw(st.integers(1, int(s["maxhp"][side, 0]) // 4 + 1))
        s, legal = _settle(reference, s)
        action = _choose(legal, [None, None], draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; p{side + 1} {'+'.join(chosen)}")

    return case()


def boosts(reference, variant: str):
    """Both active Pokemon get stat stages -6..6 (Special one stage for spa and spd), modified
    stats and action-order speed recomputed the gen-1 way."""
    bank = _bank(reference, variant)
    points = _decision_points(bank)
    stage = st.integers(-6, 6)

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        for side in range(2):
            atk, dfn, spc, spe, acc, eva = (draw(stage) for _ in range(6))
            s["boosts"][side, 0] = [atk, dfn, spc, spc, spe, acc, eva]
            _restat(s, side, 0)
        s, legal = _settle(reference, s)
        action = _choose(legal, [None, None], draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; boosts {s['boosts'][:, 0].tolist()}")

    return case()


HIGH_CRIT_OR_INACCURATE = ("slash", "razorleaf", "crabhammer", "thunder", "blizzard", "fireblast", "hydropump",
                           "megakick", "highjumpkick", "hypnosis", "sing", "lovelykiss", "glare", "stunspore",
                           "confuseray", "sandattack", "smokescreen", "rockslide", "skyattack", "explosion")


def crit_and_accuracy(reference, variant: str):
    """A fresh PRNG key, accuracy/evasion stages -6..6 for both active Pokemon, sometimes Focus
    Energy, and one side using a high-crit or inaccurate move of the pool (Slash, Thunder,
    Hypnosis, Sand Attack...): crit, accuracy and 1/256-miss rolls land on new draws."""
    bank = _bank(reference, variant)
    points = _decision_points(bank)
    ids = {m["id"]: i for i, m in enumerate(load_data()["moves"]) if m}
    moves = [ids[name] for name in HIGH_CRIT_OR_INACCURATE if ids.get(name) in pool_moves()]

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        s["prng"] = np.asarray(draw(st.lists(st.integers(0, 2**32 - 1), min_size=8, max_size=8)), np.uint32)
        prefer = [None, None]
        for side in range(2):
            s["boosts"][side, 0, 5] = draw(st.integers(-6, 6))
            s["boosts"][side, 0, 6] = draw(st.integers(-6, 6))
            if draw(st.integers(0, 3)) == 0:
                s["volatiles"][side, VOLATILE_INDEX["focusenergy"]] = True
            if draw(st.booleans()):
                prefer[side] = _put_move(s, side, draw(st.integers(0, 3)), moves[spread.index(len(moves))], 64)
        s, legal = _settle(reference, s)
        action = _choose(legal, prefer, draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; acc/eva {s['boosts'][:, 0, 5:].tolist()}")

    return case()


def game_move_effect(reference, variant: str):
    """Both active Pokemon get any gen-1 move of the whole-game draw (sensible PP, sometimes 0 or
    1) in one of their slots, and each player uses it when legal: every move's own code path,
    from played states of the variant."""
    bank = _bank(reference, variant)
    points = _decision_points(bank)
    moves = game_moves()
    names = load_data()["moves"]

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        prefer, used = [], []
        for side in range(2):
            move = moves[spread.index(len(moves))]
            slot = _put_move(s, side, draw(st.integers(0, 3)), move, draw(st.sampled_from((1, 2, 5, max_pp(move)))))
            prefer.append(slot)
            used.append(names[move]["id"])
        s, legal = _settle(reference, s)
        action = _choose(legal, prefer, draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; moves p1 {used[0]}, p2 {used[1]}")

    return case()


RESIDUAL_MOVES = ("haze", "leechseed", "toxic", "mist", "conversion", "dreameater", "psywave", "fissure",
                  "horndrill", "sonicboom", "dragonrage", "minimize", "defensecurl", "growl", "sandattack")


def residual(reference, variant: str):
    """Toxic's counter, Leech Seed, Mist, Minimize/Defense Curl and sleep/freeze injected on either
    side (counters consistent: residualdmg with tox, or alone after a Rest), and each side given
    one of Haze, Leech Seed, Toxic, Mist, Conversion, Dream Eater, Psywave, an OHKO or fixed-damage
    move, Minimize/Defense Curl or a stat-lowering move: the gen-1 residual order (toxic counter,
    wake-up, psn/brn, Leech Seed sharing the counter) and Haze's cures, cancelled moves and
    removals, on new states."""
    bank = _bank(reference, variant)
    points = _decision_points(bank)
    ids = {m.get("id"): i for i, m in enumerate(load_data()["moves"]) if m.get("id")}
    moves = [ids[m] for m in RESIDUAL_MOVES]

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        notes = []
        for side in range(2):
            if draw(st.integers(0, 2)) == 0:  # badly poisoned, or the counter kept after Rest
                rested = draw(st.booleans()) and s["status"][side, 0] == 0
                s["status"][side, 0] = STATUS_CODES["slp"] if rested else STATUS_CODES["tox"]
                s["status_time"][side, 0] = s["status_start_time"][side, 0] = 2 if rested else 0
                s["status_stage"][side, 0] = 0
                s["status_source"][side, 0] = 1 if rested else 2
                s["volatiles"][side, VOLATILE_INDEX["residualdmg"]] = True
                s["vol_residual_counter"][side] = draw(st.integers(0, 15))
                _restat(s, side, 0)
                notes.append(f"p{side + 1} {'rested' if rested else 'tox'} counter {s['vol_residual_counter'][side]}")
            elif s["status"][side, 0] == 0 and draw(st.integers(0, 3)) == 0:  # asleep/frozen: Haze cancels
                frozen = draw(st.booleans())
                s["status"][side, 0] = STATUS_CODES["frz" if frozen else "slp"]
                s["status_start_time"][side, 0] = 0 if frozen else draw(st.integers(1, 7))
                s["status_time"][side, 0] = 0 if frozen else draw(st.integers(1, int(s["status_start_time"][side, 0])))
                s["status_source"][side, 0] = 2
                notes.append(f"p{side + 1} {'frz' if frozen else 'slp'}")
            for name in ("leechseed", "mist", "minimize", "defensecurl"):
                if draw(st.integers(0, 3)) == 0:
                    s["volatiles"][side, VOLATILE_INDEX[name]] = True
                    notes.append(f"p{side + 1} {name}")
        prefer = []
        for side in range(2):
            move = moves[spread.index(len(moves))]
            prefer.append(_put_move(s, side, draw(st.integers(0, 3)), move, max_pp(move)))
            notes.append(f"p{side + 1} uses {RESIDUAL_MOVES[moves.index(move)]}")
        s, legal = _settle(reference, s)
        action = _choose(legal, prefer, draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; " + ", ".join(notes))

    return case()


LOCK_FOES = ("swift", "transform", "selfdestruct", "explosion", "disable", "furyattack", "doublekick", "sandattack",
             "doubleteam", "tackle", "thunderwave", "confuseray", "hyperbeam", "substitute")
TRAPPERS = ("wrap", "bind", "clamp", "firespin")


def locks(reference, variant: str):
    """Either active Pokemon locked or hindered the ways the whole game allows, with counters at
    any value they can hold: Rage (its carried accuracy 1..255), Thrash / Petal Dance (1-3 turns
    left, carried accuracy), Disable (any slot, 1-8 turns), Dig / Fly charging (invulnerable), or
    the invulnerability a full paralysis leaves behind, or a partial-trapping lock (Wrap, Bind,
    Clamp, Fire Spin: 1..total-1 turns left of 2-5, the damage it repeats, the foe partially
    trapped, maybeLocked from the second turn as the request has it), or Bide (1-3 turns left,
    a stored damage of 0, 1 or more: the unleash doubles it, 0 fails); the other side uses a move
    that meets it (Swift and Transform hit the invulnerable, Self-Destruct and Disable build Rage
    even on a miss, multi-hit moves build it per hit, accuracy moves feed the carried-accuracy bug,
    Disable, Hyper Beam and Substitute against a trapper)."""
    bank = _bank(reference, variant)
    points = _decision_points(bank)
    ids = {m.get("id"): i for i, m in enumerate(load_data()["moves"]) if m.get("id")}
    kinds = ("rage", "thrash", "petaldance", "disable", "dig", "fly", "invulnerable", "trap", "bide", None)

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        notes, prefer = [], [None, None]
        trapping = False
        _untrap(s)  # a played state's partial trapping would clash with the locks injected here
        for side in range(2):
            kind = draw(st.sampled_from(kinds))
            hard = [VOLATILE_INDEX[v] for v in ("rage", "lockedmove", "twoturnmove", "mustrecharge", "bide")]
            if kind in ("trap", "bide") and (s["volatiles"][side, hard].any() or side == 1 and s["volatiles"][0].any()):
                kind = None  # a locked or charging Pokemon is not the one trapping; nor is a locked one's foe
            if trapping:
                kind = None  # the trapped foe: it may only fight (Fight, cannotmove) or switch
            if kind in ("rage", "thrash", "petaldance", "dig", "fly", "bide"):
                move = ids[kind]
                slot = _put_move(s, side, draw(st.integers(0, 3)), move, max_pp(move))
                s["side_last_selected_move"][side] = s["side_last_enemy_selected_move"][side] = move
                s["side_last_selected_move_slot"][side] = slot
                prefer[side] = 12  # the forced entry ("fight")
            if kind == "rage":
                s["volatiles"][side, VOLATILE_INDEX["rage"]] = True
                s["vol_rage_accuracy"][side] = draw(st.integers(1, 255))
            elif kind in ("thrash", "petaldance"):
                s["volatiles"][side, VOLATILE_INDEX["lockedmove"]] = True
                s["vol_locked_move"][side] = ids[kind]
                s["vol_locked_time"][side] = draw(st.integers(1, 3))
                s["vol_locked_accuracy"][side] = draw(st.integers(1, 255))
            elif kind in ("dig", "fly"):
                for name in ("twoturnmove", "invulnerability"):
                    s["volatiles"][side, VOLATILE_INDEX[name]] = True
                s["vol_twoturn_move"][side] = ids[kind]
            elif kind == "bide":  # 1-3 turns left (2-3 drawn, one counted off per BeforeMove)
                s["volatiles"][side, VOLATILE_INDEX["bide"]] = True
                s["vol_bide_time"][side] = draw(st.integers(1, 3))
                s["vol_bide_damage"][side] = draw(st.sampled_from((0, 1, draw(st.integers(2, 400)))))
                s["maybe_locked"][side, 0] = False
            elif kind == "trap":
                _trap(draw, s, side, ids, prefer, notes)
                trapping = True
                continue
            elif kind == "invulnerable":  # left behind by a full paralysis during Dig / Fly
                s["volatiles"][side, VOLATILE_INDEX["invulnerability"]] = True
            elif kind == "disable":
                slots = [k for k in range(4) if s["move_id"][side, 0, k]]
                slot = draw(st.sampled_from(slots))
                s["volatiles"][side, VOLATILE_INDEX["disable"]] = True
                s["vol_disable_move"][side] = s["move_id"][side, 0, slot]
                s["vol_disable_slot"][side] = slot
                s["vol_disable_time"][side] = draw(st.integers(1, 8))
            if kind is None or kind in ("disable", "invulnerable"):
                foe = LOCK_FOES[spread.index(len(LOCK_FOES))]
                prefer[side] = _put_move(s, side, draw(st.integers(0, 3)), ids[foe], max_pp(ids[foe]))
                notes.append(f"p{side + 1} {kind or 'free'}, uses {foe}")
            else:
                notes.append(f"p{side + 1} {kind}")
        s, legal = _settle(reference, s)
        action = _choose(legal, prefer, draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; " + ", ".join(notes))

    return case()


def _untrap(s: dict) -> None:
    """Both actives freed of partial trapping (lock, trapped, fake trap, maybeLocked), as if the
    lock had ended a turn ago."""
    for name in ("partiallytrapped", "fakepartiallytrapped", "partialtrappinglock"):
        s["volatiles"][:, VOLATILE_INDEX[name]] = False
        s["vol_duration"][:, VOLATILE_INDEX[name]] = 0
    for f, none in (("vol_trapped_source", -1), ("vol_trapped_move", 0), ("vol_trapped_maybe_locked", False),
                    ("vol_trap_lock_move", 0), ("vol_trap_lock_total", 0), ("vol_trap_lock_damage", 0),
                    ("vol_trap_lock_target", -1)):
        s[f][:] = none
    s["maybe_locked"][:, 0] = False
    cm = [i for i, m in enumerate(load_data()["moves"]) if m.get("id") == "cannotmove"][0]
    for side in (0, 1):
        if s["side_last_selected_move"][side] == cm:  # a trapped turn's queued 'cannotmove'
            s["side_last_selected_move"][side] = s["side_last_enemy_selected_move"][side] = \
                s["move_id"][side, 0, s["side_last_selected_move_slot"][side]]


def _trap(draw, s: dict, side: int, ids: dict, prefer: list, notes: list, pp: int | None = None) -> None:
    """``side``'s active holds a partial-trapping lock on the foe's active, as a move request
    after endTurn shows it: the lock with 1..total-1 turns left, the foe's partiallytrapped
    (duration 1, restarted each turn), both maybeLocked from the lock's second turn on."""
    name = draw(st.sampled_from(TRAPPERS))
    move = ids[name]
    pp = draw(st.sampled_from((0, 1, max_pp(move)))) if pp is None else pp
    slot = _put_move(s, side, draw(st.integers(0, 3)), move, pp)
    s["side_last_selected_move"][side] = s["side_last_enemy_selected_move"][side] = move
    s["side_last_selected_move_slot"][side] = slot
    total = draw(st.sampled_from((2, 3, 4, 5)))
    left = draw(st.integers(1, total - 1))
    v = VOLATILE_INDEX
    foe = 1 - side
    s["volatiles"][side, v["partialtrappinglock"]] = True
    s["vol_duration"][side, v["partialtrappinglock"]] = left
    s["vol_trap_lock_move"][side], s["vol_trap_lock_total"][side] = move, total
    s["vol_trap_lock_damage"][side] = draw(st.integers(0, 60))
    s["vol_trap_lock_target"][side] = 0
    s["volatiles"][foe, v["partiallytrapped"]] = True
    s["vol_duration"][foe, v["partiallytrapped"]] = 1
    s["vol_trapped_source"][foe], s["vol_trapped_move"][foe] = 0, move
    second = total - left > 1
    s["vol_trapped_maybe_locked"][foe] = second
    s["maybe_locked"][side, 0] = second
    s["maybe_locked"][foe, 0] = second and s["status"][foe, 0] not in (STATUS_CODES["slp"], STATUS_CODES["frz"])
    prefer[side] = 12 if not second else slot
    notes.append(f"p{side + 1} traps with {name} ({left} of {total} turns left)")


# (move, stat index in boosts, sign): own raises and the foe's drops, to push a stage onto its limit
BOOSTERS = (("swordsdance", 0, 1), ("sharpen", 0, 1), ("harden", 1, 1), ("acidarmor", 1, 1), ("amnesia", 2, 1),
            ("growth", 2, 1), ("agility", 4, 1), ("doubleteam", 6, 1), ("minimize", 6, 1))
DROPPERS = (("growl", 0, -1), ("leer", 1, -1), ("screech", 1, -1), ("stringshot", 4, -1), ("sandattack", 5, -1),
            ("smokescreen", 5, -1))
# the stage limits weigh double: a raise or drop lands on +-6 only from stage 4 or 5
# (the 997 damage cap too: its hit lands only without a crit and before the foe knocks the user out;
# the capped damage itself shows only through a Substitute, so most of its examples put one up;
# and the level-1 member, whose stat reaches its floor of 1 only where it is 7 or less)
EDGE_KINDS = ("heal_glitch", "boost_up", "boost_up", "boost_down", "boost_down", "speed_tie", "wake_up",
              "confusion_end", "last_pp", "damage_cap", "damage_cap_sub", "damage_cap_sub", "damage_min",
              "low_level", "low_level", "stat_cap", "pp_underflow", "turn_limit")
# strong accurate moves (physical and special) whose base damage reaches getDamage's 997 cap from +6 onto -6
CAP_MOVES = ("hyperbeam", "explosion", "selfdestruct", "earthquake", "doubleedge", "bodyslam", "psychic", "surf",
             "thunderbolt", "icebeam", "flamethrower")
# moves that neither deal damage nor touch the foe's stats (a foe behind a Substitute uses one)
HARMLESS_MOVES = ("splash", "agility", "focusenergy", "mist")
# weak moves: from -6 onto +6 their base damage is 0, so a hit does 2 (rolled to 1 or 2) or 1 (not rolled)
WEAK_MOVES = ("constrict", "poisonsting", "lick", "absorb", "bubble", "leechlife", "tackle", "gust")


def _stat(base: int, iv: int, ev: int, level: int, hp: bool) -> int:
    """Showdown's gen-1 stat (DVs as ivs x2, stat experience on the 0..255 scale)."""
    core = 2 * base + iv + ev // 4
    return (core + 100) * level // 100 + 10 if hp else core * level // 100 + 5


def _relevel(s: dict, side: int, level: int) -> None:
    """The active member of ``side`` at ``level``: HP, max HP and its own stats from its set (as
    Showdown builds them), stored and modified stats rebuilt (a transformed one keeps the copied
    stored stats)."""
    sp = load_data()["species"][int(s["base_species"][side, 0])]["base_stats"]
    iv, ev = s["ivs"][side, 0].astype(int), s["evs"][side, 0].astype(int)
    keys = ("hp", "atk", "def", "spa", "spd", "spe")
    stats = [_stat(sp[k], iv[i], ev[i], level, i == 0) for i, k in enumerate(keys)]
    frac = int(s["hp"][side, 0]) / max(1, int(s["maxhp"][side, 0]))
    s["level"][side, 0] = level
    s["maxhp"][side, 0] = stats[0]
    s["hp"][side, 0] = max(1, min(stats[0], round(frac * stats[0])))
    s["base_stats"][side, 0] = stats[1:]
    if not s["transformed"][side, 0]:
        s["stored_stats"][side, 0] = stats[1:]
    _restat(s, side, 0)


def _stay(prefer: list, side: int) -> None:
    """``side`` keeps its active in (its first move) unless something else is preferred already:
    an edge set on the active is lost when its player switches it out."""
    if prefer[side] is None:
        prefer[side] = 0


def edges(reference, variant: str):
    """States at the values where gen-1 decisions flip, on either side: HP at maxhp - 255 /
    maxhp - 511 (the Recover / Softboiled / Rest glitch) or full or one off, with a healer used;
    a stat stage at 4..6 (or -4..-6) with a move pushing it on (the +-6 limit, the 999 cap of
    boosted stats, a stored stat past 256 where damage divides by 4); a stored stat of 250 or more
    raised from +5 onto +6 (999); the cached speeds tied (the speed-tie draw); a sleep counter or
    confusion counter at its last turn; a move at its last PP; a strong move from +6 onto -6
    (getDamage's 997 cap; mostly into a Substitute, the one place the capped damage itself shows)
    or a weak one from -6 onto +6 (damage 1, the roll skipped); a member at level 1-5 (stats near
    5; at -5/-6 a stat sits on its floor of 1, and a drop on it is refused); a partial-trapping
    move at 0 PP (the gen-1 PP underflow to 63, or -1 where the format's trunc is Math.trunc); the
    battle at turn 999/1000 (the turn-1000 tie)."""
    bank = _bank(reference, variant)
    points = _decision_points(bank)
    ids = {m.get("id"): i for i, m in enumerate(load_data()["moves"]) if m.get("id")}

    @st.composite
    def case(draw):
        spread = _Spread(draw)
        b, t, s = _bank_state(spread, bank, points)
        notes, prefer = [], [None, None]
        kinds = spread.two_distinct(len(EDGE_KINDS))  # spread: every kind in every run
        for side in range(2):
            kind = EDGE_KINDS[kinds[side]]
            mx = int(s["maxhp"][side, 0])
            if kind == "heal_glitch":
                hp = draw(st.sampled_from([h for h in (mx - 255, mx - 511, mx, mx - 1, mx - 256, mx - 254) if h >= 1]))
                s["hp"][side, 0] = hp
                move = ids[draw(st.sampled_from(HEALERS))]
                prefer[side] = _put_move(s, side, draw(st.integers(0, 3)), move, max_pp(move))
                notes.append(f"p{side + 1} hp {hp}/{mx} heals")
            elif kind in ("boost_up", "boost_down"):
                name, stat, sign = draw(st.sampled_from(BOOSTERS if kind == "boost_up" else DROPPERS))
                target = side if kind == "boost_up" else 1 - side  # a drop lands on the foe
                stage = sign * draw(st.sampled_from((5, 4, 6)))
                s["boosts"][target, 0, stat] = stage
                if stat == 2:  # one Special stage in gen 1
                    s["boosts"][target, 0, 3] = stage
                _restat(s, target, 0)
                prefer[side] = _put_move(s, side, draw(st.integers(0, 3)), ids[name], max_pp(ids[name]))
                notes.append(f"p{side + 1} {name} onto stage {stage} of p{target + 1}")
            elif kind == "stat_cap":  # a stored stat of 250 or more raised from +5 to +6: 999, the cap
                stats = [b for b in BOOSTERS if b[1] < 5]
                high = [b for b in stats if s["stored_stats"][side, 0, b[1]] >= 250]
                name, stat, _ = draw(st.sampled_from(high or stats))
                s["boosts"][side, 0, stat] = 5
                if stat == 2:
                    s["boosts"][side, 0, 3] = 5
                _restat(s, side, 0)
                prefer[side] = _put_move(s, side, draw(st.integers(0, 3)), ids[name], max_pp(ids[name]))
                notes.append(f"p{side + 1} {name} from +5 (stored {s['stored_stats'][side, 0, stat]})")
            elif kind == "speed_tie":
                s["speed"][1 - side, 0] = s["speed"][side, 0]
                notes.append("speeds tied")
            elif kind == "wake_up" and s["status"][side, 0] in (0, STATUS_CODES["slp"]):
                s["status"][side, 0] = STATUS_CODES["slp"]
                s["status_start_time"][side, 0] = max(int(s["status_start_time"][side, 0]), 1)
                s["status_time"][side, 0] = 1
                s["status_source"][side, 0] = 2
                _restat(s, side, 0)
                prefer[side] = 12  # the sleeper's Fight entry: it wakes instead of switching out
                notes.append(f"p{side + 1} asleep, last turn")
            elif kind == "confusion_end":
                s["volatiles"][side, VOLATILE_INDEX["confusion"]] = True
                s["vol_confusion_time"][side] = 1
                _stay(prefer, side)
                notes.append(f"p{side + 1} confused, last turn")
            elif kind in ("damage_cap", "damage_cap_sub"):  # attacker's Attack and Special +6, the foe's Defense and Special -6
                s["boosts"][side, 0, [0, 2, 3]] = 6
                s["boosts"][1 - side, 0, [1, 2, 3]] = -6
                _restat(s, side, 0)
                _restat(s, 1 - side, 0)
                # a move whose base damage does reach the cap from these stats (stats past 256 are
                # divided by 4 and wrap, so not every strong move does)
                capped = [m for m in CAP_MOVES if (base_damage(s, side, ids[m]) or 0) >= 997]
                name = draw(st.sampled_from(capped or CAP_MOVES))
                prefer[side] = _put_move(s, side, draw(st.integers(0, 3)), ids[name], max_pp(ids[name]))
                _stay(prefer, 1 - side)  # the -6 foe stays in to take the hit
                # no Pokemon has 997 HP, so a direct hit shows the cap only through a KO; a
                # Substitute takes the uncapped damage and keeps it as the last damage (and for
                # recoil), so the foe behind it uses a move that deals none to overwrite it
                sub = kind == "damage_cap_sub"
                if sub:
                    s["volatiles"][1 - side, VOLATILE_INDEX["substitute"]] = True
                    s["vol_duration"][1 - side, VOLATILE_INDEX["substitute"]] = 0
                    s["vol_substitute_hp"][1 - side] = int(s["maxhp"][1 - side, 0]) // 4 + 1
                    calm = ids[draw(st.sampled_from(HARMLESS_MOVES))]
                    prefer[1 - side] = _put_move(s, 1 - side, draw(st.integers(0, 3)), calm, max_pp(calm))
                notes.append(f"p{side + 1} {name} from +6 onto -6" + (" behind a Substitute" if sub else ""))
            elif kind == "damage_min":  # the reverse: weak move, -6 onto +6
                s["boosts"][side, 0, [0, 2, 3]] = -6
                s["boosts"][1 - side, 0, [1, 2, 3]] = 6
                _restat(s, side, 0)
                _restat(s, 1 - side, 0)
                # one whose base damage is 0 from these stats where there is one (at high levels
                # the stronger of them still deal 2 to 4)
                weakest = [m for m in WEAK_MOVES if (base_damage(s, side, ids[m]) or 0) == 0]
                name = draw(st.sampled_from(weakest or WEAK_MOVES))
                prefer[side] = _put_move(s, side, draw(st.integers(0, 3)), ids[name], max_pp(ids[name]))
                _stay(prefer, 1 - side)
                notes.append(f"p{side + 1} {name} from -6 onto +6")
            elif kind == "low_level":
                level = draw(st.sampled_from((1, 1, 1, 2, 5)))  # at level 1 a stat is 5-8: 1 at -5/-6
                _relevel(s, side, level)
                # the stat it keeps lowest: at -6 (x2/8) a stored 5-7 is 1, 8 is 2
                lowest = min((0, 1, 2, 4), key=lambda k: int(s["stored_stats"][side, 0, k]))
                stat = draw(st.sampled_from((lowest, 0, 1, 2, 4)))
                s["boosts"][side, 0, stat] = draw(st.sampled_from((-6, -5)))
                if stat == 2:
                    s["boosts"][side, 0, 3] = s["boosts"][side, 0, 2]
                _restat(s, side, 0)
                name = {0: "growl", 1: "leer", 2: "psychic", 4: "stringshot"}[stat]  # the foe pushes it down
                prefer[1 - side] = _put_move(s, 1 - side, draw(st.integers(0, 3)), ids[name], max_pp(ids[name]))
                _stay(prefer, side)  # its stat on the floor is seen only while it stays in
                notes.append(f"p{side + 1} level {level}, stat {stat} at {s['boosts'][side, 0, stat]}, p{2 - side} {name}")
            elif kind == "pp_underflow" and not s["volatiles"][:, [VOLATILE_INDEX[v] for v in (
                    "partialtrappinglock", "partiallytrapped", "rage", "lockedmove", "twoturnmove", "bide",
                    "mustrecharge")]].any():
                _trap(draw, s, side, ids, prefer, notes, pp=0)
                # the trapped foe switches out: the trapper's queued move meets another target, the
                # lock ends at its BeforeMove and the move is used afresh from 0 PP
                bench = [j for j in range(1, 6) if s["species"][1 - side, j] and not s["fainted"][1 - side, j]
                         and s["hp"][1 - side, j] > 0]
                if bench:
                    prefer[1 - side] = 4 + draw(st.sampled_from(bench))
            elif kind == "turn_limit":
                s["turn"] = np.asarray(1000, s["turn"].dtype)  # this step's end of turn makes it 1001: a tie
                _stay(prefer, 0)
                _stay(prefer, 1)
                notes.append("turn 1000")
            elif kind == "last_pp":
                slots = [k for k in range(4) if s["move_id"][side, 0, k]]
                k = draw(st.sampled_from(slots))
                s["move_pp"][side, 0, k] = 1
                if not s["transformed"][side, 0] and not s["move_virtual"][side, 0, k]:
                    s["base_move_pp"][side, 0, k] = 1
                prefer[side] = k
                notes.append(f"p{side + 1} last PP of slot {k}")
        s, legal = _settle(reference, s)
        action = _choose(legal, prefer, draw(_PICKS))
        return Case(s, action, note=f"bank battle {b} step {t}; " + (", ".join(notes) or "no edge"))

    return case()

"""Static game tables for the engine, built from the generated data file (never typed by hand).

Everything here is a numpy array indexed by the ids of ``suites/pokemon`` (species/move id = dex
number, type id = index into ``types``); the engine closes over them as constants.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ported_envs.pokejax.layout import VOLATILES as VOLATILE_ORDER

# Move effect families the engine implements (a move's family comes from its data fields and, for
# the few moves with custom callbacks, its id). Kept small: most moves are data-driven.
FX_NONE, FX_COUNTER, FX_SUPERFANG, FX_RECOVER, FX_REST, FX_SUBSTITUTE, FX_REFLECT, FX_LIGHTSCREEN, \
    FX_TRANSFORM, FX_MIMIC, FX_MIRRORMOVE, FX_FOCUSENERGY, FX_HAZE, FX_PSYWAVE, FX_CONVERSION, \
    FX_DREAMEATER, FX_LEECHSEED, FX_RAGE, FX_DISABLE, FX_BIDE, FX_UNSUPPORTED = range(21)

_BY_ID = {"counter": FX_COUNTER, "superfang": FX_SUPERFANG, "recover": FX_RECOVER,
          "softboiled": FX_RECOVER, "rest": FX_REST, "substitute": FX_SUBSTITUTE, "reflect": FX_REFLECT,
          "lightscreen": FX_LIGHTSCREEN, "transform": FX_TRANSFORM, "mimic": FX_MIMIC,
          "mirrormove": FX_MIRRORMOVE, "focusenergy": FX_FOCUSENERGY, "haze": FX_HAZE, "psywave": FX_PSYWAVE,
          "conversion": FX_CONVERSION, "dreameater": FX_DREAMEATER, "leechseed": FX_LEECHSEED,
          "rage": FX_RAGE, "disable": FX_DISABLE, "bide": FX_BIDE}

# Moves whose custom behaviour is implemented (the rest of the callback-carrying moves are flagged
# unsupported so a battle that uses them is reported, never silently wrong). Pay Day's and Splash's
# callbacks only print messages.
_HANDLED_CALLBACKS = {"counter", "superfang", "recover", "softboiled", "rest", "substitute", "reflect",
                      "lightscreen", "highjumpkick", "jumpkick", "skyattack", "skullbash", "razorwind",
                      "solarbeam", "thunder", "transform", "mimic", "mirrormove", "haze", "psywave",
                      "conversion", "dreameater", "leechseed", "payday", "splash", "dig", "fly", "disable",
                      "thrash", "petaldance", "wrap", "bind", "clamp", "firespin", "bide", "metronome"}
# gen-1 moves whose mechanics the engine does not implement yet (README, "Not covered")
NOT_IMPLEMENTED = ()
# self-targeting moves that add a volatile with no further rule of its own here (Minimize and
# Defense Curl add theirs only when their boost succeeds)
SELF_VOLATILE_MOVES = ("focusenergy", "mist", "minimize", "defensecurl")
# moves behind a batch-wide gate (engine.GATES: haze 1, leech 2, transform 4, mimic 8, rage 16, disable 32,
# thrash 64, partial trapping 128, bide 256)
GATE_BITS = {"haze": 1, "leechseed": 2, "transform": 4, "mimic": 8, "rage": 16, "disable": 32, "thrash": 64,
             "petaldance": 64, "wrap": 128, "bind": 128, "clamp": 128, "firespin": 128,
             "bide": 256, "metronome": 511}  # Metronome may call any of them

# gen-1 mod: moves that leave battle.lastDamage alone (SKIP_LASTDAMAGE in data/mods/gen1/scripts.ts)
SKIP_LASTDAMAGE = ("confuseray", "conversion", "counter", "focusenergy", "glare", "haze", "leechseed",
                   "lightscreen", "mimic", "mist", "poisongas", "poisonpowder", "recover", "reflect",
                   "rest", "softboiled", "splash", "stunspore", "substitute", "supersonic", "teleport",
                   "thunderwave", "toxic", "transform")
TWO_TURN_MOVES = ("dig", "fly", "razorwind", "skullbash", "skyattack", "solarbeam")

STATUS_CODES = {"": 0, "brn": 1, "par": 2, "slp": 3, "frz": 4, "psn": 5, "tox": 6, "fnt": 7}
BOOST_KEYS = ("atk", "def", "spa", "spd", "spe", "accuracy", "evasion")
# secondary effect kinds
SEC_NONE, SEC_STATUS, SEC_FLINCH, SEC_CONFUSION, SEC_BOOSTS = range(5)


@dataclass(frozen=True)
class Tables:
    n_moves: int
    base_spe: np.ndarray        # [species] base Speed (crit chance)
    sp_base: np.ndarray         # [species, 6] base stats hp, atk, def, spa, spd, spe
    sp_types: np.ndarray        # [species, 2] type ids ([t, 0] for one type): restored when Transform ends
    m_bp: np.ndarray            # [move] base power
    m_acc: np.ndarray           # [move] accuracy percent; -1 = always hits (accuracy: true)
    m_type: np.ndarray          # [move] type id
    m_cat: np.ndarray           # [move] 0 physical, 1 special, 2 status
    m_prio: np.ndarray
    m_pp: np.ndarray
    m_no_pp_boosts: np.ndarray  # PP Ups do not apply (Struggle)
    m_self_target: np.ndarray   # target == "self"
    m_crit: np.ndarray          # critRatio (1 normal, 2 high)
    m_hits: np.ndarray          # 1, 2 (fixed), or 25 for the 2-5 table
    m_recoil_num: np.ndarray
    m_recoil_den: np.ndarray
    m_drain: np.ndarray         # drain denominator (0 = none; gen-1 drain is always 1/2)
    m_status: np.ndarray        # primary status code
    m_volatile: np.ndarray      # primary volatile: 0 none, 1 confusion, 2 flinch
    m_boosts: np.ndarray        # [move, 7] primary boosts (applied to the move's target)
    m_self_recharge: np.ndarray # self.volatileStatus == mustrecharge
    m_sec_kind: np.ndarray
    m_sec_chance: np.ndarray    # in /256, already ceil'd (confusion: minus one)
    m_sec_status: np.ndarray
    m_sec_boosts: np.ndarray    # [move, 7]
    m_selfdestruct: np.ndarray
    m_level_damage: np.ndarray  # damage: 'level'
    m_ignore_imm: np.ndarray    # effective ignoreImmunity (undefined -> category == Status)
    m_fx: np.ndarray            # special family
    m_crash: np.ndarray         # Jump Kick / Hi Jump Kick: 1 HP on a miss
    m_twoturn: np.ndarray
    m_skip_lastdamage: np.ndarray
    m_counterable: np.ndarray   # Normal/Fighting with base power > 0 (gen-1 Counter)
    m_supported: np.ndarray
    m_fixed_damage: np.ndarray  # numeric damage (Sonic Boom 20, Dragon Rage 40), 0 = none
    m_ohko: np.ndarray
    m_self_vol: np.ndarray      # volatile index + 1 a self move adds (SELF_VOLATILE_MOVES), 0 none
    m_gate: np.ndarray          # bits of the batch-wide gates the move needs (engine.GATES)
    m_invulnerable: np.ndarray  # the charge turn makes the user invulnerable (Dig, Fly)
    m_hits_invulnerable: np.ndarray  # hits an invulnerable foe (gen-1 invulnerability: Swift, Transform)
    m_lockedmove: np.ndarray    # self.volatileStatus == lockedmove (Thrash, Petal Dance)
    m_trap: np.ndarray          # self.volatileStatus == partialtrappinglock (Wrap, Bind, Clamp, Fire Spin)
    type_eff: np.ndarray        # [atk type, def type]: 0 neutral, 1 super, 2 resisted, 3 immune
    poison_type: int
    grass_type: int
    ghost_type: int
    normal_type: int
    metronome_moves: np.ndarray  # the moves Metronome draws from, by dex number (sample: one draw)
    ids: dict                   # move id string -> number
    names: tuple                # move number -> id string


def build(data: dict) -> Tables:
    types = data["types"]
    species, moves = data["species"], data["moves"]
    n_sp, n_mv = len(species), len(moves)
    base_spe = np.zeros(n_sp, np.int32)
    sp_base = np.zeros((n_sp, 6), np.int32)
    sp_types = np.zeros((n_sp, 2), np.int32)
    for i, s in enumerate(species):
        sp_types[i, :len(s.get("types", []))] = s.get("types", [])[:2]
        if s.get("base_stats"):
            base_spe[i] = s["base_stats"]["spe"]
            sp_base[i] = [s["base_stats"][k] for k in ("hp", "atk", "def", "spa", "spd", "spe")]
    z = lambda dt=np.int32: np.zeros(n_mv, dt)
    t = {k: z() for k in ("bp", "acc", "type", "cat", "prio", "pp", "self_target", "crit", "hits", "rn", "rd",
                           "drain", "status", "volatile", "recharge", "sec_kind", "sec_chance", "sec_status",
                           "selfdestruct", "level", "ign", "fx", "crash", "twoturn", "skipld", "counterable",
                           "supported", "noppb", "fixed", "ohko", "selfvol", "gate", "invul", "hitsinvul", "lockedmove", "trap")}
    boosts, sec_boosts = np.zeros((n_mv, 7), np.int32), np.zeros((n_mv, 7), np.int32)
    ids, names = {}, []
    cat_code = {"Physical": 0, "Special": 1, "Status": 2}
    for i, m in enumerate(moves):
        mid = m.get("id", "")
        ids[mid] = i
        names.append(mid)
        if i == 0 or m.get("pseudo"):
            t["supported"][i] = 1
            continue
        t["bp"][i] = m.get("basePower", 0)
        acc = m.get("accuracy", True)
        t["acc"][i] = -1 if acc is True else int(acc)
        t["type"][i] = m["type_id"]
        t["cat"][i] = cat_code[m["category"]]
        t["prio"][i] = m.get("priority", 0)
        t["pp"][i] = m.get("pp", 0)
        t["noppb"][i] = bool(m.get("noPPBoosts"))
        t["self_target"][i] = m.get("target") == "self"
        t["crit"][i] = m.get("critRatio", 1) or 1
        mh = m.get("multihit")
        t["hits"][i] = 1 if not mh else (25 if isinstance(mh, list) else int(mh))
        if m.get("recoil"):
            t["rn"][i], t["rd"][i] = m["recoil"]
        if m.get("drain"):
            t["drain"][i] = m["drain"][1] // m["drain"][0]
        t["status"][i] = STATUS_CODES[m.get("status") or ""]
        t["volatile"][i] = {"confusion": 1, "flinch": 2}.get(m.get("volatileStatus") or "", 0)
        for k, v in (m.get("boosts") or {}).items():
            boosts[i, BOOST_KEYS.index(k)] = v
        self_ = m.get("self") or {}
        t["recharge"][i] = self_.get("volatileStatus") == "mustrecharge"
        secs = m.get("secondaries") or []
        if secs:
            s = secs[0]
            chance = s.get("chance", 100)
            if s.get("status"):
                t["sec_kind"][i], t["sec_status"][i] = SEC_STATUS, STATUS_CODES[s["status"]]
            elif s.get("volatileStatus") == "flinch":
                t["sec_kind"][i] = SEC_FLINCH
            elif s.get("volatileStatus") == "confusion":
                t["sec_kind"][i] = SEC_CONFUSION
            elif s.get("boosts"):
                t["sec_kind"][i] = SEC_BOOSTS
                for k, v in s["boosts"].items():
                    sec_boosts[i, BOOST_KEYS.index(k)] = v
            c = -(-chance * 256 // 100)
            t["sec_chance"][i] = c - 1 if t["sec_kind"][i] == SEC_CONFUSION else c
        t["selfdestruct"][i] = bool(m.get("selfdestruct"))
        t["level"][i] = m.get("damage") == "level"
        ign = m.get("ignoreImmunity")
        t["ign"][i] = (m["category"] == "Status") if ign is None else bool(ign)
        t["fx"][i] = _BY_ID.get(mid, FX_NONE)
        t["crash"][i] = mid in ("highjumpkick", "jumpkick")
        t["twoturn"][i] = mid in TWO_TURN_MOVES
        t["skipld"][i] = mid in SKIP_LASTDAMAGE
        t["counterable"][i] = m.get("type") in ("Normal", "Fighting") and m.get("basePower", 0) > 0
        dmg = m.get("damage")
        t["fixed"][i] = dmg if isinstance(dmg, int) and not isinstance(dmg, bool) else 0
        t["ohko"][i] = bool(m.get("ohko"))
        if mid in SELF_VOLATILE_MOVES:
            t["selfvol"][i] = 1 + VOLATILE_ORDER.index(m["volatileStatus"])
        t["gate"][i] = GATE_BITS.get(mid, 0)
        t["invul"][i] = mid in ("dig", "fly")
        t["hitsinvul"][i] = mid in ("swift", "transform")
        t["lockedmove"][i] = self_.get("volatileStatus") == "lockedmove"
        t["trap"][i] = self_.get("volatileStatus") == "partialtrappinglock"
        callbacks = set(m.get("handlers") or ())
        t["supported"][i] = mid not in NOT_IMPLEMENTED and (not callbacks or mid in _HANDLED_CALLBACKS)
    eff = np.asarray(data["type_chart"]["damage_taken"], np.int32).T  # -> [atk, def]
    return Tables(
        n_moves=n_mv, base_spe=base_spe, sp_base=sp_base, m_no_pp_boosts=t["noppb"], sp_types=sp_types, m_bp=t["bp"], m_acc=t["acc"], m_type=t["type"], m_cat=t["cat"],
        m_prio=t["prio"], m_pp=t["pp"], m_self_target=t["self_target"], m_crit=t["crit"], m_hits=t["hits"],
        m_recoil_num=t["rn"], m_recoil_den=t["rd"], m_drain=t["drain"], m_status=t["status"],
        m_volatile=t["volatile"], m_boosts=boosts, m_self_recharge=t["recharge"], m_sec_kind=t["sec_kind"],
        m_sec_chance=t["sec_chance"], m_sec_status=t["sec_status"], m_sec_boosts=sec_boosts,
        m_selfdestruct=t["selfdestruct"], m_level_damage=t["level"], m_ignore_imm=t["ign"], m_fx=t["fx"],
        m_crash=t["crash"], m_twoturn=t["twoturn"], m_skip_lastdamage=t["skipld"],
        m_counterable=t["counterable"], m_supported=t["supported"], type_eff=eff,
        m_fixed_damage=t["fixed"], m_ohko=t["ohko"], m_self_vol=t["selfvol"], m_gate=t["gate"], m_invulnerable=t["invul"], m_hits_invulnerable=t["hitsinvul"], m_lockedmove=t["lockedmove"], m_trap=t["trap"],
        poison_type=types.index("Poison"), grass_type=types.index("Grass"), ghost_type=types.index("Ghost"), normal_type=types.index("Normal"),
        metronome_moves=np.asarray(sorted((m["num"], i) for i, m in enumerate(moves)
                                          if (m.get("flags") or {}).get("metronome") and not m.get("isNonstandard")),
                                   np.int32)[:, 1], ids=ids, names=tuple(names))

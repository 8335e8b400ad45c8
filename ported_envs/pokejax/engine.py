"""The gen-1 singles battle engine: one decision step of Showdown 0.11.11, branchless.

A battle state is a dict of fixed-shape jnp arrays named exactly like the fields of
``layout.FIELDS`` (so get/set_state is a dtype cast). ``step`` takes both players'
action slots and advances one decision point, drawing from Showdown's PRNG exactly where Showdown
draws: every potential draw site is evaluated with a condition and advances the generator only
when the condition holds (see ``Ctx.draw``).

Code style: every mechanic is a function of a predicate ``m`` (a traced bool) and writes only where
``m`` holds, so one program covers all branches and vmaps over battles. Within an action the two
sides are *oriented*: side 0 is the Pokemon acting, side 1 its foe (``flip`` swaps them).
Showdown call sites are named in comments (data/mods/gen1/scripts.ts unless said otherwise).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax import prng as P
from ported_envs.pokejax.layout import VOLATILES
from ported_envs.pokejax.tables import (
    FX_BIDE, FX_CONVERSION, FX_COUNTER, FX_DISABLE, FX_DREAMEATER, FX_HAZE, FX_LEECHSEED, FX_LIGHTSCREEN, FX_MIMIC, FX_MIRRORMOVE,
    FX_PSYWAVE, FX_RAGE, FX_TRANSFORM, FX_RECOVER, FX_REFLECT, FX_REST, FX_SUBSTITUTE, FX_SUPERFANG,
    SEC_BOOSTS, SEC_CONFUSION, SEC_FLINCH, SEC_STATUS, Tables)

I32 = jnp.int32
BATTLE_FIELDS = ("turn", "ended", "winner", "prng", "last_damage", "last_move")
# status codes (layout.STATUSES)
BRN, PAR, SLP, FRZ, PSN, TOX, FNT = 1, 2, 3, 4, 5, 6, 7
# action slots (layout.ACTIONS)
A_RECHARGE, A_STRUGGLE, A_FIGHT, A_WAIT = 10, 11, 12, 13
# volatile indices (layout.VOLATILES)
V_CONFUSION, V_FLINCH, V_MUSTRECHARGE, V_TWOTURN, V_REFLECT, V_LIGHTSCREEN, V_FOCUS, V_RESIDUAL, \
    V_SUBSTITUTE, V_MIST, V_LEECHSEED, V_DISABLE, V_INVULNERABLE, V_RAGE, V_LOCKED = (VOLATILES.index(v) for v in (
        "confusion", "flinch", "mustrecharge", "twoturnmove", "reflect", "lightscreen", "focusenergy",
        "residualdmg", "substitute", "mist", "leechseed", "disable", "invulnerability", "rage", "lockedmove"))
V_PT, V_FAKEPT, V_LOCK, V_BIDE = (VOLATILES.index(v) for v in ("partiallytrapped", "fakepartiallytrapped",
                                                                 "partialtrappinglock", "bide"))
TRAP_TURNS = (2, 2, 2, 3, 3, 3, 4, 5)  # partialtrappinglock's durationCallback: sample() of these
# the volatiles Haze removes (gen-1 mod haze.onHit)
HAZE_VOLATILES = ("disable", "confusion", "mist", "focusenergy", "leechseed", "lightscreen", "reflect",
                  "residualdmg")
BOOST_UP = (100, 150, 200, 250, 300, 350, 400)       # gen-1 stat stage multipliers, in percent
DAMAGE_CAP = 997  # getDamage clamps the base damage (before +2, STAB, types and the roll) here
BOOST_DOWN = (100, 66, 50, 40, 33, 28, 25)
ACC_TABLE = (25, 28, 33, 40, 50, 66, 100, 150, 200, 250, 300, 350, 400)
TAPE_LEN = 48  # debug tape capacity per step (Showdown draws ~2 per step, rarely over 12)
DRAWS_PER_STEP = 32  # pre-drawn PRNG outputs per step; a step needing more is flagged (overflow)
# The batched step first pre-draws only this many (the ChaCha chain is sequential, so its cost is
# linear in the count): 140k recorded steps took at most 16, over 12 in ~0.2%.
DRAWS_SHORT = 16


def W(m, new, old):
    """Write ``new`` where the predicate holds (dtype of ``old`` kept)."""
    return jnp.where(m, jnp.asarray(new).astype(old.dtype), old)


def put(x, idx, v, m):
    """``x`` with ``x[idx] = v`` where ``m`` holds; ``idx`` indexes leading axes (ints or traced
    scalars). The leading run of static (Python int) indices is written with a dynamic_update_slice
    at constant offsets: it stays one in-place slice write under vmap, and the select (with the
    computation of ``v`` and ``m`` fused into it) runs over that slice only, not the whole array.
    Traced indices become a select against an index mask within the slice (a traced-offset
    dynamic_update_slice would become a scatter under vmap, a serial loop on CPU)."""
    static = 0
    while static < len(idx) and isinstance(idx[static], (int, np.integer)):
        static += 1
    lead = tuple(int(i) for i in idx[:static])
    sub = x[lead] if lead else x
    mask = jnp.asarray(m, bool)
    for ax, i in enumerate(idx[static:]):
        shape = [1] * sub.ndim
        shape[ax] = sub.shape[ax]
        mask = mask & (jnp.arange(sub.shape[ax], dtype=I32).reshape(shape) == jnp.asarray(i, I32))
    new = jnp.where(mask, jnp.asarray(v).astype(x.dtype), sub)
    if not lead:
        return new
    return jax.lax.dynamic_update_slice(x, new.reshape((1,) * static + new.shape), lead + (0,) * (x.ndim - static))


def flip(st):
    return {k: (v if k in BATTLE_FIELDS else v[::-1]) for k, v in st.items()}


class Ctx:
    """The battle being stepped: state dict + tables + the PRNG kind + (debug) the draw tape."""

    def __init__(self, st, tab, kind, tape=None, buf=None, gates=None):
        self.st, self.tab, self.kind, self.tape = dict(st), tab, kind, tape
        self.gates = gates
        self.wraps = True
        self.buf = buf if buf is not None else P.stream(kind, st["prng"], DRAWS_PER_STEP)
        self.n = self.buf[0].shape[0]
        self.cur = jnp.zeros((), I32)
        self.prng0 = st["prng"]

    def trunc(self, x, bits):
        """battle.trunc(x, bits): x mod 2^bits as an unsigned 32-bit number; under gen1customgame
        the format makes it Math.trunc, so the bits are ignored (``self.wraps`` False)."""
        return jnp.mod(x, 2 ** bits) if self.wraps else x

    def gated(self, name, fn, *args, otherwise=None):
        """Run ``fn(*args)`` (which writes only where its own masks hold) behind the gate ``name``:
        a real branch on a predicate that holds when some battle of the batch may use the mechanic
        this step (``gate_flags``), so a batch that uses none of it skips its cost. ``otherwise``
        (same arguments) is what runs instead, when the gated code has a cheaper special case."""
        if self.gates is None:
            fn(*args)
            return

        def branch(f):
            def go(carry):
                self.st, self.cur, self.tape = carry
                if f is not None:
                    f(*args)
                return self.st, self.cur, self.tape
            return go

        self.st, self.cur, self.tape = jax.lax.cond(self.gates[name], branch(fn), branch(otherwise),
                                                    (self.st, self.cur, self.tape))

    def finish_prng(self):
        """Set the PRNG state to the one after the draws taken; returns the overflow flag."""
        outs, states = self.buf
        k = jnp.clip(self.cur - 1, 0, self.n - 1)
        self.st["prng"] = jnp.where(self.cur > 0, states[k], self.prng0)
        return self.cur > self.n

    # --- generic accessors ------------------------------------------------------------------
    def g(self, f, s, slot=0):
        """Field ``f`` of side ``s``'s Pokemon at ``slot`` (active = 0) or of the side."""
        x = self.st[f]
        return x[s, slot] if x.ndim >= 2 and x.shape[1] == 6 else x[s]

    def s(self, f, s, v, m, slot=0):
        x = self.st[f]
        idx = (s, slot) if x.ndim >= 2 and x.shape[1] == 6 else (s,)
        self.st[f] = put(x, idx, v, m)

    def vol(self, s, v):
        return self.st["volatiles"][s, v]

    def set_vol(self, s, v, on, m):
        self.s_idx("volatiles", (s, v), on, m)
        self.s_idx("vol_duration", (s, v), 0, m & ~on)

    def s_idx(self, f, idx, v, m):
        self.st[f] = put(self.st[f], idx, v, m)

    def flip(self):
        self.st = flip(self.st)

    # --- randomness -------------------------------------------------------------------------
    def draw(self, m, lo, hi):
        """Showdown ``random(lo, hi)``, drawn only where ``m`` holds (value meaningless elsewhere)."""
        r = self.buf[0][jnp.minimum(self.cur, self.n - 1)]
        self.cur = self.cur + jnp.asarray(m).astype(I32)
        v = P.scale(r, lo, hi)
        if self.tape is not None:
            rows, n = self.tape
            row = jnp.stack([jnp.asarray(lo, I32), jnp.asarray(hi, I32), v])
            at = jnp.minimum(n, TAPE_LEN - 1)
            rows = put(rows, (at,), row, m)
            self.tape = (rows, n + m.astype(I32))
        return v

    def chance(self, m, num, den):
        return self.draw(m, 0, den) < num


# ================================================================================================
# stats and boosts (pokemon.boostBy / modifyStat of the gen-1 mod)
# ================================================================================================
def modify_stat(c, s, stat, num, den, m):
    """modifyStat: floor(modified * num/den), at least 1."""
    cur = c.st["modified_stats"][s, 0, stat]
    c.s_idx("modified_stats", (s, 0, stat), jnp.maximum((cur * num) // den, 1), m)


def boost(c, s, boosts, m):
    """battle.boost (gen-1 mod) of a 7-vector of deltas on side ``s``; returns success.

    boostBy per stat, done on all seven at once (the stats are independent): a stage at +-6 or
    a stat already at 999 / 1 is not changed; a changed stat is recomputed from the stored stat
    (capped at 999 when raised); accuracy / evasion change their stage only."""
    m = m & (c.g("hp", s) > 0)
    delta = jnp.asarray(boosts, I32)
    b = c.st["boosts"][s, 0].astype(I32)
    skip = ((delta > 0) & (b >= 6)) | ((delta < 0) & (b <= -6)) | (delta == 0)
    mm = m & ~skip
    nb = jnp.clip(b + delta, -6, 6)
    pad = jnp.zeros((2,), I32)
    cur = jnp.concatenate([c.st["modified_stats"][s, 0].astype(I32), pad])
    is_stat = jnp.arange(7) < 5
    at_cap = is_stat & (((delta > 0) & (cur == 999)) | ((delta < 0) & (cur == 1)))
    nb = jnp.where(at_cap, nb - jnp.sign(delta), nb)
    c.s_idx("boosts", (s, 0), jnp.where(mm, nb, b), True)
    recalc = (mm & ~at_cap)[:5]
    stored = c.st["stored_stats"][s, 0].astype(I32)
    nb5 = nb[:5]
    up = jnp.asarray(BOOST_UP, I32)[jnp.clip(nb5, 0, 6)]
    down = jnp.asarray(BOOST_DOWN, I32)[jnp.clip(-nb5, 0, 6)]
    val = jnp.maximum((stored * jnp.where(nb5 >= 0, up, down)) // 100, 1)
    val = jnp.where((delta[:5] > 0) & (val > 999), 999, val)
    c.s_idx("modified_stats", (s, 0), jnp.where(recalc, val, cur[:5]), True)
    return jnp.any(mm & ~at_cap)


def reapply_par_brn(c, s, m):
    """The gen-1 quirk after a stat change: the foe's par/brn drop is applied again."""
    st = c.g("status", s)
    modify_stat(c, s, 4, 1, 4, m & (st == PAR))
    modify_stat(c, s, 0, 1, 2, m & (st == BRN))


# ================================================================================================
# damage and hp
# ================================================================================================
def type_mods(c, atk_type, s):
    """(immune, product applied as the gen-1 per-type *20/10 or *5/10 steps) vs side s's active."""
    eff = jnp.asarray(c.tab.type_eff)
    t0, t1 = c.st["types"][s, 0, 0], c.st["types"][s, 0, 1]
    e0, e1 = eff[atk_type, t0], jnp.where(t1 > 0, eff[atk_type, t1], 0)
    return (e0 == 3) | (e1 == 3), e0, e1


def apply_eff(dmg, e):
    dmg = jnp.where(e == 1, (dmg * 20) // 10, dmg)
    return jnp.where(e == 2, (dmg * 5) // 10, dmg)


def has_type(c, s, t):
    return (c.st["types"][s, 0, 0] == t) | (c.st["types"][s, 0, 1] == t)


def calc_damage(c, mv, m):
    """getDamage for an ordinary damaging move, attacker 0 -> defender 1 (crit and roll drawn here)."""
    tab = c.tab
    bp = jnp.asarray(tab.m_bp)[mv]
    base_spe = jnp.asarray(tab.base_spe)[c.g("base_species", 0)]
    cc = base_spe // 2
    focus = c.vol(0, V_FOCUS)
    cc = jnp.where(focus, cc // 2, jnp.clip(cc * 2, 1, 255))
    ratio = jnp.asarray(tab.m_crit)[mv]
    cc = jnp.where(ratio == 1, cc // 2, jnp.where(ratio == 2, jnp.clip(cc * 4, 1, 255), cc))
    crit = c.chance(m & (cc > 0), cc, 256) & (cc > 0)
    special = jnp.asarray(tab.m_cat)[mv] == 1
    a_stat, d_stat = jnp.where(special, 2, 0), jnp.where(special, 3, 1)
    atk = jnp.where(crit, c.st["base_stats"][0, 0, a_stat], c.st["modified_stats"][0, 0, a_stat]).astype(I32)
    screen = jnp.where(special, c.vol(1, V_LIGHTSCREEN), c.vol(1, V_REFLECT))
    dfn = c.st["modified_stats"][1, 0, d_stat].astype(I32) * jnp.where(screen, 2, 1)
    dfn = jnp.where(crit, c.st["base_stats"][1, 0, d_stat], dfn).astype(I32)
    level = c.g("level", 0).astype(I32) * jnp.where(crit, 2, 1)
    # battle.trunc(x, 8): the 8-bit rollover, except under gen1customgame, whose format sets the
    # battle's trunc to Math.trunc (bits ignored): there a stat/4 over 255 stays as it is
    level = c.trunc(level, 8)
    big = (atk >= 256) | (dfn >= 256)
    atk = jnp.where(big, jnp.maximum(c.trunc(atk // 4, 8), 1), atk)
    dfn = jnp.where(big, c.trunc(dfn // 4, 8), dfn)
    dfn = jnp.where(dfn == 0, 1, dfn)
    sd = jnp.asarray(tab.m_selfdestruct)[mv].astype(bool) & ~special
    dfn = jnp.where(sd, jnp.maximum(dfn // 2, 1), dfn)
    dmg = (level * 2) // 5 + 2
    dmg = (dmg * bp * atk) // dfn
    dmg = jnp.clip(dmg // 50, 0, DAMAGE_CAP) + 2
    mtype = jnp.asarray(tab.m_type)[mv]
    dmg = jnp.where(has_type(c, 0, mtype), dmg + dmg // 2, dmg)
    _, e0, e1 = type_mods(c, mtype, 1)
    dmg = apply_eff(apply_eff(dmg, e0), e1)
    roll = c.draw(m & (dmg > 1), 217, 256)
    dmg = jnp.where(dmg > 1, (dmg * roll) // 255, dmg)
    return dmg


def get_damage(c, mv, m, fixed=None):
    """getDamage dispatch for the primary hit: (value, is_number). Non-numbers: status moves
    (undefined) and a failed Counter (false) -> is_number False."""
    tab = c.tab
    fx = jnp.asarray(tab.m_fx)[mv]
    is_counter, is_fang = fx == FX_COUNTER, fx == FX_SUPERFANG
    level_dmg = jnp.asarray(tab.m_level_damage)[mv].astype(bool)
    fixed_dmg = jnp.asarray(tab.m_fixed_damage)[mv]
    ohko = jnp.asarray(tab.m_ohko)[mv].astype(bool)
    psywave = fx == FX_PSYWAVE
    status_move = (jnp.asarray(tab.m_bp)[mv] == 0) & ~ohko  # getDamage: OHKO returns before basePower
    plain = ~is_counter & ~is_fang & ~level_dmg & ~status_move & (fixed_dmg == 0) & ~ohko & ~psywave
    if fixed is not None:
        plain = plain & ~fixed[0]
    val = calc_damage(c, mv, m & plain)
    # Counter (gen-1 mod damageCallback): foe's last selected move not Counter, last used
    # (lastEnemyMove of the foe's side) Normal/Fighting with power, and lastDamage > 0
    foe_sel = c.g("side_last_enemy_selected_move", 1)
    foe_last = c.g("side_last_enemy_move", 1)
    counter_ok = (foe_sel != c.tab.ids["counter"]) & (jnp.asarray(tab.m_counterable)[foe_last] > 0) & \
        (c.st["last_damage"] > 0)
    val = jnp.where(is_counter, 2 * c.st["last_damage"], val)
    val = jnp.where(is_fang, jnp.maximum(c.g("hp", 1).astype(I32) // 2, 1), val)
    val = jnp.where(level_dmg, c.g("level", 0).astype(I32), val)
    val = jnp.where(fixed_dmg > 0, fixed_dmg, val)
    val = jnp.where(ohko, 65535, val)
    # Psywave (gen-1 damageCallback): fails at levels where level + level/2 wraps below 2 (mod 256);
    # otherwise random(1, floor(1.5 * level))
    lv = c.g("level", 0).astype(I32)
    psy_ok = ((lv + (lv >> 1)) & 255) >= 2
    psy = c.draw(m & psywave & psy_ok, 1, jnp.maximum((3 * lv) // 2, 2))
    val = jnp.where(psywave, psy, val)
    if fixed is not None:
        val = jnp.where(fixed[0], fixed[1], val)
    is_num = ~status_move & ~(is_counter & ~counter_ok) & ~(psywave & ~psy_ok)
    return val.astype(I32), is_num


def take_damage(c, s, d, m, sets_last=True):
    """battle.damage on side s's active: clamp, lastDamage (gen 1), hp, faint; returns hp lost."""
    hp = c.g("hp", s).astype(I32)
    m = m & (hp > 0) & (d > 0)
    d = jnp.maximum(d, 1)
    if sets_last:
        c.st["last_damage"] = W(m, d, c.st["last_damage"])
    lost = jnp.minimum(d, hp)
    c.s("hp", s, hp - lost, m)
    return jnp.where(m, lost, 0)


def heal(c, s, amount, m):
    hp, mx = c.g("hp", s).astype(I32), c.g("maxhp", s).astype(I32)
    amount = jnp.where((amount > 0) & (amount <= 1), 1, amount)
    m = m & (hp > 0) & (hp < mx) & (amount > 0)
    c.s("hp", s, jnp.minimum(hp + amount, mx), m)
    return m


def self_damage_quirk(c, s, dmg, m):
    """directDamage for confusion / Hi Jump Kick crash (gen 1): counts for Counter, and a user
    behind a Substitute hurts the foe's Substitute instead (or nothing)."""
    m = m & (c.g("hp", s) > 0)
    c.st["last_damage"] = W(m, dmg, c.st["last_damage"])
    own_sub = c.vol(s, V_SUBSTITUTE)
    foe = 1 - s
    foe_sub = c.vol(foe, V_SUBSTITUTE)
    hit_foe_sub = m & own_sub & foe_sub
    sub_hp = c.st["vol_substitute_hp"][foe].astype(I32) - dmg
    c.s_idx("vol_substitute_hp", (foe,), sub_hp, hit_foe_sub)
    broke = hit_foe_sub & (sub_hp <= 0)
    remove_sub(c, foe, broke)
    c.s("sub_fainted", foe, True, broke)
    hp = c.g("hp", s).astype(I32)
    c.s("hp", s, jnp.maximum(hp - dmg, 0), m & ~own_sub)


def remove_sub(c, s, m):
    c.set_vol(s, V_SUBSTITUTE, False, m)
    c.s_idx("vol_substitute_hp", (s,), 0, m)


# ================================================================================================
# statuses and volatiles
# ================================================================================================
def set_status(c, s, code, m, clause=None, by_self=False):
    """pokemon.setStatus + the status's onStart (sleep draws its duration); returns success."""
    cur = c.g("status", s)
    poison_immune = ((code == PSN) | (code == TOX)) & has_type(c, s, c.tab.poison_type)
    m = m & (c.g("hp", s) > 0) & (cur != code) & ~poison_immune
    if clause is not None:
        m = clause(c, s, code, m, by_self)
    c.s("status", s, code, m)
    c.s("status_stage", s, 0, m)
    c.s("status_source", s, 1 if by_self else 2, m)
    t = c.draw(m & (code == SLP), 1, 8)
    c.s("status_time", s, jnp.where(code == SLP, t, 0), m)
    c.s("status_start_time", s, jnp.where(code == SLP, t, 0), m)
    # tox (gen-2 condition the gen-1 mod inherits): adds residualdmg (if absent), counter 0
    tox = m & (code == TOX)
    c.set_vol(s, V_RESIDUAL, True, tox)
    c.s_idx("vol_residual_counter", (s,), 0, tox)
    return m


def cure_status(c, s, m, source_is_foe=True):
    """cureStatus -> setStatus(''): statusState.source becomes the running event's source."""
    m = m & (c.g("hp", s) > 0) & (c.g("status", s) > 0)
    for f in ("status", "status_time", "status_start_time", "status_stage"):
        c.s(f, s, 0, m)
    c.s("status_source", s, 2 if source_is_foe else 1, m)


def add_confusion(c, s, m):
    m = m & ~c.vol(s, V_CONFUSION)
    c.set_vol(s, V_CONFUSION, True, m)
    t = c.draw(m, 2, 6)
    c.s_idx("vol_confusion_time", (s,), t, m)
    return m


def add_flinch(c, s, m):
    m = m & ~c.vol(s, V_FLINCH)
    c.set_vol(s, V_FLINCH, True, m)
    c.s_idx("vol_duration", (s, V_FLINCH), 1, m)
    c.set_vol(s, V_MUSTRECHARGE, False, m)  # flinch onStart removes the recharge
    return m


def clear_volatiles(c, s, m):
    """pokemon.clearVolatile (switch-out / faint): boosts, volatiles, Transform and modified stats."""
    for f in ("volatiles", "vol_duration"):
        c.st[f] = put(c.st[f], (s,), 0, m)
    for f in [k for k in c.st if k.startswith("vol_") and k != "vol_duration"]:
        neutral = -1 if f in ("vol_trapped_source", "vol_trap_lock_target") else 0
        c.s_idx(f, (s,), neutral, m)
    c.st["boosts"] = put(c.st["boosts"], (s, 0), 0, m)
    for f in ("move_id", "move_pp", "move_maxpp"):
        c.st[f] = put(c.st[f], (s, 0), c.st["base_" + f][s, 0], m)
    # the slots go back to the base slot objects with the disabled flag each kept: the last end
    # of turn's for a slot that stayed itself, the one it had when Transform / Mimic replaced it
    # otherwise (a bench member shows it until it is active at an end of turn)
    c.st["move_disabled"] = put(c.st["move_disabled"], (s, 0), c.st["base_move_disabled"][s, 0], m)
    c.st["move_virtual"] = put(c.st["move_virtual"], (s, 0), False, m)
    c.s("transformed", s, False, m)
    c.s("poke_last_move", s, 0, m)
    c.s("species", s, c.g("base_species", s), m)
    c.s_idx("types", (s, 0), jnp.asarray(c.tab.sp_types)[c.g("base_species", s)], m)
    # setSpecies(baseSpecies): stored = own stats, modified = stored with par/brn re-applied
    own = c.st["base_stats"][s, 0]
    c.st["stored_stats"] = put(c.st["stored_stats"], (s, 0), own, m)
    c.st["modified_stats"] = put(c.st["modified_stats"], (s, 0), own, m)
    reapply_par_brn(c, s, m)
    c.s("speed", s, own[4], m)


# ================================================================================================
# the move: runMove -> useMove -> useMoveInner -> tryMoveHit -> moveHit
# ================================================================================================
def before_move(c, mv, m):
    """runEvent('BeforeMove') on the attacker: handlers by priority; returns 'can move'."""
    st = c.g("status", 0)
    go = m
    # frz (12)
    go = go & (st != FRZ)
    # slp (10): time--, never moves this turn
    asleep = go & (st == SLP)
    c.s("status_time", 0, c.g("status_time", 0) - 1, asleep)
    c.s("poke_last_move", 0, 0, asleep)
    frozen_or_asleep = m & ((st == FRZ) | (st == SLP))
    c.s("poke_last_move", 0, 0, m & (st == FRZ))
    go = go & ~asleep
    # partiallytrapped (9): the trapped Pokemon cannot move
    go = go & ~c.vol(0, V_PT)
    # flinch (8)
    go = go & ~c.vol(0, V_FLINCH)
    # mustrecharge (7)
    rech = go & c.vol(0, V_MUSTRECHARGE)
    c.set_vol(0, V_MUSTRECHARGE, False, rech)
    go = go & ~rech
    # disable (6): its counter runs down (the volatile ends at 0); the disabled move is not used
    # and a charging two-turn move is dropped (a Dig/Fly user stays invulnerable)
    dis = go & c.vol(0, V_DISABLE)
    dt = c.st["vol_disable_time"][0] - 1
    c.s_idx("vol_disable_time", (0,), dt, dis)
    dis_end = dis & (dt <= 0)
    c.set_vol(0, V_DISABLE, False, dis_end)
    for f in ("vol_disable_move", "vol_disable_slot", "vol_disable_time"):
        c.s_idx(f, (0,), 0, dis_end)
    cant = dis & ~dis_end & (mv == c.st["vol_disable_move"][0])
    c.set_vol(0, V_TWOTURN, False, cant)
    c.s_idx("vol_twoturn_move", (0,), 0, cant)
    go = go & ~cant
    # confusion (3)
    conf = go & c.vol(0, V_CONFUSION)
    t = c.st["vol_confusion_time"][0] - 1
    c.s_idx("vol_confusion_time", (0,), t, conf)
    ends = conf & (t <= 0)
    c.set_vol(0, V_CONFUSION, False, ends)
    c.s_idx("vol_confusion_time", (0,), 0, ends)
    still = conf & ~ends
    self_hit = still & ~c.chance(still, 128, 256)
    lv = c.g("level", 0).astype(I32)
    atk = c.st["modified_stats"][0, 0, 0].astype(I32)
    dfn = c.st["modified_stats"][0, 0, 1].astype(I32)
    cdmg = ((((2 * lv) // 5 + 2) * atk * 40) // dfn) // 50 + 2
    self_damage_quirk(c, 0, cdmg, self_hit)
    c.set_vol(0, V_TWOTURN, False, self_hit)
    c.s_idx("vol_twoturn_move", (0,), 0, self_hit)
    c.set_vol(0, V_INVULNERABLE, False, self_hit)
    remove_bide(c, self_hit)
    remove_trap_lock(c, 0, self_hit)
    end_locked_move(c, self_hit)
    go = go & ~self_hit
    # par (2): 63/256 full paralysis; it ends a charge, but a Dig/Fly user stays invulnerable
    # (until it switches out or completes Dig/Fly: a gen-1 glitch Showdown keeps)
    para = go & (st == PAR)
    full = para & c.chance(para, 63, 256)
    c.set_vol(0, V_TWOTURN, False, full)
    c.s_idx("vol_twoturn_move", (0,), 0, full)
    remove_bide(c, full)
    remove_trap_lock(c, 0, full)
    end_locked_move(c, full)
    go = go & ~full
    # partialtrappinglock (0): a lock on a Pokemon that is no longer the foe's active ends
    remove_trap_lock(c, 0, go & c.vol(0, V_LOCK) & (c.st["vol_trap_lock_target"][0] != 0))
    # bide (0): stores battle.lastDamage each turn and never lets the move run
    biding = go & c.vol(0, V_BIDE)
    c.gated("bide", bide_turn, c, biding)
    go = go & ~biding
    del frozen_or_asleep
    return go


def remove_bide(c, m):
    c.set_vol(0, V_BIDE, False, m)
    c.s_idx("vol_bide_damage", (0,), 0, m)
    c.s_idx("vol_bide_time", (0,), 0, m)


def bide_turn(c, m):
    """Bide's onBeforeMove (gen 1) on side 0: battle.lastDamage is added to the store (whatever set
    it last, even a hit counted the turn before) and a turn counted off; at 0 the store, if any,
    is dealt back doubled through moveHit (no accuracy check, no type immunity, through Dig/Fly;
    a Substitute takes the uncapped amount, a raging foe builds Rage) and Bide ends. The move
    itself never runs (BeforeMove fails: no PP, AfterMoveSelf only)."""
    dmg = c.st["vol_bide_damage"][0].astype(I32) + c.st["last_damage"].astype(I32)
    t = c.st["vol_bide_time"][0].astype(I32) - 1
    c.s_idx("vol_bide_damage", (0,), dmg, m)
    c.s_idx("vol_bide_time", (0,), t, m)
    release = m & (t == 0)
    hit = release & (dmg > 0)
    d = 2 * dmg
    into_sub = hit & c.vol(1, V_SUBSTITUTE)
    c.st["last_damage"] = W(into_sub, d, c.st["last_damage"])
    sub_hp = c.st["vol_substitute_hp"][1].astype(I32)
    new_sub = sub_hp - jnp.minimum(d, sub_hp)
    c.s_idx("vol_substitute_hp", (1,), new_sub, into_sub)
    broke = into_sub & (new_sub <= 0)
    remove_sub(c, 1, broke)
    c.s("sub_fainted", 1, True, broke)
    direct = hit & ~into_sub
    take_damage(c, 1, jnp.minimum(d, c.g("hp", 1).astype(I32)), direct)
    rage_builds(c, direct & c.vol(1, V_RAGE))
    remove_bide(c, release)


def remove_trap_lock(c, s, m):
    """removeVolatile('partialtrappinglock') on side s."""
    c.set_vol(s, V_LOCK, False, m)
    for f, none in (("vol_trap_lock_move", 0), ("vol_trap_lock_total", 0), ("vol_trap_lock_damage", 0),
                    ("vol_trap_lock_target", -1)):
        c.s_idx(f, (s,), none, m)


def remove_trapped(c, s, m):
    """removeVolatile('partiallytrapped') on side s."""
    c.set_vol(s, V_PT, False, m)
    for f, none in (("vol_trapped_source", -1), ("vol_trapped_move", 0), ("vol_trapped_maybe_locked", False)):
        c.s_idx(f, (s,), none, m)


def add_trapped(c, mv, m):
    """foe.addVolatile('partiallytrapped', user, move): a new one records its trapper (the user's
    team position, 0 = active) and move; an existing one restarts (duration 2 again)."""
    m = m & (c.g("hp", 1) > 0)
    fresh = m & ~c.vol(1, V_PT)
    c.set_vol(1, V_PT, True, fresh)
    c.s_idx("vol_trapped_source", (1,), 0, fresh)
    c.s_idx("vol_trapped_move", (1,), mv, fresh)
    c.s_idx("vol_trapped_maybe_locked", (1,), False, fresh)
    c.s_idx("vol_duration", (1, V_PT), 2, m)


def trap_start(c, mv, m):
    """The self effect of Wrap / Bind / Clamp / Fire Spin (moveHit applies it even when the hit
    broke a Substitute): partialtrappinglock on the user, its duration drawn (sample of
    2,2,2,3,3,3,4,5), holding the damage just dealt (battle.lastDamage) and the foe it traps, who
    gets partiallytrapped. A user already locked keeps its lock (no onRestart)."""
    tab = c.tab
    new = m & jnp.asarray(tab.m_trap)[mv].astype(bool) & ~c.vol(0, V_LOCK) & (c.g("hp", 0) > 0)
    k = c.draw(new, 0, 8)
    d = jnp.asarray(TRAP_TURNS, I32)[jnp.clip(k, 0, 7)]
    c.set_vol(0, V_LOCK, True, new)
    c.s_idx("vol_duration", (0, V_LOCK), d, new)
    c.s_idx("vol_trap_lock_move", (0,), mv, new)
    c.s_idx("vol_trap_lock_total", (0,), d, new)
    c.s_idx("vol_trap_lock_damage", (0,), c.st["last_damage"], new)
    c.s_idx("vol_trap_lock_target", (0,), 0, new)
    add_trapped(c, mv, new)


def trap_after_move(c, mv, m):
    """partialtrappinglock's onAfterMove on the user (side 0): a fainted target ends it; on its
    last turn (duration 1) both sides get fakepartiallytrapped unless it lasted 5 turns; before
    that the foe's partiallytrapped restarts, maybeLocked from the second turn on."""
    lock = m & c.vol(0, V_LOCK)
    ko = lock & (c.g("hp", 1) <= 0)
    remove_trap_lock(c, 0, ko)
    go = lock & ~ko
    dur = c.st["vol_duration"][0, V_LOCK].astype(I32)
    total = c.st["vol_trap_lock_total"][0].astype(I32)
    fake = go & (dur == 1) & (total != 5)
    for s in (0, 1):
        add = fake & (c.g("hp", s) > 0) & ~c.vol(s, V_FAKEPT)
        c.set_vol(s, V_FAKEPT, True, add)
        c.s_idx("vol_duration", (s, V_FAKEPT), 2, add)
    cont = go & (dur != 1)
    add_trapped(c, mv, cont)
    c.s_idx("vol_trapped_maybe_locked", (1,), True, cont & (total - dur > 0) & c.vol(1, V_PT))


def end_locked_move(c, m):
    """removeVolatile('lockedmove') (Thrash / Petal Dance) on side 0."""
    c.set_vol(0, V_LOCKED, False, m)
    for f in ("vol_locked_move", "vol_locked_time", "vol_locked_accuracy"):
        c.s_idx(f, (0,), 0, m)


def thrash_lock(c, mv, m):
    """tryMoveHit's start for Thrash / Petal Dance: the first use locks the user (lockedmove:
    2-3 more turns drawn, carried accuracy 255); each later use counts down, and at 0 the user
    becomes confused afresh (even if already confused; the lock ends after the move)."""
    m = m & jnp.asarray(c.tab.m_lockedmove)[mv].astype(bool)
    has = c.vol(0, V_LOCKED)
    cont = m & has
    t = c.st["vol_locked_time"][0] - 1
    c.s_idx("vol_locked_time", (0,), t, cont)
    ends = cont & (t == 0)
    c.set_vol(0, V_CONFUSION, False, ends)
    add_confusion(c, 0, ends)
    start = m & ~has
    t0 = c.draw(start, 2, 4)
    c.set_vol(0, V_LOCKED, True, start)
    c.s_idx("vol_locked_move", (0,), mv, start)
    c.s_idx("vol_locked_time", (0,), t0, start)
    c.s_idx("vol_locked_accuracy", (0,), 255, start)


def after_move_self(c, m, mv):
    """runEvent('AfterMoveSelf') on the attacker, by handler priority: residualdmg (100: the toxic
    counter grows while brn/psn/tox), sleep wake-up (3), psn/brn/tox damage (2: maxhp/16 times the
    counter), Leech Seed (1: counter grows again, the foe's active heals what is drained, not capped
    by the HP lost). The wake-up's statusState.source is the event's source: the move's target."""
    st = c.g("status", 0)
    res = c.vol(0, V_RESIDUAL)
    poisoned = (st == PSN) | (st == BRN) | (st == TOX)
    count = c.st["vol_residual_counter"][0].astype(I32)
    c.s_idx("vol_residual_counter", (0,), count + 1, m & res & poisoned)
    wake = m & (st == SLP) & (c.g("status_time", 0) <= 0)
    self_target = jnp.asarray(c.tab.m_self_target)[mv].astype(bool)
    cure_status(c, 0, wake & self_target, source_is_foe=False)
    cure_status(c, 0, wake & ~self_target, source_is_foe=True)
    hurt = m & poisoned
    mult = jnp.where(res, c.st["vol_residual_counter"][0].astype(I32), 1)
    d = jnp.maximum(c.g("maxhp", 0).astype(I32) // 16, 1) * mult
    take_damage(c, 0, d, hurt, sets_last=False)
    c.gated("leech", leech_seed_drain, c, m)


def leech_seed_drain(c, m):
    """Leech Seed's AfterMoveSelf (priority 1) on the seeded side 0."""
    res = c.vol(0, V_RESIDUAL)
    seeded = m & c.vol(0, V_LEECHSEED) & (c.g("hp", 1) > 0) & ~c.g("fainted", 1)
    count = c.st["vol_residual_counter"][0].astype(I32)
    c.s_idx("vol_residual_counter", (0,), count + 1, seeded & res)
    mult = jnp.where(res, count + 1, 1)
    leech = jnp.maximum(c.g("maxhp", 0).astype(I32) // 16, 1) * mult
    take_damage(c, 0, leech, seeded, sets_last=False)
    heal(c, 1, leech, seeded)


def secondary(c, mv, m):
    """The move's secondary (chance in /256), on the foe; skipped without a draw for par/brn/frz
    against a foe sharing the move's type."""
    tab = c.tab
    kind = jnp.asarray(tab.m_sec_kind)[mv]
    code = jnp.asarray(tab.m_sec_status)[mv]
    mtype = jnp.asarray(tab.m_type)[mv]
    skip = (kind == SEC_STATUS) & ((code == PAR) | (code == BRN) | (code == FRZ)) & has_type(c, 1, mtype)
    m = m & (kind > 0) & ~skip
    hit = m & c.chance(m, jnp.asarray(tab.m_sec_chance)[mv], 256)
    # status secondary: only onto a healthy foe (no message when it already has one)
    sm = hit & (kind == SEC_STATUS)
    recharging_sleep = sm & (code == SLP) & c.vol(1, V_MUSTRECHARGE)
    ok = set_status(c, 1, code, sm & ((c.g("status", 1) == 0) | recharging_sleep), c.clause)
    modify_stat(c, 1, 0, 1, 2, ok & (code == BRN))
    modify_stat(c, 1, 4, 1, 4, ok & (code == PAR))
    add_flinch(c, 1, hit & (kind == SEC_FLINCH))
    add_confusion(c, 1, hit & (kind == SEC_CONFUSION))
    bm = hit & (kind == SEC_BOOSTS)
    did = boost(c, 1, jnp.asarray(tab.m_sec_boosts)[mv], bm)
    reapply_par_brn(c, 1, bm & did)


def run_move(c, mv, slot_pp, m):
    """One move action of the (oriented) side 0. ``mv`` is the move id the queue holds (gen 1:
    side.lastSelectedMove); ``slot_pp`` is True when PP is paid from lastSelectedMoveSlot."""
    tab = c.tab
    ids = tab.ids
    # Haze turned a sleeping/frozen foe's queued move into 'cannotmove': runMove aborts at once
    cannot = m & (mv == ids["cannotmove"])
    after_move_self(c, cannot, mv)
    m = m & ~cannot
    # runMove clears its target's subFainted: the foe, or the user for a self-targeting move
    own = jnp.asarray(tab.m_self_target)[mv].astype(bool)
    c.s("sub_fainted", 1, False, m & ~own)
    c.s("sub_fainted", 0, False, m & own)
    go = before_move(c, mv, m)
    aborted = m & ~go
    after_move_self(c, aborted, mv)  # abortMove -> AfterMoveSelf
    m = go
    used = go
    # PP (runMove): not for a locked move or the charge turn of a two-turn move
    twoturn = jnp.asarray(tab.m_twoturn)[mv].astype(bool)
    charging = twoturn & ~c.vol(0, V_TWOTURN)
    is_struggle = mv == ids["struggle"]
    # getLockedMove (Rage, Thrash) or getSemiLockedMove (partial trapping): no PP
    locked = c.vol(0, V_RAGE) | c.vol(0, V_LOCKED) | c.vol(0, V_LOCK) | c.vol(0, V_BIDE)
    pay = m & slot_pp & ~is_struggle & ~(charging) & ~locked
    ls = c.g("side_last_selected_move_slot", 0).astype(I32)
    pp = c.st["move_pp"][0, 0, ls].astype(I32) - 1
    pp = c.trunc(pp, 6)  # gen-1 deductPP: a 0-PP move underflows to 63 (not under gen1customgame)
    c.s_idx("move_pp", (0, 0, ls), pp, pay)
    # gen-1 deductPP: the base slot follows unless the slot is a transformed user's virtual one
    # (a plain slot is the base slot's own object; a Mimic slot is copied back)
    base_follows = ~(c.st["move_virtual"][0, 0, ls] & c.g("transformed", 0))
    c.s_idx("base_move_pp", (0, 0, ls), pp, pay & base_follows)
    mv, calls = called_move(c, mv, m)
    via_mirror = calls > 0
    twoturn = jnp.asarray(tab.m_twoturn)[mv].astype(bool)
    charging = twoturn & ~c.vol(0, V_TWOTURN)
    # useMove
    c.s("side_last_move", 0, mv, m)
    c.s("side_last_enemy_move", 0, mv, m)
    c.s("poke_last_move", 0, mv, m & ~charging)
    c.st["last_move"] = W(m, mv, c.st["last_move"])
    # useMove of a move called by Mirror Move (gen-1 mod): a two-turn move gives the calling slot
    # its PP back (deductPP(-1)), and a transformed user's base slot gains one PP (mod 64)
    cur_pp = c.st["move_pp"][0, 0, ls].astype(I32)
    back = via_mirror & twoturn
    c.s_idx("move_pp", (0, 0, ls), c.trunc(cur_pp + 1, 6), back)
    c.s_idx("base_move_pp", (0, 0, ls), c.trunc(cur_pp + 1, 6), back & base_follows)
    base_pp = c.st["base_move_pp"][0, 0, ls].astype(I32)
    has_base = c.st["base_move_id"][0, 0, ls] > 0
    c.s_idx("base_move_pp", (0, 0, ls), (base_pp + calls) % 64, via_mirror & c.g("transformed", 0) & has_base)
    # two-turn charge (onTryMove): add twoturnmove (Dig/Fly: and invulnerability) and stop; the
    # release turn removes both (every two-turn move's onTryMove removes invulnerability)
    c.set_vol(0, V_TWOTURN, True, m & charging)
    c.s_idx("vol_twoturn_move", (0,), mv, m & charging)
    c.set_vol(0, V_INVULNERABLE, True, m & charging & jnp.asarray(tab.m_invulnerable)[mv].astype(bool))
    release = m & twoturn & ~charging
    c.set_vol(0, V_TWOTURN, False, release)
    c.s_idx("vol_twoturn_move", (0,), 0, release)
    c.set_vol(0, V_INVULNERABLE, False, release)
    m = m & ~charging
    # Wrap / Bind / Clamp / Fire Spin onTryMove: the foe's Hyper Beam recharge is cancelled, hit or miss
    c.set_vol(1, V_MUSTRECHARGE, False, m & jnp.asarray(tab.m_trap)[mv].astype(bool))
    c.st["last_damage"] = W(m & ~jnp.asarray(tab.m_skip_lastdamage)[mv].astype(bool), 0, c.st["last_damage"])
    self_target = jnp.asarray(tab.m_self_target)[mv].astype(bool)
    foe_hit = try_move_hit_foe(c, mv, m & ~self_target)
    self_hit = move_hit_self(c, mv, m & self_target)
    del self_hit
    # useMove: AfterMove (mustrecharge ends on a KO), then AfterMoveSelf if the target stands
    foe_alive = c.g("hp", 1) > 0
    ko = used & ~self_target & ~foe_alive
    c.set_vol(0, V_MUSTRECHARGE, False, ko)
    end_locked_move(c, used & c.vol(0, V_LOCKED) & (c.st["vol_locked_time"][0] <= 0))  # lockedmove onAfterMove
    c.gated("trap", trap_after_move, c, mv, used)
    target_alive = jnp.where(self_target, c.g("hp", 0) > 0, foe_alive)
    after_move_self(c, used & target_alive, mv)
    return foe_hit


def called_move(c, mv, m):
    """Metronome and Mirror Move, which call another move through a nested useMove (and may call
    each other: two levels each). Returns (the move used, the number of useMove levels a
    Metronome / Mirror Move source started: each gives a transformed user's base slot one PP)."""
    calls = jnp.zeros((), I32)
    for _level in range(2):
        mv, v1 = metronome(c, mv, m)
        mv, v2 = mirror_move(c, mv, m)
        calls = calls + v1.astype(I32) + v2.astype(I32)
    return mv, calls


def metronome(c, mv, m):
    """Metronome (gen-1 mod onHit): its own useMove (moveUsed, lastDamage reset), then a move drawn
    uniformly (sample: one draw) from every gen-1 move with the metronome flag, by dex number,
    becomes the side's selected move and is used through a nested useMove, whose AfterMove events
    stand for Metronome's."""
    ids = c.tab.ids
    is_m = m & (mv == ids["metronome"])
    table = jnp.asarray(c.tab.metronome_moves, I32)
    k = c.draw(is_m, 0, table.shape[0])
    called = table[jnp.clip(k, 0, table.shape[0] - 1)]
    c.s("poke_last_move", 0, ids["metronome"], is_m)
    c.st["last_damage"] = W(is_m, 0, c.st["last_damage"])
    c.s_idx("side_last_selected_move", (0,), called, is_m)
    c.s_idx("side_last_enemy_selected_move", (0,), called, is_m)
    return jnp.where(is_m, called, mv), is_m


def mirror_move(c, mv, m):
    """Mirror Move (gen-1 mod), before the move is used: its own useMove runs (moveUsed, lastDamage
    reset) and its onHit, when the foe's active has a last move other than Mirror Move, makes that
    move the side's selected move and uses it through a nested useMove, whose AfterMove events
    replace Mirror Move's. Returns (the move to use, called by Mirror Move)."""
    ids = c.tab.ids
    mirror = ids["mirrormove"]
    is_mirror = m & (mv == mirror)
    foe_last = c.g("poke_last_move", 1).astype(I32)
    ok = is_mirror & (foe_last > 0) & (foe_last != mirror)
    c.s("poke_last_move", 0, mirror, is_mirror)
    c.st["last_damage"] = W(is_mirror, 0, c.st["last_damage"])
    c.s_idx("side_last_selected_move", (0,), foe_last, ok)
    c.s_idx("side_last_enemy_selected_move", (0,), foe_last, ok)
    return jnp.where(ok, foe_last, mv), ok


def pp_ups(c, s):
    """The PP Ups of side s's active, per slot, recovered from its own (base) slots' max PP."""
    pp_tab = jnp.asarray(c.tab.m_pp, I32)
    own_id = c.st["base_move_id"][s, 0].astype(I32)
    own_max = c.st["base_move_maxpp"][s, 0].astype(I32)
    own_pp = jnp.maximum(pp_tab[own_id], 1)
    ups = jnp.where(own_pp == 40, (own_max - 40) // 7, (own_max * 5) // own_pp - 5)
    return jnp.where(own_id > 0, ups, 0)


def calculate_pp(c, move, ups):
    """dex.calculatePP (gen <= 2): pp * (5 + ups) / 5, a 40-PP move gaining 7 per PP Up."""
    tpp = jnp.asarray(c.tab.m_pp, I32)[move]
    return (tpp * (5 + ups)) // 5 - jnp.where(tpp == 40, ups, 0)


def mimic(c, m):
    """Mimic (gen-1 mod onHit): a random move of the foe (sample: one draw in [0, n)) replaces the
    slot Mimic was selected from, keeping its PP; max PP from the user's PP Ups of that slot."""
    foe_moves = c.st["move_id"][1, 0].astype(I32)
    n = jnp.sum(foe_moves > 0)
    k = c.draw(m & (n > 0), 0, n)
    new = foe_moves[jnp.clip(k, 0, 3)]
    m = m & (n > 0)
    ls = c.g("side_last_selected_move_slot", 0).astype(I32)
    c.s_idx("move_id", (0, 0, ls), new, m)
    c.s_idx("move_maxpp", (0, 0, ls), calculate_pp(c, new, pp_ups(c, 0)[ls]), m)
    c.s_idx("move_disabled", (0, 0, ls), False, m)
    c.s_idx("move_virtual", (0, 0, ls), True, m)


def move_hit_self(c, mv, m):
    """A self-targeting status move (boosts, Recover/Softboiled, Rest, Substitute, Reflect...)."""
    tab = c.tab
    fx = jnp.asarray(tab.m_fx)[mv]
    hp, mx = c.g("hp", 0).astype(I32), c.g("maxhp", 0).astype(I32)
    # TryHit (move): Substitute / Reflect / Light Screen fail when already up or too weak
    sub_fail = (fx == FX_SUBSTITUTE) & (c.vol(0, V_SUBSTITUTE) | (4 * hp < mx))
    refl_fail = (fx == FX_REFLECT) & c.vol(0, V_REFLECT)
    ls_fail = (fx == FX_LIGHTSCREEN) & c.vol(0, V_LIGHTSCREEN)
    m = m & ~sub_fail & ~refl_fail & ~ls_fail
    boosts = jnp.asarray(tab.m_boosts)[mv]
    has_boosts = jnp.any(boosts != 0)
    did = boost(c, 0, boosts, m & has_boosts)
    reapply_par_brn(c, 1, m & has_boosts & did)
    # volatiles
    sub_on = m & (fx == FX_SUBSTITUTE)
    c.set_vol(0, V_SUBSTITUTE, True, sub_on)
    c.s_idx("vol_substitute_hp", (0,), mx // 4 + 1, sub_on)
    remove_trapped(c, 0, sub_on)  # gen-1 Substitute onStart ends partiallytrapped
    c.set_vol(0, V_REFLECT, True, m & (fx == FX_REFLECT))
    c.set_vol(0, V_LIGHTSCREEN, True, m & (fx == FX_LIGHTSCREEN))
    # Focus Energy, Mist; Minimize and Defense Curl once their boost went through
    sv = jnp.asarray(tab.m_self_vol)[mv]
    add = m & (sv > 0) & jnp.where(has_boosts, did, True)
    c.set_vol(0, jnp.maximum(sv - 1, 0), True, add & ~c.st["volatiles"][0, jnp.maximum(sv - 1, 0)])
    c.gated("haze", haze, c, m & (fx == FX_HAZE))
    # Bide's volatile: store 0, 2-3 turns drawn (onStart)
    bide = m & (fx == FX_BIDE) & ~c.vol(0, V_BIDE)
    t = c.draw(bide, 2, 4)
    c.set_vol(0, V_BIDE, True, bide)
    c.s_idx("vol_bide_damage", (0,), 0, bide)
    c.s_idx("vol_bide_time", (0,), t, bide)
    # onHit
    c.s("hp", 0, jnp.maximum(hp - mx // 4, 0), sub_on & (mx > 3))
    blocked_256 = (hp == mx) | (((hp == mx - 255) | (hp == mx - 511)) & (hp % 256 != 0))
    rec = m & (fx == FX_RECOVER) & ~blocked_256
    heal(c, 0, mx // 2, rec)
    rest = m & (fx == FX_REST) & ~blocked_256
    slept = set_status(c, 0, SLP, rest, c.clause, by_self=True)
    c.s("status_time", 0, 2, slept)
    c.s("status_start_time", 0, 2, slept)
    heal(c, 0, mx, slept)
    return m


def rage_builds(c, m):
    """A raging side 1 gains +1 Attack (battle.boost, its stage under 6, its HP above 0)."""
    boost(c, 1, jnp.asarray([1, 0, 0, 0, 0, 0, 0], I32), m & (c.st["boosts"][1, 0, 0] < 6))


def try_move_hit_foe(c, mv, m):
    """tryMoveHit + moveHit against the foe (side 1). Returns 'the move hit' (damage !== false)."""
    tab = c.tab
    m_in = m
    c.gated("thrash", thrash_lock, c, mv, m)
    mtype = jnp.asarray(tab.m_type)[mv]
    cat = jnp.asarray(tab.m_cat)[mv]
    is_status = cat == 2
    immune, _, _ = type_mods(c, mtype, 1)
    immune = immune & ~jnp.asarray(tab.m_ignore_imm)[mv].astype(bool)
    sd = jnp.asarray(tab.m_selfdestruct)[mv].astype(bool)
    fx = jnp.asarray(tab.m_fx)[mv]
    # Invulnerability (first): a foe underground / in the air is missed by all but Swift and Transform
    immune = immune | (c.vol(1, V_INVULNERABLE) & ~jnp.asarray(tab.m_hits_invulnerable)[mv].astype(bool))
    # TryImmunity (Dream Eater needs a sleeping target, Leech Seed fails on Grass), then the OHKO
    # speed check (a faster target is immune): before accuracy, no draw
    try_imm = ((fx == FX_DREAMEATER) & (c.g("status", 1) != SLP)) | \
        ((fx == FX_LEECHSEED) & has_type(c, 1, c.tab.grass_type))
    ohko_fail = jnp.asarray(tab.m_ohko)[mv].astype(bool) & \
        (c.st["modified_stats"][1, 0, 4] > c.st["modified_stats"][0, 0, 4])
    fail = m & (immune | try_imm | ohko_fail)
    m = m & ~fail
    # accuracy (1/256 miss): gen-1 0..255 scale, stages from the same table as stats
    acc_pct = jnp.asarray(tab.m_acc)[mv]
    sleep_on_recharge = (jnp.asarray(tab.m_status)[mv] == SLP) & c.vol(1, V_MUSTRECHARGE)
    always = (acc_pct < 0) | sleep_on_recharge
    acc = (acc_pct * 255) // 100
    # the gen-1 Rage accuracy bug: a raging user starts from the accuracy it carries (255 when
    # Rage began), applies the stages to it again and carries the result
    raging, thrashing = c.vol(0, V_RAGE), c.vol(0, V_LOCKED)
    acc = jnp.where(thrashing, c.st["vol_locked_accuracy"][0].astype(I32), acc)
    acc = jnp.where(raging, c.st["vol_rage_accuracy"][0].astype(I32), acc)
    acc_tab = jnp.asarray(ACC_TABLE, I32)
    acc = (acc * acc_tab[c.st["boosts"][0, 0, 5].astype(I32) + 6]) // 100
    acc = (acc * acc_tab[6 - c.st["boosts"][1, 0, 6].astype(I32)]) // 100
    acc = jnp.clip(acc, 1, 255)
    c.s_idx("vol_rage_accuracy", (0,), acc, m & ~always & raging)
    c.s_idx("vol_locked_accuracy", (0,), acc, m & ~always & thrashing)
    # partiallytrapped onAccuracy: the trapper's moves always hit the Pokemon it traps
    always = always | (c.vol(1, V_PT) & (c.st["vol_trapped_source"][1] == 0))
    hits = always | c.chance(m & ~always, acc, 256)
    missed = m & ~always & ~hits
    c.st["last_damage"] = W(missed, 0, c.st["last_damage"])
    m = m & hits
    # multi-hit count (sample([2,2,2,3,3,3,4,5]) for 2-5)
    nhits = jnp.asarray(tab.m_hits)[mv]
    k = c.draw(m & (nhits == 25), 0, 8)
    nhits = jnp.where(nhits == 25, jnp.asarray([2, 2, 2, 3, 3, 3, 4, 5], I32)[k], nhits)
    # ---- moveHit on the foe ----
    had_sub = c.vol(1, V_SUBSTITUTE)
    fx = jnp.asarray(tab.m_fx)[mv]
    boosts = jnp.asarray(tab.m_boosts)[mv]
    has_boosts = jnp.any(boosts != 0)
    status_code = jnp.asarray(tab.m_status)[mv]
    vol = jnp.asarray(tab.m_volatile)[mv]
    sub_blocks = is_status & ((status_code == PSN) | (status_code == TOX) | has_boosts | (vol == 1))
    blocked = m & had_sub & sub_blocks
    m_hit = m & ~blocked
    # damaging move into a Substitute
    into_sub = m_hit & had_sub & ~is_status
    # getDamage (gen 1), partial trapping: a Normal trapping move does 0 to a Ghost; a locked user
    # repeats the damage its lock holds against the Pokemon it traps (no crit or roll drawn)
    trap = jnp.asarray(tab.m_trap)[mv].astype(bool)
    ghost0 = trap & (mtype == c.tab.normal_type) & has_type(c, 1, c.tab.ghost_type)
    repeat = trap & c.vol(0, V_LOCK) & (c.st["vol_trap_lock_target"][0] == 0)
    fixed = (ghost0 | repeat, jnp.where(ghost0, 0, c.st["vol_trap_lock_damage"][0].astype(I32)))
    dmg0, is_num = get_damage(c, mv, m_hit & ~is_status, fixed)
    counter_fail = m_hit & ~is_status & ~is_num
    m_hit = m_hit & ~counter_fail
    into_sub = into_sub & ~counter_fail
    direct = m_hit & ~had_sub & ~is_status
    # sub takes the uncapped damage, for every hit; lastDamage = uncapped
    sub_hp = c.st["vol_substitute_hp"][1].astype(I32)
    c.st["last_damage"] = W(into_sub, dmg0, c.st["last_damage"])
    total_sub = jnp.minimum(dmg0 * nhits, sub_hp)  # all hits take the first hit's damage
    # hits stop when the sub breaks: count hits until broken
    hits_to_break = jnp.where(dmg0 > 0, (sub_hp + dmg0 - 1) // jnp.maximum(dmg0, 1), 99)
    used_hits_sub = jnp.minimum(nhits, hits_to_break)
    del used_hits_sub
    new_sub = sub_hp - total_sub
    broke = into_sub & (new_sub <= 0)
    c.s_idx("vol_substitute_hp", (1,), new_sub, into_sub)
    remove_sub(c, 1, broke)
    c.s("sub_fainted", 1, True, broke)
    sub_stands = into_sub & ~broke
    # recoil / drain while the sub stands (from the uncapped damage)
    rn, rd = jnp.asarray(tab.m_recoil_num)[mv], jnp.asarray(tab.m_recoil_den)[mv]
    drain = jnp.asarray(tab.m_drain)[mv]
    take_damage(c, 0, jnp.maximum((dmg0 * rn) // jnp.maximum(rd, 1), 1), sub_stands & (rd > 0) & (dmg0 > 0),
                sets_last=False)
    dr_amt = jnp.maximum(dmg0 // jnp.maximum(drain, 1), 1)
    dr = sub_stands & (drain > 0)
    c.st["last_damage"] = W(dr, dr_amt, c.st["last_damage"])
    heal(c, 0, dr_amt, dr)
    # gen 1: a confusion secondary lands through a Substitute the hit did not break
    kind = jnp.asarray(tab.m_sec_kind)[mv]
    conf = sub_stands & (kind == SEC_CONFUSION)
    add_confusion(c, 1, conf & c.chance(conf, jnp.asarray(tab.m_sec_chance)[mv], 256))
    # direct damage, hit by hit (gen 1: every hit deals the first hit's damage)
    hp1 = c.g("hp", 1).astype(I32)
    def one_hit(carry, h):  # up to 5 hits share one compiled body (a scan)
        c.st = carry
        mh = direct & (h < nhits) & (c.g("hp", 1) > 0) & (c.g("hp", 0) > 0)
        d = jnp.minimum(dmg0, c.g("hp", 1).astype(I32))
        lost = take_damage_move(c, d, mh)
        # runEvent('Hit') on the target: a raging foe hit by a damaging move (not Self-Destruct /
        # Explosion, counted below) builds Rage, +1 Attack (boostBy: recomputed, no par/brn re-drop)
        # (inside the scan body, not behind a gate: a gate's branch would carry the draw cursor
        # out of the scan)
        rage_builds(c, mh & c.vol(1, V_RAGE) & ~sd)
        rec_m = mh & (rd > 0) & (lost > 0)
        take_damage(c, 0, jnp.maximum((lost * rn) // jnp.maximum(rd, 1), 1), rec_m, sets_last=False)
        drm = mh & (drain > 0) & (lost > 0)
        amt = jnp.maximum(lost // jnp.maximum(drain, 1), 1)
        c.st["last_damage"] = W(drm, amt, c.st["last_damage"])
        heal(c, 0, amt, drm)
        return c.st, None

    c.st, _ = jax.lax.scan(one_hit, c.st, jnp.arange(5, dtype=I32))
    del hp1
    # self effect of a trapping move (after the hit, before secondaries): the lock and its draw
    c.gated("trap", trap_start, c, mv, m_hit)
    # tryMoveHit: a miss (damage false) ends the user's lock
    c.gated("trap", remove_trap_lock, c, 0, missed | counter_fail)
    # status moves on the foe (through a Substitute unless blocked)
    sm = m_hit & is_status
    # Mist (TryBoost): a status move of the foe cannot lower the misted side's stats
    foe_boosts = jnp.where(c.vol(1, V_MIST) & (boosts < 0), 0, boosts)
    did_boost = boost(c, 1, foe_boosts, sm & has_boosts)
    boost_fail = sm & has_boosts & ~did_boost
    reapply_par_brn(c, 1, sm & has_boosts & did_boost)
    st_m = sm & (status_code > 0)
    rech_sleep = st_m & (status_code == SLP) & c.vol(1, V_MUSTRECHARGE)
    healthy = c.g("status", 1) == 0
    ok = set_status(c, 1, status_code, st_m & (healthy | rech_sleep), c.clause)
    c.set_vol(1, V_MUSTRECHARGE, False, ok & rech_sleep)
    modify_stat(c, 1, 0, 1, 2, ok & (status_code == BRN) & ~rech_sleep)
    modify_stat(c, 1, 4, 1, 4, ok & (status_code == PAR) & ~rech_sleep)
    add_confusion(c, 1, sm & (vol == 1))
    c.gated("transform", transform_into, c, sm & (fx == FX_TRANSFORM))
    c.gated("mimic", mimic, c, sm & (fx == FX_MIMIC))
    c.gated("disable", disable, c, sm & (fx == FX_DISABLE))
    c.set_vol(1, V_LEECHSEED, True, sm & (fx == FX_LEECHSEED) & ~c.vol(1, V_LEECHSEED))
    # Conversion (gen-1 onHit): the user takes the target's types
    c.s_idx("types", (0, 0), c.st["types"][1, 0], sm & (fx == FX_CONVERSION))
    # self effects (Hyper Beam recharge, Rage) unless the move broke a Substitute
    recharge = jnp.asarray(tab.m_self_recharge)[mv].astype(bool)
    c.set_vol(0, V_MUSTRECHARGE, True, m_hit & ~is_status & recharge & ~broke)
    rage_on = m_hit & ~is_status & (fx == FX_RAGE) & ~broke & ~c.vol(0, V_RAGE)
    c.set_vol(0, V_RAGE, True, rage_on)  # rage onStart: the carried accuracy starts at 255
    c.s_idx("vol_rage_accuracy", (0,), 255, rage_on)
    # secondaries: only on a direct hit that left the foe standing (multi-hit: last hit only)
    secondary(c, mv, direct & (c.g("hp", 1) > 0))
    # Explosion / Self-Destruct: the user faints (even on a miss), unless it broke a Substitute
    boom = (m | missed | fail) & sd & ~broke
    c.s("hp", 0, 0, boom)
    # useMoveInner: Self-Destruct / Explosion and Disable build a raging target's Rage even on a miss
    c.gated("rage", rage_builds, c, m_in & (sd | (fx == FX_DISABLE)) & c.vol(1, V_RAGE))
    hit = m_hit & ~boost_fail
    # thaw: a fire move with a burn secondary unfreezes its (still frozen) target
    thaw = hit & (jnp.asarray(tab.m_sec_status)[mv] == BRN) & (c.g("status", 1) == FRZ)
    cure_status(c, 1, thaw)
    # MoveFail: Hi Jump Kick crash
    failed = fail | missed | blocked | counter_fail | boost_fail
    crash = failed & jnp.asarray(tab.m_crash)[mv].astype(bool)
    self_damage_quirk(c, 0, jnp.ones((), I32), crash)
    return hit


def haze(c, m):
    """Haze (gen-1 onHit), for each active: boosts cleared with stats back to the stored ones (the
    par/brn drops go too), the foe's status cured (a sleeping or frozen foe's queued move becomes
    'cannotmove'), the user's tox turned psn (a SetStatus event: the randombattle clauses draw),
    speed refreshed, and disable, confusion, mist, focusenergy, leechseed, lightscreen, reflect
    and residualdmg removed."""
    cm = c.tab.ids["cannotmove"]
    foe_st = c.g("status", 1)
    stop = m & ((foe_st == SLP) | (foe_st == FRZ)) & (c.g("hp", 1) > 0)
    for f in ("side_last_selected_move", "side_last_enemy_selected_move"):
        c.s_idx(f, (1,), cm, stop)
    cure_status(c, 1, m, source_is_foe=True)
    tox = m & (c.g("status", 0) == TOX) & (c.g("hp", 0) > 0)
    tox = c.clause(c, 0, PSN, tox, True)
    c.s("status", 0, PSN, tox)
    for f in ("status_time", "status_start_time", "status_stage"):
        c.s(f, 0, 0, tox)
    c.s("status_source", 0, 1, tox)
    for s in (0, 1):
        c.st["boosts"] = put(c.st["boosts"], (s, 0), 0, m)
        c.st["modified_stats"] = put(c.st["modified_stats"], (s, 0), c.st["stored_stats"][s, 0], m)
        c.s("speed", s, c.st["modified_stats"][s, 0, 4], m)
        for v in HAZE_VOLATILES:
            c.set_vol(s, VOLATILES.index(v), False, m)
        for f in ("vol_confusion_time", "vol_residual_counter", "vol_disable_move", "vol_disable_slot",
                  "vol_disable_time"):
            c.s_idx(f, (s,), 0, m)


def disable(c, m):
    """Disable (gen-1 mod): fails unless the foe has a move with PP (onTryHit); a foe already
    disabled keeps its Disable; else one of its slots with PP is picked (sample: one draw) and
    a counter drawn in 1..8 (the foe's BeforeMove counts it down)."""
    pp_ok = (c.st["move_id"][1, 0] > 0) & (c.st["move_pp"][1, 0] > 0)
    m = m & jnp.any(pp_ok) & ~c.vol(1, V_DISABLE) & (c.g("hp", 1) > 0)
    n = jnp.sum(pp_ok)
    k = c.draw(m, 0, jnp.maximum(n, 1))
    slot = jnp.argmax(jnp.cumsum(pp_ok) == k + 1)  # the k-th slot with PP
    t = c.draw(m, 1, 9)
    c.set_vol(1, V_DISABLE, True, m)
    c.s_idx("vol_disable_move", (1,), c.st["move_id"][1, 0, slot], m)
    c.s_idx("vol_disable_slot", (1,), slot, m)
    c.s_idx("vol_disable_time", (1,), t, m)


def transform_into(c, m):
    """pokemon.transformInto (side 0 becomes side 1's active), gen 1: species, types, stored and
    modified stats, boosts and move slots (virtual, pp min(5, move pp), maxpp from the user's own
    PP Ups of that slot index) are copied. setSpecies (isTransform) sets the cached speed from the
    target species' base Speed and the user's own set (level, IV + EV/4 of its Speed)."""
    tab = c.tab
    for f in ("types", "stored_stats", "modified_stats", "boosts"):
        c.s_idx(f, (0, 0), c.st[f][1, 0], m)
    c.s("species", 0, c.g("species", 1), m)
    c.s("transformed", 0, True, m)
    tid = c.st["move_id"][1, 0].astype(I32)
    tpp = jnp.asarray(tab.m_pp, I32)[tid]
    maxpp = calculate_pp(c, tid, pp_ups(c, 0))
    has = tid > 0
    c.s_idx("move_id", (0, 0), tid, m)
    c.s_idx("move_pp", (0, 0), jnp.where(has, jnp.minimum(5, tpp), 0), m)
    c.s_idx("move_maxpp", (0, 0), jnp.where(has, maxpp, 0), m)
    c.s_idx("move_disabled", (0, 0), False, m)
    c.s_idx("move_virtual", (0, 0), has, m)
    lv = c.g("level", 0).astype(I32)
    x = c.st["ivs"][0, 0, 5].astype(I32) + c.st["evs"][0, 0, 5].astype(I32) // 4  # the user's own set
    base_t = jnp.asarray(tab.base_spe, I32)[c.g("species", 1)]
    c.s("speed", 0, ((2 * base_t + x) * lv) // 100 + 5, m)


def take_damage_move(c, d, m):
    """battle.damage from a move on the foe (sets lastDamage)."""
    return take_damage(c, 1, d, m, sets_last=True)


# ================================================================================================
# turn structure (battle.ts runAction / turnLoop / endTurn, side.ts commitChoices)
# ================================================================================================
def update_tie(c, m):
    """eachEvent('Update'/'BeforeTurn'): speed-sorting the two actives draws on a tie."""
    both = (c.g("hp", 0) > 0) & (c.g("hp", 1) > 0)
    c.draw(m & both & (c.g("speed", 0) == c.g("speed", 1)), 0, 2)


def do_switch(c, s, k, m, after_faint):
    """switchIn of team slot ``k`` (dynamic) into side ``s`` slot 0, then the runSwitch action."""
    old_alive = c.g("hp", s) > 0
    clear_volatiles(c, s, m & old_alive)
    fainted_out = m & ~old_alive
    c.s("status", s, 0, fainted_out)  # switchIn: a fainted Pokemon leaves with status ''
    # swap slot 0 and k for every per-Pokemon field of side s: one gather by a permutation each
    i6 = jnp.arange(6, dtype=I32)
    perm = jnp.where(m, jnp.where(i6 == 0, k, jnp.where(i6 == k, 0, i6)), i6)
    for f, x in c.st.items():
        if f in BATTLE_FIELDS or x.ndim < 2 or x.shape[1] != 6:
            continue
        c.st[f] = put(x, (s,), jnp.take(x[s], perm, axis=0), True)
    c.s("active_turns", s, 0, m)
    # the foe's trapping references are team positions: the two swapped places trade them
    for f in ("vol_trap_lock_target", "vol_trapped_source"):
        v = c.st[f][1 - s].astype(I32)
        c.s_idx(f, (1 - s,), jnp.where(v == 0, k, jnp.where(v == k, 0, v)), m)
    # insertChoice(runSwitch) refreshes the incoming Pokemon's cached speed
    c.s("speed", s, c.st["modified_stats"][s, 0, 4], m)
    return m


def run_switch(c, s, m, fainted_this_turn):
    """runSwitch (gen-4 mod path, gen <= 2 branch): actives forget lastMove, PP slot resets, and
    a poisoned/burned Pokemon takes 1/16 on entry unless its side had a faint this turn."""
    for side in (0, 1):
        c.s("poke_last_move", side, 0, m)
    c.s_idx("side_last_selected_move_slot", (s,), 0, m)
    # gen-1 glitch (gen-4 mod runSwitch, gen 1): a foe locked in a partial-trapping move whose
    # selected slot holds Metronome gets Metronome as its selected move (and queued action)
    foe = 1 - s
    ls = c.st["side_last_selected_move_slot"][foe].astype(I32)
    metro = c.tab.ids["metronome"]
    glitch = m & c.vol(foe, V_LOCK) & (jnp.take(c.st["move_id"][foe, 0], jnp.clip(ls, 0, 3)) == metro)
    c.s_idx("side_last_selected_move", (foe,), metro, glitch)
    c.s_idx("side_last_enemy_selected_move", (foe,), metro, glitch)
    st = c.g("status", s)
    c.s("status", s, PSN, m & (st == TOX))  # tox onSwitchIn: a badly poisoned Pokemon returns poisoned
    hurt = m & ~fainted_this_turn & ((st == PSN) | (st == BRN) | (st == TOX))
    take_damage(c, s, jnp.maximum(c.g("maxhp", s).astype(I32) // 16, 1), hurt, sets_last=False)


def process_faints(c, m, flipped=False):
    """faintMessages + checkWin + checkFainted after an action. Returns (any faint, fainted per side).
    A battle that ends here never reaches checkFainted, so its last fainted active keeps its status."""
    f0 = m & (c.g("hp", 0) <= 0) & ~c.g("fainted", 0)
    f1 = m & (c.g("hp", 1) <= 0) & ~c.g("fainted", 1)
    for s, f in ((0, f0), (1, f1)):
        clear_volatiles(c, s, f)
        c.s("fainted", s, True, f)
    any_f = f0 | f1
    left = [jnp.sum((c.st["hp"][s] > 0) & (c.st["species"][s] > 0)) for s in (0, 1)]
    end = any_f & ((left[0] == 0) | (left[1] == 0))
    for s, f in ((0, f0), (1, f1)):
        c.s("status", s, FNT, f & ~end)
    winner = jnp.where((left[0] == 0) & (left[1] == 0), 2, jnp.where(left[1] == 0, 0, 1))
    winner = jnp.where(flipped & (winner < 2), 1 - winner, winner)
    c.st["ended"] = W(end, True, c.st["ended"])
    c.st["winner"] = W(end, winner, c.st["winner"])
    return any_f, f0, f1


def commit(c, s, a, m):
    """side.commitChoices (gen 1) for side s choosing slot ``a``: returns (move id run, pays PP)."""
    ids = c.tab.ids
    is_move = a < 4
    mid = jnp.take(c.st["move_id"][s, 0], jnp.clip(a, 0, 3))
    ls = c.g("side_last_selected_move_slot", s).astype(I32)
    slot_id = jnp.take(c.st["move_id"][s, 0], ls)
    fight = a == A_FIGHT
    st = c.g("status", s)
    asleep_frozen = (st == SLP) | (st == FRZ)
    struggle = a == A_STRUGGLE
    # side.chooseMove: a hard lock (recharge, two-turn, Rage, Thrash) or a partial-trapping lock
    # turns any move choice into the locked move (a maybeLocked user may pick any slot); else a
    # sleeping, frozen or partially trapped Pokemon's choice is 'fight'
    vol = c.st["volatiles"][s]
    movish = is_move | fight | struggle
    hard = vol[V_MUSTRECHARGE] | vol[V_TWOTURN] | vol[V_RAGE] | vol[V_LOCKED] | vol[V_LOCK] | vol[V_BIDE]
    locked = (a == A_RECHARGE) | (hard & movish)
    as_fight = ~hard & movish & (asleep_frozen | vol[V_PT])
    is_move = is_move & ~locked & ~as_fight
    struggle = struggle & ~locked & ~as_fight
    c.s_idx("side_last_enemy_selected_move", (s,), slot_id, m & as_fight & asleep_frozen)
    # commitChoices: a partially trapped Pokemon's Fight queues 'cannotmove'
    cannot = m & as_fight & ~asleep_frozen
    c.s_idx("side_last_selected_move", (s,), ids["cannotmove"], cannot)
    c.s_idx("side_last_enemy_selected_move", (s,), ids["cannotmove"], cannot)
    c.s_idx("side_last_selected_move", (s,), ids["struggle"], m & struggle)
    c.s_idx("side_last_enemy_selected_move", (s,), ids["struggle"], m & struggle)
    c.s_idx("side_last_selected_move", (s,), mid, m & is_move)
    c.s_idx("side_last_selected_move_slot", (s,), a, m & is_move)
    c.s_idx("side_last_move", (s,), mid, m & is_move)
    c.s_idx("side_last_enemy_selected_move", (s,), mid, m & is_move)
    c.s_idx("side_last_enemy_selected_move", (s,), slot_id, m & locked)
    run = c.g("side_last_selected_move", s)
    # runMove pays PP from lastSelectedMoveSlot whenever the move gets past BeforeMove: also for
    # a sleeping/frozen Pokemon's Fight, which moves when a fire move thaws it earlier in the turn
    return run, m & (is_move | locked | as_fight)


def priority_of(c, mv):
    return jnp.asarray(c.tab.m_prio)[mv]


def turn(c, a):
    """A full turn from a 'move' request: commit, sort, beforeTurn, both actions, residual, end."""
    is_sw = [(a[s] >= 4) & (a[s] <= 9) for s in (0, 1)]
    mv, pays = [], []
    for s in (0, 1):
        r, p = commit(c, s, a[s], ~is_sw[s])
        mv.append(r)
        pays.append(p)
    # commitChoices: updateSpeed for both actives
    for s in (0, 1):
        c.s("speed", s, c.st["modified_stats"][s, 0, 4], jnp.ones((), bool))
    # queue sort: switches (order 103) before moves (200); then priority, speed; tie -> shuffle
    order = [jnp.where(is_sw[s], 103, 200) for s in (0, 1)]
    prio = [jnp.where(is_sw[s], 0, priority_of(c, mv[s])) for s in (0, 1)]
    spd = [c.g("speed", s).astype(I32) for s in (0, 1)]
    p2_first = (order[1] < order[0]) | ((order[1] == order[0]) & (
        (prio[1] > prio[0]) | ((prio[1] == prio[0]) & (spd[1] > spd[0]))))
    tie = (order[1] == order[0]) & (prio[1] == prio[0]) & (spd[1] == spd[0])
    t = c.draw(tie, 0, 2)
    p2_first = jnp.where(tie, t == 1, p2_first)
    # beforeTurn action: eachEvent('BeforeTurn') then the post-action Update
    on = ~c.st["ended"]
    update_tie(c, on)
    update_tie(c, on)
    faint_any = jnp.zeros((), bool)
    faint_side = jnp.zeros((2,), bool)
    # the two actions share one compiled body (a scan over the action order)
    firsts = jnp.stack([jnp.where(p2_first, 1, 0), jnp.where(p2_first, 0, 1)])
    is_sw_a, mv_a, pays_a = jnp.stack(is_sw), jnp.stack(mv), jnp.stack(pays)

    def one_action(carry, first):
        st, cur, tape, faint_any, faint_side = carry
        c.st, c.cur, c.tape = st, cur, tape
        flipped = first == 1
        c.st = jax.tree.map(lambda x, y: jnp.where(flipped, x, y), flip(c.st), c.st)
        sw, act, mid, pay = is_sw_a[first], a[first], mv_a[first], pays_a[first]
        # Haze earlier this turn turned this side's queued move into 'cannotmove'
        cm = c.tab.ids["cannotmove"]
        mid = jnp.where(c.g("side_last_selected_move", 0) == cm, cm, mid)
        # a foe's switch-in earlier this turn turned this locked side's queued move into Metronome
        metro = c.tab.ids["metronome"]
        mid = jnp.where(c.vol(0, V_LOCK) & (c.g("side_last_selected_move", 0) == metro), metro, mid)
        live = on & ~faint_any & (c.g("hp", 0) > 0)
        fs_own = faint_side[first]
        # switch action, its Update, then the runSwitch action (its Update comes below)
        msw = live & sw
        do_switch(c, 0, jnp.clip(act - 4, 0, 5), msw, fs_own)
        update_tie(c, msw)
        run_switch(c, 0, msw, fs_own)
        run_move(c, mid, pay, live & ~sw)
        f_any, f0, f1 = process_faints(c, live, flipped)
        c.st = jax.tree.map(lambda x, y: jnp.where(flipped, x, y), flip(c.st), c.st)
        fa = jnp.where(flipped, jnp.stack([f1, f0]), jnp.stack([f0, f1]))
        faint_side = faint_side | fa
        faint_any = faint_any | f_any
        update_tie(c, live & ~f_any & ~c.st["ended"])
        return (c.st, c.cur, c.tape, faint_any, faint_side), None

    (c.st, c.cur, c.tape, faint_any, faint_side), _ = jax.lax.scan(
        one_action, (c.st, c.cur, c.tape, faint_any, faint_side), firsts)
    faint_side = [faint_side[0], faint_side[1]]
    # residual: updateSpeed, flinch expires, Update
    res = on & ~faint_any & ~c.st["ended"]
    for s in (0, 1):
        c.s("speed", s, c.st["modified_stats"][s, 0, 4], res)
    residual(c, res)
    update_tie(c, res)
    end_turn(c, res)
    request_switches(c, faint_any & ~c.st["ended"], faint_side)


def residual(c, m):
    """fieldEvent('Residual'), gen 1: its only handlers are the volatiles with a duration (flinch 1,
    partiallytrapped 2, fakepartiallytrapped 2, partialtrappinglock 2-5). They are sorted by their
    holder's speed, a tie shuffled (n - 1 draws per group of n), then each counts down and ends at 0."""
    dur = c.st["vol_duration"].astype(I32)
    has = m & c.st["volatiles"] & (dur > 0)
    c.gated("trap", residual_ties, c, has, 3, otherwise=lambda c, has, _n: residual_ties(c, has, 1))
    left = dur - 1
    ends = has & (left <= 0)
    c.st["vol_duration"] = jnp.where(has, left, dur).astype(c.st["vol_duration"].dtype)
    c.st["volatiles"] = c.st["volatiles"] & ~ends
    for s in (0, 1):
        remove_trap_lock(c, s, ends[s, V_LOCK])
        remove_trapped(c, s, ends[s, V_PT])


def residual_ties(c, has, most):
    """The Residual handlers' speed-sort draws: ``most`` = the most handlers one side can hold
    (1 when only flinch is possible)."""
    n = [jnp.sum(has[s]).astype(I32) for s in (0, 1)]
    spd = [c.g("speed", s).astype(I32) for s in (0, 1)]
    tie = spd[0] == spd[1]
    both = n[0] + n[1]
    for i in range(2 * most - 1):
        c.draw(tie & (i < both - 1), i, both)
    p2_first = spd[1] > spd[0]
    nf, ns = jnp.where(p2_first, n[1], n[0]), jnp.where(p2_first, n[0], n[1])
    for i in range(most - 1):
        c.draw(~tie & (i < nf - 1), i, nf)
    for i in range(most - 1):
        c.draw(~tie & (i < ns - 1), nf + i, nf + ns)


def no_progress_possible(c):
    """battle.maybeTriggerEndlessBattleClause, the gen-1 part (every format): a tie when on both
    sides every Pokemon is fainted, frozen, Transform-only facing an all-Transform team, or out of
    PP facing an all-Ghost team."""
    fainted = c.st["fainted"]
    ids = c.st["move_id"].astype(I32)
    has = ids > 0
    only_transform = jnp.all(~has | (ids == c.tab.ids["transform"]), axis=-1)
    out_of_pp = jnp.all(~has | (c.st["move_pp"] == 0), axis=-1)
    ghost = jnp.any(c.st["types"] == c.tab.ghost_type, axis=-1)
    real = c.st["species"] > 0
    all_transform = jnp.all(~real | fainted | only_transform, axis=-1)
    all_ghosts = jnp.all(~real | fainted | ghost, axis=-1)
    stuck = [jnp.all(~real[s] | fainted[s] | (c.st["status"][s] == FRZ) | (only_transform[s] & all_transform[1 - s])
                     | (out_of_pp[s] & all_ghosts[1 - s])) for s in (0, 1)]
    return stuck[0] & stuck[1]


def end_turn(c, m):
    c.st["turn"] = W(m, c.st["turn"] + 1, c.st["turn"])
    # endless-battle checks (both formats in gen 1): no progress possible, or past turn 1000
    tie = m & (no_progress_possible(c) | (c.st["turn"] > 1000))
    c.st["ended"] = W(tie, True, c.st["ended"])
    c.st["winner"] = W(tie, 2, c.st["winner"])
    c.gated("trap", trap_end_turn, c, m, otherwise=clear_maybe_locked)
    for s in (0, 1):
        # endTurn clears trapped; the move request sets it again for a locked move, and there is
        # no request when this end of turn ended the battle (the turn-1000 or no-progress tie)
        locked = c.vol(s, V_MUSTRECHARGE) | c.vol(s, V_TWOTURN) | c.vol(s, V_RAGE) | c.vol(s, V_LOCKED)
        c.s("trapped", s, locked & (c.g("hp", s) > 0) & ~c.st["ended"], m)
        # DisableMove: the disabled slot (gen 1: by slot) is flagged for the request
        dis = (jnp.arange(4) == c.st["vol_disable_slot"][s]) & c.vol(s, V_DISABLE) & (c.st["move_id"][s, 0] > 0)
        c.st["move_disabled"] = put(c.st["move_disabled"], (s, 0), dis, m)
        # a slot that is not virtual is its base slot object: the flag lands there too; a slot
        # Transform or Mimic replaced leaves the base one as it was
        own = ~c.st["move_virtual"][s, 0] & ~c.g("transformed", s)
        c.st["base_move_disabled"] = put(c.st["base_move_disabled"], (s, 0),
                                         jnp.where(own, dis, c.st["base_move_disabled"][s, 0]), m)
        alive = m & (c.g("hp", s) > 0)
        c.s("active_turns", s, c.g("active_turns", s) + 1, alive)
        c.s_idx("request", (s,), 1, m & ~c.st["ended"])
    c.st["request"] = W(c.st["ended"], 0, c.st["request"])


def clear_maybe_locked(c, m):
    """endTurn's maybeLocked reset when no DisableMove handler can set it again (no partial
    trapping, no Bide this step): a Pokemon switched in keeps no stale flag from its last stay."""
    for s in (0, 1):
        c.s("maybe_locked", s, False, m)


def trap_end_turn(c, m):
    """endTurn, gen 1, for p1's then p2's active: a lock whose target fainted or is no longer
    trapped ends, a partiallytrapped whose trapper fainted or lost its lock ends, a
    fakepartiallytrapped whose counterpart lost its own ends. Then the DisableMove event sets
    maybeLocked (partiallytrapped with maybeLocked and fakepartiallytrapped at priority 1; sleep or
    freeze clears it; a lock two turns in sets it; handlers tied on priority are shuffled, a draw),
    and the move request clears it again for a hard-locked Pokemon."""
    for s in (0, 1):
        o = 1 - s
        tgt = c.st["vol_trap_lock_target"][s].astype(I32)
        tgt_hp = jnp.take(c.st["hp"][o], jnp.clip(tgt, 0, 5))
        lock_end = m & c.vol(s, V_LOCK) & ((tgt_hp <= 0) | (tgt != 0) | ~c.vol(o, V_PT))
        remove_trap_lock(c, s, lock_end)
        src = c.st["vol_trapped_source"][s].astype(I32)
        src_hp = jnp.take(c.st["hp"][o], jnp.clip(src, 0, 5))
        pt_end = m & c.vol(s, V_PT) & ((src_hp <= 0) | (src != 0) | ~c.vol(o, V_LOCK))
        remove_trapped(c, s, pt_end)
        fake_end = m & c.vol(s, V_FAKEPT) & ((c.g("hp", o) <= 0) | ~c.vol(o, V_FAKEPT))
        c.set_vol(s, V_FAKEPT, False, fake_end)
    for s in (0, 1):
        vol = c.st["volatiles"][s]
        st = c.g("status", s)
        slp_frz = (st == SLP) | (st == FRZ)
        lock_on = vol[V_LOCK] & (c.st["vol_trap_lock_total"][s].astype(I32)
                                 - c.st["vol_duration"][s, V_LOCK].astype(I32) > 1)
        maybe = ((vol[V_PT] & c.st["vol_trapped_maybe_locked"][s]) | vol[V_FAKEPT]) & ~slp_frz
        maybe = (maybe | lock_on) & ~vol[V_BIDE]
        n1 = vol[V_PT].astype(I32) + vol[V_FAKEPT].astype(I32)
        c.draw(m & (n1 > 1), 0, 2)
        n0 = vol[V_LOCK].astype(I32) + vol[V_DISABLE].astype(I32) + vol[V_BIDE].astype(I32)
        start = n1 + slp_frz.astype(I32)
        c.draw(m & (n0 > 1), start, start + 2)
        hard = vol[V_MUSTRECHARGE] | vol[V_TWOTURN] | vol[V_RAGE] | vol[V_LOCKED]
        c.s("maybe_locked", s, maybe & ~(hard & ~c.st["ended"]), m)


def request_switches(c, m, fainted):
    for s in (0, 1):
        c.s_idx("request", (s,), jnp.where(fainted[s], 2, 0), m)


def forced_switch(c, a):
    """A 'switch' request: the sides replacing a fainted active switch in, then endTurn."""
    sw = [c.st["request"][s] == 2 for s in (0, 1)]
    for s in (0, 1):  # commitChoices: updateSpeed of the (unfainted) actives
        c.s("speed", s, c.st["modified_stats"][s, 0, 4], c.g("hp", s) > 0)
    # both switching: order by the fainted Pokemon's getActionSpeed, ties shuffled
    spd = [c.st["modified_stats"][s, 0, 4].astype(I32) for s in (0, 1)]
    both = sw[0] & sw[1]
    tie = both & (spd[0] == spd[1])
    t = c.draw(tie, 0, 2)
    p2_first = jnp.where(tie, t == 1, spd[1] > spd[0])
    def one_switch(carry, k):  # the two switches share one compiled body (a scan)
        c.st, c.cur, c.tape = carry
        side_k = jnp.where(both, jnp.where(p2_first, 1 - k, k), jnp.where(sw[1], 1, 0))
        on = (k == 0) | both
        flipped = side_k == 1
        c.st = jax.tree.map(lambda x, y: jnp.where(flipped, x, y), flip(c.st), c.st)
        act = jnp.where(flipped, a[1], a[0])
        do_switch(c, 0, jnp.clip(act - 4, 0, 5), on, jnp.ones((), bool))
        update_tie(c, on)
        run_switch(c, 0, on, jnp.ones((), bool))
        update_tie(c, on)
        c.st = jax.tree.map(lambda x, y: jnp.where(flipped, x, y), flip(c.st), c.st)
        return (c.st, c.cur, c.tape), None

    (c.st, c.cur, c.tape), _ = jax.lax.scan(one_switch, (c.st, c.cur, c.tape), jnp.arange(2, dtype=I32))
    # Both replacing: the two switches run before either runSwitch (queued behind them), so the
    # second runSwitch's insertion compares the newcomers' speeds (a tie draws its place) and
    # both runSwitch Updates see two actives. The loop above drew the second switcher's two
    # Updates; these are the other two draws (all [0, 2), their values change nothing).
    new_tie = both & (c.g("speed", 0) == c.g("speed", 1))
    c.draw(new_tie, 0, 2)
    c.draw(new_tie, 0, 2)
    end_turn(c, jnp.ones((), bool))


def clause_none(c, s, code, m, by_self):
    """gen1customgame: no rule handles SetStatus."""
    return m


def clause_randombattle(c, s, code, m, by_self):
    """gen1randombattle: Sleep Clause Mod and Freeze Clause Mod both handle SetStatus at the same
    priority, so every SetStatus event shuffles them (one draw in [0, 2)) before either runs.
    A foe's sleep fails while a living Pokemon of the side sleeps from a foe's move; a foe's
    freeze fails while any Pokemon of the side is frozen."""
    c.draw(m, 0, 2)
    team_st = c.st["status"][s]
    foe_slept = jnp.any((c.st["hp"][s] > 0) & (team_st == SLP) & (c.st["status_source"][s] != 1))
    any_frozen = jnp.any(team_st == FRZ)
    blocked = ~by_self & (((code == SLP) & foe_slept) | ((code == FRZ) & any_frozen))
    return m & ~blocked


CLAUSES = {"gen1customgame": clause_none, "gen1randombattle": clause_randombattle}


GATES = {"haze": 1, "leech": 2, "transform": 4, "mimic": 8, "rage": 16, "disable": 32, "thrash": 64,
         "trap": 128, "bide": 256}  # gate -> bit of Tables.m_gate


def gate_flags(tab: Tables, st) -> dict:
    """Per battle: may this step use each gated mechanic? A superset is fine (only speed depends
    on it): a move of either active (the moves they can choose), the foe's last move (Mirror Move
    calls it), the side's selected move; Leech Seed's drain also when a side is seeded."""
    moves = jnp.concatenate([st["move_id"][:, 0].reshape(-1), st["poke_last_move"][:, 0],
                             st["side_last_selected_move"]]).astype(I32)
    bits = jnp.asarray(tab.m_gate)[moves]
    out = {name: jnp.any((bits & bit) != 0) for name, bit in GATES.items()}
    out["leech"] = out["leech"] | jnp.any(st["volatiles"][:, V_LEECHSEED])
    out["rage"] = out["rage"] | jnp.any(st["volatiles"][:, V_RAGE])
    out["trap"] = out["trap"] | jnp.any(st["volatiles"][:, jnp.asarray([V_PT, V_FAKEPT, V_LOCK])]) | \
        jnp.any(st["maybe_locked"][:, 0])
    out["bide"] = out["bide"] | jnp.any(st["volatiles"][:, V_BIDE])
    out["trap"] = out["trap"] | out["bide"]  # Bide's DisableMove tie draws and maybeLocked run there
    return out


def make_step(tab: Tables, kind: int = P.SODIUM, debug: bool = False, format: str = "gen1customgame",
              batched: bool = False, draws: int = DRAWS_PER_STEP):
    """Build ``step(state, actions) -> (state, tape)`` for one PRNG kind (static); ``batched`` builds
    the form meant to run under ``vmap`` (turn and forced switch both computed, then selected);
    ``draws`` is how many PRNG outputs it pre-draws (a step needing more is flagged)."""

    def step(st, actions, gates=None):
        """One decision step; returns (state, info) with info = (tape rows, tape length, overflow).
        ``gates`` (batched form): batch-wide ``gate_flags``; by default this battle's own."""
        actions = jnp.asarray(actions, I32)
        if gates is None:
            gates = gate_flags(tab, st)
        tape = (jnp.zeros((TAPE_LEN, 3), I32), jnp.zeros((), I32)) if debug else None
        buf = P.stream(kind, st["prng"], draws)
        is_turn = (st["request"][0] == 1) | (st["request"][1] == 1)
        live = ~st["ended"]

        def run(which):
            def go(_):
                c = Ctx(st, tab, kind, tape, buf, gates)
                c.clause = CLAUSES[format]
                c.wraps = format != "gen1customgame"
                which(c, actions)
                over = c.finish_prng()
                return c.st, (c.tape if debug else None), over
            return go

        if batched:
            # Both kinds of step are computed and one selected: what vmap makes of a lax.cond on a
            # per-battle predicate anyway, without the batched cond's broadcast of every table the
            # branches close over to the batch size (a copy per battle per step).
            outs = [run(turn)(None), run(forced_switch)(None)]
            st2, tape2, over = jax.tree.map(lambda t, f: jnp.where(is_turn, t, f), *outs)
        else:
            st2, tape2, over = jax.lax.cond(is_turn, run(turn), run(forced_switch), None)
        st2 = jax.tree.map(lambda new, old: jnp.where(live, new, old), st2, st)
        return st2, (tape2, over & live)

    return step


def make_batch_step(tab: Tables, kind: int = P.SODIUM, debug: bool = False, format: str = "gen1customgame",
                    short: int = DRAWS_SHORT):
    """``step(states, actions)`` over a batch (leading axis): every battle steps with ``short``
    pre-drawn PRNG outputs, and only when one of them needs more is the whole batch stepped again
    with the full buffer. The predicate is batch-wide, so this is a real branch, not a select vmap
    would compute both sides of; results are the same either way (the long buffer extends the
    short one)."""
    first = jax.vmap(make_step(tab, kind, debug, format, batched=True, draws=short), in_axes=(0, 0, None))
    full = jax.vmap(make_step(tab, kind, debug, format, batched=True, draws=DRAWS_PER_STEP), in_axes=(0, 0, None))

    def step(st, actions):
        gates = jax.tree.map(jnp.any, jax.vmap(lambda s: gate_flags(tab, s))(st))
        out = first(st, actions, gates)
        return jax.lax.cond(jnp.any(out[1][1]), lambda: full(st, actions, gates), lambda: out)

    return step

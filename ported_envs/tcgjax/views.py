"""What a player sees and may do: the exact legal mask (§9.4) and the 416-value observation (§9.5)."""
from __future__ import annotations

import jax.numpy as jnp

from ported_envs.tcgjax import cards as C
from ported_envs.tcgjax.engine import ITEM, POKEMON, S_PARA, S_SLEEP, SUPPORTER, TOOL, Engine
from ported_envs.tcgjax.ops import count_cards, fence, pick
from ported_envs.tcgjax.state import (CHOICE, DECK_SIZE, HAND_MAX, INFERNO_DANCE, MAIN, PROMOTE, SABRINA_SWITCH,
                                      SETUP, SLOTS, STRETCH_KICK, TELEPORT, WATER_SHURIKEN)

I32 = jnp.int32
SLOT = jnp.arange(SLOTS)


def legal_mask(E: Engine, s):
    """bool[72] for the current actor (all False when OVER)."""
    K, R = E.K, E.rules
    phase, turn = s["phase"], s["turn"]
    me = fence(jnp.clip(E.actor(s), 0, 1))          # stored once (engine._act says why)
    mine = lambda f: pick(s[f], me)  # noqa: E731
    card, dmg, tool, hand, hs = mine("card"), mine("dmg"), mine("tool"), mine("hand"), mine("hand_size")
    ycard = pick(s["card"], 1 - me)
    occ, yocc = card != 0, ycard != 0
    bench = SLOT >= 1
    n_bench, y_bench = jnp.sum(occ & bench), jnp.sum(yocc & bench)
    rows = E.info(card)                                    # [4, F] my Pokemon
    hrows = E.info(hand)                                   # [10, F] my hand
    in_hand = jnp.arange(HAND_MAX) < hs
    hkind, hstage, htr = K.c(hrows, "kind"), K.c(hrows, "stage"), K.c(hrows, "trainer")
    basic = in_hand & (hkind == POKEMON) & (hstage == 0)

    # SETUP
    setup_play = basic & ((card[0] == 0) | (n_bench < 3))
    setup_end = card[0] != 0

    # MAIN
    active_status = mine("status")[0]
    stuck = (active_status[S_SLEEP] == 1) | (active_status[S_PARA] == 1)
    attach = (mine("zone_cur") != 0) & occ
    # PLAY_HAND(i, t): [10 hand slots, 5 targets]. The hand's card columns are stored once (fence: each
    # part below would otherwise redo the player's row pick and the table lookups), then each hand card's
    # targets are worked out as a 5-bit set (bit t = target t) from per-slot bit sets, and only at the end
    # spread to [10, 5]: crossing ten-odd [10, 5] operands element by element was a fifth of the mask.
    hand, in_hand, hkind, hstage, htr, hfrom, htype = fence((hand, in_hand, hkind, hstage, htr,
                                                             K.c(hrows, "evolves_from"), K.c(hrows, "tr_type")))
    basic = in_hand & (hkind == POKEMON) & (hstage == 0)
    tr = lambda name: in_hand & (htr == C.TE[name])  # noqa: E731
    supporter_ok = s["supporter_played"] < R.supporters_per_turn
    playable = in_hand & ((hkind != SUPPORTER) | supporter_ok)
    targeted = jnp.zeros_like(in_hand)
    for name in C.TARGETED:
        targeted = targeted | tr(name)
    koga = tr("koga") & K.names_ok[K.koga_card, card[0]] & (n_bench >= 1)
    sabrina = tr("sabrina") & (y_bench >= 1)
    untargeted = in_hand & (hkind >= ITEM) & (hkind != TOOL) & ~targeted & ~tr("koga") & ~tr("sabrina")
    untargeted = untargeted | koga | sabrina
    bit = 1 << jnp.arange(SLOTS)
    bits = lambda m: jnp.sum(jnp.where(m, bit, 0), axis=-1)  # noqa: E731  (bool[..., 4] -> a set of slots)
    name, ptype = K.c(rows, "name"), K.c(rows, "ptype")
    slot_sets = fence({
        "fresh": bits(occ & (mine("entered") < turn)), "damaged": bits(occ & (dmg > 0)),
        "no_tool": bits(occ & (tool == 0)), "brock": bits(occ & K.names_ok[K.brock_card, card]),
        "misty": bits(ptype == K.misty_type), "name": name, "ptype": ptype,
    })
    evolve_to = bits(slot_sets["name"][None, :] == hfrom[:, None])                          # [10]
    heal_to = bits((htype[:, None] == 0) | (slot_sets["ptype"][None, :] == htype[:, None]))  # [10]
    on = lambda m, v: jnp.where(m, v, 0)  # noqa: E731
    targets = (on(playable & ((basic & (n_bench < 3)) | untargeted), 1 << 4)
               | on(playable & (hkind == POKEMON) & (hstage > 0) & (turn >= 3), slot_sets["fresh"] & evolve_to)
               | on(playable & tr("heal_target"), slot_sets["damaged"] & heal_to)
               | on(playable & tr("misty"), slot_sets["misty"])
               | on(playable & tr("brock"), slot_sets["brock"])
               | on(playable & (tr("tool_hp") | tr("tool_counter")), slot_sets["no_tool"]))
    play = ((fence(targets)[:, None] >> jnp.arange(5)[None, :]) & 1) == 1
    ab = K.c(rows, "ability")
    activated = jnp.zeros_like(occ)
    for name in C.ACTIVATED:
        activated = activated | (ab == C.AB[name])
    ability = occ & activated & (mine("ability_turn") != turn)
    ability = ability & ((ab != C.AB["gas_leak"]) | (SLOT == 0))
    ability = ability & ((ab != C.AB["psy_shadow"]) | (K.c(rows[0], "ptype") == K.c(rows, "ability_energy")))
    energy0 = mine("energy")[0]
    cost = jnp.maximum(K.c(rows[0], "retreat") - s["retreat_red"], 0)
    retreat = (s["retreated"] == 0) & ~stuck & occ & bench & (jnp.sum(energy0) >= cost)
    arows = (card[0], jnp.arange(2))                       # both attacks of the Active
    pays = jnp.all(energy0[None, :] >= K.cost[card[0]], axis=1) & (jnp.sum(energy0) >= K.a(arows, "cost_total"))
    attack = (jnp.arange(2) < K.c(rows[0], "n_attacks")) & ~stuck & pays & occ[0]

    # CHOICE
    pk = s["pend_kind"][0]
    own_b = occ & bench
    own = jnp.where((pk == PROMOTE) | (pk == SABRINA_SWITCH) | (pk == TELEPORT), own_b,
                    jnp.where(pk == INFERNO_DANCE, own_b & (K.c(rows, "ptype") == K.inferno_type), False))
    opp = jnp.where(pk == WATER_SHURIKEN, yocc, jnp.where(pk == STRETCH_KICK, yocc & bench, False))

    # Each part is materialised before the 72 entries are assembled: otherwise XLA on CPU fuses the
    # whole computation into the assembly and redoes it for every entry.
    in_setup, in_main = phase == SETUP, phase == MAIN
    parts = fence((setup_end, setup_play, attach, play.reshape(-1), ability, retreat[1:], attack, own, opp,
                   in_setup, in_main, phase == CHOICE))
    setup_end, setup_play, attach, play, ability, retreat, attack, own, opp, in_setup, in_main, in_choice = parts
    t4 = jnp.arange(5) == 4
    return jnp.concatenate([
        ((in_setup & setup_end) | in_main)[None], in_main & attach,
        jnp.where(in_setup, (setup_play[:, None] & t4[None, :]).reshape(-1), in_main & play),
        in_main & ability, in_main & retreat, in_main & attack, in_choice & own, in_choice & opp])


def observe(E: Engine, s, me):
    """int32[416] from player ``me``'s point of view (§9.5)."""
    K = E.K
    me = jnp.asarray(me, I32)
    op = 1 - me
    turn, phase = s["turn"], s["phase"]
    setup = phase == SETUP
    m = lambda f: pick(s[f], me)   # noqa: E731
    y = lambda f: pick(s[f], op)   # noqa: E731
    is_tp = (me == s["turn_player"]).astype(I32)
    visible = (s["hand_revealed"] == 1) & (me == s["turn_player"])
    emask = lambda et: jnp.sum(jnp.where(et > 0, 1 << jnp.clip(et - 1, 0), 0))  # noqa: E731
    head = lambda f: jnp.where(s["pend_len"] > 0, s[f][0], 0)  # noqa: E731
    glob = jnp.stack([
        turn, phase, head("pend_kind"), head("pend_count"), is_tp, (me == s["first_player"]).astype(I32),
        m("points"), y("points"), m("deck_size"), y("deck_size"), m("hand_size"), jnp.where(setup, 0, y("hand_size")),
        s["supporter_played"], s["retreated"], s["retreat_red"], s["giovanni"], s["blaine"],
        m("zone_cur"), m("zone_next"), y("zone_next"), (m("blue_until") >= turn).astype(I32),
        (y("blue_until") >= turn).astype(I32), visible.astype(I32), emask(m("etypes")), emask(y("etypes")),
    ]).astype(I32)
    hands = jnp.concatenate([m("hand"), jnp.where(visible, y("hand"), 0)])

    def slots(p):
        card, tool = pick(s["card"], p), pick(s["tool"], p)
        occ = card != 0
        per = jnp.concatenate([
            card[:, None], E.max_hp(card, tool)[:, None], pick(s["dmg"], p)[:, None], pick(s["energy"], p),
            tool[:, None], pick(s["status"], p), (pick(s["entered"], p) == turn)[:, None],
            (pick(s["ability_turn"], p) == turn)[:, None], (pick(s["growl_until"], p) >= turn)[:, None],
            pick(s["under"], p)], axis=1).astype(I32)
        return jnp.where(occ[:, None], per, 0).reshape(-1)

    board = jnp.concatenate([slots(me), jnp.where(setup, 0, slots(op))])
    discards = jnp.concatenate([m("discard")[1:], y("discard")[1:]])
    # (the deck row stored first: the histogram would otherwise redo its pick for each of the 66 bins)
    deck = fence(jnp.where(jnp.arange(DECK_SIZE) < m("deck_size"), m("deck"), 0))
    own_deck = count_cards(deck)[1:]
    return jnp.concatenate([glob, hands, board, discards, own_deck]).astype(I32)

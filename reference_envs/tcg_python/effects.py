"""Card effects (spec §6.3): attacks (resolution order R-2.4.4), Abilities, Trainers, and
the answers to pending choices (§9.4 "Choice effects").

Each function takes the engine (``e``) and reads/writes ``e.g``. Every parameter comes
from the card data (suites/tcg/cards.yaml); nothing here is retyped from a card.
"""
from __future__ import annotations

from reference_envs.tcg_python.actions import decode
from reference_envs.tcg_python.cards import (ASLEEP, BY_NAME, CARDS, GIANT_CAPE, POISONED, ROCKY_HELMET,
                                             STATUS_INDEX, TYPES)
from reference_envs.tcg_python.state import (HAND_MAX, INFERNO_DANCE, PROMOTE, SABRINA_SWITCH, STRETCH_KICK, TELEPORT,
                                             WATER_SHURIKEN, Slot)

_GIOVANNI = BY_NAME["Giovanni"].params
_BLAINE = BY_NAME["Blaine"].params
_BLUE = BY_NAME["Blue"].params
_GROWL = BY_NAME["Cubone"].attacks[0].params          # the only growl attack
_STRETCH_KICK = BY_NAME["Hitmonlee"].attacks[0].params
_WATER_SHURIKEN = BY_NAME["Greninja"].ability.params
_INFERNO_TYPE = TYPES[BY_NAME["Moltres ex"].attacks[0].params["energy"]]
_HELMET = CARDS[ROCKY_HELMET].params
_CAPE = CARDS[GIANT_CAPE].params


def max_hp(slot: Slot) -> int:
    """R-3.1: printed HP, +20 with Giant Cape."""
    return CARDS[slot.card].hp + (_CAPE["amount"] if slot.tool == GIANT_CAPE else 0)


def attacker_modifier(e, A: Slot) -> int:
    """R-3.2 step 2: Giovanni, Blaine (named attackers only), Growl marker on the attacker."""
    g = e.g
    d = 0
    if g.giovanni:
        d += _GIOVANNI["amount"]
    if g.blaine and CARDS[A.card].name in _BLAINE["names"]:
        d += _BLAINE["amount"]
    if A.growl_until >= g.turn:
        d -= _GROWL["amount"]
    return d


def defender_reduction(e, owner: int, T: Slot) -> int:
    """R-3.2 step 4: Shell Armor on the target, Blue protecting the target's owner."""
    r = 0
    ability = CARDS[T.card].ability
    if ability is not None and ability.effect == "shell_armor":
        r += ability.params["amount"]
    if e.g.players[owner].blue_until >= e.g.turn:
        r += _BLUE["amount"]
    return r


# --- attacks (§6.3 attack effects, R-2.4) ---------------------------------------------------------

def attack(e, a: int) -> None:
    """Resolve attack ``a`` of P's Active up to its pending choices; knock-outs come later
    (AFTER_ATTACK in the state machine)."""
    g = e.g
    P, O = g.turn_player, 1 - g.turn_player
    me, opp = g.players[P], g.players[O]
    A, D = me.active, opp.active
    if A.status[STATUS_INDEX["confused"]] and not g.rng.coin():   # tails, nothing happens
        return
    atk = CARDS[A.card].attacks[a]
    eff, prm = atk.effect, atk.params

    # 1. the attack's own coins and conditions, in text order, then random picks
    base, heads, recoil, status_to_D, hits = atk.damage, 0, 0, None, None
    if eff == "coins_times":
        heads = g.rng.flip_coins(prm["coins"])
        base = atk.damage * heads
    elif eff == "until_tails_times":
        base = atk.damage * g.rng.flip_until_tails()
    elif eff == "coin_plus_or_recoil":
        if g.rng.coin():
            base = atk.damage + prm["extra"]
        else:
            recoil = prm["recoil"]
    elif eff == "coin_inflict":
        if g.rng.coin():
            status_to_D = prm["status"]
    elif eff == "inflict":
        status_to_D = prm["status"]
    elif eff == "bonus_if_opp_poisoned":                       # D's state when declared
        if D.status[POISONED]:
            base = atk.damage + prm["extra"]
    elif eff == "times_own_bench_type":
        t = TYPES[prm["energy"]]
        base = atk.damage * sum(1 for s in me.bench_slots() if CARDS[me.slots[s].card].type == t)
    elif eff == "zone_to_bench_type_coins":
        heads = g.rng.flip_coins(prm["coins"])
    elif eff == "random_hits":                                  # §5.5 Draco Meteor, §8 A29
        candidates = [s for s in range(4) if opp.slots[s].occupied]
        hits = [0] * 4
        for _ in range(prm["hits"]):
            hits[candidates[g.rng.below(len(candidates))]] += 1

    # 2. damage to the opponent's Active, then to other targets
    dealt_D = 0
    if hits is not None:
        for s in range(4):
            if hits[s]:
                d = e.attack_damage(s, prm["amount"] * hits[s])
                if s == 0:
                    dealt_D = d
    else:
        dealt_D = e.attack_damage(0, base)
        if eff == "spread_opp_bench":
            for s in opp.bench_slots():
                e.attack_damage(s, prm["amount"])

    # 3. Special Conditions on D
    if status_to_D is not None:
        e.apply_status(D, STATUS_INDEX[status_to_D])

    # 4. effects on the attacker
    if eff == "heal_self":
        A.dmg = max(0, A.dmg - prm["amount"])
    elif eff == "discard_self_energy":
        t = TYPES[prm["energy"]]
        A.energy[t - 1] = max(0, A.energy[t - 1] - prm["count"])
    elif eff == "self_damage":
        A.dmg += prm["amount"]
    A.dmg += recoil

    # 5. markers
    if eff == "growl":
        D.growl_until = g.turn + 1                              # until the end of O's next turn

    # 6. Rocky Helmet on the defending Active (§8 A21: also when it is knocked out)
    if D.tool == ROCKY_HELMET and dealt_D > 0:
        A.dmg += _HELMET["amount"]

    # 7. pending choices
    if eff == "snipe_opp_bench" and opp.bench_slots():
        e.push(STRETCH_KICK, P, 1)
    elif eff == "teleport" and me.bench_slots():
        e.push(TELEPORT, P, 1)
    elif eff == "zone_to_bench_type_coins" and heads > 0:
        t = TYPES[prm["energy"]]
        if any(CARDS[me.slots[s].card].type == t for s in me.bench_slots()):
            e.push(INFERNO_DANCE, P, heads)


# --- Abilities (§6.3) --------------------------------------------------------------------------------

def use_ability(e, k: int) -> None:
    g = e.g
    P, O = g.turn_player, 1 - g.turn_player
    me = g.players[P]
    slot = me.slots[k]
    ability = CARDS[slot.card].ability
    slot.ability_turn = g.turn                                  # once per turn per Pokémon
    eff, prm = ability.effect, ability.params
    if eff == "water_shuriken":
        e.push(WATER_SHURIKEN, P, 1)
    elif eff == "volt_charge":                                  # new Energy
        slot.energy[TYPES[prm["energy"]] - 1] += 1
    elif eff == "psy_shadow":
        me.active.energy[TYPES[prm["energy"]] - 1] += 1
    elif eff == "sleep_pendulum":
        if g.rng.coin():
            e.apply_status(g.players[O].active, ASLEEP)
    elif eff == "gas_leak":
        e.apply_status(g.players[O].active, POISONED)
    else:
        raise AssertionError(f"ability {eff!r} is not activated")


# --- Trainers (§6.3 trainer effects) ----------------------------------------------------------------

def play_trainer(e, card: int, t: int) -> None:
    """The card has already left the hand. Items and Supporters end in the discard pile."""
    g = e.g
    P, O = g.turn_player, 1 - g.turn_player
    me, opp = g.players[P], g.players[O]
    c = CARDS[card]
    eff, prm = c.effect, c.params
    if eff == "draw":
        e.draw(P, prm["count"])
    elif eff == "search_random_basic":                          # §5.5 Poké Ball, §8 A25: no shuffle
        candidates = [i for i, x in enumerate(me.deck) if CARDS[x].is_basic]
        if candidates:
            i = candidates[g.rng.below(len(candidates))]
            me.hand.append(me.deck.pop(i))
    elif eff == "heal_target":
        me.slots[t].dmg = max(0, me.slots[t].dmg - prm["amount"])
    elif eff == "retreat_reduce":                               # §8 A32: stacks
        g.retreat_red += prm["amount"]
    elif eff == "reveal_opp_hand":                              # §8 A30
        g.hand_revealed = 1
    elif eff == "opp_shuffle_hand_draw":                        # §5.5 Red Card
        opp.deck.extend(opp.hand)
        opp.hand = []
        g.rng.shuffle(opp.deck)
        e.draw(O, prm["count"])
    elif eff in ("tool_hp", "tool_counter"):                    # Tools stay attached
        me.slots[t].tool = card
        return
    elif eff == "misty":
        me.slots[t].energy[TYPES["W"] - 1] += g.rng.flip_until_tails()
    elif eff == "blaine":
        g.blaine = 1
    elif eff == "giovanni":
        g.giovanni = 1
    elif eff == "koga":                                         # §8 A23
        A = me.active
        for x in (A.card, A.under[1], A.under[0]):             # highest stage first
            if x:
                if len(me.hand) < HAND_MAX:
                    me.hand.append(x)
                else:
                    me.discard[x] += 1
        if A.tool:
            me.discard[A.tool] += 1
        me.slots[0] = Slot()
        e.push(PROMOTE, P, 1)
    elif eff == "brock":
        me.slots[t].energy[TYPES["F"] - 1] += 1
    elif eff == "sabrina":
        e.push(SABRINA_SWITCH, O, 1)
    elif eff == "blue":
        me.blue_until = g.turn + 1                              # until the end of O's next turn
    else:
        raise AssertionError(f"unknown trainer effect {eff!r}")
    me.discard[card] += 1
    if c.kind == "supporter":
        g.supporter_played = 1


# --- pending choices (§9.4 choice effects) --------------------------------------------------------------

def answer_choice(e, a: int) -> None:
    g = e.g
    kind, Q, count = g.pending[0]
    _, k = decode(a)
    me = g.players[Q]
    if kind == PROMOTE:
        me.slots[0], me.slots[k] = me.slots[k], Slot()
        g.pending.pop(0)
    elif kind in (SABRINA_SWITCH, TELEPORT):
        me.slots[0], me.slots[k] = me.slots[k], me.slots[0]
        me.slots[k].clear_conditions()
        g.pending.pop(0)
    elif kind == INFERNO_DANCE:
        me.slots[k].energy[_INFERNO_TYPE - 1] += 1
        g.pending[0][2] = count - 1
        if count - 1 == 0:
            g.pending.pop(0)
    elif kind == WATER_SHURIKEN:                                # no modifiers
        g.players[1 - Q].slots[k].dmg += _WATER_SHURIKEN["amount"]
        g.pending.pop(0)
        e.resolve_knockouts()
    elif kind == STRETCH_KICK:                                  # bench pipeline (R-3.2 steps 1, 4)
        e.attack_damage(k, _STRETCH_KICK["amount"])
        g.pending.pop(0)
    else:
        raise AssertionError(f"unknown pending kind {kind}")

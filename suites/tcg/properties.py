"""L1 case generators: legal mid-game states, steered to the rule or card under test.

Every case starts from a *bank* of states reached by play on the reference (per variant:
games from fixed seeds under the random and the greedy policy). A property picks a bank
state, perturbs it within the rules (damage below the knock-out line, Energy, Special
Conditions on Active Pokémon only and mutually exclusive ones alone, Tools, turn flags,
pending choices, a fresh PRNG key and counter), stages the situation it is about (puts
the card under test where it acts, with what it needs to be playable), and asks the
reference for the legal mask. The case's action is the one under test whenever it is
legal, otherwise any legal action; ``HITS`` counts how often the action was the one under
test (tests/tcg/test_properties.py measures it and requires at least 90 %).

Cards are moved, never created: a card staged into play or hand is taken from its
owner's deck, discard pile or hand, and whatever it displaces takes its place, so every
state still holds 20 cards per player. Two exceptions, marked ``foreign``: Pikachu ex is
in no sample deck, and Tools are given to defenders of any deck; such a card replaces one
of the owner's deck cards (count kept, the deck is simply a different legal deck).
"""
from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from hypothesis import strategies as st

from equiv import Case, Property
from reference_envs.tcg_python.cards import BY_NAME, CARDS, TYPES
from reference_envs.tcg_python.state import (AFTER_ATTACK, CHOICE, END_TURN, INFERNO_DANCE, MAIN, NEXT_TURN,
                                             PROMOTE, RESUME_MAIN, SABRINA_SWITCH, SETUP, STRETCH_KICK, TELEPORT,
                                             WATER_SHURIKEN, GameState, Slot, from_canonical, to_canonical)
from suites.tcg.policies import greedy
from suites.tcg.schema import N_ACTIONS

BANK_GAMES = 8                 # per policy and variant
BANK_MAX_STEPS = 400
TRIES = 60                     # bank states tried before a case falls back to any legal action
END, ATTACH, PLAY, ABILITY, RETREAT, ATTACK, OWN, OPP = 0, 1, 5, 55, 58, 62, 64, 68
POISONED, BURNED, ASLEEP, PARALYZED, CONFUSED = range(5)

HITS: dict = defaultdict(lambda: [0, 0])    # property -> [cases whose action is the one under test, cases]
_banks: dict = {}


class NotHere(Exception):
    """This bank state cannot host the situation; the case tries the next one."""


# --- the bank ----------------------------------------------------------------------------------------------

def _bank(reference, variant: str) -> list[dict]:
    """Canonical states before each step of games played on the reference."""
    key = (variant, tuple(d.name for d in getattr(reference, "decks", ())))
    if key not in _banks:
        states = []
        for policy in ("random", "greedy"):
            for game in range(BANK_GAMES):
                seed = 7919 * game + (17 if policy == "random" else 29)
                obs = reference.reset(seed)
                rng = np.random.default_rng([game, 77])
                for _ in range(BANK_MAX_STEPS):
                    legal = np.asarray(reference.legal_actions(), bool)
                    states.append(reference.get_state())
                    a = greedy(obs, legal) if policy == "greedy" else int(rng.choice(np.flatnonzero(legal)))
                    out = reference.step(a)
                    obs = out.obs
                    if out.terminated:
                        break
        _banks[key] = states
    return _banks[key]


def _legal(reference, state: dict) -> list[int]:
    reference.set_state(state)
    return [int(a) for a in np.flatnonzero(np.asarray(reference.legal_actions(), bool))]


def make_property(name: str, stage, doc: str, phase=MAIN, variants=None) -> Property:
    """``stage(draw, g) -> list of wanted actions`` edits a GameState copied from the bank (turn
    player P = g.turn_player) or raises NotHere."""

    def cases(reference, variant):
        bank = _bank(reference, variant)
        eligible = [i for i, s in enumerate(bank) if int(s["phase"]) == phase]

        @st.composite
        def case(draw):
            start = draw(st.integers(0, len(eligible) - 1))
            for t in range(TRIES):
                i = eligible[(start + 97 * t) % len(eligible)]
                g = from_canonical(bank[i])
                try:
                    wanted = stage(draw, g)
                except NotHere:
                    continue
                state = to_canonical(g)
                legal = _legal(reference, state)
                hit = [a for a in wanted if a in legal]
                HITS[name][1] += 1
                if hit:
                    HITS[name][0] += 1
                    return Case(state, draw(st.sampled_from(hit)), note=f"{name}: bank state {i}")
                if legal:
                    return Case(state, draw(st.sampled_from(legal)), note=f"{name}: bank state {i} (missed)")
            HITS[name][1] += 1
            state = bank[eligible[start]]
            return Case(state, draw(st.sampled_from(_legal(reference, state))), note=f"{name}: no stage (missed)")

        return case()

    return Property(name, cases, doc, variants)


# --- moving cards (conservation: 20 per player) ------------------------------------------------------

def cards_of(pl) -> Counter:
    c = Counter(pl.deck) + Counter(pl.hand) + Counter({i: n for i, n in enumerate(pl.discard) if n})
    for s in pl.slots:
        c.update(x for x in (s.card, *s.under, s.tool) if x)
    return c


def _fetch(pl, card: int, replacement: int | None, foreign: bool) -> bool:
    """Take ``card`` from deck, discard or hand; ``replacement`` takes its place (or nothing)."""
    if card in pl.deck:
        i = pl.deck.index(card)
        if replacement is None:
            pl.deck.pop(i)
        else:
            pl.deck[i] = replacement
        return True
    if pl.discard[card]:
        pl.discard[card] -= 1
        if replacement is not None:
            pl.discard[replacement] += 1
        return True
    if card in pl.hand:
        i = pl.hand.index(card)
        if replacement is None:
            pl.hand.pop(i)
        else:
            pl.hand[i] = replacement
        return True
    if foreign and pl.deck:                     # the card joins the deck in place of its bottom card
        pl.deck.pop(0)
        if replacement is not None:
            pl.deck.insert(0, replacement)
        return True
    return False


def chain(card: int) -> list[int]:
    """[Basic, ..., card]: the evolution line ending in ``card``."""
    line = [card]
    while CARDS[line[0]].evolves_from:
        line.insert(0, BY_NAME[CARDS[line[0]].evolves_from].idx)
    return line


def place(g: GameState, p: int, k: int, card: int, foreign: bool = False) -> Slot:
    """Put ``card`` (with its whole evolution line under it) in slot k of player p."""
    pl = g.players[p]
    slot = pl.slots[k]
    for other in range(4):                      # already in play elsewhere: swap the two slots
        if other != k and pl.slots[other].card == card and (k == 0 or other != 0):
            pl.slots[k], pl.slots[other] = pl.slots[other], pl.slots[k]
            if k == 0:                          # the Pokémon leaving the Active Spot loses its conditions
                pl.slots[other].clear_conditions()
            return pl.slots[k]
    old = [x for x in (slot.card, slot.under[0], slot.under[1]) if x]
    line = chain(card)
    for c in line:
        if c in old:
            old.remove(c)
            continue
        if not _fetch(pl, c, old.pop() if old else None, foreign):
            raise NotHere
    for c in old:
        pl.discard[c] += 1
    under = line[:-1] + [0, 0]
    if not slot.occupied:
        slot = pl.slots[k] = Slot(entered=max(0, g.turn - 1))
    slot.card, slot.under = card, under[:2]
    if k != 0:
        slot.clear_conditions()
    slot.dmg = min(slot.dmg, CARDS[card].hp - 10)
    return slot


def to_hand(g: GameState, p: int, card: int, foreign: bool = False) -> int:
    """Put ``card`` in p's hand; return its hand index."""
    pl = g.players[p]
    if card in pl.hand:
        return pl.hand.index(card)
    if len(pl.hand) >= 10:                      # full: a hand card goes where the card came from
        swap_out = pl.hand.pop(0)
        if not _fetch(pl, card, swap_out, foreign):
            pl.hand.insert(0, swap_out)
            raise NotHere
    elif not _fetch(pl, card, None, foreign):
        raise NotHere
    pl.hand.append(card)
    return len(pl.hand) - 1


def give_tool(g: GameState, p: int, k: int, tool: int, foreign: bool = True) -> None:
    pl = g.players[p]
    slot = pl.slots[k]
    if slot.tool == tool or not slot.occupied:
        return
    if slot.tool:
        old, slot.tool = slot.tool, 0
        if not _fetch(pl, tool, old, foreign):
            slot.tool = old
            return
    elif not _fetch(pl, tool, None, foreign):
        return
    slot.tool = tool


def bench_basic(g: GameState, p: int, draw, types=None) -> int:
    """Make sure p has a Benched Pokémon (of one of ``types`` if given); return its slot."""
    pl = g.players[p]
    for b in pl.bench_slots():
        if types is None or CARDS[pl.slots[b].card].type in types:
            return b
    empty = [b for b in (1, 2, 3) if not pl.slots[b].occupied]
    candidates = sorted({c for c in cards_of(pl) if CARDS[c].is_basic and (types is None or CARDS[c].type in types)
                         and c not in [s.card for s in pl.slots]})
    if not candidates:
        raise NotHere
    b = empty[0] if empty else draw(st.sampled_from([1, 2, 3]))
    place(g, p, b, draw(st.sampled_from(candidates)))
    return b


# --- perturbations within the rules --------------------------------------------------------------

def max_hp(slot: Slot) -> int:
    return CARDS[slot.card].hp + (20 if slot.tool == BY_NAME["Giant Cape"].idx else 0)


def fresh_rng(draw, g: GameState) -> None:
    g.rng.key = draw(st.integers(0, 2 ** 32 - 1))
    g.rng.ctr = draw(st.integers(0, 2 ** 20))


def some_damage(draw, slot: Slot, near_ko: bool = False) -> None:
    top = max_hp(slot) - 10
    if near_ko:
        slot.dmg = draw(st.sampled_from([top, max(0, top - 10), max(0, top - 30)]))
    else:
        slot.dmg = 10 * draw(st.integers(0, top // 10))


def some_status(draw, slot: Slot) -> None:
    """Poisoned/Burned freely, at most one of Asleep/Paralyzed/Confused (R-4.2.2)."""
    slot.status = [int(draw(st.booleans())), int(draw(st.booleans())), 0, 0, 0]
    excl = draw(st.sampled_from([None, ASLEEP, PARALYZED, CONFUSED]))
    if excl is not None:
        slot.status[excl] = 1


def some_energy(draw, g: GameState, p: int, slot: Slot, at_most: int = 4) -> None:
    types = g.players[p].etypes + [draw(st.integers(1, 8))]
    slot.energy = [0] * 8
    for _ in range(draw(st.integers(0, at_most))):
        slot.energy[draw(st.sampled_from(types)) - 1] += 1


def pay(draw, g: GameState, p: int, slot: Slot, cost, extra: int = 1) -> None:
    """Energy that pays ``cost`` exactly, plus up to ``extra`` more of the deck's types."""
    slot.energy = [0] * 8
    pool = g.players[p].etypes
    for t in cost:
        slot.energy[(t if t <= 8 else draw(st.sampled_from(pool))) - 1] += 1
    for _ in range(draw(st.integers(0, extra))):
        slot.energy[draw(st.sampled_from(pool)) - 1] += 1


def clamp_damage(g: GameState) -> None:
    for pl in g.players:
        for s in pl.slots:
            if s.occupied:
                s.dmg = min(s.dmg, max_hp(s) - 10)


def battle_flags(draw, g: GameState) -> None:
    """Turn flags and markers that change attack damage (R-3.2 steps 2 and 4)."""
    P, O = g.turn_player, 1 - g.turn_player
    g.giovanni = int(draw(st.booleans()))
    g.blaine = int(draw(st.booleans()))
    g.supporter_played = int(g.giovanni or g.blaine or draw(st.booleans()))
    g.players[P].active.growl_until = draw(st.sampled_from([-1, -1, g.turn, g.turn - 1]))
    g.players[O].blue_until = draw(st.sampled_from([-1, -1, g.turn, g.turn - 1]))


def defender(draw, g: GameState) -> None:
    """The opponent's Active: some damage, conditions, maybe a Tool."""
    O = 1 - g.turn_player
    D = g.players[O].active
    if draw(st.booleans()):
        some_damage(draw, D, near_ko=draw(st.booleans()))
    if draw(st.booleans()):
        some_status(draw, D)
    tool = draw(st.sampled_from([None, "Rocky Helmet", "Giant Cape"]))
    if tool:
        give_tool(g, O, 0, BY_NAME[tool].idx)
    clamp_damage(g)


def owners(g: GameState, card: int) -> list[int]:
    return [p for p in (0, 1) if cards_of(g.players[p])[card]]


def need_turn_player_owning(g: GameState, card: int, foreign: bool = False) -> None:
    if not foreign and g.turn_player not in owners(g, card):
        raise NotHere


def ready_to_act(g: GameState) -> None:
    """The Active can act: no Asleep/Paralyzed (they are perturbed separately)."""
    A = g.players[g.turn_player].active
    A.status[ASLEEP] = A.status[PARALYZED] = 0


# --- rule areas ------------------------------------------------------------------------------------

def stage_played(draw, g):
    return list(range(N_ACTIONS))


def stage_perturbed(draw, g):
    fresh_rng(draw, g)
    for p in (0, 1):
        for k, s in enumerate(g.players[p].slots):
            if not s.occupied:
                continue
            if draw(st.booleans()):
                some_damage(draw, s)
            if draw(st.booleans()):
                some_energy(draw, g, p, s)
            if k == 0 and draw(st.booleans()):
                some_status(draw, s)
            if draw(st.integers(0, 3)) == 0:
                give_tool(g, p, k, BY_NAME[draw(st.sampled_from(["Rocky Helmet", "Giant Cape"]))].idx,
                          foreign=False)
    battle_flags(draw, g)
    g.retreat_red = draw(st.integers(0, 3))
    g.retreated = int(draw(st.booleans()))
    if g.players[g.turn_player].zone_cur == 0 and draw(st.booleans()):
        g.players[g.turn_player].zone_cur = draw(st.sampled_from(g.players[g.turn_player].etypes))
    clamp_damage(g)
    return list(range(N_ACTIONS))


def stage_setup(draw, g):
    fresh_rng(draw, g)
    return list(range(N_ACTIONS))


def stage_attach(draw, g):
    pl = g.players[g.turn_player]
    pl.zone_cur = draw(st.sampled_from(pl.etypes))
    return [ATTACH + k for k in range(4)]


def stage_evolution(draw, g):
    P = g.turn_player
    pl = g.players[P]
    if g.turn < 3:
        raise NotHere
    owned = cards_of(pl)
    options = []
    for k in range(4):
        s = pl.slots[k]
        if s.occupied:
            options += [(k, c.idx) for c in CARDS[1:] if c.is_pokemon and c.evolves_from == CARDS[s.card].name
                        and owned[c.idx]]
    if not options:
        raise NotHere
    k, card = draw(st.sampled_from(options))
    slot = pl.slots[k]
    slot.entered = draw(st.integers(0, g.turn - 1))
    if k == 0:
        some_status(draw, slot)
        slot.growl_until = draw(st.sampled_from([-1, g.turn]))
    slot.ability_turn = draw(st.sampled_from([-1, g.turn]))
    i = to_hand(g, P, card)
    return [PLAY + 5 * i + k]


def stage_retreat(draw, g):
    P = g.turn_player
    pl = g.players[P]
    bench_basic(g, P, draw)
    A = pl.active
    g.retreated, g.retreat_red = 0, draw(st.sampled_from([0, 0, 1, 2, 3]))
    some_energy(draw, g, P, A, at_most=5)
    cost = max(0, CARDS[A.card].retreat - g.retreat_red)
    while sum(A.energy) < cost:
        A.energy[draw(st.sampled_from([CARDS[A.card].type if CARDS[A.card].type <= 8 else 1] + pl.etypes)) - 1] += 1
    some_status(draw, A)
    ready_to_act(g)
    A.growl_until = draw(st.sampled_from([-1, g.turn]))
    return [RETREAT + b for b in (1, 2, 3)]


def stage_checkup(draw, g):
    fresh_rng(draw, g)
    for p in (0, 1):
        A = g.players[p].active
        some_status(draw, A)
        if draw(st.booleans()):
            some_damage(draw, A, near_ko=True)
    return [END]


def stage_turn_start(draw, g):
    """END: the next player's draw (full hand, empty deck) and Energy rotation."""
    fresh_rng(draw, g)
    O = 1 - g.turn_player
    nxt = g.players[O]
    how = draw(st.sampled_from(["full hand", "empty deck", "as is"]))
    if how == "full hand":
        while len(nxt.hand) < 10 and nxt.deck:
            nxt.hand.append(nxt.deck.pop())
    elif how == "empty deck":
        while nxt.deck:
            nxt.discard[nxt.deck.pop()] += 1
    for s in (g.players[0].active, g.players[1].active):
        s.status = [0] * 5
    return [END]


def _attacks_dealing_damage(card: int) -> list[int]:
    return [a for a, atk in enumerate(CARDS[card].attacks) if atk.damage > 0]


def _damaging_attacker(draw, g, P):
    """Keep P's Active if it has a damaging attack, else stage one of P's attackers."""
    A = g.players[P].active
    if not _attacks_dealing_damage(A.card):
        options = sorted(c for c in cards_of(g.players[P]) if CARDS[c].is_pokemon and _attacks_dealing_damage(c))
        if not options:
            raise NotHere
        A = place(g, P, 0, draw(st.sampled_from(options)))
    a = draw(st.sampled_from(_attacks_dealing_damage(A.card)))
    pay(draw, g, P, A, CARDS[A.card].attacks[a].cost)
    ready_to_act(g)
    A.status[CONFUSED] = 0
    return A, a


def stage_knockout(draw, g):
    fresh_rng(draw, g)
    P, O = g.turn_player, 1 - g.turn_player
    A, a = _damaging_attacker(draw, g, P)
    g.players[O].active.dmg = max_hp(g.players[O].active) - 10
    g.players[P].points = draw(st.integers(0, 2))
    g.players[O].points = draw(st.integers(0, 2))
    if draw(st.integers(0, 3)) == 0:                          # last Pokémon: the attacker wins outright
        for b in g.players[O].bench_slots():
            for c in (g.players[O].slots[b].card, *g.players[O].slots[b].under, g.players[O].slots[b].tool):
                if c:
                    g.players[O].discard[c] += 1
            g.players[O].slots[b] = Slot()
    return [ATTACK + a]


def stage_double_knockout(draw, g):
    """Both sides lose a Pokémon in one step: counter-damage, recoil, or a Checkup."""
    fresh_rng(draw, g)
    P, O = g.turn_player, 1 - g.turn_player
    for p in (0, 1):
        g.players[p].points = draw(st.integers(0, 2))
        if draw(st.integers(0, 3)) == 0:
            for b in g.players[p].bench_slots():
                pl = g.players[p]
                for c in (pl.slots[b].card, *pl.slots[b].under, pl.slots[b].tool):
                    if c:
                        pl.discard[c] += 1
                pl.slots[b] = Slot()
    how = draw(st.sampled_from(["helmet", "checkup"]))
    if how == "checkup":
        for p in (0, 1):
            A = g.players[p].active
            A.status = [1, 0, 0, 0, 0]
            A.dmg = max_hp(A) - 10
        return [END]
    A, a = _damaging_attacker(draw, g, P)
    give_tool(g, O, 0, BY_NAME["Rocky Helmet"].idx)
    A.dmg = max_hp(A) - 20 + 10 * draw(st.integers(0, 1))
    D = g.players[O].active
    D.dmg = max_hp(D) - 10
    return [ATTACK + a]


def stage_promotion(draw, g):
    """One or both Active Spots empty after knock-outs: PROMOTE answers (non-turn player first)."""
    P, O = g.turn_player, 1 - g.turn_player
    whose = draw(st.sampled_from([[O], [P], [O, P]]))
    for q in whose:
        pl = g.players[q]
        if not pl.bench_slots():
            raise NotHere
        A = pl.active
        for c in (A.card, *A.under, A.tool):
            if c:
                pl.discard[c] += 1
        pl.slots[0] = Slot()
    g.phase = CHOICE
    # where promotions arise: after Water Shuriken or Koga (MAIN resumes), an attack (END_TURN next)
    # or the Checkup (NEXT_TURN next)
    g.resume = draw(st.sampled_from(([RESUME_MAIN] if len(whose) == 1 else []) + [END_TURN, NEXT_TURN]))
    g.pending = [[PROMOTE, q, 1] for q in whose]
    return [OWN + b for b in (1, 2, 3)]


def stage_turn_limit(draw, g):
    if g.turn % 2:                              # turn 30 belongs to the second player
        raise NotHere
    g.turn = 30
    if draw(st.integers(0, 3)):                 # mostly END; an attack may leave promotions first
        return [END]
    A, a = _damaging_attacker(draw, g, g.turn_player)
    return [ATTACK + a]


# --- attack effects --------------------------------------------------------------------------------------

def attack_stage(attackers: list[tuple[str, int]], extra=None, foreign: bool = False):
    """Stage one of ``attackers`` (name, attack index) as the turn player's Active, paid, against a
    perturbed defender; ``extra(draw, g)`` adds what the effect needs (a Bench, a poisoned target...)."""

    def stage(draw, g):
        P = g.turn_player
        usable = [(n, a) for n, a in attackers if foreign or P in owners(g, BY_NAME[n].idx)]
        if not usable:
            raise NotHere
        name, a = draw(st.sampled_from(usable))
        fresh_rng(draw, g)
        A = place(g, P, 0, BY_NAME[name].idx, foreign=foreign)
        pay(draw, g, P, A, CARDS[A.card].attacks[a].cost)
        ready_to_act(g)
        A.status[CONFUSED] = int(draw(st.integers(0, 3)) == 0)
        if draw(st.booleans()):
            some_damage(draw, A)
        battle_flags(draw, g)
        defender(draw, g)
        if extra is not None:
            extra(draw, g)
        return [ATTACK + a]

    return stage


def _opp_bench(draw, g):
    bench_basic(g, 1 - g.turn_player, draw)
    for b in g.players[1 - g.turn_player].bench_slots():
        if draw(st.booleans()):
            some_damage(draw, g.players[1 - g.turn_player].slots[b], near_ko=True)


def _maybe_poisoned(draw, g):
    g.players[1 - g.turn_player].active.status[POISONED] = int(draw(st.booleans()))


def _lightning_bench(draw, g):
    """0..3 Benched Lightning Pokémon (the multiplier of Circle Circuit)."""
    P = g.turn_player
    pl = g.players[P]
    for _ in range(draw(st.integers(0, 3))):
        empty = [b for b in (1, 2, 3) if not pl.slots[b].occupied]
        options = sorted(c for c in cards_of(pl) if CARDS[c].is_basic and CARDS[c].type == TYPES["L"]
                         and c not in [s.card for s in pl.slots])
        if not empty or not options:
            break
        place(g, P, empty[0], draw(st.sampled_from(options)))


def _own_bench(draw, g):
    if draw(st.integers(0, 3)):
        bench_basic(g, g.turn_player, draw)


def _fire_bench(draw, g):
    if draw(st.integers(0, 3)):
        bench_basic(g, g.turn_player, draw, types=(TYPES["R"],))


def choice_or(stage_fn, kind: int, answer_base: int, resume: int, prepare_choice, chooser="P"):
    """Half the cases stage the action that creates ``kind``; the other half answer it."""

    def stage(draw, g):
        if draw(st.booleans()):
            return stage_fn(draw, g)
        fresh_rng(draw, g)
        P = g.turn_player
        Q = P if chooser == "P" else 1 - P
        count = prepare_choice(draw, g)
        g.phase, g.resume = CHOICE, resume
        g.pending = [[kind, Q, count]]
        return [answer_base + k for k in range(4)]

    return stage


def _attacked_with(g, name: str) -> None:
    """The Pokémon whose attack left this choice pending is the Active (as in play)."""
    need_turn_player_owning(g, BY_NAME[name].idx)
    place(g, g.turn_player, 0, BY_NAME[name].idx)


def _prep_stretch_kick(draw, g):
    _attacked_with(g, "Hitmonlee")
    _opp_bench(draw, g)
    return 1


def _prep_teleport(draw, g):
    _attacked_with(g, "Abra")
    bench_basic(g, g.turn_player, draw)
    return 1


def _prep_inferno(draw, g):
    _attacked_with(g, "Moltres ex")
    bench_basic(g, g.turn_player, draw, types=(TYPES["R"],))
    return draw(st.integers(1, 3))


def _prep_water_shuriken(draw, g):
    need_turn_player_owning(g, BY_NAME["Greninja"].idx)
    place(g, g.turn_player, draw(st.integers(0, 3)), BY_NAME["Greninja"].idx).ability_turn = g.turn
    O = 1 - g.turn_player
    for k in range(4):
        s = g.players[O].slots[k]
        if s.occupied and draw(st.booleans()):
            some_damage(draw, s, near_ko=True)
    if draw(st.booleans()):
        g.players[g.turn_player].points = draw(st.integers(0, 2))
    return 1


def _prep_sabrina(draw, g):
    need_turn_player_owning(g, BY_NAME["Sabrina"].idx)
    g.supporter_played = 1
    bench_basic(g, 1 - g.turn_player, draw)
    some_status(draw, g.players[1 - g.turn_player].active)
    return 1


# --- Abilities ----------------------------------------------------------------------------------------

def ability_stage(name: str, active_only: bool = False, extra=None):
    def stage(draw, g):
        P = g.turn_player
        need_turn_player_owning(g, BY_NAME[name].idx)
        fresh_rng(draw, g)
        k = 0 if active_only or draw(st.booleans()) else draw(st.sampled_from([1, 2, 3]))
        slot = place(g, P, k, BY_NAME[name].idx)
        slot.ability_turn = -1
        if extra is not None:
            extra(draw, g)
        some_status(draw, g.players[1 - P].active)
        return [ABILITY + k]

    return stage


def _psychic_active(draw, g):
    P = g.turn_player
    if CARDS[g.players[P].active.card].type != TYPES["P"]:
        options = sorted(c for c in cards_of(g.players[P]) if CARDS[c].is_basic and CARDS[c].type == TYPES["P"]
                         and c not in [s.card for s in g.players[P].slots])
        if not options:
            raise NotHere
        place(g, P, 0, draw(st.sampled_from(options)))


def stage_shell_armor(draw, g):
    """An attack into the opponent's Cloyster (Shell Armor, R-3.2 step 4)."""
    P, O = g.turn_player, 1 - g.turn_player
    if O not in owners(g, BY_NAME["Cloyster"].idx):
        raise NotHere
    fresh_rng(draw, g)
    place(g, O, 0, BY_NAME["Cloyster"].idx)
    A, a = _damaging_attacker(draw, g, P)
    battle_flags(draw, g)
    return [ATTACK + a]


# --- Trainers ----------------------------------------------------------------------------------------------

def trainer_stage(name: str, prepare=None, foreign: bool = False):
    """Put the Trainer in the turn player's hand and make it playable (``prepare``)."""

    def stage(draw, g):
        P = g.turn_player
        card = BY_NAME[name].idx
        need_turn_player_owning(g, card, foreign)
        fresh_rng(draw, g)
        if CARDS[card].kind == "supporter":
            g.supporter_played = 0
        targets = prepare(draw, g) if prepare is not None else [4]
        i = to_hand(g, P, card, foreign)
        clamp_damage(g)
        return [PLAY + 5 * i + t for t in targets]

    return stage


def _damaged(draw, g, want_type=None):
    P = g.turn_player
    pl = g.players[P]
    if want_type is not None and not any(s.occupied and CARDS[s.card].type == want_type for s in pl.slots):
        options = sorted(c for c in cards_of(pl) if CARDS[c].is_basic and CARDS[c].type == want_type
                         and c not in [s.card for s in pl.slots])
        if not options:
            raise NotHere
        empty = [b for b in (1, 2, 3) if not pl.slots[b].occupied] or [1]
        place(g, P, empty[0], draw(st.sampled_from(options)))
    ks = [k for k in range(4) if pl.slots[k].occupied and (want_type is None or CARDS[pl.slots[k].card].type == want_type)]
    for k in ks:
        if draw(st.booleans()) or k == ks[0]:
            some_damage(draw, pl.slots[k], near_ko=draw(st.booleans()))
            pl.slots[k].dmg = max(pl.slots[k].dmg, 10)
    return list(range(4))


def _potion(draw, g):
    return _damaged(draw, g)


def _erika(draw, g):
    return _damaged(draw, g, TYPES["G"])


def _misty(draw, g):
    P = g.turn_player
    pl = g.players[P]
    if not any(s.occupied and CARDS[s.card].type == TYPES["W"] for s in pl.slots):
        bench_basic(g, P, draw, types=(TYPES["W"],))
    return list(range(4))


def _brock(draw, g):
    P = g.turn_player
    pl = g.players[P]
    names = ("Golem", "Onix")
    if not any(s.occupied and CARDS[s.card].name in names for s in pl.slots):
        k = draw(st.sampled_from([0, 1]))
        choice = [n for n in names if cards_of(pl)[BY_NAME[n].idx]]
        if not choice:
            raise NotHere
        place(g, P, k, BY_NAME[draw(st.sampled_from(choice))].idx)
    return list(range(4))


def _tool(draw, g):
    P = g.turn_player
    for k in range(4):
        s = g.players[P].slots[k]
        if s.occupied and draw(st.integers(0, 2)) == 0:
            s.dmg = max(s.dmg, max_hp(s) - 30)
    return list(range(4))


def _koga(draw, g):
    P = g.turn_player
    pl = g.players[P]
    choice = [n for n in ("Muk", "Weezing") if cards_of(pl)[BY_NAME[n].idx]]
    if not choice:
        raise NotHere
    A = place(g, P, 0, BY_NAME[draw(st.sampled_from(choice))].idx)
    bench_basic(g, P, draw)
    some_status(draw, A)
    some_energy(draw, g, P, A)
    if draw(st.booleans()):
        give_tool(g, P, 0, BY_NAME["Giant Cape"].idx)
    while draw(st.booleans()) and len(pl.hand) < 9 and pl.deck:     # near-full hands overflow
        pl.hand.append(pl.deck.pop())
    return [4]


def _sabrina(draw, g):
    bench_basic(g, 1 - g.turn_player, draw)
    return [4]


def _poke_ball(draw, g):
    pl = g.players[g.turn_player]
    if draw(st.integers(0, 3)) == 0:             # no Basic left in the deck: no draw at all
        for c in [c for c in pl.deck if CARDS[c].is_basic]:
            pl.deck.remove(c)
            pl.discard[c] += 1
    return [4]


def _red_card(draw, g):
    opp = g.players[1 - g.turn_player]
    for _ in range(draw(st.integers(0, 4))):
        if opp.deck and len(opp.hand) < 10:
            opp.hand.append(opp.deck.pop())
    return [4]


def _research(draw, g):
    pl = g.players[g.turn_player]
    how = draw(st.sampled_from(["as is", "nearly full hand", "short deck"]))
    if how == "nearly full hand":
        while len(pl.hand) < 9 and pl.deck:
            pl.hand.append(pl.deck.pop())
    elif how == "short deck":
        while len(pl.deck) > 1:
            pl.discard[pl.deck.pop()] += 1
    return [4]


# --- the list --------------------------------------------------------------------------------------------

MAIN_VARIANTS = {"fire_vs_water": ("A-Fire", "B-Water"), "dragon_vs_psychic": ("C-Dragon-Lightning", "D-Psychic"),
                 "fighting_vs_grass": ("E-Fighting", "F-Grass-Poison")}
HOME = {"A-Fire": "fire_vs_water", "B-Water": "fire_vs_water", "C-Dragon-Lightning": "dragon_vs_psychic",
        "D-Psychic": "dragon_vs_psychic", "E-Fighting": "fighting_vs_grass", "F-Grass-Poison": "fighting_vs_grass"}


def _home(deck: str) -> tuple:
    return (HOME[deck],)


def holding(*names: str) -> tuple:
    """The main variants whose decks hold any of these cards: where their property runs."""
    from reference_envs.tcg_python.cards import deck_named
    wanted = {BY_NAME[n].idx for n in names}
    return tuple(v for v, decks in MAIN_VARIANTS.items()
                 if any(wanted & set(deck_named(d).cards) for d in decks))


def _attack_property(name, attackers, deck, doc, extra=None, foreign=False):
    variants = _home(deck) if foreign else holding(*(n for n, _ in attackers))
    return make_property(f"attack_{name}", attack_stage(attackers, extra, foreign), doc, variants=variants)


PROPERTIES = [
    # rule areas (every variant)
    make_property("played", stage_played, "a banked state and any legal action"),
    make_property("perturbed", stage_perturbed, "damage, Energy, conditions, Tools, flags and the PRNG perturbed; "
                  "any legal action"),
    make_property("setup", stage_setup, "SETUP placements and ENDs (R-1.4)", phase=SETUP),
    make_property("attach_energy", stage_attach, "ATTACH of the zone's current Energy (R-2.2.1)"),
    make_property("evolution", stage_evolution, "evolving a Pokémon in play (R-2.2.3): conditions and markers "
                  "go, Ability use resets"),
    make_property("retreat", stage_retreat, "RETREAT with X Speed/Leaf reductions and the R-2.5 discard order"),
    make_property("checkup", stage_checkup, "END with conditions on both Actives: the Checkup order of R-4.3 "
                  "and its knock-outs"),
    make_property("turn_start", stage_turn_start, "END into the next turn: draw with a full hand or an empty "
                  "deck, Energy Zone rotation (R-2.1, R-2.3)"),
    make_property("knockout", stage_knockout, "an attack that knocks out the Active: points, promotion or the "
                  "end of the game (R-3.4, R-3.5)"),
    make_property("double_knockout", stage_double_knockout, "both players lose a Pokémon in one step "
                  "(Rocky Helmet on a knocked-out holder, or the Checkup): R-3.5's order"),
    make_property("promotion", stage_promotion, "PROMOTE answers, one or both players (§8 A20)", phase=MAIN),
    make_property("turn_limit", stage_turn_limit, "turn 30 ends in a draw (R-3.6)"),
    # attack effects (§6.3), each in the variant whose decks hold the attacker
    _attack_property("none", [("Magmar", 0), ("Charmeleon", 0), ("Charizard ex", 0), ("Slugma", 0),
                              ("Froakie", 0), ("Articuno ex", 0), ("Starmie ex", 0), ("Cloyster", 0),
                              ("Zapdos ex", 0), ("Dragonair", 0), ("Magneton", 0), ("Mewtwo ex", 0), ("Hypno", 0),
                              ("Gardevoir", 0), ("Geodude", 0), ("Onix", 0), ("Graveler", 0), ("Bulbasaur", 0),
                              ("Venusaur ex", 0), ("Weezing", 0)],
                     "A-Fire", "plain damage through the §3.2 pipeline (Giovanni, Blaine, Growl, Weakness, Blue)"),
    _attack_property("coins_times", [("Zapdos ex", 1)], "C-Dragon-Lightning", "Thundering Hurricane: 4 coins"),
    make_property("attack_coins_times_marowak", attack_stage([("Marowak ex", 0)]), "Bonemerang: 2 coins",
                  variants=holding("Marowak ex")),
    _attack_property("until_tails_times", [("Lickitung", 0)], "E-Fighting", "Continuous Lick: flip until tails"),
    _attack_property("coin_plus_or_recoil", [("Electabuzz", 0)], "C-Dragon-Lightning",
                     "Thunder Punch: heads +40, tails 20 recoil"),
    _attack_property("coin_inflict", [("Pincurchin", 0)], "C-Dragon-Lightning", "Thunder Shock: heads Paralyzed"),
    _attack_property("inflict_burn", [("Magcargo", 0)], "A-Fire", "Searing Flame: Burned"),
    _attack_property("inflict_poison", [("Grimer", 0)], "F-Grass-Poison", "Poison Gas: Poisoned"),
    _attack_property("inflict_confuse", [("Misdreavus", 0)], "D-Psychic", "Confuse Ray: Confused, 0 damage"),
    _attack_property("inflict_sleep", [("Jigglypuff", 0)], "D-Psychic", "Sing: Asleep, 0 damage"),
    _attack_property("self_damage", [("Golem", 0)], "E-Fighting", "Double-Edge: 50 to itself"),
    _attack_property("heal_self", [("Venusaur ex", 1)], "F-Grass-Poison", "Giant Bloom: heal 30"),
    _attack_property("discard_self_energy", [("Charmander", 0), ("Charizard ex", 1)], "A-Fire",
                     "Ember / Crimson Storm: Fire Energy discarded"),
    make_property("attack_discard_self_energy_mewtwo", attack_stage([("Mewtwo ex", 1)]),
                  "Psydrive: 2 Psychic Energy discarded", variants=holding("Mewtwo ex")),
    _attack_property("bonus_if_opp_poisoned", [("Muk", 0)], "F-Grass-Poison", "Venoshock: +50 into a poisoned "
                     "Active", extra=_maybe_poisoned),
    _attack_property("times_own_bench_type", [("Pikachu ex", 0)], "C-Dragon-Lightning",
                     "Circle Circuit: 30 per Benched Lightning Pokémon (Pikachu ex is foreign to every deck)",
                     extra=_lightning_bench, foreign=True),
    _attack_property("spread_opp_bench", [("Articuno ex", 1)], "B-Water", "Blizzard: 10 to every opposing "
                     "Benched Pokémon (bench pipeline)", extra=_opp_bench),
    make_property("attack_snipe_opp_bench", choice_or(attack_stage([("Hitmonlee", 0)], _opp_bench), STRETCH_KICK,
                                                      OPP, AFTER_ATTACK, _prep_stretch_kick),
                  "Stretch Kick, or the STRETCH_KICK answer (30 through the bench pipeline)",
                  variants=holding("Hitmonlee")),
    _attack_property("random_hits", [("Dragonite", 0)], "C-Dragon-Lightning", "Draco Meteor: 4 random picks",
                     extra=lambda draw, g: _opp_bench(draw, g) if draw(st.booleans()) else None),
    make_property("attack_zone_to_bench_type_coins",
                  choice_or(attack_stage([("Moltres ex", 0)], _fire_bench), INFERNO_DANCE, OWN, AFTER_ATTACK,
                            _prep_inferno),
                  "Inferno Dance: 3 coins, or an INFERNO_DANCE answer", variants=holding("Moltres ex")),
    _attack_property("growl", [("Cubone", 0)], "E-Fighting", "Growl: a marker until the end of the "
                     "opponent's next turn"),
    make_property("attack_teleport", choice_or(attack_stage([("Abra", 0)], _own_bench), TELEPORT, OWN,
                                               AFTER_ATTACK, _prep_teleport),
                  "Teleport, or the TELEPORT answer", variants=holding("Abra")),
    # Abilities
    make_property("ability_water_shuriken",
                  choice_or(ability_stage("Greninja"), WATER_SHURIKEN, OPP, RESUME_MAIN, _prep_water_shuriken),
                  "Water Shuriken, or its answer: 20 damage and immediate knock-outs", variants=holding("Greninja")),
    make_property("ability_volt_charge", ability_stage("Magneton"), "Volt Charge", variants=holding("Magneton")),
    make_property("ability_psy_shadow", ability_stage("Gardevoir", extra=_psychic_active), "Psy Shadow",
                  variants=holding("Gardevoir")),
    make_property("ability_sleep_pendulum", ability_stage("Hypno"), "Sleep Pendulum: 1 coin",
                  variants=holding("Hypno")),
    make_property("ability_gas_leak", ability_stage("Weezing", active_only=True), "Gas Leak (Active only)",
                  variants=holding("Weezing")),
    make_property("ability_shell_armor", stage_shell_armor, "attacks into Cloyster (Shell Armor −10)",
                  variants=holding("Cloyster")),
    # Trainers
    make_property("trainer_potion", trainer_stage("Potion", _potion), "Potion on a damaged Pokémon",
                  variants=holding("Potion")),
    make_property("trainer_x_speed", trainer_stage("X Speed"), "X Speed", variants=holding("X Speed")),
    make_property("trainer_hand_scope", trainer_stage("Hand Scope"), "Hand Scope", variants=holding("Hand Scope")),
    make_property("trainer_poke_ball", trainer_stage("Poké Ball", _poke_ball), "Poké Ball (also with no Basic "
                  "left)", variants=holding("Poké Ball")),
    make_property("trainer_red_card", trainer_stage("Red Card", _red_card), "Red Card: shuffle and draw 3",
                  variants=holding("Red Card")),
    make_property("trainer_giant_cape", trainer_stage("Giant Cape", _tool), "Giant Cape",
                  variants=holding("Giant Cape")),
    make_property("trainer_rocky_helmet", trainer_stage("Rocky Helmet", _tool), "Rocky Helmet",
                  variants=holding("Rocky Helmet")),
    make_property("trainer_professors_research", trainer_stage("Professor's Research", _research),
                  "Professor's Research: draw 2 (full hand, short deck)"),
    make_property("trainer_erika", trainer_stage("Erika", _erika), "Erika on a damaged Grass Pokémon",
                  variants=holding("Erika")),
    make_property("trainer_misty", trainer_stage("Misty", _misty), "Misty: flip until tails",
                  variants=holding("Misty")),
    make_property("trainer_blaine", trainer_stage("Blaine"), "Blaine", variants=holding("Blaine")),
    make_property("trainer_koga", trainer_stage("Koga", _koga), "Koga: the stack to hand, then PROMOTE",
                  variants=holding("Koga")),
    make_property("trainer_giovanni", trainer_stage("Giovanni"), "Giovanni", variants=holding("Giovanni")),
    make_property("trainer_brock", trainer_stage("Brock", _brock), "Brock", variants=holding("Brock")),
    make_property("trainer_sabrina",
                  choice_or(trainer_stage("Sabrina", _sabrina), SABRINA_SWITCH, OWN, RESUME_MAIN, _prep_sabrina,
                            chooser="O"),
                  "Sabrina, or the opponent's SABRINA_SWITCH answer", variants=holding("Sabrina")),
    make_property("trainer_blue", trainer_stage("Blue"), "Blue", variants=holding("Blue")),
    make_property("trainer_leaf", trainer_stage("Leaf"), "Leaf", variants=holding("Leaf")),
]

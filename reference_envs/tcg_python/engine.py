"""The rules engine: reset (R-5.4), the state machine of spec §9.2, turn structure (§2),
damage, knock-outs and game end (§3), Special Conditions and the Checkup (§4).

Card effects live in ``effects.py``, the legal mask in ``mask.py``, the observation in
``observe.py``. ``P`` is always the turn player, ``O = 1 - P``.
"""
from __future__ import annotations

from reference_envs.tcg_python import effects
from reference_envs.tcg_python.actions import N_ACTIONS, decode, describe
from reference_envs.tcg_python.cards import (ASLEEP, BURNED, CARDS, CONFUSED, DECK_SIZE, Deck, PARALYZED,
                                             POISONED, deck_named)
from reference_envs.tcg_python.mask import legal_mask
from reference_envs.tcg_python.observe import observe
from reference_envs.tcg_python.prng import Draws
from reference_envs.tcg_python.state import (AFTER_ATTACK, CHOICE, DRAW, END_TURN, HAND_MAX, MAIN, NEXT_TURN,
                                             ONGOING, OVER, PEND_MAX, PENDING_NAMES, PHASE_NAMES, PROMOTE,
                                             RESUME_MAIN, SETUP, GameState, Slot, from_canonical,
                                             to_canonical)

OPENING_HAND = 5
OPENING_ATTEMPT_CAP = 100        # §8 A4
TURN_LIMIT = 30
POINTS_TO_WIN = 3
WEAKNESS_BONUS = 20              # step 3
MUTUALLY_EXCLUSIVE = (ASLEEP, PARALYZED, CONFUSED)


class IllegalActionError(ValueError):
    """An action the §9.4 mask does not allow for the current actor."""


class TcgEngine:
    """One game. ``reset``, then ``step(action)`` for ``actor`` until ``done``."""

    weakness_bonus = WEAKNESS_BONUS     # a class attribute so tests can build a one-rule mutant

    def __init__(self):
        self.g = GameState(phase=OVER, result=DRAW)
        self.reward = (0, 0)
        self.opening_attempts = (0, 0)   # shuffles each opening needed (diagnostics, not state)

    # --- the public interface ----------------------------------------------------------
    def reset(self, seed: int, deck0, deck1) -> None:
        """The exact reset of R-5.4. ``deck0``/``deck1``: a sample deck name or a Deck."""
        decks = (deck_named(deck0), deck_named(deck1))
        g = self.g = GameState(rng=Draws.from_seed(int(seed)))
        first = 0 if g.rng.coin() else 1                       # heads -> player 0
        attempts = []
        for p, deck in enumerate(decks):                        # player 0 first
            hand, rest, n = self._opening(deck)
            attempts.append(n)
            g.players[p].hand, g.players[p].deck = hand, rest
            g.players[p].etypes = list(deck.energy)
        for p in (0, 1):
            g.players[p].zone_next = self.generate_energy(p)
        g.phase, g.first_player = SETUP, first
        g.setup_player = g.turn_player = first                 # first player sets up first
        self.reward = (0, 0)
        self.opening_attempts = tuple(attempts)

    def _opening(self, deck: Deck) -> tuple[list, list, int]:
        """R-1.3.2 / R-5.4 step 3: (hand, deck bottom..top, shuffles used)."""
        a = list(deck.cards)
        for attempt in range(1, OPENING_ATTEMPT_CAP + 1):
            self.g.rng.shuffle(a, DECK_SIZE)
            if any(CARDS[c].is_basic for c in a[15:20]):
                break
        else:
            b = next(i for i, c in enumerate(a) if CARDS[c].is_basic)
            a[b], a[19] = a[19], a[b]
        return [a[19], a[18], a[17], a[16], a[15]], a[:15], attempt

    @property
    def actor(self) -> int:
        """Who acts now (§9.2): -1 once the game is over."""
        g = self.g
        if g.phase == SETUP:
            return g.setup_player
        if g.phase == MAIN:
            return g.turn_player
        if g.phase == CHOICE:
            return g.pending[0][1]
        return -1

    @property
    def done(self) -> bool:
        return self.g.phase == OVER

    def legal_mask(self) -> list[bool]:
        return legal_mask(self.g)

    def observe(self, player: int) -> list[int]:
        return observe(self.g, player)

    def get_state(self) -> dict:
        return to_canonical(self.g)

    def set_state(self, arrays) -> None:
        self.g = from_canonical(arrays)
        self.reward = (0, 0)

    def step(self, action) -> tuple[int, int]:
        """Apply ``action`` for ``actor`` (§9.2); return the reward pair of §9.6."""
        g = self.g
        a = _action_index(action)
        actor = self.actor
        if actor < 0:
            raise IllegalActionError(f"action {a} ({describe(a)}): the game is over (result {g.result}); "
                                     f"no action is legal, call reset()")
        mask = self.legal_mask()
        if not mask[a]:
            legal = ", ".join(f"{i} {describe(i)}" for i in range(N_ACTIONS) if mask[i])
            raise IllegalActionError(f"action {a} ({describe(a)}) is not legal for player {actor} in "
                                     f"phase {PHASE_NAMES[g.phase]} on turn {g.turn}; legal now: {legal}")
        before = g.result
        if g.phase == SETUP:
            self._setup_action(a)
        elif g.phase == MAIN:
            self._main_action(a)
        else:
            effects.answer_choice(self, a)
        self.advance()
        self.reward = _reward(g.result) if before == ONGOING and g.result != ONGOING else (0, 0)
        return self.reward

    # --- §9.2 state machine ---------------------------------------------------------------
    def advance(self) -> None:
        g = self.g
        if g.phase == SETUP and g.setup_player != -1:
            return                                              # still placing Pokémon
        while True:
            if g.result != ONGOING:
                g.phase, g.pending = OVER, []
                return
            if g.pending:
                g.phase = CHOICE
                return
            if g.resume == RESUME_MAIN:
                g.phase = MAIN
                return
            if g.resume == AFTER_ATTACK:
                g.resume = END_TURN
                self.resolve_knockouts()
            elif g.resume == END_TURN:
                g.resume = NEXT_TURN
                self.end_turn()
            elif g.resume == NEXT_TURN:
                g.resume = RESUME_MAIN
                self.start_turn()

    def _setup_action(self, a: int) -> None:
        g = self.g
        S = g.setup_player
        kind, *args = decode(a)
        if kind == "PLAY_HAND":                                 # Active first, then Bench
            pl = g.players[S]
            card = pl.hand.pop(args[0])
            slot = 0 if not pl.active.occupied else _lowest_empty_bench(pl)
            pl.slots[slot] = Slot(card=card, entered=g.turn)
        elif S == g.first_player:                               # END: the other player sets up
            g.setup_player = 1 - g.first_player
        else:                                                   # turn 1 starts
            g.setup_player = -1
            g.resume = NEXT_TURN

    def _main_action(self, a: int) -> None:
        g = self.g
        P = g.turn_player
        pl = g.players[P]
        kind, *args = decode(a)
        if kind == "END":
            g.resume = END_TURN
        elif kind == "ATTACH":
            pl.slots[args[0]].energy[pl.zone_cur - 1] += 1
            pl.zone_cur = 0
        elif kind == "PLAY_HAND":
            i, t = args
            card = pl.hand.pop(i)                               # the card leaves the hand first (§6.3)
            c = CARDS[card]
            if c.is_basic:
                pl.slots[_lowest_empty_bench(pl)] = Slot(card=card, entered=g.turn)
            elif c.is_pokemon:
                self.evolve(pl.slots[t], card)
            else:
                effects.play_trainer(self, card, t)
        elif kind == "USE_ABILITY":
            effects.use_ability(self, args[0])
        elif kind == "RETREAT":
            self.retreat(args[0])
        elif kind == "ATTACK":
            g.resume = AFTER_ATTACK
            effects.attack(self, args[0])
        else:
            raise AssertionError(f"{describe(a)} passed the MAIN mask")

    # --- turn structure (§2) --------------------------------------------------------------------
    def start_turn(self) -> None:
        """R-2.1."""
        g = self.g
        g.turn += 1
        g.turn_player = g.first_player if g.turn == 1 else 1 - g.turn_player
        g.supporter_played = g.retreated = g.retreat_red = 0
        g.giovanni = g.blaine = g.hand_revealed = 0
        P = g.turn_player
        self.draw(P, 1)                                         # §8 A1: also on turn 1
        if g.turn >= 2:
            pl = g.players[P]
            pl.zone_cur = pl.zone_next
            pl.zone_next = self.generate_energy(P)

    def end_turn(self) -> None:
        """R-2.6 steps 1-4 (promotions are pending choices, step 5)."""
        g = self.g
        P = g.turn_player
        g.players[P].zone_cur = 0
        self.checkup(P)
        self.resolve_knockouts()
        if g.result == ONGOING and g.turn == TURN_LIMIT:
            g.result = DRAW

    def draw(self, p: int, n: int) -> None:
        """Top card first; an empty deck or a full hand stops it (§8 A7, A8)."""
        pl = self.g.players[p]
        for _ in range(n):
            if pl.deck and len(pl.hand) < HAND_MAX:
                pl.hand.append(pl.deck.pop())

    def generate_energy(self, p: int) -> int:
        """R-2.3.2: one draw, uniform over the declared types (sorted)."""
        types = self.g.players[p].etypes
        return types[self.g.rng.below(len(types))]

    def evolve(self, slot: Slot, card: int) -> None:
        """R-2.2.3 / §9.2 evolve: damage, Energy and Tool stay; conditions and markers go."""
        if CARDS[slot.card].is_basic:
            slot.under = [slot.card, 0]
        else:
            slot.under = [slot.under[0], slot.card]
        slot.card = card
        slot.clear_conditions()
        slot.ability_turn = -1
        slot.entered = self.g.turn

    def retreat(self, b: int) -> None:
        """R-2.2.8 with the discard order of R-2.5."""
        g = self.g
        pl = g.players[g.turn_player]
        A = pl.active
        cost = max(0, CARDS[A.card].retreat - g.retreat_red)
        own = CARDS[A.card].type
        order = [t for t in range(1, 9) if t != own] + ([own] if 1 <= own <= 8 else [])
        for _ in range(cost):
            t = next(t for t in order if A.energy[t - 1] > 0)
            A.energy[t - 1] -= 1
        pl.slots[0], pl.slots[b] = pl.slots[b], pl.slots[0]
        pl.slots[b].clear_conditions()
        g.retreated = 1

    # --- damage, Special Conditions, Checkup, knock-outs (§3, §4) ------------------------------------
    def attack_damage(self, s: int, base: int) -> int:
        """R-3.2: attack damage ``base`` from P's Active to O's slot ``s``; returns what was dealt."""
        g = self.g
        P, O = g.turn_player, 1 - g.turn_player
        if base <= 0:                                           # step 1
            return 0
        A, T = g.players[P].active, g.players[O].slots[s]
        d = base
        if s == 0:
            d += effects.attacker_modifier(self, A)             # step 2 (Giovanni, Blaine, Growl)
            if d <= 0:                                          # §8 A26
                return 0
            if CARDS[T.card].weakness == CARDS[A.card].type:    # step 3
                d += self.weakness_bonus
        d -= effects.defender_reduction(self, O, T)             # step 4 (Shell Armor, Blue)
        d = max(d, 0)
        T.dmg += d                                              # step 5
        return d

    def apply_status(self, slot: Slot, status: int) -> None:
        """R-4.2.2 / R-4.2.3."""
        if status in MUTUALLY_EXCLUSIVE:
            for x in MUTUALLY_EXCLUSIVE:
                slot.status[x] = 0
        slot.status[status] = 1

    def checkup(self, P: int) -> None:
        """R-4.3: Poison, Burn, Sleep for P then O; P's Paralysis ends. Only Active Pokémon."""
        g = self.g
        actives = [g.players[q].active for q in (P, 1 - P)]
        for A in actives:
            if A.occupied and A.status[POISONED]:
                A.dmg += 10
        for A in actives:
            if A.occupied and A.status[BURNED]:
                A.dmg += 20
                if g.rng.coin():                               # §8 A16: flipped even at 0 HP
                    A.status[BURNED] = 0
        for A in actives:
            if A.occupied and A.status[ASLEEP]:
                if g.rng.coin():
                    A.status[ASLEEP] = 0
        if actives[0].occupied:
            actives[0].status[PARALYZED] = 0                   # §8 A13: only the owner's Checkup

    def max_hp(self, slot: Slot) -> int:
        return effects.max_hp(slot)

    def resolve_knockouts(self) -> None:
        """R-3.4: simultaneous knock-outs, points, game end, promotions."""
        g = self.g
        knocked = [(q, s) for q in (0, 1) for s in range(4)
                   if g.players[q].slots[s].occupied and g.players[q].slots[s].dmg >= effects.max_hp(
                       g.players[q].slots[s])]
        if not knocked:
            return
        for q, s in knocked:
            pl, slot = g.players[q], g.players[q].slots[s]
            g.players[1 - q].points += 2 if CARDS[slot.card].ex else 1
            for c in [slot.card, *slot.under, slot.tool]:       # the stack and its Tool go to discard
                if c:
                    pl.discard[c] += 1
            pl.slots[s] = Slot()                                # Energy is removed
        g.result = self.game_result()
        if g.result != ONGOING:
            return
        for q in (1 - g.turn_player, g.turn_player):            # §8 A20: non-turn player first
            if not g.players[q].active.occupied:
                self.push(PROMOTE, q, 1)

    def game_result(self) -> int:
        """R-3.5 in its order: Pokémon in play before points (§8 A10)."""
        in_play = [pl.has_pokemon() for pl in self.g.players]
        points = [pl.points for pl in self.g.players]
        if not in_play[0] and not in_play[1]:
            return DRAW
        if not in_play[0] or not in_play[1]:
            return 0 if in_play[0] else 1
        won = [pt >= POINTS_TO_WIN for pt in points]
        if won[0] and won[1]:
            return DRAW
        if won[0] or won[1]:
            return 0 if won[0] else 1
        return ONGOING

    def push(self, kind: int, player: int, count: int) -> None:
        """Append a pending choice to the FIFO (§9.1)."""
        if len(self.g.pending) >= PEND_MAX:
            raise AssertionError(f"pending-choice FIFO overflow pushing {PENDING_NAMES[kind]}: "
                                 f"{self.g.pending}")
        self.g.pending.append([kind, player, count])


def _lowest_empty_bench(pl) -> int:
    return next(s for s in (1, 2, 3) if not pl.slots[s].occupied)


def _reward(result: int) -> tuple[int, int]:
    """§9.6: +1 / -1 to winner / loser, 0 each for a draw."""
    if result == DRAW:
        return (0, 0)
    return (1, -1) if result == 0 else (-1, 1)


def _action_index(action) -> int:
    """An int 0..71 from an int-like value, or IllegalActionError naming the value."""
    try:
        import numbers
        if isinstance(action, bool) or not isinstance(action, numbers.Integral):
            if hasattr(action, "shape") and action.shape == () and getattr(action, "dtype", None) is not None \
                    and action.dtype.kind in "iu":
                action = int(action)
            else:
                raise TypeError
        a = int(action)
    except (TypeError, ValueError):
        raise IllegalActionError(f"action {action!r} is not an action index: pass an integer "
                                 f"0..{N_ACTIONS - 1} (spec §9.3)") from None
    if not 0 <= a < N_ACTIONS:
        raise IllegalActionError(f"action {a} is out of range: actions are 0..{N_ACTIONS - 1} (spec §9.3)")
    return a

"""The tcg suite's policies besides ``random``: a greedy heuristic bot.

``greedy(obs, legal, rng)`` reads only the actor's §9.5 view (``obs["view"]``) and the
legal mask, and ignores ``rng``: the same (view, mask) always gives the same action, so a
port can reimplement it natively and still play the very same games. It plays a sensible
but simple game, and is what L4 policy transfer will measure against later:

- SETUP: the Basic with the most HP becomes Active, every other Basic goes to the Bench.
- CHOICE: promote / switch in the Pokémon with the strongest attack it can already pay
  (then the most HP left); Water Shuriken / Stretch Kick at a Pokémon they knock out (ex
  first), else the opponent's Active / most damaged Benched Pokémon; Inferno Dance to the
  lowest slot offered.
- MAIN, first applicable: evolve; bench a Basic; attach Energy toward the strongest attack
  (the Active first); use Abilities; play helpful Trainers (see ``_trainer_value``); retreat
  when the Active is about to be knocked out and a sturdier Pokémon can come in; attack
  with the highest expected damage; else end the turn.
"""
from __future__ import annotations

import numpy as np

from equiv import Policy
from reference_envs.tcg_python.cards import CARDS, TYPES
from suites.tcg.schema import G, N_ACTIONS, OBS_HANDS, S, obs_slot

END, ATTACH, PLAY, ABILITY, RETREAT, ATTACK, OWN, OPP = 0, 1, 5, 55, 58, 62, 64, 68
PROMOTE, SABRINA_SWITCH, TELEPORT, INFERNO_DANCE, WATER_SHURIKEN, STRETCH_KICK = range(1, 7)
WEAKNESS_BONUS = 20


def expected_damage(card: int, a: int, bench_types: list[int] = ()) -> float:
    """A rough expected base damage of attack ``a`` of ``card`` (coins at their mean)."""
    atk = CARDS[card].attacks[a]
    p, d = atk.params, atk.damage
    eff = atk.effect
    if eff == "coins_times":
        return d * p["coins"] / 2
    if eff == "coin_plus_or_recoil":
        return d + p["extra"] / 2
    if eff == "bonus_if_opp_poisoned":
        return d
    if eff == "times_own_bench_type":
        return d * sum(1 for t in bench_types if t == TYPES[p["energy"]])
    if eff in ("random_hits",):
        return p["amount"] * p["hits"] / 2
    if eff in ("snipe_opp_bench",):
        return p["amount"] / 2
    if d == 0:
        return 5.0          # status, Growl, Teleport, Inferno Dance: better than nothing
    return float(d)


def _can_pay(energy, cost) -> bool:
    need = [0] * 9
    for t in cost:
        if t <= 8:
            need[t] += 1
    return all(energy[t - 1] >= need[t] for t in range(1, 9)) and sum(energy) >= len(cost)


class _View:
    """The parts of the §9.5 view the bot reads."""

    def __init__(self, view):
        v = np.asarray(view)
        self.v = v
        self.phase, self.pend_kind = int(v[G["phase"]]), int(v[G["pend_kind"]])
        self.hand = [int(c) for c in v[OBS_HANDS:OBS_HANDS + 10]]
        self.mine = [obs_slot(v, 0, k) for k in range(4)]
        self.theirs = [obs_slot(v, 1, k) for k in range(4)]

    @staticmethod
    def hp_left(slot) -> int:
        return int(slot[S["max_hp"]] - slot[S["dmg"]])

    @staticmethod
    def energy(slot) -> list[int]:
        return [int(x) for x in slot[S["energy_G"]:S["energy_M"] + 1]]

    def bench_types(self) -> list[int]:
        return [CARDS[int(s[S["card"]])].type for s in self.mine[1:] if s[S["card"]]]

    def best_payable(self, slot) -> float:
        """Expected damage of the strongest attack this Pokémon can pay now (0 if none)."""
        card = int(slot[S["card"]])
        if not card:
            return 0.0
        e = self.energy(slot)
        return max((expected_damage(card, a, self.bench_types()) for a, atk in enumerate(CARDS[card].attacks)
                    if _can_pay(e, atk.cost)), default=0.0)

    def threat(self) -> int:
        """The most printed damage the opponent's Active could deal ours next turn (+ Weakness)."""
        them, us = int(self.theirs[0][S["card"]]), int(self.mine[0][S["card"]])
        if not them or not us:
            return 0
        most = max(a.damage * (a.params.get("coins", 1)) for a in CARDS[them].attacks)
        return most + (WEAKNESS_BONUS if most and CARDS[us].weakness == CARDS[them].type else 0)


def greedy(obs, legal, rng=None) -> int:
    view = _View(obs["view"] if isinstance(obs, dict) else obs)
    legal = np.asarray(legal, bool)
    acts = [int(a) for a in np.flatnonzero(legal)]
    if not acts:
        raise ValueError("greedy: no legal action (the game is over)")
    if view.phase == 0:
        return _setup(view, acts)
    if view.phase == 2:
        return _choice(view, acts)
    return _main(view, acts)


def _setup(view: _View, acts: list[int]) -> int:
    plays = [a for a in acts if PLAY <= a < ABILITY]
    if not plays:
        return END
    if not view.mine[0][S["card"]]:                       # the Active: most HP
        return max(plays, key=lambda a: (CARDS[view.hand[(a - PLAY) // 5]].hp, -a))
    return plays[0]


def _readiness(view: _View, k: int) -> tuple:
    slot = view.mine[k]
    return (view.best_payable(slot), view.hp_left(slot), -k)


def _choice(view: _View, acts: list[int]) -> int:
    kind = view.pend_kind
    if kind in (PROMOTE, SABRINA_SWITCH, TELEPORT):
        return max(acts, key=lambda a: _readiness(view, a - OWN))
    if kind in (WATER_SHURIKEN, STRETCH_KICK):
        amount = 20 if kind == WATER_SHURIKEN else 30

        def score(a):
            slot = view.theirs[a - OPP]
            ko = view.hp_left(slot) <= amount
            return (ko, ko and CARDS[int(slot[S["card"]])].ex, a == OPP, -view.hp_left(slot), -a)
        return max(acts, key=score)
    return acts[0]


def _trainer_value(view: _View, card: int, target: int, attack_ready: bool) -> int:
    """0: do not play now; higher is played first."""
    c = CARDS[card]
    name = c.name
    if name in ("Professor's Research", "Poké Ball"):
        return 9 if sum(1 for h in view.hand if h) <= 7 else 0
    if name == "Giovanni":
        return 8 if attack_ready else 0
    if name == "Blaine":
        return 8 if attack_ready and CARDS[int(view.mine[0][S["card"]])].name in c.params["names"] else 0
    if name in ("Misty", "Brock"):
        return 7 if target == 0 else 6
    if name in ("Potion", "Erika"):
        slot = view.mine[target]
        return 5 if slot[S["dmg"]] >= 20 else 0
    if name in ("Giant Cape", "Rocky Helmet"):
        return 4 if target == 0 else 0
    if name == "Blue":
        return 3
    if name == "Red Card":
        return 3 if view.v[G["hand_size_opp"]] >= 5 else 0
    if name == "Sabrina":
        return 3 if any(view.hp_left(s) <= view.best_payable(view.mine[0]) for s in view.theirs[1:]
                        if s[S["card"]]) else 0
    return 0                                              # X Speed, Leaf, Hand Scope, Koga: not by default


def _main(view: _View, acts: list[int]) -> int:
    A = view.mine[0]
    plays = [a for a in acts if PLAY <= a < ABILITY]
    # 1. evolve, 2. bench Basics
    evolve = [a for a in plays if CARDS[view.hand[(a - PLAY) // 5]].is_pokemon
              and not CARDS[view.hand[(a - PLAY) // 5]].is_basic]
    if evolve:
        return evolve[0]
    basics = [a for a in plays if CARDS[view.hand[(a - PLAY) // 5]].is_basic]
    if basics:
        return basics[0]
    # 3. attach toward the strongest attack not yet paid, the Active first
    attach = [a for a in acts if ATTACH <= a < PLAY]
    if attach:
        return min(attach, key=lambda a: (_attach_rank(view, a - ATTACH), a))
    # 4. Abilities
    abilities = [a for a in acts if ABILITY <= a < ABILITY + 4]
    if abilities:
        return abilities[0]
    # 5. Trainers
    attack_ready = any(ATTACK <= a < OWN for a in acts)
    scored = [(_trainer_value(view, view.hand[(a - PLAY) // 5], (a - PLAY) % 5, attack_ready), -a, a)
              for a in plays]
    scored = [s for s in scored if s[0] > 0]
    if scored:
        return max(scored)[2]
    # 6. retreat when about to be knocked out and a sturdier Pokémon can come in
    retreats = [a for a in acts if RETREAT < a < ATTACK]
    threat = view.threat()
    if retreats and view.hp_left(A) <= threat and view.best_payable(A) < view.hp_left(view.theirs[0]):
        best = max(retreats, key=lambda a: _readiness(view, a - RETREAT))
        if view.hp_left(view.mine[best - RETREAT]) > threat:
            return best
    # 7. attack with the highest expected damage
    attacks = [a for a in acts if ATTACK <= a < OWN]
    if attacks:
        card = int(A[S["card"]])
        return max(attacks, key=lambda a: (expected_damage(card, a - ATTACK, view.bench_types()), -a))
    return END


def _attach_rank(view: _View, k: int) -> tuple:
    """Lower is better: the Active while its strongest attack is unpaid, then Benched Pokémon."""
    slot = view.mine[k]
    card = int(slot[S["card"]])
    strongest = max(CARDS[card].attacks, key=lambda atk: (atk.damage, len(atk.cost)))
    paid = _can_pay(view.energy(slot), strongest.cost)
    return (paid, k != 0, k)


POLICIES = {
    "greedy": Policy("greedy", greedy, "deterministic heuristic bot (suites/tcg/policies.py): evolve, bench, "
                     "attach toward the strongest attack, Abilities, useful Trainers, retreat before a knock-out, "
                     "attack for the most expected damage"),
}

assert N_ACTIONS == 72

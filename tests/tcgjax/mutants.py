"""Deliberately broken tcgjax ports: one rule changed in each, by building the real engine with one
field of ``ported_envs.tcgjax.rules.Rules`` altered. So each mutant is wrong exactly where that rule
acts and right everywhere else. ``register(name)`` makes one an equiv adapter (``tcgjax_<name>``)
for tests that show a layer of the gate catching it."""
from __future__ import annotations

from adapters.tcgjax import TcgJax
from equiv import register_adapter
from ported_envs.tcgjax.rules import Rules

# name: (what changed, the Rules it is built with)
MUTATIONS = {
    "weakness_10": ("Weakness adds +10 instead of +20 (R-3.2 step 3)", Rules(weakness_bonus=10)),
    "two_supporters": ("two Supporters allowed per turn instead of one (R-2.2.5): an off-by-one in the limit",
                       Rules(supporters_per_turn=2)),
    "checkup_other_first": ("the Checkup flips the non-turn player's coins first (R-4.3, §8 A16: the player "
                            "whose turn ended goes first)", Rules(checkup_turn_player_first=False)),
    "poison_20": ("Poison does 20 damage per Checkup instead of 10 (R-4.1)", Rules(poison_damage=20)),
    "ex_worth_1": ("a knocked-out Pokemon ex scores 1 point instead of 2 (R-3.4 step 2)", Rules(ex_knockout_points=1)),
    "paralysis_at_once": ("Paralysis ends at the Checkup right after the attacker's turn instead of after its "
                          "owner's next turn (R-4.3 step 4, §8 A13)",
                          Rules(paralysis_ends_after_owner_turn=False)),
}


class Mutant(TcgJax):
    mutation = ""


def adapter_class(name: str) -> type:
    doc, rules = MUTATIONS[name]
    cls = type(f"Mutant_{name}", (Mutant,), {"mutation": name, "rules": rules, "__doc__": doc,
                                            "__module__": __name__})
    globals()[cls.__name__] = cls
    return cls


def register(name: str) -> str:
    """Register mutant ``name`` with equiv as adapter ``tcgjax_<name>``; return that name."""
    cls = adapter_class(name)
    adapter = f"tcgjax_{name}"
    register_adapter(adapter, f"{__name__}:{cls.__name__}")
    return adapter

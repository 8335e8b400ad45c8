"""The 72 discrete actions of spec §9.3: index <-> (kind, argument) and a readable name."""
from __future__ import annotations

N_ACTIONS = 72
NO_TARGET = 4            # PLAY_HAND target t = 4: the card takes no target

END = 0
ATTACH_BASE = 1          # 1..4    ATTACH(k)
PLAY_BASE = 5            # 5..54   PLAY_HAND(i, t), i = (a-5) // 5, t = (a-5) % 5
ABILITY_BASE = 55        # 55..58  USE_ABILITY(k)
RETREAT_BASE = 58        # 59..61  RETREAT(b), b = a - 58
ATTACK_BASE = 62         # 62..63  ATTACK(a)
OWN_SLOT_BASE = 64       # 64..67  CHOOSE_OWN_SLOT(k)
OPP_SLOT_BASE = 68       # 68..71  CHOOSE_OPP_SLOT(k)


def attach(k: int) -> int:
    return ATTACH_BASE + k


def play(i: int, t: int = NO_TARGET) -> int:
    return PLAY_BASE + 5 * i + t


def ability(k: int) -> int:
    return ABILITY_BASE + k


def retreat(b: int) -> int:
    return RETREAT_BASE + b


def attack(a: int) -> int:
    return ATTACK_BASE + a


def own_slot(k: int) -> int:
    return OWN_SLOT_BASE + k


def opp_slot(k: int) -> int:
    return OPP_SLOT_BASE + k


def decode(a: int) -> tuple:
    """(kind, args...) for an action index."""
    if a == END:
        return ("END",)
    if a < PLAY_BASE:
        return ("ATTACH", a - ATTACH_BASE)
    if a < ABILITY_BASE:
        return ("PLAY_HAND", (a - PLAY_BASE) // 5, (a - PLAY_BASE) % 5)
    if a < RETREAT_BASE + 1:
        return ("USE_ABILITY", a - ABILITY_BASE)
    if a < ATTACK_BASE:
        return ("RETREAT", a - RETREAT_BASE)
    if a < OWN_SLOT_BASE:
        return ("ATTACK", a - ATTACK_BASE)
    if a < OPP_SLOT_BASE:
        return ("CHOOSE_OWN_SLOT", a - OWN_SLOT_BASE)
    return ("CHOOSE_OPP_SLOT", a - OPP_SLOT_BASE)


def describe(a) -> str:
    """``'PLAY_HAND(i=2, t=4)'`` style name of an action index (or why it is not one)."""
    if isinstance(a, bool) or not isinstance(a, int) or not 0 <= a < N_ACTIONS:
        return f"not an action index (valid: integers 0..{N_ACTIONS - 1})"
    kind, *args = decode(a)
    names = {"ATTACH": "k", "PLAY_HAND": "it", "USE_ABILITY": "k", "RETREAT": "b", "ATTACK": "a",
             "CHOOSE_OWN_SLOT": "k", "CHOOSE_OPP_SLOT": "k"}.get(kind, "")
    return kind if not args else f"{kind}({', '.join(f'{n}={v}' for n, v in zip(names, args))})"

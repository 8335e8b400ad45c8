"""Build game states for worked examples, traces and L1 cases, by card name.

A scenario starts from two sample decks and places named cards in slots, hands and
discard piles; each placed card is taken out of its owner's 20 cards (a copy of it if
the deck has one, otherwise the last card the scenario does not use), and whatever is
left forms the deck in canonical order. So every scenario state conserves 20 cards per
player, like a played one.

    state = scenario("C-Dragon-Lightning", "B-Water", turn=5, turn_player=0,
                     p0={"slots": {0: pokemon("Zapdos ex", energy="LLL")}},
                     p1={"slots": {0: pokemon("Articuno ex")}}, giovanni=1)
"""
from __future__ import annotations

from reference_envs.tcg_python.cards import BY_NAME, CARDS, STATUS_INDEX, TYPES, deck_named
from reference_envs.tcg_python.prng import Draws, make_key
from reference_envs.tcg_python.state import MAIN, ONGOING, RESUME_MAIN, GameState, Player, Slot


def pokemon(name: str, *, under=(), dmg: int = 0, energy: str = "", tool: str | None = None,
            status=(), entered: int = 0, ability_turn: int = -1, growl_until: int = -1) -> dict:
    """A slot description: ``under`` names the pre-evolutions (Basic first); ``energy`` is a
    string of type letters ("WLC" is not allowed: only G..M); ``status`` names conditions."""
    return {"name": name, "under": tuple(under), "dmg": dmg, "energy": energy, "tool": tool,
            "status": tuple(status), "entered": entered, "ability_turn": ability_turn,
            "growl_until": growl_until}


def idx(name: str) -> int:
    try:
        return BY_NAME[name].idx
    except KeyError:
        raise ValueError(f"no card named {name!r} in the pool") from None


def _slot(desc: dict) -> Slot:
    energy = [0] * 8
    for letter in desc["energy"]:
        t = TYPES[letter]
        if not 1 <= t <= 8:
            raise ValueError(f"{letter!r} is not an Energy type (G R W L P F D M)")
        energy[t - 1] += 1
    under = [idx(n) for n in desc["under"]] + [0, 0]
    status = [0] * 5
    for s in desc["status"]:
        status[STATUS_INDEX[s]] = 1
    return Slot(card=idx(desc["name"]), under=under[:2], dmg=desc["dmg"], energy=energy,
                tool=idx(desc["tool"]) if desc["tool"] else 0, status=status, entered=desc["entered"],
                ability_turn=desc["ability_turn"], growl_until=desc["growl_until"])


def _player(deck_name: str, spec: dict) -> Player:
    deck = deck_named(deck_name)
    pl = Player(etypes=list(deck.energy))
    for s, desc in (spec.get("slots") or {}).items():
        pl.slots[s] = _slot(desc)
    pl.hand = [idx(n) for n in spec.get("hand", ())]
    for n in spec.get("discard", ()):
        pl.discard[idx(n)] += 1
    used = [c for sl in pl.slots for c in (sl.card, *sl.under, sl.tool) if c] + pl.hand + \
        [c for c in range(len(pl.discard)) for _ in range(pl.discard[c])]
    remaining = list(deck.cards)
    fillers = []
    for c in used:
        if c in remaining:
            remaining.remove(c)
        else:
            fillers.append(c)
    for c in fillers:   # a card from outside the deck replaces the last card nobody placed
        if not remaining:
            raise ValueError(f"scenario places more than 20 cards for deck {deck_name!r}")
        remaining.pop()
    top = [idx(n) for n in spec.get("deck_top", ())]   # cards put on top of the deck, last = top
    for c in top:
        if c not in remaining:
            raise ValueError(f"deck_top card {CARDS[c].name!r} is not left in deck {deck_name!r}")
        remaining.remove(c)
    pl.deck = remaining + top
    pl.zone_next = pl.etypes[0]         # a played state always previews an Energy
    for key in ("points", "zone_cur", "zone_next", "blue_until"):
        if key in spec:
            value = spec[key]
            setattr(pl, key, TYPES[value] if key.startswith("zone") and isinstance(value, str) else value)
    return pl


def scenario(deck0: str, deck1: str, *, turn: int, turn_player: int, first_player: int | None = None,
             p0: dict | None = None, p1: dict | None = None, seed: int = 0, rng_ctr: int = 0,
             phase: int = MAIN, pending=(), **flags) -> GameState:
    """A MAIN-phase state (unless told otherwise) on ``turn`` for ``turn_player``.

    ``first_player`` defaults to the player whose turns are odd. ``flags`` set the turn flags
    (giovanni=1, supporter_played=1, ...). ``pending`` is a list of [kind, player, count]."""
    if first_player is None:
        first_player = turn_player if turn % 2 == 1 else 1 - turn_player
    g = GameState(rng=Draws(make_key(seed), rng_ctr), turn=turn, turn_player=turn_player,
                  first_player=first_player, setup_player=-1, phase=phase, result=ONGOING,
                  resume=RESUME_MAIN)
    g.players = [_player(deck0, p0 or {}), _player(deck1, p1 or {})]
    for k, v in flags.items():
        if not hasattr(g, k) or k in ("players", "pending", "rng"):
            raise ValueError(f"unknown turn flag {k!r}")
        setattr(g, k, v)
    g.pending = [list(e) for e in pending]
    return g


def find_ctr(key_seed: int, draws_wanted, start: int = 0, limit: int = 1_000_000) -> int:
    """The first counter >= start from which the next draws satisfy ``draws_wanted``: a list of
    predicates on successive u32 draws (e.g. ``heads``, ``tails``, ``below_is(4, 0)``)."""
    key = make_key(key_seed)
    for ctr in range(start, start + limit):
        d = Draws(key, ctr)
        if all(want(d.u32()) for want in draws_wanted):
            return ctr
    raise ValueError("no counter found for these draws")


def heads(u: int) -> bool:
    return u < 0x80000000


def tails(u: int) -> bool:
    return u >= 0x80000000


def below_is(n: int, value: int):
    return lambda u: u % n == value


def card_name(i: int) -> str:
    return CARDS[i].name if i else "-"

"""Random play over many seeds and every deck pairing: invariants at every step."""
import itertools
import random

import pytest

from reference_envs.tcg_python import OBS_SIZE, TcgEngine, load_decks
from reference_envs.tcg_python.engine import TURN_LIMIT

DECKS = list(load_decks())
MAX_DECISIONS = 2048          # §9.6: a static bound that is safe for scan rollouts


def cards_of(g, p) -> int:
    pl = g.players[p]
    n = len(pl.deck) + len(pl.hand) + sum(pl.discard)
    return n + sum((s.card != 0) + (s.under[0] != 0) + (s.under[1] != 0) + (s.tool != 0) for s in pl.slots)


def check_invariants(e, before_points):
    g = e.g
    for p in (0, 1):
        assert cards_of(g, p) == 20, f"player {p} does not hold exactly 20 cards"
        assert g.players[p].points >= before_points[p]
        assert len(g.players[p].hand) <= 10
    assert g.turn <= TURN_LIMIT
    if e.done:
        assert g.result in (0, 1, 2) and not any(e.legal_mask()) and not g.pending
    else:
        assert any(e.legal_mask()), "a live game must offer a legal action"
        assert len(g.pending) <= 4


def hidden_info_does_not_leak(e, rng):
    """§10.8: an observation does not depend on the opponent's deck order or unrevealed hand."""
    for me in (0, 1):
        obs = e.observe(me)
        opp = e.g.players[1 - me]
        deck, hand = list(opp.deck), list(opp.hand)
        rng.shuffle(opp.deck)
        visible = obs[22]
        if not visible:
            opp.hand = [c % 65 + 1 for c in hand]
        assert e.observe(me) == obs
        opp.deck, opp.hand = deck, hand


def play_games(n_games, seed):
    rng = random.Random(seed)
    pairings = list(itertools.product(DECKS, DECKS))
    lengths = []
    for i in range(n_games):
        d0, d1 = pairings[i % len(pairings)]
        e = TcgEngine()
        e.reset(rng.randrange(2 ** 31), d0, d1)
        steps = 0
        while not e.done:
            before = [p.points for p in e.g.players]
            mask = e.legal_mask()
            e.step(rng.choice([a for a in range(72) if mask[a]]))
            steps += 1
            check_invariants(e, before)
            if steps % 7 == 0:
                hidden_info_does_not_leak(e, rng)
            assert steps < MAX_DECISIONS
        assert len(e.observe(0)) == len(e.observe(1)) == OBS_SIZE
        lengths.append(steps)
    return lengths


def test_random_play_invariants():
    lengths = play_games(144, seed=1)       # every ordered deck pairing four times
    assert max(lengths) < MAX_DECISIONS


@pytest.mark.slow
def test_random_play_invariants_deep():
    play_games(3600, seed=2)

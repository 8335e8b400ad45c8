"""Whole-game teams are drawn from the fixed list of every gen-1 move, so a move leaving
``wholegame.EXCLUDED`` changes only the teams that drew it (and the traces recorded on them)."""
from suites.pokemon import wholegame


def _teams_with(excluded, seeds):
    held, cache = wholegame.EXCLUDED, dict(wholegame._cache)
    try:
        wholegame.EXCLUDED = tuple(excluded)
        wholegame._cache.clear()
        return {s: wholegame.teams(s) for s in seeds}
    finally:
        wholegame.EXCLUDED = held
        wholegame._cache.clear()
        wholegame._cache.update(cache)


def test_excluding_a_move_changes_only_the_members_that_drew_it():
    seeds = range(80)
    base = _teams_with((), seeds)
    less = _teams_with(("wrap",), seeds)
    changed = 0
    for s in seeds:
        for side in (0, 1):
            for a, b in zip(base[s][side], less[s][side]):
                assert "wrap" not in b["moves"]
                if "wrap" not in a["moves"]:
                    assert a == b, f"seed {s}: a member without Wrap changed"
                    continue
                changed += 1
                assert {k: v for k, v in a.items() if k != "moves"} == {k: v for k, v in b.items() if k != "moves"}
                kept = [m for m in a["moves"] if m != "wrap"]
                assert [m for m in b["moves"] if m in kept] == kept and len(set(b["moves"])) == 4
    assert changed > 0, "no team drew Wrap: the check saw nothing"


def test_the_draw_spans_the_whole_move_list_and_never_hands_out_an_excluded_move():
    every = wholegame._tables()["all"]
    assert len(every) == 164 and "struggle" not in every
    drawn = {m for s in range(300) for side in wholegame.teams(s) for p in side for m in p["moves"]}
    assert not drawn & set(wholegame.EXCLUDED)
    assert len(drawn) >= len(every) - len(wholegame.EXCLUDED) - 3

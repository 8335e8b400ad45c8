"""The committed L2 traces are what make_traces.py writes from the current reference (which
asserts the spec's numbers while it plays them), and every trace loads."""
from equiv._traces import find_traces, load_trace
from suites.tcg import SUITE, make_traces


def test_traces_are_current():
    made = {t.name: t.text() for t in make_traces.all_traces()}
    on_disk = {p.stem: p.read_text() for p in find_traces(SUITE.traces_dir)}
    assert set(made) == set(on_disk), "run python -m suites.tcg.make_traces"
    stale = [n for n in made if made[n] != on_disk[n]]
    assert not stale, f"traces {stale} differ from what make_traces.py writes; regenerate them"


def test_every_trace_loads_and_names_a_variant():
    paths = find_traces(SUITE.traces_dir)
    assert len(paths) == 37
    worked = {p.stem.split("_")[0] for p in paths}
    assert worked == {"ex10", "deck"}
    for p in paths:
        t = load_trace(p)
        assert t.variant in SUITE.variants and t.actions and t.doc

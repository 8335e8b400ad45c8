"""The general case: independent generators, teacher forcing, rerunnable statistics, strict
gates, bounded ledger excuses, validated traces and coverage, on the toy family."""
import dataclasses
import json

import numpy as np
import pytest

import equiv
from equiv import Coverage, Tier
from equiv._ledger import Entry
from equiv._pair import PairRun, RunOptions
from equiv._schema import Mismatch

TOY = ["-p", "tests.toy.plugin", "-p", "no:cacheprovider"]


def pair(ported="toy_jax", **changes) -> PairRun:
    p = PairRun("toy_ref", ported, RunOptions(report_dir=None))
    if changes:
        p.suite = dataclasses.replace(p.suite, **changes)
        p.tier = p.suite.tiers["quick"]
    return p


def run_all(p: PairRun) -> dict:
    results = {spec.id: p.run(spec) for spec in p.plan()}
    p.close()
    return results


def test_independent_generators_run_statistics_only_and_say_why(pytester, tmp_path):
    result = pytester.runpytest_inprocess(*TOY, "--equiv", "reference=toy_ref", "ported=toy_indep",
                                          f"--equiv-report={tmp_path}")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*L1 cross properties: NOT RUN - the sides draw from different generators*",
                                 "*L2 traces: NOT RUN*", "*L3 lockstep: NOT RUN*", "*L3 statistics: runs*"])
    report = json.loads((tmp_path / "toy__toy_ref__toy_indep.json").read_text())
    skipped = {n["check"]: n["why"] for n in report["plan"] if not n["ran"]}
    assert "deterministic_step" in skipped["cross properties"]
    assert "What ran" in (tmp_path / "toy__toy_ref__toy_indep.html").read_text()


def test_another_run_seed_gives_an_independent_sample():
    a, b = pair(), pair()
    b.seed = 1
    ref0, ref1 = set(a.episode_seeds(200, "reference")), set(b.episode_seeds(200, "reference"))
    assert len(ref0) == 200 and len(ref0 & ref1) <= 2  # not seed 0's episodes shifted by one
    assert not ref0 & set(a.episode_seeds(200, "ported"))  # the sides never share an episode


def test_teacher_forced_lockstep_compares_segments_and_still_catches_a_changed_draw():
    results = run_all(pair(sync_every=4))
    lock = results["L3::lockstep[random]::default"]
    assert lock.outcome == "passed" and lock.stats["lockstep"]["segments"] > 0
    assert lock.stats["growth"]["ported"]["0.5"][0] == 0.0  # an exact port never parts
    broken = run_all(pair("toy_changed_draw", sync_every=4))["L3::lockstep[random]::default"]
    assert broken.outcome == "failed"
    assert broken.divergence.step is not None and "state.pos" in broken.divergence.field_names


def test_strict_turns_inconclusive_into_a_failure(pytester, tmp_path):
    args = [*TOY, "--equiv", "reference=toy_tight_ref", "ported=toy_tight_jax", f"--equiv-report={tmp_path}",
            "--equiv-layers", "L3"]
    relaxed = pytester.runpytest_inprocess(*args)
    assert relaxed.ret == 0
    relaxed.stdout.fnmatch_lines(["*skipped*"])
    strict = pytester.runpytest_inprocess(*args, "--equiv-strict")
    assert strict.ret == 1
    strict.stdout.fnmatch_lines(["*INCONCLUSIVE (--equiv-strict makes this a failure)*"])


def test_a_bounded_ledger_entry_excuses_only_small_differences():
    entry = Entry("rounding", ["reward"], "float32 rounding", "2026-12-06", within=1e-6)
    small = Mismatch("reward", np.float32(1.0), np.float32(1.0000001), "exact")
    large = Mismatch("reward", np.float32(1.0), np.float32(1.5), "exact")
    assert entry.covers(["reward"], [small])
    assert not entry.covers(["reward"], [large])


@pytest.mark.parametrize("actions, said", [
    ("[0, 99, 1]", "step 1 (action entry 1): 99 is outside 0..2"),
    ("[0, -1]", "step 1 (action entry 1): -1 is outside 0..2"),
    ("[1.5]", "step 0 (action entry 0): 1.5 is not an integer action"),
    ("[[1, 2]]", "step 0 (action entry 0): [1, 2] has shape (2,)"),
    ("[{repeat: 2, times: 100000}]", "the episode ends after step"),
])
def test_a_bad_trace_is_a_trace_file_error_naming_file_step_and_action(tmp_path, actions, said):
    (tmp_path / "traces").mkdir()
    (tmp_path / "traces" / "bad.yaml").write_text(f"seed: 3\nactions: {actions}\n")
    results = run_all(pair(root=tmp_path))
    item = results["L2::bad::default"]
    assert item.outcome == "error"
    assert "bad.yaml" in item.message and said in item.message, item.message


def _toy_keys(before, action, outputs, after, variant):
    keys = [f"move:{int(action)}"]
    if float(outputs["reward"]) == 5.0:
        keys.append("treasure")
    if bool(outputs["terminated"]):
        keys.append("end")
    return keys


def test_coverage_is_counted_reported_and_required():
    universe = ["move:0", "move:1", "move:2", "treasure", "end", "never:reachable"]
    cov = Coverage(_toy_keys, lambda variant: universe)
    quick = dataclasses.replace(pair().suite.tiers["quick"], coverage_min=1)
    results = run_all(pair(coverage=cov, tiers={"quick": quick}))
    item = results["coverage::default"]
    assert item.outcome == "failed" and "never:reachable" in item.message
    counts = item.stats["coverage"]["counts"]
    assert counts["treasure"] > 0 and counts["move:2"] > 0
    assert set(item.stats["coverage"]["transitions"]) == {"L1", "L2", "L3"}
    reachable = Coverage(_toy_keys, lambda variant: universe[:-1])
    assert run_all(pair(coverage=reachable, tiers={"quick": quick}))["coverage::default"].outcome == "passed"
    # `required` narrows what the tier demands; the report still lists every key never hit
    narrowed = Coverage(_toy_keys, lambda variant: universe, required=lambda variant: ["treasure", "end"])
    item = run_all(pair(coverage=narrowed, tiers={"quick": quick}))["coverage::default"]
    assert item.outcome == "passed" and item.stats["coverage"]["never"] == ["never:reachable"], item.summary
    demanding = Coverage(_toy_keys, lambda variant: universe, required=lambda variant: ["end", "never:reachable"])
    item = run_all(pair(coverage=demanding, tiers={"quick": quick}))["coverage::default"]
    assert item.outcome == "failed" and "1 keys of the 2 required" in item.summary, item.summary
    # a run narrowed to some layers reports its counts but cannot be held to the tier's minimum
    narrow = pair(coverage=demanding, tiers={"quick": quick})
    narrow.options = dataclasses.replace(narrow.options, layers=("L1",))
    item = run_all(narrow)["coverage::default"]
    assert item.outcome == "passed" and set(item.stats["coverage"]["transitions"]) == {"L1"}, item.summary
    assert any("leaves out L2, L3" in str(n) for n in narrow.notes), narrow.notes


def test_run_items_runs_the_chosen_items_as_the_gate_plans_them():
    results = equiv.run_items("toy_ref", "toy_jax", layers=("L1",), only="L1::roundtrip")
    assert results and all(k.startswith("L1::roundtrip") for k in results)
    assert all(r.outcome == "passed" for r in results.values())
    with pytest.raises(equiv.ConfigError, match="no planned item"):
        equiv.run_items("toy_ref", "toy_jax", layers=("L1",), only="L2::")


def test_a_segment_within_the_references_own_sensitivity_passes_and_a_real_change_still_fails():
    from tests.core import logistic
    logistic.register()
    only = "L3::lockstep[random]"
    ok, = equiv.run_items("logisticref", "logisticport", layers=("L3",), only=only).values()
    assert ok.outcome == "passed", ok.summary
    assert ok.stats["lockstep"]["within_reference_sensitivity"] > 0, ok.summary
    assert "reference moved one ulp at each step" in ok.summary
    # the same port without the second look: the tight tolerance alone fails it
    p = PairRun("logisticref", "logisticport", RunOptions(layers=("L3",), report_dir=None))
    p.suite = dataclasses.replace(p.suite, sensitivity=None)
    spec, = [s for s in p.plan() if s.id.startswith(only)]
    assert p.run(spec).outcome == "failed"
    p.close()
    # a changed constant is far outside the reference's own sensitivity
    bad, = equiv.run_items("logisticref", "logisticbroken", layers=("L3",), only=only).values()
    assert bad.outcome == "failed", bad.summary
    assert bad.stats["lockstep"]["within_reference_sensitivity"] == 0


def test_a_witness_judges_a_float32_port_by_a_float32_implementation_and_still_catches_a_change():
    """``Suite.witness``: a float32 port's rounding is far beyond the reference's sensitivity to one
    float32 ulp of its input, but within what a second float32 implementation of the same map does
    from the same start; a changed constant stays far outside both."""
    from tests.core import logistic
    logistic.register()
    only = "L3::lockstep[random]"

    def run(ported, witness):
        p = PairRun("logisticref", ported, RunOptions(layers=("L3",), report_dir=None))
        p.suite = dataclasses.replace(p.suite, sensitivity_precision={"default": "float32"})
        if witness:
            p.suite = dataclasses.replace(p.suite, witness=lambda reference, variant: ("logisticref32", {}))
        spec, = [s for s in p.plan() if s.id.startswith(only)]
        try:
            return p.run(spec), p
        finally:
            p.close()

    without, _ = run("logisticport32", witness=False)
    assert without.outcome == "failed", without.summary
    judged, p = run("logisticport32", witness=True)
    assert judged.outcome == "passed", judged.summary
    assert "logisticref32 from the same start" in judged.summary, judged.summary
    assert "witness (default)" in p.provenance
    broken, _ = run("logisticbroken32", witness=True)
    assert broken.outcome == "failed", broken.summary


def test_perturbed_moves_one_ulp_of_the_precision_asked_for():
    """The second look's moved runs: one ulp of ``precision`` (float32 for a float32 port), in
    random directions; a float64 direction must not turn it into one float64 ulp."""
    from equiv._lockstep import perturbed
    state = {"x": np.array([32.07, -0.094, 0.5]), "t": np.int64(3)}
    for rng in (None, np.random.default_rng(0)):
        moved = perturbed(state, "float32", rng)
        step = np.abs(moved["x"] - state["x"])
        ulp32 = np.spacing(state["x"].astype(np.float32)).astype(np.float64)
        assert np.allclose(step, np.abs(ulp32), rtol=0.51), (step, ulp32)
        assert moved["t"] == state["t"]
    step64 = np.abs(perturbed(state, None, np.random.default_rng(0))["x"] - state["x"])
    assert np.all(step64 <= np.abs(np.spacing(state["x"])) * 1.01) and np.all(step64 > 0)

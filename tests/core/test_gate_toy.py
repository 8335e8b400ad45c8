"""The gate on the toy family: the equivalent port passes every layer, each broken
port is caught by the layer one would expect, bad input gets a clear error."""
import json

import pytest

TOY = ["-p", "tests.toy.plugin", "-p", "no:cacheprovider"]


def gate(pytester, report_dir, ported, *extra, reference="toy_ref"):
    result = pytester.runpytest_inprocess(*TOY, "--equiv", f"reference={reference}", f"ported={ported}",
                                          f"--equiv-report={report_dir}", *extra)
    path = report_dir / f"toy__{reference}__{ported}.json"
    report = json.loads(path.read_text()) if path.exists() else None
    return result, report


def items(report):
    return {i["id"]: i for layer in report["layers"].values() for i in layer["items"]}


def test_equivalent_port_passes_every_layer(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "toy_jax")
    assert result.ret == 0, result.stdout.str()
    assert report["verdict"] == "equivalent" and not report["partial"]
    assert set(report["layers"]) == {"L1", "L2", "L3"}
    assert all(i["outcome"] == "passed" for i in items(report).values())
    assert (tmp_path / "toy__toy_ref__toy_jax.html").exists() and (tmp_path / "index.html").exists()
    result.stdout.fnmatch_lines(["*toy: toy_ref vs toy_jax: EQUIVALENT*"])


@pytest.mark.parametrize("ported, caught_by, field", [
    ("toy_offbyone", "L1::edge::default", "terminated"),             # off-by-one in one field
    ("toy_rare_reward", "L1::treasure_branch::default", "reward"),   # wrong reward in the rare branch
    ("toy_changed_draw", "L1::any_state::default", "state.pos"),     # a changed random draw
    ("toy_f16", "L1::any_state::default", "reward"),                 # a dtype change breaking exactness
    ("toy_bad_set_state", "L1::roundtrip[ported]::default", "state.energy"),  # a broken set_state
])
def test_broken_port_is_caught_where_expected(pytester, tmp_path, ported, caught_by, field):
    result, report = gate(pytester, tmp_path, ported)
    assert result.ret == 1
    assert report["verdict"] == "divergent"
    item = items(report)[caught_by]
    assert item["outcome"] == "failed", item
    assert field in [f["field"] for f in item["divergence"]["fields"]]
    assert f"FAILED equiv[toy_ref-vs-{ported}]::{caught_by}" in result.stdout.str()
    shrunk = item["divergence"]["case"] or {}
    assert shrunk.get("state") is not None or "roundtrip" in caught_by  # L1 hands back the minimal case
    html = (tmp_path / f"toy__toy_ref__{ported}.html").read_text()
    assert field in html


def test_lockstep_and_traces_catch_what_they_see(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "toy_changed_draw")
    found = items(report)
    assert found["L2::walk_right::default"]["outcome"] == "failed"
    lock = found["L3::lockstep[random]::default"]
    assert lock["outcome"] == "failed" and lock["divergence"]["step"] is not None


def test_change_visible_only_in_statistics(pytester, tmp_path):
    # Independent random streams: no lockstep, no injected transitions; only L3 statistics can judge.
    result, report = gate(pytester, tmp_path, "toy_indep")
    assert result.ret == 0 and report["verdict"] == "equivalent"
    assert not any(i.startswith(("L2", "L3::lockstep")) for i in items(report))
    result, report = gate(pytester, tmp_path, "toy_indep_rare")
    assert result.ret == 1 and report["verdict"] == "divergent"
    stats = items(report)["L3::stats[random]:treasures::default"]
    assert stats["outcome"] == "failed" and stats["stats"]["verdict"] == "divergent"
    assert all(i["outcome"] == "passed" for k, i in items(report).items() if k.startswith("L1"))


def test_statistics_false_alarm_rate_is_at_most_alpha():
    """A self-pair is equivalent by construction (disjoint seeds per side): count false alarms."""
    import dataclasses

    from equiv._pair import PairRun, RunOptions
    runs, alarms = 40, 0
    for seed in range(runs):
        pair = PairRun("toy_ref", "toy_ref", RunOptions(seed=1000 * seed, layers=("L3",), report_dir=None))
        pair.tier = dataclasses.replace(pair.tier, stat_episodes=100)
        verdicts = pair.statistics()
        alarms += any(v.verdict == "divergent" for v in verdicts.values())
        pair.close()
    rate = alarms / runs
    print(f"false-alarm rate over {runs} runs (3 metrics, Holm, alpha 0.05): {rate:.3f}")
    # P(X >= 6) for Binomial(40, 0.05) is about 1.4%: more would mean the tests are miscalibrated.
    assert alarms <= 5


def test_unknown_adapter_name(pytester, tmp_path):
    result, _ = gate(pytester, tmp_path, "no_such_port")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown adapter 'no_such_port'*equiv list*"])


def test_mismatched_families(pytester, tmp_path):
    result, _ = gate(pytester, tmp_path, "toy_other_family")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*cannot pair 'toy_ref' (family 'toy') with 'toy_other_family'*"])


def test_malformed_pair_words(pytester, tmp_path):
    result = pytester.runpytest_inprocess(*TOY, "--equiv", "reference=toy_ref", "toy_jax")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--equiv expects words like reference=NAME*got 'toy_jax'*"])


def test_adapter_that_raises_names_the_side(pytester, tmp_path):
    # An error is its own verdict, not a divergence, and the port's traceback is kept.
    result, report = gate(pytester, tmp_path, "toy_raises")
    assert result.ret == 1 and report["verdict"] == "error"
    errors = [i for i in items(report).values() if i["outcome"] == "error"]
    assert errors and all("ported adapter 'toy_raises'" in i["summary"] for i in errors)
    assert any("port exploded at t=5" in i["summary"] for i in errors)
    assert all("tests/toy/adapters.py" in i["message"] and "Traceback" in i["message"] for i in errors)
    result.stdout.fnmatch_lines(["*raise RuntimeError*", "*toy: toy_ref vs toy_raises: ERROR*"])


def test_adapter_that_returns_nan(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "toy_nan")
    assert result.ret == 1 and report["verdict"] == "error"
    # The message names the side, the call, the step, the field and the value.
    result.stdout.fnmatch_lines(["*ported adapter 'toy_nan' step() (step * since the last reset or injected "
                                 "state): field 'reward' is nan*"])
    result.stdout.fnmatch_lines(["*ported adapter 'toy_nan' rollouts() episode (seed *): field 'reward' is nan "
                                 "at step *"])


def test_reference_process_that_dies(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "toy_jax", reference="toy_ref_dies")
    assert result.ret == 1 and report["verdict"] == "error"
    result.stdout.fnmatch_lines(["*reference process died (exit code 3)*"])
    # What was computed before the crash is kept in the report.
    assert any(i["outcome"] == "passed" for i in items(report).values())


def test_interrupted_run_leaves_a_partial_report(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "toy_offbyone", "-x")
    assert result.ret == 1
    assert report["partial"] and report["interrupted"]
    assert report["counts"]["not_run"] > 0
    assert "PARTIAL" in (tmp_path / "toy__toy_ref__toy_offbyone.html").read_text()


def test_silent_without_equiv(pytester):
    pytester.makepyfile("def test_one():\n    assert True\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == 0
    out = result.stdout.str()
    assert "equiv:" not in out and "equiv verdicts" not in out


def test_a_hung_port_ends_as_an_error_within_its_timeout_and_the_run_goes_on(pytester, tmp_path):
    import time
    t0 = time.monotonic()
    # 5 s, not 2: on a loaded 2-core machine a healthy first call (a JIT compile) once took over 2 s
    result, report = gate(pytester, tmp_path, "toy_hangs", "--equiv-timeout", "5")
    assert time.monotonic() - t0 < 600
    assert result.ret == 1 and report["verdict"] == "error" and not report["partial"]
    found = items(report)
    hung = [i for i in found.values() if "did not return within 5 s" in i["summary"]]
    assert hung, [i["summary"] for i in found.values()]
    assert all(i["id"] in i["summary"] and "ported adapter 'toy_hangs'" in i["summary"] for i in hung)
    assert any("step 5 since the last reset" in i["message"] for i in hung)
    assert found["L1::roundtrip[reference]::default"]["outcome"] == "passed"  # items after a hang still ran


def test_a_port_stuck_in_native_code_ends_the_run_and_keeps_the_report(pytester, tmp_path, monkeypatch):
    from pathlib import Path
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))  # for tests.toy.plugin
    result = pytester.runpytest_subprocess(*TOY, "--equiv", "reference=toy_ref", "ported=toy_stuck",
                                           f"--equiv-report={tmp_path}", "--equiv-timeout", "1",
                                           "--equiv-layers", "L1", timeout=600)
    assert result.ret == 3
    result.stdout.fnmatch_lines(["*step(*) has not returned 2 s after it started*stuck in native code*"])
    report = json.loads((tmp_path / "toy__toy_ref__toy_stuck.json").read_text())
    assert report["partial"] and "native code" in report["interrupted"]
    outcomes = [i["outcome"] for i in items(report).values()]
    assert "error" in outcomes and "passed" in outcomes  # the stuck item, and what ran before it


def test_a_rerun_never_loses_the_previous_report(pytester, tmp_path):
    first, report1 = gate(pytester, tmp_path, "toy_jax")
    assert first.ret == 0 and not report1["partial"]
    second, report2 = gate(pytester, tmp_path, "toy_jax", "--equiv-layers", "L2")
    assert report2["run_id"] != report1["run_id"] and report2["counts"]["passed"] == 2
    second.stdout.fnmatch_lines(["*replacing the latest report of this pair (complete, equivalent*it stays at*"])
    kept = tmp_path / "history" / "toy__toy_ref__toy_jax"
    old = json.loads((kept / f"{report1['run_id']}.json").read_text())
    assert old == report1 and (kept / f"{report2['run_id']}.json").exists()
    index = (tmp_path / "index.html").read_text()
    assert report1["run_id"] in index and report2["run_id"] in index

"""Zero-code pairs: Gymnasium references against gymnax ports, with no user code.

The correct port passes every layer (and the report shows each layer ran); a gymnax port with
one constant changed is caught by each layer on its own."""
import json

import pytest

pytest.importorskip("gymnax", reason="gymnax is part of the pinned stack: run ./dev.sh setup")


def gate(pytester, tmp_path, reference, ported, *extra):
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--equiv", f"reference={reference}",
                                          f"ported={ported}", f"--equiv-report={tmp_path}", *extra)
    reports = [p for p in tmp_path.glob("*.json")]
    report = json.loads(reports[0].read_text()) if reports else None
    return result, report


def items(report):
    return {i["id"]: i for layer in report["layers"].values() for i in layer["items"]}


def test_correct_port_passes_every_layer_and_the_report_says_each_ran(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "gym:CartPole-v1", "gymnax:CartPole-v1")
    assert result.ret == 0, result.stdout.str()
    assert report["verdict"] == "equivalent"
    ran = {(n["layer"], n["check"]): n["ran"] for n in report["plan"]}
    assert ran[("L1", "cross properties")] and ran[("L2", "traces")]
    assert ran[("L3", "lockstep")] and ran[("L3", "statistics")]
    found = items(report)
    assert {"L1::played::default", "L1::perturbed::default", "L1::time_limit::default"} <= set(found)
    assert sum(k.startswith("L2::") for k in found) >= 6
    lock = found["L3::lockstep[random]::default"]
    assert lock["outcome"] == "passed" and lock["stats"]["lockstep"]["segments"] > 0
    assert lock["stats"]["growth"]["ported"]["0.5"], "the free-running error growth is recorded"
    assert "state-synced" in report["settings"]["sync"]
    assert "calibrated on gym:CartPole-v1" in found["L3::stats[random]:length::default"]["stats"]["margin_source"]
    html = next(p for p in tmp_path.glob("*.html") if p.name != "index.html").read_text()
    assert "What ran" in html and "Free-running error against horizon" in html


MUTANT = "gymnax:tests.generic.mutants:Gravity981"


def test_L1_catches_one_changed_constant(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "gym:CartPole-v1", MUTANT, "--equiv-layers", "L1")
    assert result.ret == 1 and report["verdict"] == "divergent"
    played = items(report)["L1::played::default"]
    assert played["outcome"] == "failed"
    assert "state.state" in [f["field"] for f in played["divergence"]["fields"]]
    assert all(i["outcome"] == "passed" for k, i in items(report).items() if "roundtrip" in k or "determinism" in k)


def test_L2_catches_one_changed_constant(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "gym:CartPole-v1", MUTANT, "--equiv-layers", "L2")
    assert result.ret == 1
    failed = [i for i in items(report).values() if i["outcome"] == "failed"]
    assert failed and all(i["layer"] == "L2" for i in failed)
    assert "state.state" in [f["field"] for f in failed[0]["divergence"]["fields"]]


def test_L3_lockstep_catches_one_changed_constant(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "gym:CartPole-v1", MUTANT, "--equiv-layers", "L3")
    assert result.ret == 1
    lock = items(report)["L3::lockstep[random]::default"]
    assert lock["outcome"] == "failed" and lock["divergence"]["step"] is not None


def test_L3_statistics_catch_one_changed_constant(pytester, tmp_path):
    result, report = gate(pytester, tmp_path, "gym:CartPole-v1",
                          "gymnax:tests.generic.mutants:HalfTimeStep", "--equiv-layers", "L3")
    assert result.ret == 1
    length = items(report)["L3::stats[random]:length::default"]
    assert length["outcome"] == "failed" and length["stats"]["verdict"] == "divergent"


def test_a_termination_decided_within_tolerance_is_borderline_not_divergent():
    """CartPole ends when |theta| > 0.2094...: put the reference's next theta 1e-10 past it. The
    float32 port may decide either way; the disagreement must come back as borderline."""
    import numpy as np

    from equiv._compare import split_borderline
    from equiv._registry import resolve_pair
    from equiv._schema import Mismatch

    ref_cls, _, suite = resolve_pair("gym:CartPole-v1", "gymnax:CartPole-v1")
    ref = ref_cls()
    ref.reset(0)
    tau, threshold = 0.02, 12 * 2 * np.pi / 360
    theta_dot = 0.5
    before = {"state": np.array([0.0, 0.0, threshold - tau * theta_dot + 1e-10, theta_dot]),
              "elapsed": np.int64(5)}
    ref.set_state(before)
    step = ref.step(1)
    assert step.terminated, "the reference's theta lands just past the threshold"
    out = {"terminated": np.bool_(True)}
    flag = Mismatch("terminated", True, False, "exact")
    kept, borderline = split_borderline(suite, [flag], before, 1, out, ref.get_state())
    assert not kept and borderline and "borderline" in borderline[0].note
    # Far from the threshold, a port that ends the episode there diverges.
    far = {"state": np.array([0.0, 0.0, 0.1, theta_dot]), "elapsed": np.int64(5)}
    ref.set_state(far)
    assert not ref.step(1).terminated
    wrong = Mismatch("terminated", False, True, "exact")
    kept, borderline = split_borderline(suite, [wrong], far, 1, {"terminated": np.bool_(False)},
                                        ref.get_state())
    assert kept and not borderline

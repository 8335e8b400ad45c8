"""Trace files and the ledger: malformed input is a clear error; the ledger cannot rot."""
import json

import pytest

from equiv import TraceFileError
from equiv._traces import load_trace


@pytest.mark.parametrize("text, message", [
    ("actions: [0, 1\n", "not valid YAML"),
    ("- 1\n- 2\n", "must be a mapping"),
    ("seed: 1\n", "'actions' must be a non-empty list"),
    ("seed: x\nactions: [0]\n", "'seed' must be an integer"),
    ("seed: 1\nactions: [{repeat: 1}]\n", "{repeat: ACTION, times: N}"),
    ("seed: 1\nactions: [0]\nbogus: 1\n", "unknown keys ['bogus']"),
    ("seed: 1\nactions: [0]\nexpect: [{step: 0}]\n", "expect entry 0"),
])
def test_malformed_trace_files(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(TraceFileError, match=None) as err:
        load_trace(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_trace_run_length_form(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("seed: 4\nactions: [1, {repeat: 2, times: 3}, [0, 1]]\n")
    trace = load_trace(path)
    assert trace.actions[:4] == [1, 2, 2, 2] and list(trace.actions[4]) == [0, 1]


def _suite_in(tmp_path, monkeypatch, ledger: str | None, trace: str | None = None):
    """The toy suite, but with its folder (traces, ledger) in tmp_path, as a module of its own."""
    import shutil

    from equiv import _registry
    from tests.toy import suite as toy
    root = tmp_path / "suite"
    shutil.copytree(toy.SUITE.root / "traces", root / "traces")
    if ledger is not None:
        (root / "ledger.yaml").write_text(ledger)
    if trace is not None:
        (root / "traces" / "broken.yaml").write_text(trace)
    module = f"toy_suite_{tmp_path.name}"
    (tmp_path / f"{module}.py").write_text(
        "import dataclasses\nfrom tests.toy.suite import SUITE as TOY\n"
        f"SUITE = dataclasses.replace(TOY, root={str(root)!r})\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(_registry._extra_suites, "toy", f"{module}:SUITE")


LEDGER = """
- id: edge-off-by-one
  fields: [terminated, obs, reward, "state.*"]
  reason: the port ends at |pos| >= 9 (a test of the ledger itself)
  date: 2026-11-24
"""


def test_ledger_turns_a_known_difference_into_an_expected_failure(pytester, tmp_path, monkeypatch):
    _suite_in(tmp_path, monkeypatch, LEDGER)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--equiv", "reference=toy_ref",
                                          "ported=toy_offbyone", f"--equiv-report={tmp_path}",
                                          "--equiv-layers", "L1,L2")
    assert result.ret == 0, result.stdout.str()
    report = json.loads((tmp_path / "toy__toy_ref__toy_offbyone.json").read_text())
    outcomes = {i["id"]: i["outcome"] for layer in report["layers"].values() for i in layer["items"]}
    assert outcomes["L1::edge::default"] == "xfailed"
    assert report["ledger"][0]["status"] == "matched"


def test_stale_ledger_entry_fails_the_gate(pytester, tmp_path, monkeypatch):
    _suite_in(tmp_path, monkeypatch, LEDGER)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--equiv", "reference=toy_ref",
                                          "ported=toy_jax", f"--equiv-report={tmp_path}", "--equiv-layers", "L1")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*LEDGER STALE*", "*edge-off-by-one*"])


def _run_toy(pytester, tmp_path, ported, layers="L1"):
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--equiv", "reference=toy_ref",
                                          f"ported={ported}", f"--equiv-report={tmp_path}", "--equiv-layers", layers)
    report = json.loads((tmp_path / f"toy__toy_ref__{ported}.json").read_text())
    outcomes = {i["id"]: i["outcome"] for layer in report["layers"].values() for i in layer["items"]}
    return result, report, outcomes


def test_an_entry_scoped_to_other_implementations_neither_excuses_nor_goes_stale(pytester, tmp_path, monkeypatch):
    """A reference's own quirk is recorded for the pairs with that reference only: the same
    difference from another pair fails, and the entry is not judged stale by pairs it is not for."""
    _suite_in(tmp_path, monkeypatch, LEDGER + '  pairs: ["other_ref/*", "*/other_ref"]\n')
    result, report, outcomes = _run_toy(pytester, tmp_path, "toy_offbyone")
    assert result.ret == 1 and outcomes["L1::edge::default"] == "failed", outcomes
    assert report["ledger"] == []  # not this pair's entry: not loaded, so never stale
    result, _, _ = _run_toy(pytester, tmp_path, "toy_jax")
    assert result.ret == 0, result.stdout.str()
    mine = tmp_path / f"{tmp_path.name}_mine"  # scoped to this very pair: it excuses
    mine.mkdir()
    _suite_in(mine, monkeypatch, LEDGER + '  pairs: ["toy_ref/toy_off*"]\n')
    result, report, outcomes = _run_toy(pytester, mine, "toy_offbyone")
    assert result.ret == 0 and outcomes["L1::edge::default"] == "xfailed", result.stdout.str()
    assert report["ledger"][0]["pairs"] == ["toy_ref/toy_off*"]


def test_within_per_field_excuses_only_up_to_each_fields_bound(pytester, tmp_path, monkeypatch):
    """``within`` as a mapping: a bound per field glob; a difference over its field's bound fails."""
    wide = LEDGER + '  within: {terminated: 1, obs: 100, reward: 100, "state.*": 100}\n'
    _suite_in(tmp_path, monkeypatch, wide)
    result, report, outcomes = _run_toy(pytester, tmp_path, "toy_offbyone")
    assert result.ret == 0 and outcomes["L1::edge::default"] == "xfailed", result.stdout.str()
    assert report["ledger"][0]["within"]["obs"] == 100.0
    narrow = LEDGER + '  within: {terminated: 0.5, obs: 100, reward: 100, "state.*": 100}\n'  # a flip is 1
    other = tmp_path / f"{tmp_path.name}_narrow"  # a suite module of its own
    other.mkdir()
    _suite_in(other, monkeypatch, narrow)
    result, _, outcomes = _run_toy(pytester, other, "toy_offbyone")
    assert result.ret == 1 and outcomes["L1::edge::default"] == "failed", outcomes


def test_an_occasional_entry_is_not_stale_when_a_run_misses_it(pytester, tmp_path, monkeypatch):
    _suite_in(tmp_path, monkeypatch, LEDGER + "  occasional: true\n")
    result, report, _ = _run_toy(pytester, tmp_path, "toy_jax")
    assert result.ret == 0, result.stdout.str()
    assert report["ledger"][0]["status"] == "not met"
    html = (tmp_path / "toy__toy_ref__toy_jax.html").read_text()
    assert "not met" in html


@pytest.mark.parametrize("extra, message", [
    ("  within: {obs: -1}\n", "'within' must be a non-negative number"),
    ("  occasional: sometimes\n", "'occasional' must be true or false"),
    ("  reference: x\n", "optionally"),
    ("  pairs: mjx\n", "'pairs' must be a list"),
])
def test_malformed_ledger_entries_are_named(tmp_path, extra, message):
    from equiv._errors import ConfigError
    from equiv._ledger import Ledger
    path = tmp_path / "ledger.yaml"
    path.write_text(LEDGER + extra)
    with pytest.raises(ConfigError, match=message):
        Ledger.load(path)


def test_malformed_trace_is_an_error_item_and_the_rest_still_runs(pytester, tmp_path, monkeypatch):
    _suite_in(tmp_path, monkeypatch, None, trace="seed: 1\nactions: oops\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--equiv", "reference=toy_ref",
                                          "ported=toy_jax", f"--equiv-report={tmp_path}", "--equiv-layers", "L2")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*broken.yaml: 'actions' must be a non-empty list*"])
    report = json.loads((tmp_path / "toy__toy_ref__toy_jax.json").read_text())
    assert sum(i["outcome"] == "passed" for i in report["layers"]["L2"]["items"]) == 2


def test_bounded_seed_space_keeps_episodes_inside_and_sides_apart():
    import dataclasses

    from equiv._pair import PairRun, RunOptions
    pair = PairRun("toy_ref", "toy_jax", RunOptions(seed=7, report_dir=None))
    pair.suite = dataclasses.replace(pair.suite, seed_space=64)
    lock, ref, port = (pair.episode_seeds(40, g) for g in ("lockstep", "reference", "ported"))
    assert all(0 <= s < 64 for s in lock + ref + port)
    assert len(set(lock)) == 40 and not set(ref) & set(port)
    pair.suite = dataclasses.replace(pair.suite, seed_space=None)
    assert not set(pair.episode_seeds(300, "reference")) & set(pair.episode_seeds(300, "ported"))

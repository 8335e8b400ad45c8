"""equiv._report: atomic files, a self-contained page, divergences and statistics shown."""
import json
import re

import numpy as np
import pytest

from equiv._errors import ConfigError
from equiv._report import regenerate, render_html, render_index, write_report
from equiv._stats import compare


def _report(family="toy", reference="toy_ref", ported="toy_port", *, partial=False,
            interrupted=None, verdict="divergent") -> dict:
    rng = np.random.default_rng(0)
    verdicts = compare({
        "return": (rng.normal(1.0, 1.0, 400), rng.normal(1.05, 1.0, 400), 0.5, "continuous"),
        "winner": (rng.integers(0, 3, 400), rng.integers(0, 3, 400), 0.3, "categorical"),
    })
    screen = np.zeros((4, 30), dtype=np.uint8)
    ported_screen = screen.copy()
    ported_screen[3, 25] = 7  # flat index 115: beyond the first elements shown of a long list
    divergence = {
        "step": 12, "seed": 7, "action": [1, 4],
        "fields": [
            {"field": "state.ball_x", "reference": 3.5, "ported": 3.25, "tolerance": "exact",
             "where": [], "note": ""},
            {"field": "state.screen", "reference": screen.tolist(),
             "ported": ported_screen.tolist(), "tolerance": "exact", "where": [115],
             "note": "one pixel"},
        ],
        "previous_state": {"ball_x": 3.0, "score": [0, 1], "screen": screen.tolist()},
        "reference": {"reward": 0.0, "state.ball_x": 3.5, "state.score": [0, 1],
                      "state.screen": screen.tolist()},
        "ported": {"reward": 0.0, "state.ball_x": 3.25, "state.score": [0, 1],
                   "state.screen": ported_screen.tolist()},
        "case": None, "tape": "step 11: ball at 3.0\nstep 12: <paddle> hit", "detail": None,
    }
    item = lambda layer, name, outcome, **kw: {  # noqa: E731
        "id": f"{layer}::{name}::default", "name": name, "layer": layer, "variant": "default",
        "outcome": outcome, "seconds": 0.25, "summary": f"{name} summary", "examples": None,
        "divergence": None, "stats": None, "ledger": [], **kw}
    return {
        "equiv_version": "0.1.0", "family": family, "reference": reference, "ported": ported,
        "verdict": verdict, "partial": partial, "interrupted": interrupted,
        "started": "2025-01-01T10:00:00", "finished": None if partial else "2025-01-01T10:01:00",
        "settings": {"tier": "quick", "seed": 0, "layers": ["L1", "L2", "L3"],
                     "variants": ["default"], "command": "pytest --equiv reference=a ported=b"},
        "provenance": {"reference": {"name": reference, "version": "1.0", "hash": "abc123"},
                       "ported": {"name": ported, "version": "0.2", "hash": "def456",
                                  "built": "release"}},
        "counts": {"passed": 2, "failed": 1, "xfailed": 1, "inconclusive": 0, "error": 0,
                   "not_run": 0},
        "layers": {
            "L1": {"verdict": "equivalent", "seconds": 0.5, "items": [
                item("L1", "step", "passed", examples=40),
                item("L1", "reset", "xfailed", ledger=["rounding-1"])]},
            "L2": {"verdict": "divergent", "seconds": 0.3, "items": [
                item("L2", "trace:serve", "failed", divergence=divergence,
                     summary="first divergence at step 12: state.ball_x, state.screen")]},
            "L3": {"verdict": "equivalent", "seconds": 2.0, "items": [
                item("L3", f"stats[random]:{name}", "passed",
                     stats={**v.to_json(), "policy": "random"}) for name, v in verdicts.items()]},
        },
        "ledger": [{"id": "rounding-1", "fields": ["state.ball_*"], "tests": ["L1::*"],
                    "reason": "float rounding <b>order</b>", "date": "2025-01-01",
                    "status": "matched"}],
    }


def test_write_report_writes_both_files_and_index_atomically(tmp_path):
    out = tmp_path / "reports" / "nested"
    json_path, html_path = write_report(out, _report())
    assert json_path == out / "toy__toy_ref__toy_port.json"
    assert html_path == out / "toy__toy_ref__toy_port.html"
    assert json.loads(json_path.read_text())["verdict"] == "divergent"
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html", "toy__toy_ref__toy_port.html", "toy__toy_ref__toy_port.json"]  # no temp files


def test_a_failed_write_leaves_the_old_report_and_no_temp_file(tmp_path, monkeypatch):
    json_path, html_path = write_report(tmp_path, _report())
    before = json_path.read_text(), html_path.read_text()

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("equiv._report.os.replace", full_disk)
    with pytest.raises(OSError):
        write_report(tmp_path, _report(verdict="equivalent"))
    assert (json_path.read_text(), html_path.read_text()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "index.html", "toy__toy_ref__toy_port.html", "toy__toy_ref__toy_port.json"]


def test_unserialisable_values_are_named(tmp_path):
    bad = _report()
    bad["settings"]["handle"] = object()
    with pytest.raises(TypeError, match="object"):
        write_report(tmp_path, bad)
    assert list(tmp_path.iterdir()) == []


def test_json_is_strict_and_keeps_non_finite_values_readable(tmp_path):
    report = _report()
    report["layers"]["L2"]["items"][0]["divergence"]["ported"]["reward"] = float("nan")
    report["settings"]["seed"] = np.int64(3)
    json_path, html_path = write_report(tmp_path, report)
    text = json_path.read_text()
    data = json.loads(text)  # strict: no bare NaN
    assert "NaN" not in text
    assert data["layers"]["L2"]["items"][0]["divergence"]["ported"]["reward"] == "nan"
    assert data["settings"]["seed"] == 3


def test_html_is_self_contained():
    html = render_html(_report())
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<script[^>]*\bsrc=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 5  # two continuous panels + margin, bars + margin


def test_html_shows_verdict_counts_layers_ledger_provenance_and_settings():
    html = render_html(_report())
    assert 'class="verdict v-divergent"' in html and "DIVERGENT" in html
    assert "xfailed 1" in html and "failed 1" in html
    for text in ("L1::step::default", "trace:serve", "stats[random]:return", "rounding-1",
                 "abc123", "def456", "release", "pytest --equiv reference=a ported=b"):
        assert text in html
    assert "PARTIAL" not in html
    # user text is escaped, never markup
    assert "float rounding &lt;b&gt;order&lt;/b&gt;" in html
    assert "&lt;paddle&gt;" in html


def test_html_highlights_the_differing_fields_side_by_side():
    html = render_html(_report())
    rows = re.findall(r'<tr class="differs"><td><code>([^<]+)</code>', html)
    assert set(rows) == {"state.ball_x", "state.screen"}
    assert '<tr><td><code>state.score</code>' in html  # equal fields are shown, not highlighted
    # the differing pixel is beyond the truncated head of a 120-element array, yet shown marked
    assert "<mark>7</mark>" in html and "<mark>0</mark>" in html
    assert "(3, 25)" in html  # the flat index 115 is given as a position in the 4x30 screen
    # the differing-fields table shows just the values at the differing indices
    assert re.search(r"\(3, 25\)</td>\s*<td class=\"v\">\[0\]</td><td class=\"v\">\[7\]</td>", html)
    assert "(shape 4×30)" in html
    assert "3.25" in html and "3.5" in html
    assert "step 12: &lt;paddle&gt; hit" in html  # the tape, in a <pre>


def test_html_shows_statistics():
    html = render_html(_report())
    assert "TOST p" in html and "Holm-adjusted" in html and "margin ±0.5" in html
    assert "chi-square p" in html and "KS p" in html
    assert "empirical CDF" in html


def test_degenerate_statistics_render():
    ok = np.arange(10.0)
    broken = compare({"m": (ok, np.r_[ok[:-1], np.nan], 3.0, "continuous")})["m"]
    report = _report()
    report["layers"]["L3"]["items"][0]["stats"] = {**broken.to_json(), "policy": "random"}
    html = render_html(report)
    assert "non-finite" in html and "TOST p</dt><dd>—" in html


def test_a_minimal_report_renders():
    html = render_html({"equiv_version": "0", "family": "f", "reference": "r", "ported": "p",
                        "verdict": "inconclusive"})
    assert "INCONCLUSIVE" in html and "No known differences" in html


def test_long_values_are_truncated_with_a_count():
    report = _report()
    report["layers"]["L2"]["items"][0]["divergence"]["reference"]["state.ram"] = list(range(5000))
    html = render_html(report)
    assert "(5000 items)" in html and "4999" in html and "2500" not in html


@pytest.mark.parametrize("partial, interrupted", [(True, None), (False, "KeyboardInterrupt")])
def test_partial_reports_carry_a_banner(partial, interrupted):
    html = render_html(_report(partial=partial, interrupted=interrupted))
    assert "PARTIAL" in html
    if interrupted:
        assert "KeyboardInterrupt" in html


def test_regenerate_rerenders_next_to_the_json(tmp_path):
    json_path, html_path = write_report(tmp_path, _report())
    first = html_path.read_text()
    html_path.unlink()
    assert regenerate(json_path) == html_path
    assert html_path.read_text() == first


def test_regenerate_errors_clearly_on_bad_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        regenerate(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        regenerate(broken)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"name": "package.json of something else"}))
    with pytest.raises(ConfigError, match="not an equiv report.*family"):
        regenerate(other)
    with pytest.raises(ConfigError, match="not an equiv report"):
        write_report(tmp_path, {"family": "x"})


def test_index_lists_every_report_in_the_folder(tmp_path):
    write_report(tmp_path, _report())
    write_report(tmp_path, _report("pong", "puffer pong", "pong_jax", verdict="equivalent"))
    (tmp_path / "unrelated.json").write_text("[1, 2]")
    index = (tmp_path / "index.html").read_text()
    assert 'href="toy__toy_ref__toy_port.html"' in index
    assert 'href="pong__puffer_pong__pong_jax.html"' in index  # unsafe characters replaced
    assert index.count("<tr>") == 3  # header + two reports; the unrelated file is skipped
    assert "v-equivalent" in index and "v-divergent" in index
    assert render_index([]).count("No reports") == 1


def test_partial_pair_is_flagged_in_the_index(tmp_path):
    write_report(tmp_path, _report(partial=True))
    assert "partial" in (tmp_path / "index.html").read_text()


def test_reports_load_as_dataframes_across_runs(tmp_path):
    import equiv
    first, second = _report(), _report(verdict="equivalent")
    first["run_id"], second["run_id"] = "20261206T100000Z-1-aaaa", "20261206T110000Z-2-bbbb"
    write_report(tmp_path, first)
    write_report(tmp_path, second)
    results = equiv.load_report(tmp_path)  # the folder: every run kept in history/
    assert set(results.items["run_id"]) == {first["run_id"], second["run_id"]}
    assert {"layer", "outcome", "summary"} <= set(results.items.columns)
    per_run = results.metrics.groupby(["run_id", "side"])["value"].count()
    assert per_run.min() > 0
    assert set(results.verdicts["verdict"]) <= {"equivalent", "divergent", "inconclusive"}
    one = equiv.load_report(tmp_path / "toy__toy_ref__toy_port.json")
    assert set(one.items["run_id"]) == {second["run_id"]}
    with pytest.raises(equiv.ConfigError, match="neither a report JSON nor a report folder"):
        equiv.load_report(tmp_path / "missing")

"""The `equiv` command: list, gate, report, and its errors."""
import json

from equiv._cli import main


def test_list_shows_every_adapter_with_family_and_status(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "toy_ref" in out and "toy" in out
    line = next(line for line in out.splitlines() if line.startswith("toy_jax "))
    assert line.split()[1:3] == ["toy", "ported"] and line.rstrip().endswith("ok")


def test_gate_runs_the_configured_pairs_and_writes_reports(tmp_path, capsys):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.equiv]\ngate = ["reference=toy_ref ported=toy_jax"]\n')
    report = tmp_path / "reports"
    code = main(["gate", "--config", str(config), "--report", str(report), "--", "--equiv-layers", "L1,L2"])
    assert code == 0
    data = json.loads((report / "toy__toy_ref__toy_jax.json").read_text())
    assert data["verdict"] == "equivalent" and data["settings"]["layers"] == ["L1", "L2"]


def test_gate_without_config_is_a_clear_error(tmp_path, capsys):
    assert main(["gate", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "not found" in capsys.readouterr().err


def test_report_regenerates_html(tmp_path, capsys):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.equiv]\ngate = ["reference=toy_ref ported=toy_offbyone"]\n')
    report = tmp_path / "reports"
    assert main(["gate", "--config", str(config), "--report", str(report), "--", "--equiv-layers", "L1"]) == 1
    html = report / "toy__toy_ref__toy_offbyone.html"
    html.unlink()
    assert main(["report", str(report / "toy__toy_ref__toy_offbyone.json")]) == 0
    assert "terminated" in html.read_text()


def test_report_of_a_bad_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text("{}")
    assert main(["report", str(bad)]) == 2
    assert "equiv: error:" in capsys.readouterr().err

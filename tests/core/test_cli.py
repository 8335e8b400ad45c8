"""The `equiv` command: list, gate, report, and its errors."""
import json
import subprocess
import sys

from equiv._cli import main


def test_list_shows_every_adapter_with_family_and_status(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "toy_ref" in out and "toy" in out
    line = next(line for line in out.splitlines() if line.startswith("toy_jax "))
    assert line.split()[1:3] == ["toy", "ported"] and line.rstrip().endswith("ok")


def test_python_dash_m_equiv_is_the_command():
    bad = subprocess.run([sys.executable, "-m", "equiv", "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice: 'no-such-command'" in bad.stderr


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


def test_list_shows_the_real_import_error_of_a_broken_dependency(capsys):
    assert main(["list"]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("toy_broken_dependency"))
    assert "NOT USABLE" in line and "libtoyphysics.so.3: cannot open shared object file" in line
    assert "pip install" in line  # advice that also fits a pip install, not only a checkout


def test_check_adapter_passes_a_correct_adapter(capsys):
    assert main(["check-adapter", "toy_jax"]) == 0
    out = capsys.readouterr().out
    assert "toy_jax: 5 of 5 checks passed" in out and "FAILED" not in out


def test_check_adapter_names_what_is_wrong(capsys):
    assert main(["check-adapter", "toy_bad_set_state"]) == 1
    out = capsys.readouterr().out
    assert "FAILED roundtrip (L1)" in out and "state.energy" in out
    assert main(["check-adapter", "toy_f64_energy"]) == 1
    out = capsys.readouterr().out
    assert "FAILED reset, seeding and the state schema" in out
    assert "field 'energy' is float64, the schema says float32" in out

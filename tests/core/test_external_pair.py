"""docs/example-pair, installed as a user would (its own pyproject, entry points and all), passes
the gate; the same project with one rule broken in its port fails it at every layer."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-pair"


def _install(source: Path, target: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                          str(source)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]


def _gate(pytester, monkeypatch, target: Path, report: Path):
    monkeypatch.setenv("PYTHONPATH", str(target))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--equiv", "reference=corridor_py",
                                           "ported=corridor_jax", f"--equiv-report={report}", timeout=600)
    data = json.loads((report / "corridor__corridor_py__corridor_jax.json").read_text())
    return result, data


def test_the_example_pair_installs_and_passes(pytester, monkeypatch, tmp_path):
    _install(EXAMPLE, tmp_path / "site")
    result, report = _gate(pytester, monkeypatch, tmp_path / "site", tmp_path / "report")
    assert result.ret == 0, result.stdout.str()
    assert report["verdict"] == "equivalent" and set(report["layers"]) == {"L1", "L2", "L3"}


def test_the_example_pair_with_a_broken_port_fails_every_layer(pytester, monkeypatch, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE, broken, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    port = broken / "src" / "corridor" / "port.py"
    port.write_text(port.read_text().replace("r % 4 == 0", "r % 4 == 1"))
    _install(broken, tmp_path / "site")
    result, report = _gate(pytester, monkeypatch, tmp_path / "site", tmp_path / "report")
    assert result.ret == 1 and report["verdict"] == "divergent"
    failed = {layer for layer, data in report["layers"].items()
              if any(i["outcome"] == "failed" for i in data["items"])}
    assert failed == {"L1", "L2", "L3"}

"""Installing the framework for use in another project puts `equiv` alone into site-packages, and
loading its pytest plugin without --equiv imports nothing heavy."""
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _site_packages(env: Path) -> Path:
    return next((env / "lib").glob("python3*/site-packages"))


def test_pip_install_adds_only_equiv_as_a_top_level_package(tmp_path):
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    site = _site_packages(env)
    before = {p.name for p in site.iterdir()}
    run = subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(ROOT)],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    added = {p.name for p in site.iterdir()} - before
    packages = {n for n in added if not n.endswith((".dist-info", ".pth")) and n != "__pycache__"}
    assert packages == {"equiv"}, f"new top-level names in site-packages: {sorted(added)}"
    assert (site / "equiv" / "templates" / "report.html.j2").is_file()  # the report templates ship


def test_the_plugin_without_equiv_imports_nothing_heavy():
    code = ("import sys; import equiv._pytest_plugin; "
            "heavy = [m for m in ('numpy', 'scipy', 'pandas', 'hypothesis', 'jinja2', 'yaml', 'jax') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"loaded without --equiv: {out.stdout}"

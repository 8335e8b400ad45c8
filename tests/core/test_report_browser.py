"""The HTML report in a real browser: Debian's Chromium, headless, without network.

A passing and a failing report are rendered; the DOM the browser built must hold the verdict
banner, the per-layer tables, the side-by-side divergence and the plots, the screenshot must
show the banner in the verdict's colour, and the browser must log no script or load errors.
"""
import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from equiv._pair import PairRun, RunOptions

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]
GREEN, RED = (0x2F, 0x85, 0x5A), (0xC5, 0x30, 0x30)


def _browser():
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: the report is tested in a real browser. Install Debian's "
                    "chromium (./dev.sh setup does, with apt-get, where it is missing)")
    return CHROMIUM


def _report(tmp_path: Path, ported: str) -> Path:
    pair = PairRun("toy_ref", ported, RunOptions(report_dir=tmp_path))
    pair.suite = dataclasses.replace(pair.suite, sync_every=4)  # teacher-forced: the growth plot too
    for spec in pair.plan():
        pair.run(spec)
    pair.close()
    json_path, html_path = pair.write_report()
    return html_path


def _chromium(tmp_path: Path, *args) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([_browser(), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180)


def _problems(log: str) -> list[str]:
    return [line for line in log.splitlines()
            if re.search(r"Uncaught|SyntaxError|ReferenceError|ERR_(FILE|NAME|CONNECTION|INTERNET)", line)]


@pytest.mark.parametrize("ported, verdict, colour", [("toy_jax", "EQUIVALENT", GREEN),
                                                     ("toy_changed_draw", "DIVERGENT", RED)])
def test_the_report_renders_in_a_real_browser(tmp_path, ported, verdict, colour):
    from PIL import Image

    page = _report(tmp_path, ported)
    html = page.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the page must need no network"
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not _problems(dom.stderr), _problems(dom.stderr)
    text = dom.stdout
    banner = re.search(r'<header class="verdict v-(\w+)">.*?<div class="big">(\w+)</div>', text, re.S)
    assert banner and banner.group(2) == verdict
    assert text.count('<table class="items">') == 3  # L1, L2, L3
    assert '<table class="plan">' in text and text.count('<svg class="plot"') >= 2
    if verdict == "DIVERGENT":
        assert "Differing fields" in text and "DIFFERS" in text and "state.pos" in text
    else:
        assert "Free-running error against horizon" in text
    shot = tmp_path / "page.png"
    run = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri())
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    top = [image.getpixel((x, y)) for x in range(100, 1100, 50) for y in range(30, 90, 10)]
    near = sum(all(abs(a - b) < 30 for a, b in zip(p, colour)) for p in top)
    assert near > len(top) // 3, f"the banner is not drawn in the verdict's colour ({near} of {len(top)})"

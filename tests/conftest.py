"""Shared test set-up: the toy family (tests/toy/) is registered as a plugin."""
import os
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")
# Calibrations of zero-code pairs are measured once and shared by every test (pytester runs
# in temporary folders, where a relative cache would be measured again each time).
os.environ.setdefault("EQUIV_CACHE", str(Path(__file__).resolve().parent.parent / ".equiv-cache"))

# In-process pytester runs unload modules first imported inside them; C extensions
# (numpy.fft under scipy) cannot be loaded twice, so import the heavy ones up front.
import scipy.stats  # noqa: E402,F401

import equiv._report  # noqa: E402,F401
import equiv._stats  # noqa: E402,F401

pytest_plugins = ["pytester", "tests.toy.plugin"]


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the slow, deep checks (marked @pytest.mark.slow); CI leaves them out")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    import pytest
    skip = pytest.mark.skip(reason="slow, deep check: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)

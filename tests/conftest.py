"""Shared test set-up: the toy family (tests/toy/) is registered as a plugin."""
import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

# In-process pytester runs unload modules first imported inside them; C extensions
# (numpy.fft under scipy) cannot be loaded twice, so import the heavy ones up front.
import scipy.stats  # noqa: E402,F401

import equiv._report  # noqa: E402,F401
import equiv._stats  # noqa: E402,F401

pytest_plugins = ["pytester", "tests.toy.plugin"]

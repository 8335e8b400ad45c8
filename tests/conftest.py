"""Shared test set-up: the toy family (tests/toy/) is registered as a plugin."""
import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

pytest_plugins = ["pytester", "tests.toy.plugin"]

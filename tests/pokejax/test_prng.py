"""pokejax's Showdown PRNGs are bit-exact against Showdown's own PRNG class, run in Node."""
import functools
import json
import shutil
import subprocess
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pytest

from ported_envs.pokejax import prng

SD = Path(__file__).resolve().parents[2] / "reference_envs" / "ts_showdown" / "node_modules" / "pokemon-showdown"
SEEDS = ["sodium,00000000000000000000000000000001", "sodium,5eed0000000000000000000000001234abcd",
         "gen5,0123456789abcdef", "gen5,ffffffffffffffff", "1,2,3,4"]
BOUNDS = [(0, 256), (217, 256), (0, 2), (1, 8), (2, 6), (0, 8), (1, 3)]
N = 300


@functools.cache
def node_draws():
    if shutil.which("node") is None or not SD.is_dir():
        pytest.fail(f"Node.js and Showdown are needed for this check ({SD}); run ./dev.sh setup")
    js = (f"const {{PRNG}} = require({json.dumps(str(SD))});"
          f"const out = {{}}; for (const s of {json.dumps(SEEDS)}) {{ const p = new PRNG(s); const d = [];"
          f"for (let i = 0; i < {N}; i++) {{ const [lo, hi] = {json.dumps(BOUNDS)}[i % {len(BOUNDS)}];"
          f"d.push(p.random(lo, hi)); }} out[s] = [d, p.getSeed()]; }} console.log(JSON.stringify(out));")
    return json.loads(subprocess.run(["node", "-e", js], capture_output=True, text=True, check=True).stdout)


def port_draws(seed):
    kind, s = prng.parse_seed(seed)
    outs, states = prng.stream(kind, jnp.asarray(s), N)
    vals = [int(prng.scale(outs[i], *BOUNDS[i % len(BOUNDS)])) for i in range(N)]
    return vals, prng.format_seed(kind, np.asarray(states[-1]))


@pytest.fixture(params=["native", "pure_jax"])
def sodium_path(request, monkeypatch):
    """The sodium stream on both of its paths: the native kernel and the pure-JAX fallback."""
    if request.param == "pure_jax":
        monkeypatch.setattr(prng.sodium_native, "available", lambda: False)
    elif not prng.sodium_native.available():
        pytest.fail("pokejax's native sodium kernel did not build or load; run ported_envs/pokejax/setup.sh "
                    "(it needs g++) and read its error")
    return request.param


def test_draws_and_final_seed_match_showdown(sodium_path):
    ref = node_draws()
    for seed in SEEDS:
        vals, final = port_draws(seed)
        want, want_seed = ref[seed]
        first = next((i for i, (a, b) in enumerate(zip(vals, want)) if a != b), None)
        assert first is None, f"{seed}: draw #{first} port={vals[first]} showdown={want[first]}"
        assert final == want_seed, f"{seed}: state after {N} draws {final} != {want_seed}"


def test_a_broken_generator_is_caught():
    """The check above can fail: a one-bit change in the LCG constant changes the draws."""
    kind, s = prng.parse_seed("gen5,0123456789abcdef")
    outs, _ = prng.stream(kind, jnp.asarray(s), 4)
    saved = prng._C
    try:
        prng._C = (0, 0, 0x26, 0x9EC2)
        bad, _ = prng.stream(kind, jnp.asarray(s), 4)
    finally:
        prng._C = saved
    assert not np.array_equal(np.asarray(outs), np.asarray(bad))


def test_seed_strings_round_trip_and_bad_seed_is_named():
    for seed in ("sodium,7b23afd82928980511f8b76c5e50f253434817e83e236815d605b8a4699205fd", "1,2,3,4"):
        kind, s = prng.parse_seed(seed)
        assert prng.format_seed(kind, s) == seed
    with pytest.raises(ValueError, match="unrecognised Showdown seed"):
        prng.parse_seed("mt19937,5")

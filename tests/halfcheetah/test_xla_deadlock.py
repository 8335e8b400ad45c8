"""The cause of MJX's hang at large batches on CPU, reproduced without MJX.

Two batched Cholesky factorisations (``jnp.linalg.cholesky``, jaxlib's LAPACK custom call) in
a loop body: at 1,024 9x9 matrices the program never finishes (the LAPACK kernel splits the
batch into tasks on XLA's intra-op pool and blocks its own pool thread waiting for them);
at 512 it runs. ``--xla_cpu_multi_thread_eigen=false`` does not prevent it.
Each case is a child process with a timeout (a hung one is killed). See
reference_envs/halfcheetah/xla_safety.py.
"""
import os
import subprocess
import sys

import pytest

PROGRAM = """
import jax, jax.numpy as jnp, numpy as np
from jax import lax
n = {n}
x = np.random.default_rng(0).normal(size=(n, 9, 9)).astype(np.float32)
spd = jnp.asarray(x @ np.swapaxes(x, -1, -2) + 9 * np.eye(9, dtype=np.float32))
def body(i, c):
    m = c * 1.0001 + 1e-6 * jnp.sin(c)
    ls = [jnp.linalg.cholesky(m + j * jnp.eye(9)) for j in range(2)]
    return m + 1e-9 * sum(l.sum() for l in ls)
jax.block_until_ready(jax.jit(lambda m: lax.fori_loop(0, 20, body, m))(spd))
print("finished")
"""


def _run(n: int, flags: str, timeout: float = 45) -> str:
    env = {**os.environ, "XLA_FLAGS": flags, "JAX_PLATFORMS": "cpu"}
    env.pop("JAX_ENABLE_X64", None)
    try:
        out = subprocess.run([sys.executable, "-c", PROGRAM.format(n=n)], env=env, capture_output=True,
                             text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hung"
    return "finished" if "finished" in out.stdout else f"failed: {out.stderr[-300:]}"


@pytest.mark.slow
def test_batched_lapack_cholesky_deadlocks_the_cpu_pool():
    if (os.cpu_count() or 1) > 2:
        pytest.skip("measured on a 2-core machine: XLA's intra-op pool has 2 threads there; with "
                    "more threads two concurrent factorisations no longer exhaust it")
    assert _run(512, "") == "finished"
    assert _run(1024, "") == "hung"
    assert _run(2048, "--xla_cpu_multi_thread_eigen=false") == "hung"


def test_mjx_adapter_splits_large_batches():
    from adapters.mjx import MjxHalfCheetah
    from reference_envs.halfcheetah import xla_safety

    class Recorder(MjxHalfCheetah):
        def __init__(self):  # no MJX needed: only the splitting is checked
            self.sizes = []
            self.env = self

        def run(self, starts, actions):
            import numpy as np
            self.sizes.append(len(starts))
            n = len(starts)
            return (np.zeros((1, n, 17)), np.zeros((1, n)), np.zeros((1, n), bool), {"qpos": np.zeros((1, n, 9))})

    r = Recorder()
    import numpy as np
    r._run([{}] * 1300, np.zeros((1, 1300, 6), np.float32))
    assert r.sizes == [512, 512, 276] and max(r.sizes) <= xla_safety.SAFE_LAPACK_BATCH

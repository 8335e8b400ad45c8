"""The cause of MJX's hang at large batches on CPU, reproduced without MJX.

Two batched Cholesky factorisations (``jnp.linalg.cholesky``, jaxlib's LAPACK custom call) in
a loop body: at 1,024 9x9 matrices the program never finishes with default XLA flags (the
LAPACK kernel splits the batch into tasks on XLA's intra-op pool and blocks its own pool
thread waiting for them); at 512 it runs; with ``--xla_cpu_multi_thread_eigen=false`` it runs.
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
    assert _run(1024, "--xla_cpu_multi_thread_eigen=false") == "finished"


def test_mjx_adapter_keeps_batches_safe():
    from reference_envs.halfcheetah import xla_safety
    assert xla_safety.batch_limit() in (xla_safety.SAFE_LAPACK_BATCH, 1 << 62)
    assert (xla_safety.batch_limit() > xla_safety.SAFE_LAPACK_BATCH) == xla_safety.flag_set()

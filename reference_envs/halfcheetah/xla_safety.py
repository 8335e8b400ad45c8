"""Why MJX stops responding at large batches on this CPU, and how the adapters avoid it.

Observed (jaxlib 0.10.2, 2-core VM): ``jit(vmap(...))`` of MJX's step at batch 1,024 or
4,096 never finishes with default XLA flags; every thread sleeps. Backtraces of the stuck
process (``gdb -p PID -batch -ex "thread apply all bt"``) show both threads of XLA's
intra-op pool ("tf_XLAEigen") inside ``lapack_spotrf_ffi`` -> ``jax::CholeskyFactorization::
Kernel`` -> ``jax::ParallelBatchMap`` -> ``absl::BlockingCounter::Wait``, and the caller in
``block_until_ready``. MJX's Newton solver factors its Hessian with ``jax.scipy.linalg
.cho_factor``, which under ``vmap`` is one batched LAPACK custom call. jaxlib 0.10's CPU
kernel splits a large enough batch into tasks on the *same* intra-op pool and blocks its
thread until they finish. XLA's thunk executor runs such a custom call on a pool thread
(the continuation of a parallel loop kernel), and runs independent calls concurrently:
once every pool thread is blocked waiting, the queued tasks have no thread left, and the
program deadlocks. A 12-line program reproduces it without MJX: two batched
``jnp.linalg.cholesky`` of 1,024 9x9 matrices in a ``fori_loop`` body hang; 512 runs;
``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false`` (no intra-op pool: every kernel and the
LAPACK batch run inline on the caller) runs (tests/halfcheetah/test_xla_deadlock.py).

Handling: the flag is process-wide and must be set before JAX starts, and it makes XLA's
own kernels single-threaded, so the adapters do not set it behind the user's back.
Instead the MJX adapter never hands MJX more than :data:`SAFE_LAPACK_BATCH` envs per call
unless the flag is already set (then any batch is safe). The benchmark runs MJX's large
batches in a child process started with the flag. halfcheetah_jax is not affected: its
Cholesky factorisations are unrolled arithmetic, with no LAPACK custom call (a test
checks its compiled program has none).
"""
from __future__ import annotations

import os

SAFE_LAPACK_BATCH = 512  # largest batch measured to run with two concurrent Cholesky calls
FLAG = "--xla_cpu_multi_thread_eigen=false"


def flag_set() -> bool:
    return FLAG in os.environ.get("XLA_FLAGS", "").split()


def batch_limit() -> int:
    """The largest batch MJX may get in one call in this process."""
    return 1 << 62 if flag_set() else SAFE_LAPACK_BATCH

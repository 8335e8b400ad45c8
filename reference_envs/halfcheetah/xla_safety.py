"""Why MJX stops responding at large batches on this CPU, and how the adapters avoid it.

Observed (jaxlib 0.10.2, 2-core VM): ``jit(vmap(...))`` of MJX's step at batch 1,024 or
4,096 never finishes; every thread sleeps. Backtraces of the stuck process (``gdb -p PID
-batch -ex "thread apply all bt"``) show both threads of XLA's intra-op pool
("tf_XLAEigen") inside ``lapack_spotrf_ffi`` -> ``jax::CholeskyFactorization::Kernel`` ->
``jax::ParallelBatchMap`` -> ``absl::BlockingCounter::Wait``, and the caller in
``block_until_ready``. MJX's Newton solver factors its Hessian with ``jax.scipy.linalg
.cho_factor``, which under ``vmap`` is one batched LAPACK custom call. jaxlib 0.10's CPU
kernel splits a large enough batch into tasks on the *same* intra-op pool and blocks its
thread until they finish. XLA's thunk executor runs such a call on a pool thread (the
continuation of a parallel loop kernel) and runs independent calls concurrently: once
every pool thread is blocked waiting, the queued tasks have no thread left to run on.

A 12-line program reproduces it without MJX (tests/halfcheetah/test_xla_deadlock.py): two
batched ``jnp.linalg.cholesky`` of 9x9 matrices in a ``fori_loop`` body. Measured: float32
runs at 512, 640 and 768 matrices and hangs at 896 and 1,023; float64 runs at 512 and
hangs at 1,024. ``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false``, reported to help, does
not: the backtraces are the same and 2,048 hangs with it (it happened to pass once at
1,024: the hang depends on two factorisations overlapping).

Handling: the MJX adapter never hands MJX more than :data:`SAFE_LAPACK_BATCH` envs in one
call; larger batches run as consecutive calls of that size. The benchmark does the same
for its large MJX rows, each in a child process with a time limit, so a hang could only
cost a row. halfcheetah_jax is not affected: its Cholesky factorisations are unrolled
arithmetic, with no LAPACK custom call (a test checks its compiled program has none).
"""
from __future__ import annotations

SAFE_LAPACK_BATCH = 512  # largest batch measured to run, float32 and float64


def batch_limit() -> int:
    """The largest batch MJX may get in one call."""
    return SAFE_LAPACK_BATCH

"""The sodium stream as a native XLA FFI kernel (``sodium_stream.cc``): the ChaCha20 block computed
once per draw, vectorised across battles. XLA's CPU loop fusion instead emits one fusion per output
word it keeps, each recomputing the whole 20-round block (~15 blocks per draw).

The library is compiled on first use (or by ``setup.sh``) into ``build/`` under a name that hashes
the source and the flags, so an edited source is rebuilt. Without a C++ compiler, or with
``POKEJAX_NATIVE_PRNG=0``, ``available()`` is False and ``prng.stream`` uses its pure-JAX scan,
which gives the same values bit for bit (tests/pokejax/test_prng.py checks both against Showdown).
"""
from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import jax
import jax.numpy as jnp

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sodium_stream.cc"
BUILD = HERE / "build"
TARGET = "pokejax_sodium_stream"
# target_clones in the source picks AVX-512 / AVX2 / baseline at load time, so no -march here: the
# library stays valid on another x86-64 CPU.
FLAGS = ["-O3", "-shared", "-fPIC", "-std=c++17", "-w"]


def library_path() -> Path:
    digest = hashlib.sha256(SOURCE.read_bytes() + " ".join(FLAGS).encode()).hexdigest()[:12]
    return BUILD / f"sodium_stream-{digest}.so"


def build(quiet: bool = False) -> Path:
    """Compile the kernel if this source's library is not there yet; returns its path."""
    out = library_path()
    if out.exists():
        return out
    cxx = os.environ.get("CXX") or shutil.which("g++") or shutil.which("c++")
    if cxx is None:
        raise RuntimeError("no C++ compiler (g++/c++ or $CXX) to build the native sodium kernel")
    BUILD.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=BUILD, suffix=".so", delete=False) as tmp:
        part = Path(tmp.name)
    try:  # built aside and renamed: a concurrent process never loads half a library
        subprocess.run([cxx, *FLAGS, "-I", jax.ffi.include_dir(), str(SOURCE), "-o", str(part)],
                       check=True, capture_output=True, text=True, timeout=300)
        part.replace(out)
    except subprocess.CalledProcessError as e:
        raise RuntimeError(f"building {SOURCE.name} failed:\n{e.stderr}") from e
    finally:
        part.unlink(missing_ok=True)
    return out


@functools.cache
def available() -> bool:
    """Whether the kernel is built (building it if needed) and registered with XLA for CPU."""
    if os.environ.get("POKEJAX_NATIVE_PRNG", "1") == "0":
        return False
    try:
        lib = ctypes.cdll.LoadLibrary(str(build()))
        jax.ffi.register_ffi_target(TARGET, jax.ffi.pycapsule(lib.PokejaxSodiumStream), platform="cpu")
    except Exception as e:  # noqa: BLE001  (any failure means: use the pure-JAX scan)
        warnings.warn(f"pokejax: native sodium kernel unavailable, using the pure-JAX ChaCha20 ({e})")
        return False
    return True


def stream(s, n: int):
    """``prng.stream(SODIUM, s, n)`` in the kernel: (outputs[n, ...], states[n, ..., 8]).

    Under ``vmap`` the batch reaches the kernel as a leading axis of the key (``broadcast_all``)
    and comes back leading the outputs, which is where vmap puts it."""
    s = jnp.asarray(s, jnp.uint32)
    if s.ndim > 1:  # a batch of keys outside vmap: the scan's layout puts the draw axis first
        flat = s.reshape(-1, 8)
        outs, states = jax.vmap(lambda k: stream(k, n))(flat)
        lead = s.shape[:-1]
        return (jnp.moveaxis(outs, 0, 1).reshape((n,) + lead),
                jnp.moveaxis(states, 0, 1).reshape((n,) + lead + (8,)))
    call = jax.ffi.ffi_call(TARGET, (jax.ShapeDtypeStruct((n,), jnp.uint32),
                                     jax.ShapeDtypeStruct((n, 8), jnp.uint32)),
                            vmap_method="broadcast_all")
    return call(s)

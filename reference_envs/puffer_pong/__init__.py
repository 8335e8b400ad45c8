"""PufferLib 3.0.0's C Pong, the reference of the pong family.

``setup.sh`` compiles only ``pufferlib/ocean/pong/binding.c`` from the pinned sdist into
``build/``; :mod:`.cpong` loads that extension module directly (the ``pufferlib`` Python
package is never imported: it pulls in gym/torch and makes a ``resources`` symlink in the
working directory) and reads and writes the C struct and glibc's ``rand()`` state through
ctypes.
"""
from reference_envs.puffer_pong.cpong import (
    DEFAULT_CONFIG, STATE_FIELDS, CPong, GlibcRandBuffer, binding_path, build_missing,
    build_provenance, check_config,
)

__all__ = ["DEFAULT_CONFIG", "STATE_FIELDS", "CPong", "GlibcRandBuffer", "binding_path",
           "build_missing", "build_provenance", "check_config"]

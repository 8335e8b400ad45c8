"""Errors with messages that name the problem and the fix."""
import traceback


class EquivError(Exception):
    """Base class: anything equiv raises on purpose."""


class ConfigError(EquivError):
    """Bad input from the user: unknown name, mismatched families, bad option."""


class SchemaError(EquivError):
    """A state or output does not match the family's schema."""


class TraceFileError(EquivError):
    """A trace file cannot be read or is malformed."""


class AdapterError(EquivError):
    """An adapter raised, returned garbage, or its subprocess died."""

    def __init__(self, message: str, *, side: str = "", adapter: str = "", stderr: str = ""):
        super().__init__(message)
        self.side, self.adapter, self.stderr = side, adapter, stderr


def with_cause(e: BaseException) -> str:
    """The error's message, then the traceback of what caused it (an adapter's own bug, say),
    so the evidence reaches the terminal and the report."""
    cause = e.__cause__
    if cause is None:
        return str(e)
    tb = "".join(traceback.format_exception(type(cause), cause, cause.__traceback__))
    return f"{e}\n\ncaused by:\n{tb}"

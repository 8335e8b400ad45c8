"""Errors with messages that name the problem and the fix."""


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

"""The exceptions of the netstates package; ``netstates._core`` raises them.

Every message is the command line's: a scenario error is rendered as ``netstates check``
prints it (file, line, column and the excerpt with its marker), a bad argument as the flag's
error, a failure while running as ``netstates run`` reports it.
"""

from __future__ import annotations


class NetstatesError(Exception):
    """Any error raised by netstates."""


class ScenarioError(NetstatesError, ValueError):
    """A scenario that cannot be used.

    ``str(error)`` is what ``netstates check`` prints (every problem, each with its
    excerpt); ``error.problems`` lists them as ``(file, line, column, message)`` tuples,
    with ``None`` for the place of a problem that has none.
    """

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = [tuple(p) for p in problems]


class ScenarioNotFoundError(ScenarioError, FileNotFoundError):
    """A scenario path that is neither a file nor the name of a bundled scenario."""

    def __init__(self, message: str, problems=()):
        ScenarioError.__init__(self, message, problems)

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class UsageError(NetstatesError, ValueError):
    """A bad argument: a value out of range, an unknown ``--set`` path, a bad combination."""


class ArgumentTypeError(UsageError, TypeError):
    """An argument of the wrong type."""


class RunError(NetstatesError, RuntimeError):
    """A failure while running: an I/O error, a metric that is not a finite number."""


class InternalError(NetstatesError, RuntimeError):
    """A panic inside netstates: a bug, to be reported."""

"""The workbench's errors: one family, each message a whole sentence that says what to do next.

Pages show these in one place (``consultations.pages.actions.show_problems``); any other exception
is a bug and is logged.
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbenchError(Exception):
    """An error a person can act on; its message is shown to them as it is."""


class AccessDenied(WorkbenchError):
    """The person's role or organisation does not allow this."""


class LoginFailed(WorkbenchError):
    """Wrong email, wrong password, locked or inactive account: one generic message."""


class InviteInvalid(WorkbenchError):
    """An invite link that is unknown, used or expired."""


class LifecycleError(WorkbenchError):
    """A status move that the lifecycle map does not allow."""


class StaleEdit(WorkbenchError):
    """Someone else saved the same record since this person opened it."""

    def __init__(
        self, message: str, *, current: dict[str, object] | None = None, version: int | None = None
    ) -> None:
        super().__init__(message)
        self.current = current or {}
        self.version = version  # of the record shown in ``current``, when it has one


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ValidationFailed(WorkbenchError):
    """Input with one or more problems; nothing was saved."""

    def __init__(self, problems: list[Problem] | list[str], *, subject: str = "The form") -> None:
        self.problems = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        listed = "; ".join(str(p) for p in self.problems)
        super().__init__(f"{subject} has {count} {noun}: {listed}. Nothing was saved.")

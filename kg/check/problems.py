"""A contract failure, as ``kg validate`` prints it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One failure: where it is, which subject, what is wrong."""

    file: str
    line: int
    subject: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.subject}: {self.message}"

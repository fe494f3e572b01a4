"""What the library hands to its callers: scopes, list rows, navigation nodes, results.

Small frozen values, safe to pass between a worker thread and the UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .model import category_name

Progress = Callable[[int, int, str], None]  # (done, total, what): imports, indexing

SCOPE_KINDS = (
    "all", "unread", "starred", "read",  # smart lists
    "year", "month", "week", "undated",  # time tree
    "no-month", "no-week",  # a year's papers without a month, a month's without a week
    "category", "source",
)


@dataclass(frozen=True)
class Scope:
    """A set of papers the reader can select on the left: a smart list or a tree node.

    value: year "2024", month "2024-06", week "2024-06-30", category code "cs.CL",
    source file name "002_6315ac4b7056192c.txt"; "no-month" the year ("2024"), "no-week"
    the month ("2024-06"); None for smart lists and "undated".
    """

    kind: str = "all"
    value: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ValueError(f"unknown scope kind {self.kind!r}")

    @property
    def label(self) -> str:
        if self.kind == "category" and self.value:
            return f"{category_name(self.value)} ({self.value})"
        if self.kind in ("all", "unread", "starred", "read", "undated"):
            return self.kind.capitalize()
        if self.kind in ("no-month", "no-week"):
            return f"{self.value}, {self.kind.replace('-', ' ')}"
        return f"{self.kind.capitalize()} {self.value}"

    def encode(self) -> str:
        """A string to remember the scope across restarts."""
        return self.kind if self.value is None else f"{self.kind}:{self.value}"

    @classmethod
    def decode(cls, text: str) -> Scope:
        kind, _, value = text.partition(":")
        return cls(kind, value or None)


@dataclass(frozen=True)
class ListRow:
    """One line of the middle pane: enough to draw it, nothing more."""

    key: str
    title: str
    title_derived: bool
    date: str  # week, else month, else year, else ""
    tag: str  # first category code, else ""
    read: bool
    starred: bool


@dataclass
class NavNode:
    """A node of the navigation tree with its counts."""

    label: str
    scope: Scope | None  # None for group headings ("Dates", "Categories", "Sources")
    unread: int = 0
    total: int = 0
    children: list[NavNode] = field(default_factory=list)


@dataclass
class SearchResult:
    query: str
    rows: list[ListRow]  # in the order asked for (relevance by default)
    total: int  # matches in scope (may exceed len(rows) when a limit applies)
    suggestion: str | None = None  # "did you mean" query when nothing matched
    error: str | None = None  # a query that could not be understood


@dataclass
class ImportReport:
    """What an import did. Each file lands whole or not at all, on its own.

    `warnings` holds every line the user should read beside the summary, in the
    order met, each saying what it is: "error: FILE:LINE: ..." for a file that
    failed (nothing of it was written), "passed over FILE: ..." for a file of no
    known format found in a directory, "warning: ..." for the rest (an entry a
    file's format skipped, a file read as Latin-1, an index that will catch up).
    `failed` and `passed_over` hold the same failures and passings-over, by kind.
    """

    added: int = 0  # new papers
    merged: int = 0  # records that joined a paper already known (or listed twice)
    skipped: int = 0  # files already imported (same content)
    records: int = 0
    files: list[str] = field(default_factory=list)  # files imported
    skipped_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "FILE:LINE: why", one a failed file
    passed_over: list[str] = field(default_factory=list)  # "FILE: why", one a file
    named_failures: int = 0  # failures of paths the caller named (not found in a directory)

    @property
    def ok(self) -> bool:
        """Nothing the caller named failed (the command line's exit status)."""
        return self.named_failures == 0

    def fail(self, message: str, named: bool) -> None:
        self.failed.append(message)
        self.warnings.append(f"error: {message}")
        self.named_failures += int(named)

    def pass_over(self, message: str) -> None:
        self.passed_over.append(message)
        self.warnings.append(f"passed over {message}")

    def warn(self, message: str) -> None:
        self.warnings.append(f"warning: {message}")

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.merged} merged, {self.skipped} skipped, "
            f"{len(self.passed_over)} passed over, {len(self.failed)} failed "
            f"({self.records} records from {len(self.files)} file"
            f"{'' if len(self.files) == 1 else 's'})"
        )

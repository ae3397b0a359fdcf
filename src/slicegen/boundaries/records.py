"""What extraction yields per file, and what the check reports: plain, serialisable records.

The per-file records are named tuples: thousands are built per run, and they serialise as lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from slicegen.stacks.registry import StackName

Stack = StackName
DataKind = Literal["env", "table"]


class ModuleUse(NamedTuple):
    """One use of a module: an import, alias, import/require/use directive or remote call.

    ``target`` is fully qualified (relative imports and Elixir aliases already expanded). For a
    Python ``from pkg import name``, ``target`` is ``pkg`` and ``member`` is ``name``: the check
    takes ``pkg.name`` when that is a module, as ``from pkg import submodule`` imports it.
    ``owner`` is the importing module (the file's module, or the enclosing ``defmodule``).
    """

    target: str
    line: int
    column: int
    text: str
    kind: str
    owner: str = ""
    member: str = ""
    type_checking: bool = False


class DataUse(NamedTuple):
    """A use of data that some domain owns: a database env variable, or a table by name."""

    kind: DataKind
    name: str
    line: int
    column: int
    text: str


class FileDependencies(NamedTuple):
    """Everything one file depends on. ``path`` is workspace-relative with ``/`` separators."""

    path: str
    stack: Stack
    module: str
    uses: tuple[ModuleUse, ...] = ()
    data: tuple[DataUse, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """A boundary finding. ``key`` names it for baselines without a line number:
    (code, importer domain, importer module, imported domain, imported module or name)."""

    code: str
    path: str
    line: int
    column: int
    message: str
    key: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"

"""What every output format receives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slicegen.lint.finding import Finding
from slicegen.lint.rule import Rule


@dataclass(frozen=True)
class Report:
    root: Path
    findings: list[Finding]
    rules: list[Rule]  # the enabled rules (SARIF lists them)
    files_checked: int
    color: bool = False
    #: each finding's path relative to the workspace root when ``findings`` show paths relative
    #: to somewhere else (the current folder): identities that must not depend on where the
    #: command ran (SARIF fingerprints) use these
    root_paths: tuple[str, ...] = ()

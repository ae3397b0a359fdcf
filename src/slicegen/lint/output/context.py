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

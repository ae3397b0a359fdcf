"""CHANGELOG.md keeps its shape, and every rule code is recorded in it (docs/rules-policy.md)."""

from __future__ import annotations

import re
from pathlib import Path

from slicegen import __version__

ROOT = Path(__file__).resolve().parents[2]
CHANGELOG = ROOT / "CHANGELOG.md"


def test_keep_a_changelog_shape() -> None:
    text = CHANGELOG.read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\]", text, re.M)
    assert versions[0] == "Unreleased"
    assert __version__ in versions, f"no section for the current version {__version__}"
    kinds = set(re.findall(r"^### (.+)$", text, re.M))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_every_rule_code_is_in_the_changelog_with_its_name() -> None:
    from slicegen.lint.registry import RULES

    text = CHANGELOG.read_text(encoding="utf-8")
    missing = [f"{r.CODE} `{r.NAME}`" for r in RULES if f"{r.CODE} `{r.NAME}`" not in text]
    assert not missing, f"record new rules in CHANGELOG.md: {', '.join(missing)}"


def test_rule_codes_are_never_reused_for_another_name() -> None:
    """A code named in the changelog keeps its name in the registry (no reuse, no renumbering)."""
    from slicegen.lint.registry import RULES

    text = CHANGELOG.read_text(encoding="utf-8")
    recorded = dict(re.findall(r"(SG\d{3}) `([a-z0-9-]+)`", text))
    current = {r.CODE: r.NAME for r in RULES}
    for code, name in current.items():
        if code in recorded:
            assert recorded[code] == name, f"{code} was {recorded[code]!r}, now {name!r}"
    names = list(current.values())
    assert len(names) == len(set(names))

"""Word rules for the rename commands: a name's words replaced wherever they stand in a longer
name (``account_opened`` in ``test_account_opened_v1``), on both stacks."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Strings holding it are fact topics, which other domains subscribe to: never renamed.
FACT_TOPIC = ":facts:"


@dataclass(frozen=True)
class Rule:
    """One word rule: ``pattern`` (a whole word between ``_``, dots or non-word characters)."""

    pattern: re.Pattern[str]
    replacement: str

    @classmethod
    def word(cls, old: str, new: str, suffix: str = "", prefix_only: bool = False) -> Rule:
        end = "" if prefix_only else "(?![a-z0-9])"
        return cls(re.compile(rf"(?<![A-Za-z0-9]){re.escape(old)}({suffix}){end}"), new)

    @classmethod
    def pascal(cls, old: str, new: str, suffix: str = "", prefix_only: bool = False) -> Rule:
        """A PascalCase word, also inside a longer name (``MaybeOpenAccountV1``)."""
        end = "" if prefix_only else "(?![a-z0-9])"
        return cls(re.compile(rf"(?<![A-Z0-9]){re.escape(old)}({suffix}){end}"), new)

    def apply(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.replacement + (m.group(1) or ""), text)


def apply_rules(text: str, rules: list[Rule]) -> str:
    for rule in rules:
        text = rule.apply(text)
    return text

"""The boundary rules shaped as lint-engine rules (``CODE``, ``NAME``, ``MESSAGE``,
``EXPLANATION``, ``READS``, ``check(ctx)``), ready to add to the lint registry.

The six rules share one boundary run per workspace model: the first ``check`` runs
:func:`slicegen.boundaries.run` over ``ctx.model.root`` and the files the engine walked
(``ctx.model.paths``, so lint excludes and .gitignore apply), and the others reuse its findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from slicegen.boundaries.collect import gather, run
from slicegen.boundaries.records import Violation
from slicegen.boundaries.rules import RULES, BoundaryRule
from slicegen.lint.rule import Scope
from slicegen.model.reads import Reads

if TYPE_CHECKING:
    from slicegen.config import Config, Stack
    from slicegen.lint.finding import Finding
    from slicegen.lint.rule import RuleContext


class BoundaryLintRule:
    """One SG5xx rule as the lint engine sees it."""

    READS: frozenset[Reads] = frozenset()  # the boundary run reads the files it needs itself
    SCOPE = Scope.WORKSPACE  # edges between domains, layers and cycles span the tree

    def __init__(self, rule: BoundaryRule) -> None:
        self.CODE = rule.code
        self.NAME = rule.name
        self.MESSAGE = rule.message
        self.EXPLANATION = rule.explanation

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        from slicegen.lint.finding import Finding

        for violation in violations_for(ctx):
            if violation.code == self.CODE:
                yield Finding(
                    violation.path,
                    violation.line,
                    violation.column,
                    violation.code,
                    violation.message,
                    violation.key[1:],
                )


#: The memo's slot for the :class:`slicegen.boundaries.collect.Records` the findings came from.
RECORDS = "boundary_records"

LINT_RULES: list[BoundaryLintRule] = [BoundaryLintRule(rule) for rule in RULES]


def violations_for(ctx: RuleContext) -> list[Violation]:
    """All boundary findings for the context's workspace, computed once per run."""
    cached: list[Violation] | None = ctx.memo.get("boundaries")
    if cached is not None:
        return cached
    root = ctx.model.root
    config = ctx.config or undeclared(ctx.model.stack, ctx.model.app)
    config_path = config_file_name(root)
    paths = getattr(ctx.model, "paths", None)
    use_cache = bool(ctx.memo.get("use_cache", True))
    buffers = ctx.memo.get("buffers")
    if paths is None:  # no walk to follow: the check walks the domains (and keeps its result)
        violations = run(
            root, config, config_path=config_path, use_cache=use_cache, buffers=buffers
        )
    else:  # the records stay in the memo: a re-lint redoes only the changed files' records
        records = gather(
            root,
            config,
            paths=paths,
            config_path=config_path,
            use_cache=use_cache,
            buffers=buffers,
        )
        ctx.memo[RECORDS] = records
        violations = records.check()
    ctx.memo["boundaries"] = violations
    return violations


def undeclared(stack: Stack, app: str | None) -> Config:
    """The config the boundary check runs with in a workspace without one: an Elixir app is
    the one the tree shows; a Python app is not declared, so its packages need evidence to be
    domains (:func:`slicegen.model.domains.discover`), as in every other path of a run."""
    from slicegen.config import Config

    return Config(stack=stack, app=app if stack == "elixir" else None)


def config_file_name(root: Path) -> str:
    """The name of the workspace's config file, as the boundary findings cite it."""
    return "slicegen.toml" if (root / "slicegen.toml").is_file() else "pyproject.toml"

"""What a rule module exposes, and what its ``check`` receives.

A rule is a module (``lint/rules/<family>/<rule_name>.py``) with ``CODE``, ``NAME``, ``MESSAGE``
(the message's shape, shown by ``slicegen rules``), ``EXPLANATION`` (ruff-style sections, printed
by ``slicegen rule CODE`` and used as SARIF help), ``READS`` (the facts it reads in parsed
files, :class:`slicegen.model.reads.Reads`: the loader parses what the selected rules read, so a
rule that reads something it does not declare misses files; empty when names and paths suffice),
optionally ``OPT_IN = True`` (on only when its full code is selected), optionally
``SCOPE = Scope.DOMAIN`` (see :class:`Scope`; undeclared: ``Scope.WORKSPACE``) and ``check(ctx)``
yielding findings. Adding a family is adding modules to
:data:`slicegen.lint.registry.RULES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from slicegen.lint.words import Words
from slicegen.model.reads import ALL, Reads
from slicegen.safe_files import read_text_or_none

if TYPE_CHECKING:
    from slicegen.config import Config, LintConfig
    from slicegen.lint.finding import Finding
    from slicegen.model.workspace import WorkspaceModel


class Scope(Enum):
    """What a rule's findings depend on, for a re-lint after an edit (:mod:`slicegen.lint.delta`).

    ``DOMAIN``: its findings on a domain's files and folders depend only on that domain's files,
    the config and the layout, and its findings elsewhere never depend on a domain's files; so
    after an edit in one domain it runs on that domain alone. ``WORKSPACE``: anything may affect
    anything (a rule comparing domains, or reading evidence gathered from the whole tree)."""

    DOMAIN = "domain"
    WORKSPACE = "workspace"


@dataclass(frozen=True)
class RuleContext:
    """The model and the settings a rule may read."""

    model: WorkspaceModel
    config: Config | None
    lint: LintConfig
    words: Words = field(default_factory=Words)
    memo: dict[str, Any] = field(default_factory=dict)  # results rules share (name mentions)

    @property
    def crud_verbs(self) -> tuple[str, ...]:
        return self.lint.all_crud_verbs()

    def text_of(self, path: str) -> str | None:
        """The text of the workspace file ``path`` as the rules judge it: the editor's unsaved
        buffer when the language server has one, else the file on disk (regular files only,
        capped); None when it cannot be read (SG001 reports that)."""
        read = self.memo.get("read_buffer")
        text = read(path) if read is not None else None
        return text if text is not None else read_text_or_none(self.model.root / path)


class Rule(Protocol):
    CODE: str
    NAME: str
    MESSAGE: str
    EXPLANATION: str
    READS: frozenset[Reads]

    def check(self, ctx: RuleContext) -> Iterable[Finding]: ...


def reads_of(rules: Iterable[Rule]) -> frozenset[Reads]:
    """What ``rules`` read between them: what the loader must parse for them. A rule that
    declares nothing (no ``READS``) is taken to read everything, so it misses no file."""
    return frozenset().union(*(getattr(rule, "READS", ALL) for rule in rules))


def scope_of(rule: Rule) -> Scope:
    """A rule's declared :class:`Scope`; ``WORKSPACE`` when it declares none."""
    scope = getattr(rule, "SCOPE", Scope.WORKSPACE)
    return scope if isinstance(scope, Scope) else Scope.WORKSPACE

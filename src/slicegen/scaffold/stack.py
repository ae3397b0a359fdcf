"""The interface each stack (python, elixir) implements to plan its files into a change set."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from slicegen.change_set import ChangeSet
from slicegen.config import Config
from slicegen.scaffold.requests import (
    DomainRequest,
    FactRequest,
    PolicyRequest,
    ProjectionRequest,
    SliceRequest,
    VersionRequest,
)


@dataclass(frozen=True)
class StackContext:
    """What a stack needs to know about the workspace it writes into."""

    root: Path
    config: Config


class Stack(Protocol):
    """Plans files for one target language. Every method only adds to the change set."""

    def init_workspace(self, cs: ChangeSet, ctx: StackContext) -> None: ...

    def new_domain(self, cs: ChangeSet, ctx: StackContext, req: DomainRequest) -> None: ...

    def add_slice(self, cs: ChangeSet, ctx: StackContext, req: SliceRequest) -> None: ...

    def add_projection(self, cs: ChangeSet, ctx: StackContext, req: ProjectionRequest) -> None: ...

    def add_policy(self, cs: ChangeSet, ctx: StackContext, req: PolicyRequest) -> None: ...

    def add_fact(self, cs: ChangeSet, ctx: StackContext, req: FactRequest) -> None: ...

    def add_version(self, cs: ChangeSet, ctx: StackContext, req: VersionRequest) -> None: ...


def load_stack(name: str) -> Stack:
    """The stack implementation ``slicegen.stacks.<name>.scaffolder`` (imported on demand)."""
    module = importlib.import_module(f"slicegen.stacks.{name}.scaffolder")
    stack: Stack = module.SCAFFOLDER
    return stack

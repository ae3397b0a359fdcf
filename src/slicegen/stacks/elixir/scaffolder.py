"""Plans the python stack's files (pydantic slices wired to eventsourcing)."""

from __future__ import annotations

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import (
    DomainRequest,
    FactRequest,
    PolicyRequest,
    ProjectionRequest,
    SliceRequest,
    VersionRequest,
)
from slicegen.scaffold.stack import StackContext


def _not_yet(what: str) -> SlicegenError:
    return SlicegenError(f"{what} is not available for the elixir stack in this version")


class ElixirStack:
    def init_workspace(self, cs: ChangeSet, ctx: StackContext) -> None:
        return None

    def new_domain(self, cs: ChangeSet, ctx: StackContext, req: DomainRequest) -> None:
        raise _not_yet("new-domain")

    def add_slice(self, cs: ChangeSet, ctx: StackContext, req: SliceRequest) -> None:
        raise _not_yet("add-slice")

    def add_projection(self, cs: ChangeSet, ctx: StackContext, req: ProjectionRequest) -> None:
        raise _not_yet("add-projection")

    def add_policy(self, cs: ChangeSet, ctx: StackContext, req: PolicyRequest) -> None:
        raise _not_yet("add-policy")

    def add_fact(self, cs: ChangeSet, ctx: StackContext, req: FactRequest) -> None:
        raise _not_yet("add-fact")

    def add_version(self, cs: ChangeSet, ctx: StackContext, req: VersionRequest) -> None:
        raise _not_yet("add-version")


SCAFFOLDER = ElixirStack()

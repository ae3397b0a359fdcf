"""Plans the python stack's files: pydantic slices wired to ``eventsourcing``.

Each command lives in a module of its own; this class only routes the :class:`Stack` protocol to
them, importing each on demand so that ``slicegen --help`` pays for none of them.
"""

from __future__ import annotations

from slicegen.change_set import ChangeSet
from slicegen.scaffold.requests import (
    DomainRequest,
    FactRequest,
    PolicyRequest,
    ProjectionRequest,
    SliceRequest,
    VersionRequest,
)
from slicegen.scaffold.stack import StackContext


class PythonStack:
    def init_workspace(self, cs: ChangeSet, ctx: StackContext) -> None:
        from slicegen.stacks.python.project import init_project

        init_project(cs, ctx)

    def new_domain(self, cs: ChangeSet, ctx: StackContext, req: DomainRequest) -> None:
        from slicegen.stacks.python.domain import new_domain

        new_domain(cs, ctx, req)

    def add_slice(self, cs: ChangeSet, ctx: StackContext, req: SliceRequest) -> None:
        from slicegen.stacks.python.slice import add_slice

        add_slice(cs, ctx, req)

    def add_projection(self, cs: ChangeSet, ctx: StackContext, req: ProjectionRequest) -> None:
        from slicegen.stacks.python.slice import add_projection

        add_projection(cs, ctx, req)

    def add_policy(self, cs: ChangeSet, ctx: StackContext, req: PolicyRequest) -> None:
        from slicegen.stacks.python.integration import add_policy

        add_policy(cs, ctx, req)

    def add_fact(self, cs: ChangeSet, ctx: StackContext, req: FactRequest) -> None:
        from slicegen.stacks.python.integration import add_fact

        add_fact(cs, ctx, req)

    def add_version(self, cs: ChangeSet, ctx: StackContext, req: VersionRequest) -> None:
        from slicegen.stacks.python.version import add_version

        add_version(cs, ctx, req)


SCAFFOLDER = PythonStack()

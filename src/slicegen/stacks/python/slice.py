"""``slicegen add-slice`` and ``add-projection`` (python)."""

from __future__ import annotations

from collections.abc import Sequence

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.fields import FieldSpec
from slicegen.scaffold.requests import ProjectionRequest, SliceRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.python import slice_files as files
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.preconditions import slice_starts, start_names
from slicegen.stacks.python.reader import require_slice
from slicegen.stacks.python.registration import (
    Registrations,
    add_business_function,
    domain_aggregate,
    register_projection,
    register_slice,
)
from slicegen.stacks.python.slice_files import Renderer, SliceNames


def add_slice_files(cs: ChangeSet, reg: Registrations, r: Renderer, n: SliceNames) -> None:
    """Command, event, handler, evolver and their tests, registered in the router."""
    for make in (files.command_file, files.event_file, files.handler_file, files.evolver_file):
        cs.add(*make(r, n))
    for make in (files.command_test, files.event_test, files.handler_test, files.evolver_test):
        cs.add(*make(r, n))
    register_slice(reg, n)


def add_projection_files(
    cs: ChangeSet, reg: Registrations, r: Renderer, n: SliceNames, read_model: str
) -> None:
    """One projection with its test, its read model (if new) and its registration."""
    cs.add(*files.projection_file(r, n, read_model))
    cs.add(*files.projection_test(r, n, read_model))
    path, text = files.read_model_file(r, n, read_model)
    if not cs.exists(path):
        cs.add(path, text)
    register_projection(reg, n, read_model, files.read_model_class(read_model))


#: Field names the generated code already uses.
RESERVED_FIELDS = frozenset({"aggregate_id", "event_type", "topic", "command", "event", "state"})


def check_fields(fields: Sequence[FieldSpec], aggregate: str) -> None:
    """Refuse field names that would clash with the base classes or the generated functions."""
    for spec in fields:
        if spec.name in RESERVED_FIELDS or spec.name == f"{aggregate}_id":
            raise SlicegenError(
                f"field '{spec.name}' clashes with a name the generated code uses "
                f"(aggregate_id, {aggregate}_id, event_type, topic, command, event, state): "
                "rename the field"
            )
        if spec.name.startswith("model_"):
            raise SlicegenError(
                f"field '{spec.name}' starts with 'model_', which pydantic reserves: rename it"
            )


def add_slice(cs: ChangeSet, ctx: StackContext, req: SliceRequest) -> None:
    paths = PyPaths.of(ctx, req.domain)
    aggregate = domain_aggregate(cs, paths)
    check_fields(req.fields, aggregate)
    starts = slice_starts(cs, paths, req.command, req.starts)
    start = None if starts else start_names(cs, paths, aggregate, req.command)
    n = SliceNames(paths, aggregate, req.command, req.event, 1, tuple(req.fields), starts)
    r = Renderer(ctx.root, paths)
    reg = Registrations(cs)
    add_slice_files(cs, reg, r, n)
    for read_model in req.projections:
        add_projection_files(cs, reg, r, n, read_model)
    if not (cs.root / paths.slice_file(req.command, "command_v2")).exists():
        # add-version moves this test to the newest version: re-running add-slice leaves it
        cs.add(*files.integration_test(r, n, list(req.projections), start))
    add_business_function(cs, reg, n)
    reg.apply(cs)


def add_projection(cs: ChangeSet, ctx: StackContext, req: ProjectionRequest) -> None:
    paths = PyPaths.of(ctx, req.domain)
    aggregate = domain_aggregate(cs, paths)
    info = require_slice(cs, paths, req.slice)
    n = SliceNames.of(paths, aggregate, info, info.latest_event)
    reg = Registrations(cs)
    add_projection_files(cs, reg, Renderer(ctx.root, paths), n, req.read_model)
    reg.apply(cs)

"""``slicegen add-slice`` and ``add-projection`` (python)."""

from __future__ import annotations

from slicegen.change_set import ChangeSet
from slicegen.scaffold.requests import ProjectionRequest, SliceRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.python import slice_files as files
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.reader import read_slice, require_slice
from slicegen.stacks.python.registration import (
    add_business_function,
    domain_aggregate,
    register_projection,
    register_slice,
)
from slicegen.stacks.python.slice_files import Renderer, SliceNames


def add_slice_files(cs: ChangeSet, r: Renderer, n: SliceNames) -> None:
    """Command, event, handler, evolver and their tests, registered in the router."""
    for make in (files.command_file, files.event_file, files.handler_file, files.evolver_file):
        cs.add(*make(r, n))
    for make in (files.command_test, files.event_test, files.handler_test, files.evolver_test):
        cs.add(*make(r, n))
    register_slice(cs, n)


def add_projection_files(cs: ChangeSet, r: Renderer, n: SliceNames, read_model: str) -> None:
    """One projection with its test, its read model (if new) and its registration."""
    cs.add(*files.projection_file(r, n, read_model))
    cs.add(*files.projection_test(r, n, read_model))
    path, text = files.read_model_file(r, n, read_model)
    if not cs.exists(path):
        cs.add(path, text)
    register_projection(cs, n, read_model, files.read_model_class(read_model))


def add_slice(cs: ChangeSet, ctx: StackContext, req: SliceRequest) -> None:
    paths = PyPaths.of(ctx, req.domain)
    aggregate = domain_aggregate(cs, paths)
    n = SliceNames(paths, aggregate, req.command, req.event, 1, tuple(req.fields))
    r = Renderer(ctx.root, paths)
    add_slice_files(cs, r, n)
    for read_model in req.projections:
        add_projection_files(cs, r, n, read_model)
    info = read_slice(cs, paths, req.command)
    if info is None or info.commands[-1].version == 1:
        cs.add(*files.integration_test(r, n, list(req.projections)))
    add_business_function(cs, n)


def add_projection(cs: ChangeSet, ctx: StackContext, req: ProjectionRequest) -> None:
    paths = PyPaths.of(ctx, req.domain)
    aggregate = domain_aggregate(cs, paths)
    info = require_slice(cs, paths, req.slice)
    event = info.latest_event
    n = SliceNames(
        paths, aggregate, req.slice, event.event_name, event.version, tuple(event.fields)
    )
    add_projection_files(cs, Renderer(ctx.root, paths), n, req.read_model)

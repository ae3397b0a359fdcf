"""``remove-projection``, ``remove-policy`` and ``remove-fact`` for the python stack.

Each is the reverse of its add command, on the machinery of ``remove-slice``: the files the add
command wrote are removed (one the user changed since it was generated is kept, unless forced),
and the registrations are taken out of the domain's modules by libcst edits that keep the rest.
"""

from __future__ import annotations

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.manifest import remove_generated
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import artifacts
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.reader import require_slice, slice_emitting
from slicegen.stacks.python.remove import drop_references, orphaned_modules, refuse_if_consumed


def remove_projection(
    cs: ChangeSet, ctx: StackContext, domain: str, slice_name: str, read_model: str, force: bool
) -> None:
    """The slice's projections into ``read_model``; the read model too if nothing else uses it."""
    paths = PyPaths.of(ctx, domain)
    info = require_slice(cs, paths, slice_name)
    stems = [
        artifacts.projection_stem(_short(e.event_name), read_model, e.version) for e in info.events
    ]
    found = [s for s in stems if cs.exists(paths.slice_file(slice_name, s))]
    if not found:
        raise SlicegenError(
            f"slice '{slice_name}' of '{domain}' has no projection into '{read_model}' "
            f"({paths.slice_file(slice_name, stems[0])} is missing): check the names"
        )
    gone = {paths.slice_module(slice_name, s) for s in found}
    router = paths.module_file("router")
    orphans = orphaned_modules(cs.read(router) or "", gone, paths.module("projections"))
    files = [paths.slice_file(slice_name, s) for s in found]
    files += [f"{paths.tests_dir(slice_name)}/test_{s}.py" for s in found]
    files += [paths.read_model_file(m.rsplit(".", 1)[1]) for m in sorted(orphans)]
    remove_generated(cs, files, force)
    _drop(cs, paths, "router", gone)
    if orphans:
        _drop(cs, paths, "__init__", orphans)


def remove_policy(
    cs: ChangeSet, ctx: StackContext, domain: str, command: str, event: str, force: bool
) -> None:
    """The policy that dispatches ``command`` on ``event``, its tests and its registration."""
    paths = PyPaths.of(ctx, domain)
    require_slice(cs, paths, command)
    prefix = f"when_{event}_then_{command}_v"
    files = _starting(cs, paths.slice_dir(command), prefix)
    if not files:
        raise SlicegenError(
            f"slice '{command}' of '{domain}' has no policy on '{event}' "
            f"({paths.slice_dir(command)}/{prefix}1.py is missing): check the names"
        )
    gone = {paths.slice_module(command, f.rsplit("/", 1)[1].removesuffix(".py")) for f in files}
    files += _starting(cs, paths.tests_dir(command), f"test_{prefix}")
    remove_generated(cs, files, force)
    _drop(cs, paths, "router", gone)


def remove_fact(cs: ChangeSet, ctx: StackContext, domain: str, event: str, force: bool) -> None:
    """The fact ``event`` is published as, its publishers and their registrations; refused while
    another domain's policy still consumes it."""
    paths = PyPaths.of(ctx, domain)
    fact = paths.fact_file(event)
    if not cs.exists(fact):
        raise SlicegenError(
            f"domain '{domain}' publishes no fact '{event}' ({fact} is missing): check the names"
        )
    refuse_if_consumed(cs, paths, event)
    info = slice_emitting(cs, paths, event)
    stems = (
        [artifacts.publisher_stem(_short(event), e.version) for e in info.events] if info else []
    )
    found = [s for s in stems if info and cs.exists(paths.slice_file(info.name, s))]
    files = [fact]
    if info is not None:
        files += [paths.slice_file(info.name, s) for s in found]
        files += [f"{paths.tests_dir(info.name)}/test_{s}.py" for s in found]
    facts_init = f"{paths.fact_dir()}/__init__.py"
    if [f for f in cs.files_under(paths.fact_dir()) if f.endswith(".py")] == sorted(
        [facts_init, fact]
    ):
        files.append(facts_init)
    remove_generated(cs, files, force)
    if info is not None and found:
        _drop(cs, paths, "router", {paths.slice_module(info.name, s) for s in found})


def _drop(cs: ChangeSet, paths: PyPaths, module: str, gone: set[str]) -> None:
    path = paths.module_file(module)
    if cs.exists(path):
        cs.edit(path, lambda text: drop_references(text, gone, "", None))


def _starting(cs: ChangeSet, folder: str, prefix: str) -> list[str]:
    return [
        f
        for f in cs.files_under(folder)
        if f.rsplit("/", 1)[1].startswith(prefix) and f.endswith(".py")
    ]


def _short(event: str) -> str:
    return naming.event_short_name(event)

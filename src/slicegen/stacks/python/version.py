"""``slicegen add-version`` (python): the next version of a slice beside the current one.

The new command, event, handler and evolver sit next to the old ones; an upcaster reads stored
old events as new ones, so events already in the store keep working. Projections and the fact
publisher of the slice get their new version too. The public API function and the slice's
integration test move to the new version only if they are still exactly as slicegen wrote them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import VersionRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.python import edits
from slicegen.stacks.python import slice_files as files
from slicegen.stacks.python.derive import Derivation, derive
from slicegen.stacks.python.integration import add_publisher, fact_class
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.preconditions import slice_starts, start_names
from slicegen.stacks.python.pysource import (
    assertion,
    default_imports,
    default_value,
    sample,
    sample_imports,
)
from slicegen.stacks.python.reader import SliceInfo, require_slice
from slicegen.stacks.python.registration import (
    Registrations,
    defines_function,
    domain_aggregate,
    top_functions,
)
from slicegen.stacks.python.restore import carried, locked_fields, restore_event
from slicegen.stacks.python.slice import add_projection_files, add_slice_files, check_fields
from slicegen.stacks.python.slice_files import Renderer, SliceNames, build, sample_kwargs


def add_version(cs: ChangeSet, ctx: StackContext, req: VersionRequest) -> None:
    paths = PyPaths.of(ctx, req.domain)
    aggregate = domain_aggregate(cs, paths)
    info = require_slice(cs, paths, req.command)
    old_command, old_event = info.commands[-1], info.events[-1]
    path = paths.slice_file(req.command, f"event_v{old_event.version}")
    restore = req.restore if req.restore is not None and req.restore.path == path else None
    if restore is None and _is_rerun(info, req):
        old_command, old_event = info.commands[-2], info.events[-2]
    if old_command.version != old_event.version:
        raise SlicegenError(
            f"slice '{req.command}' has command v{old_command.version} but event "
            f"v{old_event.version}: align them before adding a version"
        )
    check_fields(req.fields, aggregate)
    # an edited locked event (SG205): the next version takes its edited fields, it the locked ones
    kept = list(old_event.fields if restore else old_command.fields)
    stored = locked_fields(restore) if restore else list(old_event.fields)
    holder = old_event if restore else old_command
    for spec in req.fields:
        if spec.name in {f.name for f in kept}:
            raise SlicegenError(
                f"field '{spec.name}' is already in {holder.class_name}: give only new fields"
            )
    version = old_command.version + 1
    event = old_event.event_name
    old = SliceNames(paths, aggregate, req.command, event, old_event.version, tuple(stored))
    old_cmd = SliceNames(
        paths, aggregate, req.command, event, old_command.version, tuple(old_command.fields)
    )
    starts = slice_starts(cs, paths, req.command)
    old_cmd = replace(old_cmd, starts=starts)
    new = SliceNames(paths, aggregate, req.command, event, version, (*kept, *req.fields), starts)
    r = Renderer(ctx.root, paths)
    reg = Registrations(cs)
    if restore:
        restore_event(cs, path, stored, list(old_event.fields), paths.app)
    add_slice_files(cs, reg, r, new)
    _derive_handler(cs, old_cmd, new)
    _add_upcaster(cs, reg, r, old, new, dict(restore.renamed) if restore else {})
    for read_model in slice_projections(cs, old):
        add_projection_files(cs, reg, r, new, read_model)
    if cs.exists(new.file(old.publisher)):
        topic = naming.fact_topic(req.domain, event)
        events = require_slice(cs, paths, req.command).events
        add_publisher(cs, reg, r, old_first(old, info), events[-1], fact_class(event), topic)
    switched = _upgrade_public_function(cs, reg, old_cmd, new)
    reg.apply(cs)
    if switched:
        _upgrade_integration_test(cs, r, old_cmd, new)
    else:
        cs.note(
            f"{files.integration_test_path(old_cmd)} was left at {old_cmd.command_class}, "
            f"as the public function {req.command} is"
        )


def _is_rerun(info: SliceInfo, req: VersionRequest) -> bool:
    """True if the newest version is exactly what this request made from the one before."""
    if len(info.commands) < 2 or len(info.events) < 2:
        return False
    before, latest = info.commands[-2], info.commands[-1]
    return latest.fields == [*before.fields, *req.fields]


def old_first(old: SliceNames, info: SliceInfo) -> SliceNames:
    """The slice at its first event version: a fact carries the fields of that version."""
    first = info.events[0]
    return SliceNames(
        old.paths, old.aggregate, old.command, old.event, first.version, tuple(first.fields)
    )


def slice_projections(cs: ChangeSet, old: SliceNames) -> list[str]:
    folder = cs.root / old.paths.slice_dir(old.command)
    names = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    prefix = old.paths.slice_dir(old.command) + "/"
    names.update(p[len(prefix) :] for p in cs.paths() if p.startswith(prefix))
    pattern = re.compile(rf"{re.escape(old.short)}_to_(\w+)_{old.v}\.py")
    found = [m.group(1) for name in sorted(names) if (m := pattern.fullmatch(name))]
    return [rm for rm in found if rm not in ("state", "fact")]


def upcaster_name(old: SliceNames, new: SliceNames) -> str:
    return f"upcast_{old.event}_{old.v}_to_{new.v}"


def _add_upcaster(
    cs: ChangeSet,
    reg: Registrations,
    r: Renderer,
    old: SliceNames,
    new: SliceNames,
    renamed: dict[str, str],
) -> None:
    name = upcaster_name(old, new)
    known = {f.name: f for f in old.fields}
    values = [(f, *carried(f, known, renamed)) for f in new.fields]
    added = [f for f, value, _ in values if default_value(f) in value]
    kwargs = ["aggregate_id=event.aggregate_id", *(f"{f.name}={v}" for f, v, _ in values)]
    same = [f.name for f in new.fields] == [*known, *(f.name for f in added)] and not renamed
    checks = [] if same else [_check(f.name, v) for f, v, ok in values if ok]
    messages = [
        (old.module(f"event_{old.v}"), old.event_class),
        (new.module(f"event_{new.v}"), new.event_class),
    ]
    cs.add(
        new.file(name),
        r.render(
            "slice/upcaster.py.j2",
            [*default_imports(added), *messages],
            upcaster=name,
            old_class=old.event_class,
            new_class=new.event_class,
            old_version=old.version,
            build_new=build("upgraded", new.event_class, kwargs),
        ),
    )
    cs.add(
        new.test_file(name),
        r.render(
            "slice_tests/test_upcaster.py.j2",
            [("uuid", "UUID"), *sample_imports(old.fields), *messages, (new.module(name), name)],
            upcaster=name,
            old_version=old.version,
            new_class=new.event_class,
            new_event_type=new.event_type,
            build_old=build("event", old.event_class, sample_kwargs(old.fields)),
            checks=checks,
        ),
    )
    reg.route(
        new.paths,
        [*messages, (new.module(name), name)],
        "upcast",
        [old.event_class, new.event_class, name],
    )


def _upgrade_public_function(
    cs: ChangeSet, reg: Registrations, old: SliceNames, new: SliceNames
) -> bool:
    """Move the business function to the new command if it is still as slicegen wrote it
    (comments aside); otherwise say so. True if it moves (or has moved already)."""
    path = new.paths.module_file("__init__")
    original = cs.read(path) or ""
    if not defines_function(original, new.command):
        cs.note(
            f"{path} defines no function {new.command}: add one that builds {new.command_class}"
        )
        return False
    replace_step = edits.replace_function_if_pristine(
        new.command, files.business_function(old), files.business_function(new)
    )
    try:
        changed = edits.apply(replace_step)(original) != original
    except SlicegenError as exc:
        cs.note(
            f"{path} was left as it is: {exc.message}; make {new.command} build {new.command_class}"
        )
        return False
    if not changed:
        if _same_function(original, new):
            return True
        cs.note(
            f"{path} was left as it is: {new.command} is not as slicegen wrote it; make it "
            f"build {new.command_class}"
        )
        return False
    reg.add(
        path,
        replace_step,
        *(edits.add_import(m, name, new.paths.app) for m, name in files.business_imports(new)),
        edits.drop_unused_import(old.module(f"command_{old.v}"), old.command_class),
    )
    return True


def _same_function(source: str, new: SliceNames) -> bool:
    """True if the module's business function is already the new version's (a re-run)."""
    found = top_functions(source, new.command)
    if not found:
        return False
    written = ast.get_source_segment(source, found[0]) or ""
    return edits.same_code(written, files.business_function(new))


def _derive_handler(cs: ChangeSet, old: SliceNames, new: SliceNames) -> None:
    """The new handler (and its test) from the old one, so no hand-written rule is dropped.

    A new handler already on disk (a re-run, or one written by hand) is kept as it is.
    """
    path, test_path = new.file(new.handler), new.test_file(new.handler)
    added = [f for f in new.fields if f not in old.fields]
    dropped = [f.name for f in old.fields if f not in new.fields]
    source = cs.read(old.file(old.handler))
    if (kept := cs.on_disk(path)) is not None:  # a regular file inside: never a FIFO or link out
        cs.add(path, kept)
    elif source is None:
        cs.note(f"{old.file(old.handler)} is missing: {path} is a fresh template")
    else:
        renames = _renames(old, new)
        arg = _command_parameter(source, old)
        passed = [f"{f.name}={arg}.{f.name}" for f in added]
        try:
            how = Derivation(renames, {new.event_class: passed}, {new.event_class: dropped})
            text = derive(source, how)
        except SlicegenError as exc:
            raise SlicegenError(
                f"{old.file(old.handler)}: cannot carry its rules into {new.handler} "
                f"({exc.message}); nothing was written: write {path} yourself from "
                f"{old.handler} (v{old.version} names as v{new.version}), then re-run"
            ) from None
        cs.add(path, text)
    if (kept_test := cs.on_disk(test_path)) is not None:
        cs.add(test_path, kept_test)
        return
    test_source = cs.read(old.test_file(old.handler))
    if test_source is None:
        return
    samples = [f"{f.name}={sample(f)}" for f in added]
    renames = {**_renames(old, new), old.module(old.handler): new.module(new.handler)}
    try:
        text = derive(
            test_source,
            Derivation(
                renames,
                {new.command_class: samples, new.event_class: samples},
                {new.command_class: dropped, new.event_class: dropped},
            ),
        )
        imports = [edits.add_import(m, n, new.paths.app) for m, n in sample_imports(added)]
        text = edits.apply(*imports)(text)
    except SlicegenError as exc:
        cs.note(
            f"{old.test_file(old.handler)} could not be carried to v{new.version} "
            f"({exc.message}): {test_path} is a fresh template"
        )
        return
    cs.add(test_path, text)


def _renames(old: SliceNames, new: SliceNames) -> dict[str, str]:
    """The v<N> names a derived v<N+1> file takes the new names of."""
    return {
        old.command_class: new.command_class,
        old.event_class: new.event_class,
        old.handler: new.handler,
        old.module(f"command_{old.v}"): new.module(f"command_{new.v}"),
        old.module(f"event_{old.v}"): new.module(f"event_{new.v}"),
    }


def _command_parameter(source: str, old: SliceNames) -> str:
    """The name the old handler gives its command (``command`` unless renamed)."""
    for node in top_functions(source, old.handler):
        for param in node.args.args:
            if param.annotation is not None and ast.unparse(param.annotation) == old.command_class:
                return param.arg
    return "command"


def _upgrade_integration_test(cs: ChangeSet, r: Renderer, old: SliceNames, new: SliceNames) -> None:
    path = files.integration_test_path(old)
    current = cs.read(path)
    if current is None:
        return
    read_models = slice_projections(cs, old)
    start = None if old.starts else start_names(cs, old.paths, old.aggregate, old.command)
    for candidate in (read_models, []):
        if files.integration_test(r, old, candidate, start)[1] == current:
            cs.edit(path, _replaced_by(files.integration_test(r, new, candidate, start)[1]))
            return
        if files.integration_test(r, new, candidate, start)[1] == current:
            return  # moved already
    cs.note(
        f"{path} was left as it is (it is not as slicegen wrote it): move it to {new.command_class}"
    )


def _replaced_by(text: str) -> edits.Edit:
    def edit(_old: str) -> str:
        return text

    return edit


def _check(name: str, value: str) -> str:
    """The upcaster test's line that ``name`` was carried as ``value``."""
    return assertion(f"upgraded.{name}", "==", f"({value})" if " if " in value else value)

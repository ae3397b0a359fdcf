"""``remove-slice`` for the elixir stack: the reverse of ``add-slice``; stored events still load.

The slice's policies go first, as ``remove-policy`` removes them; then its folder and its tests
(a file the user changed since slicegen generated it is kept, unless forced), and its children
leave the application's list. Every definition or call of the domain's app that names the
slice's modules (the router's ``dispatch``, the aggregate's ``execute`` clause, the public API
function, the fixture) is removed on the tree-sitter tree, with its ``@doc``/``@spec`` and the
blank line before it, keeping the rest. The event modules move to ``lib/<app>/retired/`` under
their own names, stay in the event type mapper, and the aggregate's ``apply`` clause for each
leaves the state unchanged, so the events already stored still load.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from slicegen import manifest
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import artifacts, refusals
from slicegen.stacks.elixir import reading, registrations, remove_parts
from slicegen.stacks.elixir.paths import DomainNames
from slicegen.stacks.elixir.source_edits import _call_name, parse, walk

#: The body of an ``apply`` clause of a retired event.
RETIRED_BODY = (
    "    # retired: `slicegen remove-slice` removed its slice; stored events still load.\n"
    "    # Delete this clause, the module and its type mapping once no stream holds the event.\n"
    "    _ = event\n"
    "    state\n"
)


def remove_slice(cs: ChangeSet, ctx: StackContext, domain: str, name: str, force: bool) -> None:
    """Plan the removal of slice ``name`` of ``domain`` (see the module docstring)."""
    names = DomainNames.of(ctx, domain)
    folder = names.slice_dir(name)
    if not cs.exists(names.slice_file(name, "command_v1")):
        raise refusals.no_slice(domain, name, f"{folder}/command_v1.ex")
    remove_parts.refuse_if_published_and_consumed(cs, ctx, domain, name)
    _refuse_if_followed(cs, names, name)
    # its policies first, as `remove-policy` removes them (a fact's subscriber keeps the others)
    found = [artifacts.policy_file(f, ".ex", command=name) for f in cs.files_under(folder)]
    for event in sorted({policy[0] for policy in found if policy}):
        remove_parts.remove_policy(cs, ctx, domain, name, event, force)
    generated = manifest.read(cs)
    namespace = names.slice_module(name)
    events = [f for f in cs.files_under(folder) if artifacts.is_event_file(f, ".ex")]
    for rel in events:
        stem = rel.rsplit("/", 1)[1]
        cs.add(f"{names.lib_dir}/retired/{name}_{stem}", cs.read(rel) or "")
    for rel in [*cs.files_under(folder), *cs.files_under(names.slice_test_dir(name))]:
        text = cs.read(rel)
        if text is None:  # removed with its policy
            continue
        if rel not in events and manifest.user_changed(generated, rel, text) and not force:
            manifest.note_kept(cs, rel)
            continue
        cs.remove(rel)
    # its children first: the rest of the application's `start/2` must stay
    registrations.unregister_children_of(cs, names, namespace)
    funs = {name, f"{name}_attrs"}
    app_files = [
        *cs.files_under(f"{names.app_dir}/lib"),
        *cs.files_under(f"{names.app_dir}/test/support"),
    ]
    for rel in app_files:
        source = cs.read(rel)
        if (
            source is not None
            and rel.endswith(".ex")
            and rel != names.type_mapper
            and not rel.startswith((f"{folder}/", f"{names.lib_dir}/retired/"))
            and (namespace + "." in source or _defines(source, funs))
        ):
            cs.edit(rel, _dropping(rel, namespace, funs))
    cs.edit(names.public_api, lambda text: registrations.app_alias(names, text))


def _refuse_if_followed(cs: ChangeSet, names: DomainNames, name: str) -> None:
    """An error naming the ``remove-policy`` to run first if another slice's policy follows an
    event of slice ``name`` (removing the slice would leave that policy naming no module)."""
    folder = names.slice_dir(name)
    events = {
        reading.event_type_string(f, cs.read(f) or "")[0]
        for f in cs.files_under(folder)
        if artifacts.is_event_file(f, ".ex")
    }
    places = (names.domain_dir, folder, f"{names.slice_module(name)}.", ".ex")
    refusals.if_followed(cs, names.domain, name, places, events)


def _dropping(path: str, namespace: str, funs: set[str]) -> Callable[[str], str]:
    return lambda text: drop_definitions(path, text, namespace, funs)


def def_line(fun: str) -> re.Pattern[str]:
    """A line defining ``fun`` (blanks before ``def`` within the line: linear on blank lines)."""
    return re.compile(rf"^[ \t]*def {re.escape(fun)}\(", re.MULTILINE)


def _defines(text: str, funs: set[str]) -> bool:
    return any(def_line(f).search(text) for f in funs)


def drop_definitions(path: str, text: str, namespace: str, funs: set[str]) -> str:
    """``text`` without the module-body items naming ``namespace``'s modules or defining
    ``funs``; an ``apply`` clause of one of its events is kept with :data:`RETIRED_BODY`."""
    src = parse(path, text)
    data = src.data
    cuts: list[tuple[int, int, bytes]] = []
    for module in [n for n in walk(src.root) if _call_name(n) == "defmodule"]:
        for item in src.body(module):
            item_text = src.node_text(item)
            defined = src.defined_name(item)
            mentions = namespace + "." in item_text
            if not mentions and defined not in funs:
                continue
            start, end, _ = src.definition_text(item)
            if defined == "apply" and re.search(
                rf"%{re.escape(namespace)}\.EventV\d+\{{", item_text
            ):
                body_start = data.index(b" do\n", item.start_byte) + len(b" do\n")
                body_end = data.rindex(b"\n", 0, item.end_byte) + 1
                cuts.append((body_start, body_end, RETIRED_BODY.encode()))
                continue
            blank = data.rfind(b"\n\n", 0, start)
            if blank >= 0 and blank + 2 == start:  # the blank line slicegen put before it
                start = blank + 1
            cuts.append((start, _line_end(data, end), b""))
    for start, end, new in sorted(_merged(cuts), reverse=True):
        data = data[:start] + new + data[end:]
    return data.decode("utf-8")


def _merged(cuts: list[tuple[int, int, bytes]]) -> list[tuple[int, int, bytes]]:
    """Overlapping cuts as one (an ``@doc`` naming the slice is cut with its ``def``)."""
    merged: list[tuple[int, int, bytes]] = []
    for start, end, new in sorted(cuts):
        if merged and start < merged[-1][1]:
            first, last, text = merged[-1]
            merged[-1] = (first, max(end, last), text + new)
        else:
            merged.append((start, end, new))
    return merged


def _line_end(data: bytes, offset: int) -> int:
    """The offset just after the line break ending the line at ``offset``."""
    end = data.find(b"\n", offset)
    return len(data) if end < 0 else end + 1


def domain_places(
    cs: ChangeSet, ctx: StackContext, domain: str
) -> tuple[list[str], bool, list[str]]:
    """What ``remove-domain`` needs: the domain's slices, whether it has retired events, and
    the folders and files ``new-domain`` wrote (its umbrella app, its document)."""
    names = DomainNames.of(ctx, domain)
    if not cs.exists(names.public_api):
        raise SlicegenError(
            f"there is no domain '{domain}' ({names.public_api} is missing): check the name"
        )
    commands = [f for f in cs.files_under(names.domain_dir) if f.endswith("/command_v1.ex")]
    slices = sorted({f.split("/")[-2] for f in commands})
    retired = cs.files_under(f"{names.lib_dir}/retired")
    folders = [names.app_dir, ctx.config.storming_doc(domain)]
    return slices, bool(retired), folders

"""The named, idempotent registrations a slice makes in its domain's existing modules.

Each function plans a :meth:`ChangeSet.edit` whose transform parses the file with tree-sitter
(:mod:`.source_edits`), returns the text unchanged when the registration is already there, and
otherwise splices it into the right block. Snippets are printed the way ``mix format`` would print
them, so a formatted file stays formatted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.stacks.elixir.layout import LAYOUT
from slicegen.stacks.elixir.paths import DomainNames
from slicegen.stacks.elixir.source_edits import ElixirSource, call_target, parse, walk

if TYPE_CHECKING:
    from tree_sitter import Node


def register_dispatch(cs: ChangeSet, names: DomainNames, command: str, aggregate: str) -> None:
    """``dispatch(Command, to: Aggregate)`` in the router, after the last dispatch."""

    def transform(text: str) -> str:
        src = parse(names.router, text)
        module = src.module(f"{names.module}.Router")
        dispatches = src.calls(module, "dispatch")
        if any(command in src.first_arg_items(d) for d in dispatches):
            return text
        snippet = LAYOUT.call(2, "dispatch", [command, f"to: {aggregate}"])
        if dispatches:
            return src.insert_after(dispatches[-1], snippet)
        return src.insert_before_end(module, snippet)

    cs.edit(names.router, transform)


def route_through_once(cs: ChangeSet, names: DomainNames, command: str) -> None:
    """A policy's command dispatched through ``PolicyOnce`` (its handler and ``before_execute``,
    run in the aggregate's process): ``dispatch(Command, to: Aggregate)`` in the router becomes
    ``dispatch(Command, to: <Domain>.PolicyOnce, aggregate: Aggregate, before_execute: ...)``."""
    _reroute(cs, names, command, once=True)


def route_past_once(cs: ChangeSet, names: DomainNames, command: str) -> None:
    """The reverse of :func:`route_through_once`: the command goes straight to its aggregate."""
    _reroute(cs, names, command, once=False)


def _reroute(cs: ChangeSet, names: DomainNames, command: str, once: bool) -> None:
    def transform(text: str) -> str:
        src = parse(names.router, text)
        module = src.module(f"{names.module}.Router")
        for call in src.calls(module, "dispatch"):
            if src.first_arg_items(call) != [command]:
                continue
            options = dict(_keywords(src, call))
            through = options.get("to") == names.policy_once_module
            if through == once:
                return text
            if once and ("to" not in options or {"aggregate", "before_execute"} & set(options)):
                raise SlicegenError(
                    f"the dispatch of {command} names its own handler or `before_execute:`, "
                    f"and a policy's command goes through {names.policy_once_module}: make it "
                    f"`dispatch({command}, to: <aggregate>)` and re-run"
                )
            kept = [
                f"{k}: {v}"
                for k, v in options.items()
                if k not in ("to", "aggregate", "before_execute")
            ]
            if once:
                route = [
                    f"to: {names.policy_once_module}",
                    f"aggregate: {options['to']}",
                    "before_execute: :before_execute",
                ]
            else:
                route = [f"to: {options.get('aggregate', options['to'])}"]
            snippet = LAYOUT.call(2, "dispatch", [command, *route, *kept]).lstrip()
            return src.replace(call.start_byte, call.end_byte, snippet)
        return text

    cs.edit(names.router, transform)


def _keywords(src: ElixirSource, call: Node) -> list[tuple[str, str]]:
    """A call's keyword arguments as (key, value text): ``to: A`` gives ``("to", "A")``."""
    found = []
    for node in walk(call):
        if node.type == "pair":
            key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
            if key is not None and value is not None:
                found.append((src.node_text(key).strip().rstrip(":"), src.node_text(value)))
    return found


def register_middleware(cs: ChangeSet, names: DomainNames, middleware: str) -> None:
    """``middleware Module`` in the router, on the line below its ``use`` (Commanded applies a
    middleware to the dispatches declared after it; no blank line, so that a three-way upgrade
    does not take it for a change to an ``identify`` the user edited)."""

    def transform(text: str) -> str:
        src = parse(names.router, text)
        module = src.module(f"{names.module}.Router")
        if any(src.first_arg(m) == middleware for m in src.calls(module, "middleware")):
            return text
        uses = src.calls(module, "use")
        if not uses:
            raise _expected(names.router, "`use Commanded.Commands.Router`")
        return src.insert_below(uses[0], LAYOUT.call(2, "middleware", [middleware]))

    cs.edit(names.router, transform)


def unregister_middleware(cs: ChangeSet, names: DomainNames, middleware: str) -> None:
    """``middleware Module`` out of the router (the reverse of :func:`register_middleware`)."""

    def transform(text: str) -> str:
        src = parse(names.router, text)
        module = src.module(f"{names.module}.Router")
        for call in src.calls(module, "middleware"):
            if src.first_arg(call) == middleware:
                return src.remove_lines(call)
        return text

    cs.edit(names.router, transform)


def _types(names: DomainNames, text: str) -> tuple[ElixirSource, Node]:
    """The type mapper's source and its ``@types %{...}`` map."""
    src = parse(names.type_mapper, text)
    types = src.attribute(src.module(f"{names.module}.EventTypeMapper"), "types")
    if types is None or types.type != "map":
        raise _expected(names.type_mapper, "a `@types %{...}` map of type strings to events")
    return src, types


def register_event_type(cs: ChangeSet, names: DomainNames, type_string: str, event: str) -> None:
    """``"account_initialized:v1" => EventV1`` in the type mapper's ``@types`` map."""

    def transform(text: str) -> str:
        src, types = _types(names, text)
        if type_string in set(src.strings_in(types)):
            return text
        return src.append_item(
            types, lambda indent: LAYOUT.arrow(indent, f'"{type_string}"', event).lstrip()
        )

    cs.edit(names.type_mapper, transform)


def unregister_event_type(cs: ChangeSet, names: DomainNames, type_string: str) -> None:
    """``type_string``'s entry out of the type mapper's ``@types`` map (the reverse of
    :func:`register_event_type`)."""

    def transform(text: str) -> str:
        src, types = _types(names, text)
        for item in src.items(types):
            if type_string in set(src.strings_in(item)):
                return src.remove_item(types, item)
        return text

    cs.edit(names.type_mapper, transform)


def register_api_function(cs: ChangeSet, names: DomainNames, fun: str, snippet: str) -> None:
    """A business function in the public API module, unless one of that name exists."""
    register_function(cs, names.public_api, names.module, fun, snippet)
    cs.edit(names.public_api, lambda text: app_alias(names, text))


def unregister_api_function(cs: ChangeSet, names: DomainNames, fun: str) -> None:
    """``fun``'s clauses, with their ``@doc``/``@spec`` and the blank line before them, out of
    the public API module (the reverse of :func:`register_api_function`)."""

    def transform(text: str) -> str:
        src = parse(names.public_api, text)
        data = src.data
        for node in reversed(src.defs(src.module(names.module), fun)):
            start, end, _ = src.definition_text(node)
            if data[start - 2 : start] == b"\n\n":  # the blank line slicegen put before it
                start -= 1
            after = data.find(b"\n", end)
            data = data[:start] + data[len(data) if after < 0 else after + 1 :]
        return app_alias(names, data.decode("utf-8"))

    cs.edit(names.public_api, transform)


def app_alias(names: DomainNames, text: str) -> str:
    """The public API with ``alias <Domain>.CommandedApp`` (below its moduledoc) exactly while a
    function dispatches through it: an unused alias fails ``mix compile --warnings-as-errors``."""
    line = f"  alias {names.module}.CommandedApp\n"
    used = re.search(r"\bCommandedApp\.\w", text) is not None
    if used and line not in text:
        doc_end = text.find('\n  """\n')
        at = doc_end + len('\n  """\n') if doc_end >= 0 else text.find("\n") + 1
        return text[:at] + ("\n" + line if doc_end >= 0 else line + "\n") + text[at:]
    if not used and line in text:
        start = text.index(line)
        blank = start >= 1 and text[start - 2 : start] == "\n\n"
        return text[: start - 1 if blank else start] + text[start + len(line) :]
    return text


def register_function(cs: ChangeSet, path: str, module_name: str, fun: str, snippet: str) -> None:
    """A function at the end of a module, unless one of that name exists."""

    def transform(text: str) -> str:
        src = parse(path, text)
        module = src.module(module_name)
        if src.defs(module, fun):
            return text
        return src.insert_before_end(module, snippet)

    cs.edit(path, transform)


def upgrade_function(
    cs: ChangeSet, path: str, module_name: str, fun: str, generated: str, upgraded: str
) -> None:
    """Replace a function by ``upgraded`` if it is still exactly as ``generated``."""

    def transform(text: str) -> str:
        src = parse(path, text)
        clauses = src.defs(src.module(module_name), fun)
        if len(clauses) != 1:
            return text
        start, end, current = src.definition_text(clauses[0])
        if current.replace("\r\n", "\n") != generated:
            return text
        return src.replace(start, end, upgraded)

    cs.edit(path, transform)


def upgrade_api_function(
    cs: ChangeSet, names: DomainNames, fun: str, generated: str, upgraded: str
) -> None:
    """Replace a public API function by ``upgraded`` if it is still exactly as ``generated``.

    A function the user has changed (or split into clauses) is left alone.
    """
    upgrade_function(cs, names.public_api, names.module, fun, generated, upgraded)


def register_clause(
    cs: ChangeSet,
    path: str,
    module_name: str,
    fun: str,
    matched_struct: str,
    snippet: str,
    before: str | None = None,
) -> None:
    """A clause of ``fun`` matching ``%matched_struct{}``, grouped with the other clauses.

    Without clauses yet it goes before the first clause of ``before`` (if any), else at the end.
    """

    def transform(text: str) -> str:
        src = parse(path, text)
        module = src.module(module_name)
        clauses = src.defs(module, fun)
        if any(f"%{matched_struct}{{" in src.node_text(c) for c in clauses):
            return text
        if clauses:
            return src.insert_after(clauses[-1], snippet)
        following = src.defs(module, before) if before else []
        if following:
            return src.insert_before(following[0], snippet)
        return src.insert_before_end(module, snippet)

    cs.edit(path, transform)


def _children(names: DomainNames, text: str) -> tuple[ElixirSource, Node]:
    """The application's source and its ``children = [...]`` list in ``def start/2``."""
    src = parse(names.application, text)
    module = src.module(f"{names.module}.Application")
    starts = src.defs(module, "start")
    children = src.list_assigned_in(starts[0], "children") if starts else None
    if children is None:
        raise _expected(names.application, "`children = [...]` in `def start/2`")
    return src, children


def register_child(cs: ChangeSet, names: DomainNames, child: str) -> None:
    """A child (projection, policy, subscriber) in the application's supervision tree."""

    def transform(text: str) -> str:
        src, children = _children(names, text)
        if any(src.node_text(item) == child for item in children.named_children):
            return text
        return src.append_item(children, child)

    cs.edit(names.application, transform)


def unregister_child(cs: ChangeSet, names: DomainNames, child: str) -> None:
    """``child`` out of the application's supervision tree (the reverse of ``register_child``)."""

    def transform(text: str) -> str:
        src, children = _children(names, text)
        for item in children.named_children:
            if src.node_text(item) == child:
                return src.remove_item(children, item)
        return text

    cs.edit(names.application, transform)


def unregister_children_of(cs: ChangeSet, names: DomainNames, namespace: str) -> None:
    """Every child naming a module of ``namespace`` (a removed slice's publishers, projections,
    policies) out of the application's supervision tree, the rest of ``start/2`` kept."""

    def transform(text: str) -> str:
        src, children = _children(names, text)
        for item in reversed(children.named_children):
            if namespace + "." in src.node_text(item):
                return transform(src.remove_item(children, item))
        return text

    if namespace + "." in (cs.read(names.application) or ""):
        cs.edit(names.application, transform)


def replace_child(cs: ChangeSet, names: DomainNames, old: str, new: str) -> None:
    """``new`` in the application's children where ``old`` was (v<N+1> replacing v<N>)."""

    def transform(text: str) -> str:
        src, children = _children(names, text)
        items = children.named_children
        if any(src.node_text(item) == new for item in items):
            return text
        for item in items:
            if src.node_text(item) == old:
                return src.replace(item.start_byte, item.end_byte, new)
        return src.append_item(children, new)

    cs.edit(names.application, transform)


def _policies(path: str, subscriber: str, text: str) -> tuple[ElixirSource, Node]:
    """A fact subscriber's source and its ``@policies [...]`` list."""
    src = parse(path, text)
    policies = src.attribute(src.module(subscriber), "policies")
    if policies is None or policies.type != "list":
        raise _expected(path, "a `@policies [...]` list of policy modules")
    return src, policies


def policies(path: str, subscriber: str, text: str) -> list[str]:
    """The policy modules in a fact subscriber's ``@policies`` list."""
    src, found = _policies(path, subscriber, text)
    return [src.node_text(item) for item in found.named_children if item.type != "comment"]


def register_policy(cs: ChangeSet, path: str, subscriber: str, policy: str) -> None:
    """A policy module in a fact subscriber's ``@policies`` list."""

    def transform(text: str) -> str:
        src, found = _policies(path, subscriber, text)
        if any(src.node_text(item) == policy for item in found.named_children):
            return text
        return src.append_item(found, policy)

    cs.edit(path, transform)


def unregister_policy(cs: ChangeSet, path: str, subscriber: str, policy: str) -> None:
    """``policy`` out of a fact subscriber's ``@policies`` list."""

    def transform(text: str) -> str:
        src, found = _policies(path, subscriber, text)
        for item in found.named_children:
            if src.node_text(item) == policy:
                return src.remove_item(found, item)
        return text

    cs.edit(path, transform)


def add_schema_fields(cs: ChangeSet, path: str, lines: list[str]) -> None:
    """``field(...)`` lines before ``timestamps()`` in an Ecto schema, unless already there."""

    def transform(text: str) -> str:
        src = parse(path, text)
        missing = [line for line in lines if line.strip() not in text]
        if not missing:
            return text
        stamps = [
            node
            for node in walk(src.root)
            if node.type == "call" and call_target(src, node) == "timestamps"
        ]
        if not stamps:
            raise _expected(path, "`timestamps()` at the end of the `schema` block")
        start = src.data.rfind(b"\n", 0, stamps[0].start_byte) + 1
        return src.replace(start, start, "\n".join(missing) + "\n")

    cs.edit(path, transform)


def _expected(path: str, what: str) -> Exception:
    from slicegen.errors import SlicegenError

    return SlicegenError(
        f"{path}: expected {what} but it is not there; restore it and re-run "
        "(slicegen registers the change there and never guesses a line)"
    )

"""``rename-event`` and ``rename-command`` for the elixir stack, by tree-sitter edits.

The word rules of the python stack (:class:`slicegen.stacks.python.rename.Rule`) are applied to
the leaves of each file's syntax tree that name things (aliases, identifiers, atoms, the text of
strings and docs) and to file and folder names, in the domain's app (``lib`` and ``test``);
comments stay as written. A renamed event keeps loading: its events stored under the old type
string are mapped to a module kept in ``lib/<app>/retired/`` with the old type string, which a
``Commanded.Event.Upcaster`` turns into the renamed event.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from slicegen import manifest, naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import artifacts, refusals
from slicegen.stacks.elixir.layout import LAYOUT
from slicegen.stacks.elixir.paths import DomainNames
from slicegen.stacks.elixir.source_edits import ElixirSource, parse, walk
from slicegen.stacks.word_rules import FACT_TOPIC, Rule, apply_rules

if TYPE_CHECKING:
    from tree_sitter import Node

#: The leaves of the tree whose text names something.
NAMING_LEAVES = frozenset({"alias", "identifier", "atom", "quoted_content"})


def rename_source(path: str, source: str, rules: list[Rule], own: str = "") -> str:
    """``source`` with ``rules`` applied to its naming leaves (comments kept). With ``own``
    (the domain's module), modules outside it (a shared fact) keep their names, short
    aliases of them included, as the python stack keeps imports from outside the domain."""
    src = parse(path, source)
    data = src.data
    leaves = [n for n in walk(src.root) if n.child_count == 0 and n.type in NAMING_LEAVES]
    outside = {
        name
        for n in leaves
        if own and n.type == "alias" and "." in (full := src.node_text(n))
        if not full.startswith((f"{own}.", "__MODULE__"))
        for name in (full, full.rsplit(".", 1)[1])
    }
    edits: list[tuple[int, int, bytes]] = []
    for node in leaves:
        text = src.node_text(node)
        if FACT_TOPIC in text:  # a published topic: its consumers know it by name
            continue
        if _subscription_name(src, node):  # the store knows the handler by it
            continue
        if node.type == "alias" and text in outside:
            continue
        renamed = apply_rules(text, rules)
        if renamed != text:
            edits.append((node.start_byte, node.end_byte, renamed.encode("utf-8")))
    for start, end, new in sorted(edits, reverse=True):
        data = data[:start] + new + data[end:]
    return data.decode("utf-8")


def _subscription_name(src: ElixirSource, leaf: Node) -> bool:
    """Whether ``leaf`` is the text of a ``name:`` given to ``use`` (``use
    Commanded.Event.Handler, name: "..."``, a projector's, a process manager's): the event
    store keeps the handler's position under that name, so a new one would start it again
    from the first event (every fact published twice, every projection row inserted again)."""
    string = leaf.parent
    pair = string.parent if string is not None else None
    if pair is None or pair.type != "pair" or pair.child_count < 2:
        return False
    if src.node_text(pair.children[0]).rstrip() != "name:":
        return False
    call = pair.parent.parent.parent if pair.parent and pair.parent.parent else None
    return (
        call is not None
        and call.type == "call"
        and call.child_count > 0
        and src.node_text(call.children[0]) == "use"
    )


def rename_files(cs: ChangeSet, folders: list[str], rules: list[Rule], own: str = "") -> None:
    """Apply ``rules`` to the ``.ex``/``.exs`` files below ``folders``, contents and paths
    (modules outside ``own`` keep their names: :func:`rename_source`)."""
    generated = manifest.read(cs)
    for rel in sorted({f for folder in folders for f in cs.files_under(folder)}):
        if not rel.endswith((".ex", ".exs")):
            continue
        text = cs.read(rel) or ""
        new_text = rename_source(rel, text, rules, own)
        new_rel = "/".join(apply_rules(part, rules) for part in rel.split("/"))
        if new_rel != rel:
            if cs.exists(new_rel):
                raise refusals.file_taken(new_rel)
            cs.remove(rel)
            cs.add(new_rel, new_text, generated=not manifest.user_changed(generated, rel, text))
        elif new_text != text:
            cs.edit(rel, _replaced_by(new_text))


def _replaced_by(text: str) -> Callable[[str], str]:
    return lambda _: text


def _phrases(old: str, new: str) -> list[Rule]:
    old_words, new_words = " ".join(naming.words(old)), " ".join(naming.words(new))
    return [
        Rule.word(old_words, new_words),
        Rule.word(old_words.capitalize(), new_words.capitalize()),
    ]


def _event_files(cs: ChangeSet, names: DomainNames, event: str) -> dict[str, int]:
    """The event modules storing ``event``: path -> version."""
    stored = re.compile(rf'"{re.escape(event)}:v(\d+)"')
    found = {}
    for rel in cs.files_under(f"{names.lib_dir}/domain"):
        if artifacts.is_event_file(rel, ".ex"):
            match = stored.search(cs.read(rel) or "")
            if match:
                found[rel] = int(match.group(1))
    return found


def rename_event(cs: ChangeSet, ctx: StackContext, domain: str, old: str, new: str) -> None:
    """Plan renaming event ``old`` of ``domain`` to ``new`` (see the module docstring)."""
    names = DomainNames.of(ctx, domain)
    events = _event_files(cs, names, old)
    if not events:
        raise refusals.no_event(domain, old)
    if _event_files(cs, names, new):
        raise refusals.event_taken(domain, new)
    old_verb, new_verb = naming.event_short_name(old), naming.event_short_name(new)
    rules = [
        Rule.pascal(naming.to_pascal(old), naming.to_pascal(new)),
        Rule.word(old, new),
        *_phrases(old, new),
    ]
    if old_verb != new_verb:
        rules += [
            Rule.word(f"{old_verb}_to_", f"{new_verb}_to_", prefix_only=True),
            Rule.pascal(
                f"{naming.to_pascal(old_verb)}To",
                f"{naming.to_pascal(new_verb)}To",
                prefix_only=True,
            ),
        ]
    originals = {rel: cs.read(rel) or "" for rel in events}
    rename_files(cs, [f"{names.app_dir}/lib", f"{names.app_dir}/test"], rules, names.module)
    for rel, version in sorted(events.items()):
        _keep_old_event(cs, names, rel, originals[rel], old, new, version)


def _keep_old_event(
    cs: ChangeSet, names: DomainNames, rel: str, text: str, old: str, new: str, version: int
) -> None:
    """``lib/<app>/retired/<old>_v<N>.ex``: the old event under its old type string, upcast to
    the renamed event; the type mapper maps the old type string to it."""
    found = re.search(r"^defmodule (\S+) do$", text, re.MULTILINE)
    if found is None:
        raise SlicegenError(f"{rel} defines no module: restore it first")
    module = found.group(1)
    retired_mod = f"{names.module}.Retired.{naming.to_pascal(old)}V{version}"
    retired = f"{names.lib_dir}/retired/{old}_v{version}.ex"
    if cs.exists(retired):
        raise refusals.retired_taken(retired, old)
    body = text.replace(f"defmodule {module} do", f"defmodule {retired_mod} do", 1)
    # Its protocol implementations (the eventstore store's JSON decoder) are the old module's now.
    body = re.sub(
        rf"^defimpl ([\w.]+),\s+for: {re.escape(module)} do$",
        lambda m: LAYOUT.defimpl_head(m.group(1), retired_mod),
        body,
        flags=re.MULTILINE,
    )
    stored, renamed = naming.event_type_string(old, version), naming.event_type_string(new, version)
    body = re.sub(
        r'  @moduledoc """.*?"""\n',
        f'  @moduledoc """\n  Events stored as "{stored}", before `slicegen rename-event` named\n'
        f'  them "{renamed}": kept so that they still load, upcast to\n  `{module}`.\n  """\n',
        body,
        count=1,
        flags=re.DOTALL,
    )
    body += (
        f"\ndefimpl Commanded.Event.Upcaster, for: {retired_mod} do\n"
        f"  def upcast(%{retired_mod}{{}} = event, _metadata),\n"
        f"    do: struct({module}, Map.from_struct(event))\n"
        "end\n"
    )
    cs.add(retired, body)
    mapper = names.type_mapper
    if cs.exists(mapper):
        cs.edit(mapper, lambda t: _map(mapper, t, stored, retired_mod))


def _map(path: str, source: str, stored: str, module: str) -> str:
    src = parse(path, source)
    types = next((n for n in walk(src.root) if n.type == "map"), None)
    if types is None:
        raise SlicegenError(f"{path}: expected the @types map; restore it and re-run")
    return src.append_item(types, f'"{stored}" => {module}')


def rename_command(cs: ChangeSet, ctx: StackContext, domain: str, old: str, new: str) -> None:
    """Plan renaming command (slice) ``old`` of ``domain`` to ``new`` (nothing is stored)."""
    names = DomainNames.of(ctx, domain)
    if not cs.exists(names.slice_file(old, "command_v1")):
        raise refusals.no_slice(domain, old, f"{names.slice_dir(old)}/command_v1.ex")
    if cs.files_under(names.slice_dir(new)):
        raise refusals.slice_taken(domain, new)
    rules = [
        Rule.pascal(naming.to_pascal(old), naming.to_pascal(new)),
        Rule.word(old, new),
        *_phrases(old, new),
    ]
    rename_files(cs, [f"{names.app_dir}/lib", f"{names.app_dir}/test"], rules)

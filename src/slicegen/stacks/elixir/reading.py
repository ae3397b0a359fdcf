"""Reading what earlier commands generated: a struct's fields, an event's type string, a schema.

Later commands (a projection, a policy, a fact, a v2) build on the slice as it is on disk now,
including the user's edits, so they parse the modules with tree-sitter rather than remembering
what slicegen once wrote.
"""

from __future__ import annotations

import re

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.stacks.elixir.field_types import ElixirField, field_from_typespec
from slicegen.stacks.elixir.paths import DomainNames
from slicegen.stacks.elixir.source_edits import call_target, parse, walk

_TYPE_STRING = re.compile(r"^([a-z][a-z0-9_]*):v(\d+)$")
_VERSIONED = re.compile(r"^event_v(\d+)\.ex$")


def struct_fields(path: str, text: str) -> list[ElixirField]:
    """The fields of ``@type t :: %__MODULE__{...}`` in the file, in order, with their types."""
    src = parse(path, text)
    for node in walk(src.root):
        if node.type == "binary_operator" and src.node_text(node).startswith("t ::"):
            right = node.child_by_field_name("right")
            if right is not None and right.type == "map":
                fields = []
                pairs = [
                    pair
                    for content in right.named_children
                    if content.type == "map_content"
                    for keywords in content.named_children
                    if keywords.type == "keywords"
                    for pair in keywords.named_children
                    if pair.type == "pair"
                ]
                for pair in pairs:
                    key = src.node_text(pair.children[0]).strip().rstrip(":")
                    value = src.node_text(pair.children[1])
                    fields.append(field_from_typespec(key, value))
                return fields
    raise SlicegenError(
        f"{path}: expected `@type t :: %__MODULE__{{...}}` listing the struct's fields; "
        "restore it so slicegen can read the fields"
    )


def event_type_string(path: str, text: str) -> tuple[str, int]:
    """``("account_initialized", 1)`` from the event module's ``event_type/0``."""
    src = parse(path, text)
    for node in walk(src.root):
        if node.type == "call" and src.defined_name(node) == "event_type":
            for value in src.strings_in(node):
                match = _TYPE_STRING.match(value)
                if match:
                    return match.group(1), int(match.group(2))
    raise SlicegenError(
        f'{path}: expected `def event_type, do: "<event_name>:v<N>"`; restore it so slicegen '
        "knows which event the slice records"
    )


def slice_versions(cs: ChangeSet, names: DomainNames, slice_name: str) -> list[int]:
    """The event versions present in a slice (planned or on disk), ascending."""
    directory = cs.root / names.slice_dir(slice_name)
    found = set()
    if directory.is_dir():
        for entry in directory.iterdir():
            match = _VERSIONED.match(entry.name)
            if match:
                found.add(int(match.group(1)))
    prefix = names.slice_dir(slice_name) + "/"
    for path in cs.paths():
        if path.startswith(prefix):
            match = _VERSIONED.match(path[len(prefix) :])
            if match:
                found.add(int(match.group(1)))
    return sorted(found)


def slice_stems(cs: ChangeSet, names: DomainNames, slice_name: str) -> list[str]:
    """The ``.ex`` files of a slice (planned or on disk), by stem, sorted."""
    directory = cs.root / names.slice_dir(slice_name)
    found = {p.stem for p in directory.glob("*.ex")} if directory.is_dir() else set()
    prefix = names.slice_dir(slice_name) + "/"
    for path in cs.paths():
        rest = path[len(prefix) :] if path.startswith(prefix) else ""
        if rest.endswith(".ex") and "/" not in rest:
            found.add(rest[:-3])
    return sorted(found)


def slice_names(cs: ChangeSet, names: DomainNames) -> list[str]:
    """The slices of a domain (directories under ``domain/``, planned ones included)."""
    found: set[str] = set()
    directory = cs.root / names.domain_dir
    if directory.is_dir():
        found.update(p.name for p in directory.iterdir() if p.is_dir())
    prefix = names.domain_dir + "/"
    for path in cs.paths():
        if path.startswith(prefix):
            found.add(path[len(prefix) :].split("/", 1)[0])
    return sorted(found)


def identified_aggregate(path: str, text: str) -> tuple[str, str] | None:
    """``identify(Aggregate, by: :field)`` in the router: the aggregate module and its field."""
    src = parse(path, text)
    for node in walk(src.root):
        if node.type == "call" and call_target(src, node) == "identify":
            module = src.first_arg(node)
            by = re.search(r"\bby:\s*:(\w+)", src.node_text(node))
            if module and by:
                return module, by.group(1)
    return None


def schema_fields(path: str, text: str) -> list[str]:
    """Field names of an Ecto schema: ``field(:email, :string)`` or ``field :email, :string``."""
    src = parse(path, text)
    names = []
    for node in walk(src.root):
        if node.type == "call" and call_target(src, node) == "field":
            first = src.first_arg(node)
            if first and first.startswith(":"):
                names.append(first[1:])
    return names

"""What the design model needs beyond the workspace model, read from the files the model located.

The lint engine's :class:`~slicegen.model.workspace.WorkspaceModel` says which file is which
artifact; the design also needs a command's fields, a module's docstring (or ``@moduledoc``), the
aggregate's name, a policy's source domain and the order slices were registered in. These are
read here, from the same files, and only from them; a file that cannot be read or parsed yields
nothing rather than an error (lint reports it as SG001).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

from slicegen import naming
from slicegen.fields import FieldSpec, FieldType
from slicegen.model.readers import python as python_reader
from slicegen.model.readers.elixir import moduledoc
from slicegen.model.readers.fields import shapes_in, struct_fields
from slicegen.model.readers.source import parse_python
from slicegen.model.workspace import Artifact, Domain, WorkspaceModel
from slicegen.safe_files import read_text_or_none
from slicegen.stacks import registry
from slicegen.stacks.elixir.field_types import READ_ALIASES, SCALAR_BY_TYPESPEC

#: The Elixir typespecs read as scalars: those slicegen writes, and the aliases.
_ELIXIR_SCALARS = {**SCALAR_BY_TYPESPEC, **READ_ALIASES}
_PY_SCALARS = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "datetime": "datetime",
    "AwareDatetime": "datetime",
    "date": "date",
    "UUID": "uuid",
    "uuid.UUID": "uuid",
    "Decimal": "decimal",
    "decimal.Decimal": "decimal",
}
_TOPIC = re.compile(r"^([a-z][a-z0-9_]*):facts:([a-z][a-z0-9_]*)$")
#: A function definition, by name (indent without newlines: ``\s*`` rescans blank lines from
#: each one, quadratic)
_DEF = re.compile(r"^[^\S\n]*def (\w+)\b", re.MULTILINE)


def read(model: WorkspaceModel, path: str) -> str | None:
    """A file's text, or None if it cannot be read as UTF-8 (or is no regular file, a symlink,
    or over the read cap: see :mod:`slicegen.safe_files`)."""
    return read_text_or_none(Path(model.root) / path)


# --- fields ---------------------------------------------------------------------------------


def command_fields(model: WorkspaceModel, artifact: Artifact, aggregate: str) -> list[str]:
    """The ``name:type`` specs of a command (the aggregate's identity field left out)."""
    info = model.files.get(artifact.path)
    if info is not None and info.class_fields is not None:  # the reader kept them
        classes = info.class_fields
    else:
        text = read(model, artifact.path)
        classes = _classes(artifact.path, text) if text is not None else ()
    chosen = next((c for c in classes if c[0] == artifact.name), classes[0] if classes else None)
    identity = {"aggregate_id", f"{aggregate}_id", "id"}
    fields = chosen[1] if chosen is not None else ()
    return [_spec(n, t) for n, t in fields if n not in identity]


@lru_cache(maxsize=4096)
def _spec(name: str, written: str) -> str:
    """``name:type`` of a field as the reader gives it (the same few recur in every slice)."""
    return FieldSpec(name, field_type(written)).spec()


def _classes(path: str, text: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(name, fields) of each top-level class (Python) or struct module (Elixir) in ``text``."""
    if path.endswith(".py"):
        tree = parse_python(text)
        return python_reader.class_fields(tree) if tree is not None else ()
    return struct_fields(shapes_in(path, text))


def field_type(written: str) -> FieldType:
    """slicegen's field type for a type as the field reader gives it (spaces removed,
    ``Optional[x]`` as ``x|None``): Python annotations and Elixir typespecs alike."""
    optional = False
    for form in ("|None", "None|"):
        if form in written:
            optional, written = True, written.replace(form, "")
    if written.endswith(("|nil", "|nil\n")):  # re.search(r"\|nil$") without the regex
        optional, written = True, written.removesuffix("|nil")
    if written.startswith(("list[", "List[", "tuple[")) and written.endswith("]"):
        inner = written[written.index("[") + 1 : -1].removesuffix(",...")
        return FieldType(_PY_SCALARS.get(inner, "str"), is_list=True, optional=optional)
    if written.startswith("[") and written.endswith("]"):
        written, is_list = written[1:-1], True
    else:
        is_list = False
    if written.startswith("list(") and written.endswith(")"):
        is_list, written = True, written[5:-1]
    scalar = _PY_SCALARS.get(written) or _ELIXIR_SCALARS.get(written, "str")
    return FieldType(scalar, is_list=is_list, optional=optional)


# --- docs -----------------------------------------------------------------------------------


def module_doc(model: WorkspaceModel, path: str) -> str:
    """The module docstring (Python) or ``@moduledoc`` (Elixir) of a file, or ""."""
    info = model.files.get(path)
    if info is not None and info.doc is not None:  # the reader kept it
        return info.doc
    text = read(model, path)
    return doc_of(path, text) if text is not None else ""


def doc_of(path: str, text: str) -> str:
    """The module docstring (``.py``) or ``@moduledoc`` (``.ex``) in ``text``, or ""."""
    if path.endswith(".py"):
        tree = parse_python(text)
        return python_reader.module_doc(tree) if tree is not None else ""
    return moduledoc(text)


# --- aggregate, policies, order -------------------------------------------------------------


def aggregate_of(model: WorkspaceModel, domain: Domain) -> str:
    """The aggregate's name: from ``class AccountState`` (Python) or ``shared/<x>.ex`` (Elixir)."""
    if model.stack == "python":
        info = model.files.get(f"{domain.root}/state.py")
        for definition in info.definitions if info else ():
            if definition.kind == "class" and definition.name.endswith("State"):
                return naming.to_snake(definition.name.removesuffix("State"))
    else:
        prefix = f"{domain.root}/shared/"
        found = shared_modules(model, domain)
        if found:
            return found[0][len(prefix) :].removesuffix(".ex").replace("/", "_")
    return singular(domain.name)


def shared_modules(model: WorkspaceModel, domain: Domain) -> list[str]:
    """The ``.ex`` source files under the domain's ``shared/`` folder (its Elixir aggregate), in
    path order: found in the walk's sorted paths, no other file looked at."""
    prefix = f"{domain.root}/shared/"
    paths = model.paths
    return [
        p
        for p in paths[bisect_left(paths, prefix) : bisect_left(paths, prefix[:-1] + "0")]
        if p.endswith(".ex") and p in model.files
    ]


#: Singulars already known, by noun phrase: the lint engine fills it from its cache (so a run
#: whose domains it has seen needs no inflection library) and stores what was added.
KNOWN_SINGULARS: dict[str, str] = {}


def singular(name: str) -> str:
    """:func:`slicegen.naming.singular`, answered from :data:`KNOWN_SINGULARS` when it can."""
    found = KNOWN_SINGULARS.get(name)
    if found is None:
        found = KNOWN_SINGULARS[name] = naming.singular(name)
    return found


def policy_trigger(
    model: WorkspaceModel, artifact: Artifact, command: str
) -> tuple[str | None, str]:
    """(source domain if the file names one, trigger event) of a ``when_<event>_then_<cmd>``."""
    base = re.sub(r"_v\d+$", "", artifact.file_stem)
    event = base.removeprefix("when_")
    suffix = f"_then_{command}"
    event = event[: -len(suffix)] if event.endswith(suffix) else event.split("_then_", 1)[0]
    info = model.files.get(artifact.path)
    if info is None:
        return None, event
    for use in info.strings:
        match = _TOPIC.match(use.value)
        if match and match.group(2) == event:
            return match.group(1), event
    app = model.app or ""
    for ref in info.imports:
        parts = ref.module.split(".")
        if "facts" in parts and parts.index("facts") + 1 < len(parts):
            return parts[parts.index("facts") + 1], event
        shared = naming.to_pascal(f"{app}_shared") if app else ""
        if shared and parts[0] == shared and len(parts) >= 3:
            return naming.to_snake(parts[1]), event
    return None, event


def registration_order(model: WorkspaceModel, domain: Domain, names: list[str]) -> list[str]:
    """``names`` in the order the domain's public API defines them (scaffolders append there),
    then the order its router first mentions them, then by name."""
    ext = registry.conventions(model.stack).ext
    api_path = f"{domain.root}/__init__.py" if model.stack == "python" else f"{domain.root}{ext}"
    api = read(model, api_path) or ""
    router = read(model, f"{domain.root}/router{ext}") or ""

    defined: dict[str, int] = {}  # one pass: a pattern per name compiled each would not scale
    for match in _DEF.finditer(api):
        defined.setdefault(match.group(1), match.start())

    def key(name: str) -> tuple[int, int, str]:
        mentions = [
            i for i in (router.find(f"{name}."), router.find(naming.to_pascal(name))) if i >= 0
        ]
        return (
            defined.get(name, len(api) + 1),
            min(mentions) if mentions else len(router) + 1,
            name,
        )

    return sorted(names, key=key)

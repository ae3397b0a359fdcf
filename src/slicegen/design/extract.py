"""What the design model needs beyond the workspace model, read from the files the model located.

The lint engine's :class:`~slicegen.model.workspace.WorkspaceModel` says which file is which
artifact; the design also needs a command's fields, a module's docstring (or ``@moduledoc``), the
aggregate's name, a policy's source domain and the order slices were registered in. These are
read here, from the same files, and only from them; a file that cannot be read or parsed yields
nothing rather than an error (lint reports it as SG001).
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

from slicegen import naming
from slicegen.fields import FieldSpec, FieldType
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
_MODULEDOC = re.compile(
    r'@moduledoc\s+(?:"""\n(?P<heredoc>.*?)^\s*"""|"(?P<line>(?:[^"\\]|\\.)*)")',
    re.DOTALL | re.MULTILINE,
)
_TOPIC = re.compile(r"^([a-z][a-z0-9_]*):facts:([a-z][a-z0-9_]*)$")


def read(model: WorkspaceModel, path: str) -> str | None:
    """A file's text, or None if it cannot be read as UTF-8 (or is no regular file, a symlink,
    or over the read cap: see :mod:`slicegen.safe_files`)."""
    return read_text_or_none(Path(model.root) / path)


# --- fields ---------------------------------------------------------------------------------


def command_fields(model: WorkspaceModel, artifact: Artifact, aggregate: str) -> list[str]:
    """The ``name:type`` specs of a command (the aggregate's identity field left out)."""
    info = model.files.get(artifact.path)
    if info is not None and info.class_fields is not None:  # the reader kept them
        specs = _fields_of(info.class_fields, artifact.name)
        identity = {"aggregate_id", f"{aggregate}_id", "id"}
        return [s.spec() for s in specs if s.name not in identity]
    text = read(model, artifact.path)
    if text is None:
        return []
    if artifact.path.endswith(".py"):
        specs = _python_fields(text, artifact.name)
    else:
        specs = _elixir_fields(text)
    identity = {"aggregate_id", f"{aggregate}_id", "id"}
    return [s.spec() for s in specs if s.name not in identity]


@lru_cache(maxsize=8)
def _parse(text: str) -> ast.Module | None:
    """``ast.parse(text)`` or None on a syntax error or nesting too deep to parse, memoised: a
    command's fields and its docstring come from one parse. Callers only read the tree."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _python_fields(text: str, class_name: str) -> list[FieldSpec]:
    tree = _parse(text)
    if tree is None:
        return []
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    chosen = next((c for c in classes if c.name == class_name), classes[0] if classes else None)
    if chosen is None:
        return []
    out = []
    for item in chosen.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            annotation = ast.unparse(item.annotation)
            if annotation.startswith("ClassVar"):
                continue
            out.append(FieldSpec(item.target.id, _python_type(annotation)))
    return out


def _fields_of(
    classes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...], class_name: str
) -> list[FieldSpec]:
    """As :func:`_python_fields`, from what the Python reader kept."""
    chosen = next((c for c in classes if c[0] == class_name), classes[0] if classes else None)
    if chosen is None:
        return []
    return [
        FieldSpec(name, _python_type(annotation))
        for name, annotation in chosen[1]
        if not annotation.startswith("ClassVar")
    ]


def _python_type(text: str) -> FieldType:
    optional = False
    for form in (" | None", "None | "):
        if form in text:
            optional, text = True, text.replace(form, "")
    if text.startswith("Optional[") and text.endswith("]"):
        optional, text = True, text[len("Optional[") : -1]
    is_list = text.startswith(("list[", "List[", "tuple[")) and text.endswith("]")
    core = text[text.index("[") + 1 : -1].removesuffix(", ...") if is_list else text
    return FieldType(_PY_SCALARS.get(core, "str"), is_list=is_list, optional=optional)


def _elixir_fields(text: str) -> list[FieldSpec]:
    match = re.search(r"@type\s+t\s*::\s*%__MODULE__\{(?P<body>.*?)\}", text, re.DOTALL)
    if match is None:
        names = re.search(r"defstruct\s*\[(?P<body>.*?)\]", text, re.DOTALL)
        if names is None:
            return []
        found = re.findall(r":([a-z_][a-z0-9_]*)", names.group("body"))
        return [FieldSpec(n, FieldType("str")) for n in found]
    out = []
    for pair in re.finditer(
        r"([a-z_][a-z0-9_]*):\s*(.+?)(?:,\s*\n|\s*$)", match.group("body").strip(), re.DOTALL
    ):
        out.append(FieldSpec(pair.group(1), _elixir_type(pair.group(2).strip())))
    return out


def _elixir_type(text: str) -> FieldType:
    optional = bool(re.search(r"\|\s*nil$", text))
    core = re.sub(r"\s*\|\s*nil$", "", text).strip()
    is_list = core.startswith("[") and core.endswith("]")
    inner = core[1:-1].strip() if is_list else core
    if inner.startswith("list(") and inner.endswith(")"):
        is_list, inner = True, inner[5:-1]
    return FieldType(_ELIXIR_SCALARS.get(inner, "str"), is_list=is_list, optional=optional)


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
        tree = _parse(text)
        if tree is None:
            return ""
        doc = ast.get_docstring(tree)
        if not doc:
            classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
            doc = ast.get_docstring(classes[0]) if classes else None
        return (doc or "").strip()
    match = _MODULEDOC.search(text)
    if match is None:
        return ""
    body = match.group("heredoc") if match.group("heredoc") is not None else match.group("line")
    lines = [line.strip() for line in (body or "").strip().splitlines()]
    return "\n".join(lines).strip()


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
        found = sorted(p for p in model.files if p.startswith(prefix) and p.endswith(".ex"))
        if found:
            return found[0][len(prefix) :].removesuffix(".ex").replace("/", "_")
    return singular(domain.name)


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

    def key(name: str) -> tuple[int, int, str]:
        defined = re.search(rf"^\s*def {re.escape(name)}\b", api, re.MULTILINE)
        mentions = [
            i for i in (router.find(f"{name}."), router.find(naming.to_pascal(name))) if i >= 0
        ]
        return (
            defined.start() if defined else len(api) + 1,
            min(mentions) if mentions else len(router) + 1,
            name,
        )

    return sorted(names, key=key)

"""Assembling the workspace model: which file is which artifact, in which slice and domain.

An artifact's kind comes from its file name (``command_v1``, ``maybe_x_v1``, ``x_to_state_v1``,
``when_x_then_y_v1``, ``x_to_summary_v1``, ``x_fact``), from the technical folder it sits in
(``commands/``, ``events/``), from a grouped file (``commands.ex``, ``events.py``) or, for Elixir,
from what the module ``use``s (``Commanded.Projections.Ecto``). A slice is a directory under a
domain's ``domain/`` folder, or any other directory of the domain holding a command or an event.
"""

from __future__ import annotations

from slicegen import naming
from slicegen.model.discovery import (
    GROUPED_STEMS,
    TECHNICAL_FOLDERS,
    Layout,
    Tree,
    is_anchor,
    is_test,
    kind_from_stem,
    python_module,
    split_file_version,
)
from slicegen.model.readers.source import TYPE_STRING
from slicegen.model.workspace import (
    Artifact,
    Definition,
    Domain,
    FileInfo,
    Slice,
    WorkspaceModel,
)

#: Folders of a domain that are never slices.
NOT_SLICES = frozenset({"domain", "shared", "projections", "read_models", "facts", "tests", "test"})


def build_model(tree: Tree, layout: Layout, files: dict[str, FileInfo]) -> WorkspaceModel:
    """The workspace model of a walked tree whose source files have been read."""
    domains = [Domain(p.name, p.root, p.app_dir, p.public_module) for p in layout.domains]
    model = WorkspaceModel(
        root=tree.root,
        stack=layout.stack,
        app=layout.app,
        domains=domains,
        files=files,
        paths=tree.files,
        dirs=tree.dirs,
        facts_dir=layout.facts_dir,
        storming_docs=dict(layout.storming_docs),
    )
    if layout.stack == "python":
        model.python_modules = {
            p: python_module(p, layout.source_roots) for p in files if p.endswith(".py")
        }
    suffixes = (".py",) if layout.stack == "python" else (".ex",)
    slice_dirs = _slice_dirs(tree, model, suffixes)
    slices: dict[str, Slice] = {}
    for dom in domains:
        prefix = dom.root + "/"
        for d in tree.dirs:
            if d.startswith(prefix) and d.rsplit("/", 1)[-1] in TECHNICAL_FOLDERS:
                dom.technical_folders.append(d)
    for sdir, (dom, under) in sorted(slice_dirs.items()):
        found = Slice(sdir.rsplit("/", 1)[-1], dom.name, sdir, under)
        slices[sdir] = found
        dom.slices.append(found)
    for path, info in sorted(files.items()):
        if not path.endswith(suffixes) or is_test(path):
            continue
        owner_dom = model.domain_of(path)
        in_facts = bool(layout.facts_dir) and path.startswith(f"{layout.facts_dir}/")
        if owner_dom is None and not in_facts and not _looks_like_fact(path, info):
            continue
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        found_slice = slices.get(parent)
        for artifact in _artifacts(path, info, model, owner_dom, found_slice, layout):
            model.artifacts.append(artifact)
            owner = model.domain(artifact.domain) if artifact.domain else None
            if owner is not None:
                owner.artifacts.append(artifact)
            if found_slice is not None and artifact.kind != "fact":
                found_slice.artifacts.append(artifact)
    return model


def _slice_dirs(
    tree: Tree, model: WorkspaceModel, suffixes: tuple[str, ...]
) -> dict[str, tuple[Domain, bool]]:
    out: dict[str, tuple[Domain, bool]] = {}
    holding = {p.rsplit("/", 1)[0] for p in tree.files if p.endswith(suffixes) and "/" in p}
    for dom in model.domains:
        domain_dir = f"{dom.root}/domain/"
        for d in tree.dirs:
            if d.startswith(domain_dir) and "/" not in d[len(domain_dir) :] and d in holding:
                out[d] = (dom, True)
    for path in tree.files:
        if not path.endswith(suffixes) or "/" not in path or is_test(path):
            continue
        parent, name = path.rsplit("/", 1)
        owner = model.domain_of(path)
        if owner is None or parent in out or parent == owner.root:
            continue
        folder = parent.rsplit("/", 1)[-1]
        if folder in NOT_SLICES or folder in TECHNICAL_FOLDERS:
            continue
        if is_anchor(name.rsplit(".", 1)[0]):
            out[parent] = (owner, parent.startswith(f"{owner.root}/domain/"))
    return out


def _looks_like_fact(path: str, info: FileInfo) -> bool:
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if kind_from_stem(stem) == "fact":
        return True
    return any(_fact_name(d.name) for d in info.definitions)


def _fact_name(name: str) -> bool:
    base, _ = naming.split_version(name)
    return base.endswith("Fact") and base != "Fact"


def _file_kind(path: str, info: FileInfo) -> tuple[str | None, bool]:
    """The artifact kind of a file and whether it is a grouped file."""
    parts = path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    base, _ = split_file_version(stem)
    if base in GROUPED_STEMS:
        return GROUPED_STEMS[base], True
    kind = kind_from_stem(stem)
    if kind is None and len(parts) >= 2:
        kind = TECHNICAL_FOLDERS.get(parts[-2])
    if kind is None and info.language == "elixir":
        for definition in info.definitions:
            if "Commanded.Projections.Ecto" in definition.bases:
                return "projection", False
            if "Commanded.Event.Handler" in definition.bases and any(
                c.function == "dispatch" for c in info.calls
            ):
                return "policy", False  # an event handler that dispatches commands
    return kind, False


def _artifacts(
    path: str,
    info: FileInfo,
    model: WorkspaceModel,
    dom: Domain | None,
    found_slice: Slice | None,
    layout: Layout,
) -> list[Artifact]:
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    _, version = split_file_version(stem)
    kind, grouped = _file_kind(path, info)
    domain_name = dom.name if dom else None
    in_facts = bool(layout.facts_dir) and path.startswith(f"{layout.facts_dir}/")
    if in_facts:
        rest = path[len(layout.facts_dir or "") + 1 :].split("/")
        if stem == "__init__" or (len(rest) == 1 and not _looks_like_fact(path, info)):
            return []  # the facts area's own infrastructure (bus, application)
        kind = "fact"
        domain_name = rest[0] if len(rest) > 1 else domain_name
    elif kind is None and _looks_like_fact(path, info):
        kind = "fact"
    if kind is None:
        return []
    slice_name = found_slice.name if found_slice else None
    defs = list(info.definitions)
    if grouped:
        chosen = [d for d in defs if d.kind != "function" or info.language == "python"]
        chosen = [d for d in chosen if d.kind != "function"] or chosen
    else:
        primary = _primary(defs, stem, kind, info.language)
        chosen = [primary] if primary is not None else []
    if not chosen:
        return [
            _make(
                kind,
                path,
                1,
                1,
                stem,
                version,
                stem,
                stem,
                model,
                domain_name,
                slice_name,
                grouped,
                info,
                None,
            )
        ]
    return [
        _make(
            kind,
            path,
            d.line,
            d.col,
            stem,
            version,
            d.name,
            _qualname(d, path, model),
            model,
            domain_name,
            slice_name,
            grouped,
            info,
            d,
        )
        for d in chosen
    ]


def _primary(defs: list[Definition], stem: str, kind: str, language: str) -> Definition | None:
    if not defs:
        return None
    if language == "elixir":
        return defs[0]
    for d in defs:
        if d.name == stem or naming.to_snake(d.name) == stem:
            return d
    want = "class" if kind in ("command", "event", "fact") else "function"
    versioned = [d for d in defs if d.kind == want and naming.split_version(d.name)[1] is not None]
    same = [d for d in defs if d.kind == want]
    return (versioned or same or defs)[0]


def _qualname(d: Definition, path: str, model: WorkspaceModel) -> str:
    if d.kind == "module":
        return d.qualname
    module = model.python_modules.get(path, path)
    return f"{module}.{d.name}"


def _make(
    kind: str,
    path: str,
    line: int,
    col: int,
    stem: str,
    version: int | None,
    name: str,
    qualname: str,
    model: WorkspaceModel,
    domain: str | None,
    slice_name: str | None,
    grouped: bool,
    info: FileInfo,
    definition: Definition | None,
) -> Artifact:
    def_version = naming.split_version(name)[1] if definition is not None else None
    business = _business_name(kind, stem, name, qualname, slice_name, grouped, info)
    return Artifact(
        kind=kind,  # type: ignore[arg-type]
        path=path,
        line=line,
        col=col,
        file_stem=stem,
        version=version,
        name=name,
        qualname=qualname,
        business_name=business,
        domain=domain,
        slice=slice_name,
        grouped=grouped,
        definition_version=def_version,
    )


def _strip(name: str, *suffixes: str) -> str:
    base, _ = naming.split_version(name)
    for suffix in suffixes:
        if base.endswith(suffix) and base != suffix:
            base = base[: -len(suffix)]
    return base


def _business_name(
    kind: str,
    stem: str,
    name: str,
    qualname: str,
    slice_name: str | None,
    grouped: bool,
    info: FileInfo,
) -> str:
    """The snake_case command or event an artifact is about ("" when it cannot be told)."""
    segments = qualname.split(".")
    if kind == "command":
        if slice_name and not grouped:
            return slice_name
        base = _strip(name, "Command")
        if base in ("Command", "Cmd") and len(segments) >= 2:
            base = segments[-2]
        return naming.to_snake(base)
    if kind == "event":
        emitted = [s.value for s in info.strings if s.role == "emit"]
        if emitted and not grouped and TYPE_STRING.fullmatch(emitted[0]):
            return emitted[0].split(":", 1)[0]
        base = _strip(name, "Event")
        if base == "Event":
            prev = segments[-2] if len(segments) >= 2 else ""
            words = naming.words(prev)
            if words and naming.is_past_participle(words[-1]):
                return naming.to_snake(prev)
            return ""
        return naming.to_snake(base)
    if kind == "fact":
        base, _ = split_file_version(stem)
        if base.endswith("_fact"):
            return base[: -len("_fact")]
        return naming.to_snake(_strip(name, "Fact"))
    return ""

"""``slicegen init --detect``: read an existing tree's layout into a ``slicegen.toml``.

Detection is a list of detectors, each a config section (``""`` for the top level, ``"lint"``,
``"lint.boundaries"``) and a function ``(root) -> {key: value}`` giving keys of that section in
TOML spelling. Adding a detector is adding an entry to :data:`DETECTORS`. The keys are merged,
validated as a config and rendered as TOML; the tree is then read with that config, so what the
table shows is what lint, ``storm`` and the boundary check see.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from slicegen import naming
from slicegen.boundaries.contract_import import detect_contracts
from slicegen.config import parse_config
from slicegen.constants import CONFIG_FILE, PYPROJECT
from slicegen.errors import SlicegenError
from slicegen.model.domains import MIX_APP, SNIPPET_FOLDERS
from slicegen.model.workspace import WorkspaceModel
from slicegen.safe_files import read_regular, read_text_or_none

Keys = dict[str, object]
Detector = tuple[str, Callable[[Path], Keys]]

#: Layer folders inside a domain, top first (code may use the layers below its own).
KNOWN_LAYERS = (
    "web",
    "api",
    "presentation",
    "interface",
    "infrastructure",
    "adapters",
    "application",
    "domain",
)
#: Artifact kinds the table counts, in its column order.
COUNTED = ("command", "event", "projection", "policy", "fact")


@lru_cache(maxsize=4)
def survey(root: Path) -> WorkspaceModel:
    """The tree read as lint reads it without a config (read once per run of ``detect``)."""
    from slicegen.model.load import load_model

    return load_model(root, None, workers=1).model


def detect_project(root: Path) -> Keys:
    """Stack, app, and where storming documents go."""
    model = survey(root)
    keys: Keys = {"stack": model.stack, "app": _app_name(root, model)}
    if model.facts_dir:
        keys["facts-dir"] = model.facts_dir
    keys["design-docs-dir"] = _design_docs_dir(model)
    return keys


def detect_domains(root: Path) -> Keys:
    """Domain roots, as ``<folder>/*`` where every source folder in it is a domain."""
    from slicegen.model.domains import LAYER_FOLDERS

    model = survey(root)
    # a layer or seedwork folder (or a folder inside one) is never a domain, nor is a snippet
    layers = LAYER_FOLDERS - {"lib"}  # an Elixir app's code is under lib/
    roots = sorted(
        d.root
        for d in model.domains
        if not set(d.root.split("/")) & layers and d.root.split("/", 1)[0] not in SNIPPET_FOLDERS
    )
    if not roots:
        return {}
    globs: list[str] = []
    for parent in sorted({r.rsplit("/", 1)[0] if "/" in r else "" for r in roots}):
        mine = [r for r in roots if (r.rsplit("/", 1)[0] if "/" in r else "") == parent]
        folders = _source_folders(model, parent)
        if parent and len(mine) > 1 and set(mine) == folders:
            globs.append(f"{parent}/*")
        else:
            globs.extend(mine)
    return {"domains": globs}


def propose_layers(root: Path) -> list[str]:
    """Layer folders every domain has, top first: proposed, not switched on (:func:`render`
    writes them commented out). Their order is a convention about folder names, not something
    the tree declares: enforcing it (SG505) is the team's decision."""
    return _layers(survey(root))


def detect_slice_layout(root: Path) -> Keys:
    """``slice-layout = false`` unless most commands sit in slice folders."""
    model = survey(root)
    commands = [a for a in model.artifacts if a.kind == "command"]
    in_slices = sum(1 for a in commands if a.slice is not None)
    return {"slice-layout": bool(commands) and in_slices * 2 >= len(commands)}


DETECTORS: list[Detector] = [
    ("", detect_project),
    ("lint", detect_slice_layout),
    ("lint.boundaries", detect_domains),
    ("lint.boundaries", detect_contracts),
]


def detect(root: Path, detectors: list[Detector] | None = None) -> dict[str, object]:
    """The settings the detectors find for the tree at ``root``, as TOML data."""
    data: dict[str, object] = {}
    for section, detector in detectors if detectors is not None else DETECTORS:
        table = data
        for part in [p for p in section.split(".") if p]:
            table = table.setdefault(part, {})  # type: ignore[assignment]
        table.update(detector(root))
    return data


def render(data: dict[str, object], layers: list[str] | None = None) -> str:
    """Valid settings ``data`` as ``slicegen.toml`` text (the keys that were set, detected or
    given, in the schema's order), and the proposed ``layers``, commented out."""
    from slicegen.config_schema import Config as Schema

    shown = Schema.model_validate(data).model_dump(by_alias=True, exclude_unset=True, mode="json")
    lines = ["# detected by 'slicegen init --detect'; every key is in docs/configuration.md"]
    _render_table(shown, [], lines)
    if layers:
        header = "[lint.boundaries]"
        if header not in lines:
            lines.extend(["", header])
        end = lines.index(header) + 1  # the table's last key: before the next header's blank
        while end < len(lines) and lines[end]:
            end += 1
        lines[end:end] = [
            "# every domain has these layer folders, top first: uncomment to enforce",
            "# that code uses only the layers below its own (SG505)",
            f"# layers = {_value(layers)}",
        ]
    return "\n".join(lines) + "\n"


def _render_table(data: dict[str, object], path: list[str], lines: list[str]) -> None:
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    for key, value in data.items():
        if key not in tables:
            lines.append(f"{key} = {_value(value)}")
    for key, value in tables.items():
        if not value:
            continue
        lines.extend(["", f"[{'.'.join([*path, key])}]"])
        _render_table(value, [*path, key], lines)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def existing_config(root: Path) -> Path | None:
    """The workspace's own config file, if it has one (never overwritten without --force)."""
    if (root / CONFIG_FILE).exists():
        return root / CONFIG_FILE
    pyproject = root / PYPROJECT
    text = read_text_or_none(pyproject)  # a regular file only: no link, FIFO or device
    return pyproject if text is not None and "[tool.slicegen" in text else None


def recognised(model: WorkspaceModel) -> str:
    """What the tree holds, per domain: slices and artifacts by kind, as a table."""
    rows: list[list[str]] = []
    totals: Counter[str] = Counter()
    by_domain: dict[str | None, Counter[str]] = {d.name: Counter() for d in model.domains}
    for a in model.artifacts:
        by_domain.setdefault(a.domain, Counter())[a.kind] += 1
    for d in model.domains:
        by_domain[d.name]["slice"] = len(d.slices)
    for name, counts in by_domain.items():
        rows.append([name or "(no domain)", *(str(counts[k]) for k in ("slice", *COUNTED))])
        totals.update(counts)
    rows.append(["total", *(str(totals[k]) for k in ("slice", *COUNTED))])
    head = ["domain", "slices", "commands", "events", "projections", "policies", "facts"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return "\n".join([line(head), *(line(r) for r in rows)]) + "\n"


def _app_name(root: Path, model: WorkspaceModel) -> str:
    """The app: the model's, the Mix project's ``app:``, or the folder's name."""
    candidates = [model.app or ""]
    if model.stack == "elixir":
        for folder in ["", *sorted({d.app_dir for d in model.domains})]:
            try:  # a regular file only: a FIFO named mix.exs hung adopt, a link was followed
                mix = read_regular(root / folder / "mix.exs")[0].decode("utf-8", "replace")
            except OSError:
                continue
            found = MIX_APP.search(mix)
            candidates.append(found.group(1) if found else "")
    else:
        packages = sorted(
            {
                m.split(".", 1)[0]
                for m in model.python_modules.values()
                if "." in m and m.split(".", 1)[0] not in ("tests", "test", *SNIPPET_FOLDERS)
            }
        )
        candidates.append(packages[0] if len(packages) == 1 else "")
    candidates.append(re.sub(r"[^a-z0-9_]", "_", root.resolve().name.lower()).strip("_"))
    for name in candidates:
        try:
            naming.validate_name(name, "app")
        except SlicegenError:
            continue
        return name
    raise SlicegenError(
        f"cannot tell the app name of {root}: run 'slicegen init --detect --app NAME'"
    )


def _design_docs_dir(model: WorkspaceModel) -> str:
    """The folder of ``<domain>/event-storming.md`` documents, else ``design_docs``."""
    names = {d.name for d in model.domains}
    found = {
        p.parent.parent.as_posix()
        for p in map(Path, model.paths)
        if p.name == "event-storming.md" and p.parent.name in names and len(p.parts) > 2
    }
    return found.pop() if len(found) == 1 else "design_docs"


def _source_folders(model: WorkspaceModel, parent: str) -> set[str]:
    """The folders directly in ``parent`` that hold source files (at any depth)."""
    prefix = f"{parent}/" if parent else ""
    out = set()
    for path in model.files:
        if path.startswith(prefix) and "/" in path[len(prefix) :]:
            out.add(prefix + path[len(prefix) :].split("/", 1)[0])
    return out


def _layers(model: WorkspaceModel) -> list[str]:
    """Known layer folders present in every domain (at least two of them), top first."""
    if len(model.domains) < 1:
        return []
    present = [
        {d.rsplit("/", 1)[-1] for d in model.dirs if d.rsplit("/", 1)[0] == dom.root}
        & set(KNOWN_LAYERS)
        for dom in model.domains
    ]
    common = set.intersection(*present)
    return [layer for layer in KNOWN_LAYERS if layer in common] if len(common) >= 2 else []


def adopt(root: Path, app: str | None = None, force: bool = False) -> tuple[str, str]:
    """The ``slicegen.toml`` detected for ``root`` and the table of what it recognises."""
    from slicegen.model.load import load_model

    if not root.is_dir():
        raise SlicegenError(f"{root} is not a folder: give the repository to detect")
    existing = existing_config(root)
    if existing is not None and not force:
        raise SlicegenError(
            f"{existing} already configures slicegen: use --force to replace it with the "
            "detected config, or --dry-run to see it"
        )
    survey.cache_clear()
    data = detect(root.resolve())
    config = parse_config(data, root / CONFIG_FILE)
    if app:
        data = {**data, "app": app}
        config = parse_config(data, root / CONFIG_FILE)
    model = load_model(root.resolve(), config, workers=1).model
    return render(data, propose_layers(root.resolve())), recognised(model)

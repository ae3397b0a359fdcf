"""Template overrides: a workspace's own copies of built-in templates, in ``.slicegen/templates/``.

:func:`slicegen.templates.render` already looks in the workspace's override folder before the
built-ins; this module lists the built-in templates and which of them a workspace overrides
(``slicegen templates list``), and copies one into the override folder to edit
(``slicegen templates eject NAME``), through the change set like every other write.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slicegen.change_set import ChangeSet, read_text
from slicegen.errors import SlicegenError
from slicegen.safe_files import UnsafePath, real_dir, walk_down
from slicegen.templates import OVERRIDES_DIR, builtin_templates_dir

_SKIPPED_NAMES = ("__pycache__", ".DS_Store")


@dataclass(frozen=True)
class TemplateEntry:
    """One template: its name (path under the templates folder) and the workspace's override."""

    name: str
    builtin: bool
    override: str | None  # path of the override, relative to the workspace root

    @property
    def overridden(self) -> bool:
        return self.builtin and self.override is not None

    @property
    def unused(self) -> bool:
        """An override file that matches no built-in template (a typo, or a renamed template)."""
        return not self.builtin


def _files_under(folder: Path) -> list[str]:
    """Regular files below ``folder``, which must be a real folder; links are neither listed nor
    followed (an override is read only if it is a regular file: :mod:`slicegen.templates`)."""
    try:
        if not real_dir(folder):
            return []
    except UnsafePath:
        return []
    found = []
    for parent, dirs, files in walk_down(folder):
        dirs[:] = [d for d in dirs if d not in _SKIPPED_NAMES]
        for name in files:
            path = Path(parent) / name
            if name not in _SKIPPED_NAMES and stat.S_ISREG(os.lstat(path).st_mode):
                found.append(path.relative_to(folder).as_posix())
    return sorted(found)


def builtin_names() -> list[str]:
    """Every built-in template, as a path relative to the templates folder."""
    return _files_under(builtin_templates_dir())


def list_templates(workspace_root: Path | None) -> list[TemplateEntry]:
    """The built-in templates (marked when overridden), then override files that match none."""
    builtins = builtin_names()
    overrides = set(_files_under(workspace_root / OVERRIDES_DIR)) if workspace_root else set()
    entries = [
        TemplateEntry(name, True, f"{OVERRIDES_DIR}/{name}" if name in overrides else None)
        for name in builtins
    ]
    entries += [
        TemplateEntry(name, False, f"{OVERRIDES_DIR}/{name}")
        for name in sorted(overrides - set(builtins))
    ]
    return entries


def format_listing(entries: list[TemplateEntry], stack: str | None = None) -> str:
    """The text ``slicegen templates list`` prints; ``stack`` keeps that stack's and common ones."""
    shown = [e for e in entries if stack is None or e.name.split("/", 1)[0] in (stack, "common")]
    width = max((len(e.name) for e in shown), default=0)
    lines = []
    for entry in shown:
        if entry.unused:
            lines.append(f"! {entry.name:<{width}}  unused override: matches no built-in template")
        elif entry.overridden:
            lines.append(f"* {entry.name:<{width}}  overridden by {entry.override}")
        else:
            lines.append(f"  {entry.name}")
    overridden = sum(1 for e in shown if e.overridden)
    lines.append(
        f"{sum(1 for e in shown if e.builtin)} built-in template(s), {overridden} overridden"
    )
    return "\n".join(lines) + "\n"


def resolve_name(name: str) -> str:
    """The built-in template called ``name``, or an error suggesting the closest names."""
    clean = name.strip().replace("\\", "/").removeprefix("templates/").lstrip("/")
    builtins = builtin_names()
    if clean in builtins:
        return clean
    by_suffix = [b for b in builtins if b.endswith("/" + clean)]
    if len(by_suffix) == 1:
        return by_suffix[0]
    if len(by_suffix) > 1:
        raise SlicegenError(
            f"template name {name!r} is ambiguous: give the full path, "
            f"one of {', '.join(by_suffix)}"
        )
    close = difflib.get_close_matches(clean, builtins, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise SlicegenError(
        f"no built-in template named {name!r}: {hint}run 'slicegen templates list' to see them"
    )


def copier_root(name: str) -> str | None:
    """The copier template folder holding ``name``, if any (a folder with a ``copier.yml``).

    Copier templates (the python domain skeleton) are overridden as a whole folder, because copier
    renders a folder, not a file: ejecting one of their files ejects all of them.
    """
    base = builtin_templates_dir()
    parts = name.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if (base / folder / "copier.yml").is_file():
            return folder
    return None


def eject(name: str) -> dict[str, str]:
    """What ``slicegen templates eject NAME`` writes: override path -> built-in content."""
    resolved = resolve_name(name)
    folder = copier_root(resolved)
    names = [n for n in builtin_names() if n.startswith(folder + "/")] if folder else [resolved]
    files = {}
    for each in names:
        content = read_text(builtin_templates_dir() / each)
        if content is None:  # listed a moment ago: the installation changed under us
            raise SlicegenError(f"built-in template {each} cannot be read; reinstall slicegen")
        files[f"{OVERRIDES_DIR}/{each}"] = content
    return files


def eject_build(name: str) -> Callable[[ChangeSet], None]:
    """A change-set build that copies the built-in template ``name`` to the override folder.

    An override that already exists with other content is a conflict, as for any generated file:
    the team's edits are never overwritten without ``--force``.
    """
    files = eject(name)

    def build(cs: ChangeSet) -> None:
        for path, content in files.items():
            cs.add(path, content)

    return build

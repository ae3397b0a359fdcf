"""Render a copier template into memory: sandboxed, confined to its destination, tasks on consent.

copier renders into a fresh temporary directory (never the workspace); the rendered files are read
back as text for the change set, so dry-run, conflicts and atomic writes hold for them like for any
other file. A template declaring ``_tasks``, ``_migrations`` or ``_jinja_extensions`` (code that
would run on the user's machine) is refused unless the user passed ``--trust``; with it, tasks run
inside the temporary directory and what they leave there is read like a rendered file. A template
that writes outside its destination, or renders a symbolic link, is refused. copier renders a
private copy of the template (its regular files, no ``.git``): given a folder of a git repository,
copier runs ``git status`` and ``git clone`` there, and a planted git config (``core.fsmonitor``,
a ``core.worktree`` naming the template) would run a program of the tree's.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

import yaml

from slicegen.errors import SlicegenError
from slicegen.safe_files import UnsafePath, kind, read_regular, real_dir, walk_down

#: copier.yml keys that make a template run code on the user's machine.
UNSAFE_KEYS = ("_tasks", "_migrations", "_jinja_extensions")

_CONFIG_NAMES = ("copier.yml", "copier.yaml")


class _AnyTagLoader(yaml.SafeLoader):
    """A safe loader that reads copier's custom tags (``!include``) as plain values."""


def _construct_any(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_AnyTagLoader.add_multi_constructor("!", _construct_any)


def unsafe_features(template: Path) -> tuple[Path, list[str]] | None:
    """The template's config file and the unsafe keys it declares, if it declares any."""
    for name in _CONFIG_NAMES:
        config = template / name
        if not config.is_file():
            continue
        try:
            documents = list(yaml.load_all(config.read_text(encoding="utf-8"), _AnyTagLoader))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SlicegenError(
                f"{config} is not valid YAML ({_one_line(exc)}): fix it or delete the override"
            ) from None
        keys = {key for doc in documents if isinstance(doc, dict) for key in doc}
        found = [key for key in UNSAFE_KEYS if key in keys]
        return (config, found) if found else None
    return None


def render_copier(template: Path, answers: dict[str, str], *, trust: bool) -> dict[str, str]:
    """The template's files (relative POSIX path -> text), rendered by copier in a sandbox."""
    import copier
    import jinja2

    if not trust and (unsafe := unsafe_features(template)) is not None:
        config, keys = unsafe
        raise SlicegenError(
            f"{config} declares {', '.join(keys)}, which would run code on this machine: "
            "pass --trust to allow it, or remove them"
        )
    sweep_stale_renders()
    with (
        tempfile.TemporaryDirectory(prefix=f"{RENDER_PREFIX}{os.getpid()}-") as copy,
        tempfile.TemporaryDirectory(prefix=f"{RENDER_PREFIX}{os.getpid()}-") as tmp,
    ):
        _private_copy(template, Path(copy) / "template")
        out = Path(tmp) / "out"  # a folder of our own around the destination catches escapes too
        try:
            copier.run_copy(
                str(Path(copy) / "template"),
                out,
                data=answers,
                settings=copier.Settings(),  # the user's copier settings trust nothing here
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=trust,
                skip_tasks=not trust,
            )
        except copier.errors.UnsafeTemplateError as exc:
            raise SlicegenError(
                f"template {template} uses {_one_line(exc)}: pass --trust to allow it"
            ) from None
        except copier.errors.ForbiddenPathError as exc:
            raise SlicegenError(
                f"template {template} reaches outside its folder or its destination "
                f"({_one_line(exc)}): fix the override or delete it"
            ) from None
        except copier.errors.TaskError as exc:
            raise SlicegenError(
                f"a task of template {template} failed (exit {exc.returncode}): fix the task"
            ) from None
        except copier.errors.CopierError as exc:
            raise SlicegenError(f"copier could not render {template}: {_one_line(exc)}") from None
        except jinja2.TemplateError as exc:  # a workspace override the sandbox stopped, or broken
            raise SlicegenError(
                f"template {template} could not be rendered ({_one_line(exc)}); "
                "fix the override or delete it"
            ) from None
        _refuse_escapes(template, Path(tmp), out)
        return _read_tree(template, out)


RENDER_PREFIX = "slicegen-render-"


def sweep_stale_renders(folder: Path | None = None) -> list[Path]:
    """Delete render folders of this user's whose process is gone (a SIGKILLed render); list them.

    Only folders named ``slicegen-render-<pid>-*`` that are real folders of this user's are
    touched; the temporary folder itself is never followed through a link.
    """
    base = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        names = os.listdir(base)
    except OSError:
        return removed
    for name in names:
        pid = name.removeprefix(RENDER_PREFIX).split("-", 1)[0]
        if not name.startswith(RENDER_PREFIX) or not pid.isdigit() or _alive(int(pid)):
            continue
        path = base / name
        try:
            if not real_dir(path, owned=True):
                continue
        except UnsafePath:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process, or no valid pid: keep it
        pass
    return True


#: The deepest folder nesting a template may have. copier renders every part of each path (a
#: Jinja compile each), so its time grows with the square of the depth: a planted override 1,500
#: folders deep would hold a command for hours; a real template is a few folders deep.
MAX_TEMPLATE_DEPTH = 32


def _private_copy(template: Path, into: Path) -> None:
    """Copy the template folder (a workspace override) to ``into``, a folder of our own outside
    any repository, leaving out ``.git`` (copier leaves it out of a render too). It may hold only
    real folders and regular files, nested at most :data:`MAX_TEMPLATE_DEPTH` deep; each file is
    read without following a link (:func:`~slicegen.safe_files.read_regular`)."""
    try:
        real_dir(template)
    except UnsafePath as exc:
        raise SlicegenError(f"template {exc.path} {exc.reason}: make it a real folder") from None
    top = len(template.parts)
    for folder, dirs, files in walk_down(template):
        dirs[:] = [name for name in dirs if name != ".git"]
        if dirs and len(Path(folder).parts) - top >= MAX_TEMPLATE_DEPTH:
            raise SlicegenError(
                f"template {template} nests folders more than {MAX_TEMPLATE_DEPTH} deep "
                f"({Path(folder, dirs[0]).relative_to(template).parts[0]}/...): flatten it"
            )
        target = into / Path(folder).relative_to(template)
        target.mkdir(mode=0o700)
        for name in [*dirs, *(name for name in files if name != ".git")]:
            mode = os.lstat(Path(folder) / name).st_mode
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise SlicegenError(
                    f"template {template} holds {Path(folder, name).relative_to(template)}, "
                    f"which is {kind(mode)}; slicegen renders only regular files: replace it"
                )
            if stat.S_ISREG(mode):
                (target / name).write_bytes(_template_file(template, Path(folder, name)))


def _template_file(template: Path, path: Path) -> bytes:
    try:
        return read_regular(path)[0]  # up to lint's cap of a file
    except OSError as exc:
        why = exc.reason if isinstance(exc, UnsafePath) else exc.strerror
        raise SlicegenError(
            f"template {template}: {path.relative_to(template)} cannot be read ({why}): "
            "make it a regular file"
        ) from None


def _refuse_escapes(template: Path, tmp: Path, out: Path) -> None:
    """Anything written beside the destination, or any link in it, refuses the whole render."""
    beside = sorted(p.name for p in tmp.iterdir() if p.name != "out")
    if beside:
        raise SlicegenError(
            f"template {template} wrote outside its destination ({beside[0]}): "
            "fix the override or delete it"
        )
    for folder, dirs, files in walk_down(out):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink():
                raise SlicegenError(
                    f"template {template} renders a symbolic link "
                    f"({path.relative_to(out).as_posix()}), which slicegen refuses: "
                    "make it a regular file"
                )


def _read_tree(template: Path, out: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    written = (Path(folder, name) for folder, _, names in walk_down(out) for name in names)
    for path in sorted(written):  # a loop: a template's folders may nest thousands deep
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        try:
            files[rel] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise SlicegenError(
                f"template {template} renders {rel}, which is not UTF-8 text: "
                "slicegen renders text files only"
            ) from None
    return files


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())

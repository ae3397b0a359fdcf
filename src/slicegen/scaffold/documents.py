"""Keeping the storming documents current in the same change set as the code a command plans.

A scaffolding command's build is wrapped by :func:`documented`: once the code is planned, the
workspace is read as it will be (the tree on disk with the planned files laid over it, in a
scratch copy) and the derived sections of the touched domains' documents are refreshed, so the
workspace is lint-clean (no SG602) right after the command.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from slicegen.change_set import ChangeSet
from slicegen.constants import CONFIG_FILE
from slicegen.design.from_workspace import design_of, layout_of, load_workspace
from slicegen.design.layout import Layout
from slicegen.design.model import DesignModel
from slicegen.model.discovery import walk
from slicegen.storm.command import storm_into
from slicegen.workspace import Workspace

Build = Callable[[ChangeSet], None]


def documented(ws: Workspace, domains: Iterable[str], build: Build) -> Build:
    """``build``, then the refresh of the storming documents of ``domains`` it changed."""
    names = list(dict.fromkeys(domains))

    def both(cs: ChangeSet) -> None:
        build(cs)
        design, layout = planned_design(ws, cs)
        storm_into(cs, ws, design, layout, [n for n in names if n in design.domains])

    return both


def planned_design(ws: Workspace, cs: ChangeSet) -> tuple[DesignModel, Layout]:
    """The design of the workspace's code once ``cs`` is written (nothing is written)."""
    lint = ws.config.lint
    tree = walk(ws.root, lint.exclude, lint.respect_gitignore)
    kept = [*tree.files, *tree.ignore_stats, CONFIG_FILE]
    with tempfile.TemporaryDirectory(prefix="slicegen-plan-") as scratch:
        copy = Path(scratch)
        for rel in dict.fromkeys(kept):
            _link_or_copy(ws.root / rel, copy / rel)
        for rel in cs.paths():
            text = cs.read(rel)
            target = copy / rel
            target.unlink(missing_ok=True)  # a hard link: never write through it to the user's file
            if text is not None:  # None: the change set removes it
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8", newline="")
        model = load_workspace(copy, ws.config)
        design = design_of(model)
        layout = layout_of(model, ws.config)
    return design, layout


def _link_or_copy(source: Path, target: Path) -> None:
    if not source.is_file() or source.is_symlink():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: a copy reads the same
        shutil.copyfile(source, target)

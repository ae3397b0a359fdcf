"""Locating the workspace a command runs in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slicegen.config import Config, find_config
from slicegen.errors import SlicegenError


@dataclass(frozen=True)
class Workspace:
    """A workspace root and its configuration."""

    root: Path
    config_path: Path
    config: Config


def find_workspace(start: Path | None = None) -> Workspace:
    """The workspace containing ``start`` (default: the current directory)."""
    begin = (start or Path.cwd()).resolve()
    found = find_config(begin)
    if found is None:
        raise SlicegenError(
            f"no slicegen workspace at or above {begin}: run 'slicegen init' first "
            "or cd into a workspace"
        )
    from slicegen.transaction import recover_pending

    if recover_pending(found[0].parent):  # a killed run's half-written config must not be used
        found = find_config(begin)
        if found is None:
            raise SlicegenError(
                f"no slicegen workspace at or above {begin} once an interrupted run was rolled "
                "back: run 'slicegen init' first"
            )
    path, config = found
    return Workspace(root=path.parent, config_path=path, config=config)

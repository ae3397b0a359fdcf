"""Rendering templates: jinja2 (sandboxed) with slicegen's naming filters.

Built-in templates live in ``templates/<stack>/<kind>/`` (shipped inside the wheel as
``slicegen/templates``); a workspace may shadow any of them with a file of the same relative path
under ``.slicegen/templates/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from slicegen import naming

OVERRIDES_DIR = ".slicegen/templates"


def builtin_templates_dir() -> Path:
    """The built-in templates: inside the installed package, or the source tree's ``templates/``."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def _filters() -> dict[str, Any]:
    return {
        "snake": naming.to_snake,
        "pascal": naming.to_pascal,
        "kebab": naming.to_kebab,
        "past_participle": naming.past_participle,
        "event_verb": naming.event_verb,
        "upper": str.upper,
    }


@cache
def environment(workspace_root: Path | None = None) -> jinja2.Environment:
    """A sandboxed environment that looks in the workspace overrides, then the built-ins."""
    search = [str(builtin_templates_dir())]
    if workspace_root is not None and (workspace_root / OVERRIDES_DIR).is_dir():
        search.insert(0, str(workspace_root / OVERRIDES_DIR))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(_filters())
    return env


def render(template: str, workspace_root: Path | None = None, **context: Any) -> str:
    """Render ``template`` (a path under the templates folder) with ``context``."""
    return environment(workspace_root).get_template(template).render(**context)

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
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from slicegen import naming
from slicegen.errors import SlicegenError
from slicegen.template_cache import bytecode_cache

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


def environment(workspace_root: Path | None = None) -> jinja2.Environment:
    """A sandboxed environment that looks in the workspace overrides, then the built-ins."""
    overrides = workspace_root is not None and (workspace_root / OVERRIDES_DIR).is_dir()
    return _environment(workspace_root, overrides)


@cache
def _environment(workspace_root: Path | None, overrides: bool) -> jinja2.Environment:
    search = [str(builtin_templates_dir())]
    if workspace_root is not None and overrides:
        search.insert(0, str(workspace_root / OVERRIDES_DIR))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.bytecode_cache = bytecode_cache(env)
    env.filters.update(_filters())
    return env


def render(template: str, workspace_root: Path | None = None, **context: Any) -> str:
    """Render ``template`` (a path under the templates folder) with ``context``.

    A template that reaches for Python internals is stopped by the sandbox; that, and a broken
    workspace override, is a one-line :class:`SlicegenError` naming the template file.
    """
    env = environment(workspace_root)
    try:
        return env.get_template(template).render(**context)
    except SecurityError as exc:
        raise SlicegenError(
            f"template {_origin(template, workspace_root)} tried an unsafe operation ({exc}); "
            "templates may only use the variables and filters slicegen gives them"
        ) from None
    except (TemplateSyntaxError, UndefinedError, UnicodeDecodeError) as exc:
        if workspace_root is None or not (workspace_root / OVERRIDES_DIR).is_dir():
            raise  # a built-in template is broken: a bug in slicegen, not the user's to fix
        where = _override_path(template, workspace_root)
        if isinstance(exc, TemplateSyntaxError) and exc.filename:
            where = Path(exc.filename)
            where = Path(f"{where}:{exc.lineno}") if exc.lineno else where
        reason = exc.message if isinstance(exc, jinja2.TemplateError) else "not UTF-8 text"
        shown = where or f"{template} (or a template it includes, overridden in {OVERRIDES_DIR})"
        raise SlicegenError(
            f"template override {shown} is broken ({reason}); fix it or delete it "
            "to use the built-in template"
        ) from None


def _override_path(template: str, workspace_root: Path | None) -> Path | None:
    if workspace_root is None:
        return None
    candidate = workspace_root / OVERRIDES_DIR / template
    return candidate if candidate.is_file() else None


def _origin(template: str, workspace_root: Path | None) -> str:
    override = _override_path(template, workspace_root)
    return str(override) if override is not None else f"{template} (built-in)"

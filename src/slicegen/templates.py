"""Rendering templates: jinja2 (sandboxed) with slicegen's naming filters.

Built-in templates live in ``templates/<stack>/<kind>/`` (shipped inside the wheel as
``slicegen/templates``); a workspace may shadow any of them with a file of the same relative path
under ``.slicegen/templates/``.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from slicegen import naming
from slicegen.errors import SlicegenError
from slicegen.safe_files import UnsafePath, read_regular, real_dir
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


MAX_OVERRIDE_BYTES = 1024 * 1024
MAX_SEQUENCE = 1_000_000  # longest string or list that ``*`` may make in a template
#: CPU seconds one render may take when the workspace overrides templates (built-ins take
#: milliseconds); ``SLICEGEN_RENDER_CPU_SECONDS`` sets another bound.
RENDER_CPU_SECONDS = 20.0


class RenderBudgetExceeded(Exception):
    """A template override ran longer than :data:`RENDER_CPU_SECONDS` of CPU time."""


@contextmanager
def _cpu_budget(active: bool) -> Iterator[None]:
    """Stop the render (with :class:`RenderBudgetExceeded`) after its CPU budget: nested loops
    in an override can spin for ever without building anything large. Only in the main thread,
    where signals are delivered; a no-op otherwise."""
    if not active or threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        seconds = float(os.environ.get("SLICEGEN_RENDER_CPU_SECONDS", RENDER_CPU_SECONDS))
    except ValueError:
        seconds = RENDER_CPU_SECONDS

    def stop(_signum: int, _frame: object) -> None:
        raise RenderBudgetExceeded(f"over {seconds:g} s of CPU")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


class _OverrideLoader(jinja2.BaseLoader):
    """Regular files under the override folder only: no link followed, no FIFO or device read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        pieces = split_template_path(template)  # refuses '..'
        path = self.folder
        try:
            for piece in pieces[:-1]:
                path = path / piece
                if not real_dir(path):
                    raise TemplateNotFound(template)
            path = path / pieces[-1]
            if not os.path.lexists(path):
                raise TemplateNotFound(template)
            data = read_regular(path, MAX_OVERRIDE_BYTES, single_link=True)[0]
        except UnsafePath as exc:
            raise SlicegenError(
                f"template override {exc.path} {exc.reason}; slicegen reads only regular files "
                f"in {OVERRIDES_DIR}: replace it with a file or delete it"
            ) from None
        return data.decode("utf-8"), str(path), None


class _BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with ``*`` and ``**`` unable to build huge strings, lists or numbers."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 1000:
            raise SecurityError("exponent too large")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | bytes | list | tuple) and isinstance(count, int)
                if sized and len(seq) * count > MAX_SEQUENCE:
                    raise SecurityError("result too large")
        return super().call_binop(context, operator, left, right)


def _overrides_dir(workspace_root: Path | None) -> Path | None:
    """The workspace's override folder if it has one; refused if it is a link or not a folder."""
    if workspace_root is None:
        return None
    folder = workspace_root / OVERRIDES_DIR
    try:
        real_dir(workspace_root / ".slicegen")
        return folder if real_dir(folder) else None
    except UnsafePath as exc:
        raise SlicegenError(
            f"template overrides {exc.path} {exc.reason}; slicegen reads overrides only from a "
            f"real {OVERRIDES_DIR} folder: replace it with one or delete it"
        ) from None


def environment(workspace_root: Path | None = None) -> jinja2.Environment:
    """A sandboxed environment that looks in the workspace overrides, then the built-ins."""
    overrides = _overrides_dir(workspace_root) is not None
    return _environment(workspace_root, overrides)


@cache
def _environment(workspace_root: Path | None, overrides: bool) -> jinja2.Environment:
    loader: jinja2.BaseLoader = jinja2.FileSystemLoader(str(builtin_templates_dir()))
    if workspace_root is not None and overrides:
        override = _OverrideLoader(workspace_root / OVERRIDES_DIR)
        loader = jinja2.ChoiceLoader([override, loader])
    env = _BoundedSandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.bytecode_cache = bytecode_cache(env, workspace_root)
    env.filters.update(_filters())
    env.globals.pop("lipsum", None)  # makes any amount of text on request
    return env


def render(template: str, workspace_root: Path | None = None, **context: Any) -> str:
    """Render ``template`` (a path under the templates folder) with ``context``.

    A template that reaches for Python internals is stopped by the sandbox; that, and a broken
    workspace override, is a one-line :class:`SlicegenError` naming the template file.
    """
    env = environment(workspace_root)
    try:
        with _cpu_budget(_overrides_dir(workspace_root) is not None):
            return env.get_template(template).render(**context)
    except SecurityError as exc:
        raise SlicegenError(
            f"template {_origin(template, workspace_root)} tried an unsafe operation ({exc}); "
            "templates may only use the variables and filters slicegen gives them"
        ) from None
    except (
        OverflowError,
        MemoryError,
        RecursionError,
        TemplateNotFound,
        RenderBudgetExceeded,
    ) as exc:
        if _overrides_dir(workspace_root) is None:
            raise
        what = "an include it cannot find" if isinstance(exc, TemplateNotFound) else "too much"
        raise SlicegenError(
            f"template override for {template} is broken ({what}: {_short(exc)}); fix it or "
            f"delete it from {OVERRIDES_DIR} to use the built-in template"
        ) from None
    except (TemplateSyntaxError, UndefinedError, UnicodeDecodeError) as exc:
        if _overrides_dir(workspace_root) is None:
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


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _override_path(template: str, workspace_root: Path | None) -> Path | None:
    if workspace_root is None:
        return None
    candidate = workspace_root / OVERRIDES_DIR / template
    return candidate if candidate.is_file() and not candidate.is_symlink() else None


def _origin(template: str, workspace_root: Path | None) -> str:
    override = _override_path(template, workspace_root)
    return str(override) if override is not None else f"{template} (built-in)"

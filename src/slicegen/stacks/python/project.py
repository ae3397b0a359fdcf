"""``slicegen init --stack python``: the project file, the shared kernel, tests/."""

from __future__ import annotations

from slicegen.change_set import ChangeSet
from slicegen.ignore_file import add_ignore_entries
from slicegen.markers import upsert_block
from slicegen.scaffold.stack import StackContext
from slicegen.templates import render

#: Kernel template (under templates/python/project/) -> path under src/<app>/.
KERNEL = {
    "package_init.py.j2": "__init__.py",
    "shared/__init__.py.j2": "shared/__init__.py",
    "shared/messages.py.j2": "shared/messages.py",
    "shared/routing.py.j2": "shared/routing.py",
    "shared/event_store.py.j2": "shared/event_store.py",
    "shared/postgres_store.py.j2": "shared/postgres_store.py",
    "shared/application.py.j2": "shared/application.py",
    "shared/views.py.j2": "shared/views.py",
    "shared/runtime.py.j2": "shared/runtime.py",
    "shared/telemetry.py.j2": "shared/telemetry.py",
}


def init_project(cs: ChangeSet, ctx: StackContext) -> None:
    """Plan the runnable project around the workspace files that ``init`` already wrote."""
    app = ctx.config.require_scaffold()[1]

    def add(template: str, path: str) -> None:
        cs.add(path, render(f"python/project/{template}", ctx.root, app=app))

    add("pyproject.toml.j2", "pyproject.toml")
    for template, path in KERNEL.items():
        add(template, f"src/{app}/{path}")
    cs.add(f"src/{app}/py.typed", "")
    facts_dir = ctx.config.resolved_facts_dir()
    add("shared/facts/__init__.py.j2", f"{facts_dir}/__init__.py")
    add("tests/shared/test_event_store.py.j2", "tests/shared/test_event_store.py")
    section = render("python/project/readme_section.md.j2", ctx.root, app=app)
    if cs.exists("README.md"):
        cs.edit("README.md", lambda text: upsert_block(text, "python-stack", section))
    if cs.exists(".gitignore"):
        cs.edit(".gitignore", _ignore_local_files)


#: Local files a python workspace should not commit.
IGNORED = (
    ".venv/",
    "__pycache__/",
    "*.sqlite*",
    ".mypy_cache/",
    ".ruff_cache/",
    ".pytest_cache/",
    "*.egg-info/",
    "var/",
)


def _ignore_local_files(text: str) -> str:
    return add_ignore_entries(text, "python stack", IGNORED)

"""``slicegen new-domain`` (python): the domain package, rendered by copier, plus tests and docs.

copier renders ``templates/python/domain/`` (its ``copier.yml`` questionnaire answered from the
request, its answers file written into the domain) into a temporary directory, sandboxed and with
tasks and migrations never run without ``--trust`` (see ``slicegen.copier_render``); the built-in
template itself is rendered by jinja with the same output, without importing copier
(``slicegen.bundled_template``). The rendered files then go through the change set like any other.
"""

from __future__ import annotations

from pathlib import Path

from slicegen import __version__, naming
from slicegen.bundled_template import render_bundled
from slicegen.change_set import ChangeSet
from slicegen.copier_render import render_copier, sweep_stale_renders
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import DomainRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.python.paths import PyPaths
from slicegen.templates import builtin_templates_dir, render
from slicegen.trust import trusted

RESERVED = frozenset({"shared", "facts", "tests"})

#: Skeleton files that later commands edit (registrations): written once, never re-rendered.
REGISTRIES = frozenset({"__init__.py", "router.py", "state.py"})


def domain_template(root: Path) -> Path:
    """The copier template: the workspace's override if it has one, else the built-in."""
    override = root / ".slicegen/templates/python/domain"
    return (
        override
        if (override / "copier.yml").is_file()
        else builtin_templates_dir() / "python/domain"
    )


def template_source(root: Path, template: Path) -> str:
    """The template as the answers file records it: ``slicegen:python/domain`` for the built-in
    (no machine's install path in the user's repository), else the override's workspace path."""
    if template.is_relative_to(root):
        return template.relative_to(root).as_posix()
    return f"slicegen:{template.relative_to(builtin_templates_dir()).as_posix()}"


def render_with_copier(
    template: Path, answers: dict[str, str], root: Path | None = None
) -> dict[str, str]:
    """The template's files (relative path -> text), rendered by copier in a sandbox.

    Tasks, migrations and jinja extensions are refused unless the user passed ``--trust``.
    The built-in template is rendered by jinja directly, with copier's output and without
    importing copier (``slicegen.bundled_template``).
    """
    if template == builtin_templates_dir() / "python/domain":
        sweep_stale_renders()  # what killed copier renders left, as a copier render does
        rendered = render_bundled(template, answers, root)
        if rendered is not None:
            return rendered
    return render_copier(template, answers, trust=trusted())


def new_domain(cs: ChangeSet, ctx: StackContext, req: DomainRequest) -> None:
    """Plan the domain package, its first tests and its event-storming document."""
    if req.domain in RESERVED:
        raise SlicegenError(
            f"'{req.domain}' is reserved by the python stack: name the domain otherwise"
        )
    paths = PyPaths.of(ctx, req.domain)
    template = domain_template(ctx.root)
    answers = {
        "app": paths.app,
        "domain": req.domain,
        "aggregate": req.aggregate,
        "package": paths.package(),
        "template_source": template_source(ctx.root, template),
        "slicegen_version": __version__,
    }
    for rel, text in render_with_copier(template, answers, ctx.root).items():
        path = f"{paths.package_dir()}/{rel}"
        if rel in REGISTRIES and cs.exists(path):
            continue  # slices are registered in it since: it is the edits' file now
        cs.add(path, text)
    cs.add(
        f"{paths.tests_dir()}/test_app.py",
        render(
            "python/domain_tests/test_app.py.j2",
            ctx.root,
            app=paths.app,
            domain=req.domain,
            aggregate=req.aggregate,
            package=paths.package(),
        ),
    )
    naming.validate_name(req.aggregate, "aggregate name")

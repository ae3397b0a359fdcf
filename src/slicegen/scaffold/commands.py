"""The scaffolding commands, stack-independent: validate the request, then let the stack plan it.

Each function returns a ``build(change_set)`` callable for :func:`slicegen.execute.execute`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from slicegen import manifest, naming
from slicegen.change_set import ChangeSet
from slicegen.config import (
    Config,
    EventStore,
    Stack,
    find_config,
    render_config,
)
from slicegen.constants import CONFIG_FILE
from slicegen.errors import SlicegenError
from slicegen.fields import parse_fields
from slicegen.ignore_file import add_ignore_entries
from slicegen.markers import upsert_block
from slicegen.scaffold.requests import (
    DomainRequest,
    FactRequest,
    PolicyRequest,
    ProjectionRequest,
    SliceRequest,
    VersionRequest,
)
from slicegen.scaffold.stack import StackContext, load_stack
from slicegen.storm.skeleton import render_skeleton
from slicegen.templates import render
from slicegen.transaction import recover_pending
from slicegen.workspace import Workspace

Build = Callable[[ChangeSet], None]

GITIGNORE_ENTRIES = (".slicegen/lock", ".slicegen/txn/", ".slicegen_cache/")


def init_workspace(
    path: Path, stack: Stack, app: str, force: bool, event_store: EventStore | None = None
) -> Build:
    """``slicegen init``: config, design_docs/, README section, then the stack's skeleton."""
    naming.validate_name(app, "app name")
    if path.exists():
        recover_pending(path)  # a killed init's half-written config must not count as a workspace
    found = find_config(path) if path.exists() else None
    if found is not None and not force:
        raise SlicegenError(
            f"{path} is already inside the slicegen workspace configured by {found[0]}: "
            "use --force to initialise again"
        )
    config = Config(stack=stack, app=app, event_store=event_store)
    ctx = StackContext(path.resolve(), config)

    def build(cs: ChangeSet) -> None:
        cs.add(CONFIG_FILE, render_config(stack, app, event_store))
        cs.add("design_docs/README.md", render("common/design_docs_readme.md.j2", app=app))
        section = render("common/readme_section.md.j2", app=app, stack=stack)
        _upsert_text(
            cs, "README.md", lambda text: upsert_block(text, "workspace", section), f"# {app}\n"
        )
        _upsert_text(cs, ".gitignore", _add_gitignore_entries, "")
        load_stack(stack).init_workspace(cs, ctx)

    return manifest.logged("init", {"stack": stack, "app": app, "event_store": event_store}, build)


def _upsert_text(cs: ChangeSet, path: str, transform: Callable[[str], str], initial: str) -> None:
    if cs.exists(path):
        cs.edit(path, transform)
    else:
        cs.add(path, transform(initial))


def _add_gitignore_entries(text: str) -> str:
    return add_ignore_entries(text, "slicegen", GITIGNORE_ENTRIES)


def _context(ws: Workspace) -> StackContext:
    ws.config.require_scaffold()
    return StackContext(ws.root, ws.config)


def _stack_of(ws: Workspace) -> Stack:
    return ws.config.require_scaffold()[0]


def new_domain(ws: Workspace, domain: str, aggregate: str | None) -> Build:
    """``slicegen new-domain``."""
    naming.validate_name(domain, "domain name")
    aggregate = aggregate or naming.singular(domain)
    naming.validate_name(aggregate, "aggregate name")
    req = DomainRequest(domain, aggregate)
    ctx = _context(ws)

    def build(cs: ChangeSet) -> None:
        stack, app = ws.config.require_scaffold()
        load_stack(stack).new_domain(cs, ctx, req)
        doc = ws.config.storming_doc(domain)
        if not cs.exists(doc):  # the same for every stack: the storming document's skeleton
            cs.add(doc, render_skeleton(app, domain, stack, aggregate, workspace_root=ws.root))

    return manifest.logged("new-domain", {"domain": domain, "aggregate": aggregate}, build)


def check_command_name(command: str, verbs: tuple[str, ...]) -> None:
    """Refuse a CRUD command name, suggesting business verbs."""
    naming.validate_name(command, "command name")
    verb = naming.crud_verb_in_command(command, verbs)
    if verb:
        ideas = ", ".join(naming.suggest_command_names(command, verbs)[:4])
        raise SlicegenError(
            f"command '{command}' starts with the CRUD verb '{verb}', which says nothing about "
            f"the business: name what happens instead, e.g. {ideas}"
        )


def check_slice_name(domain: str, command: str, event_given: bool) -> None:
    """Refuse a slice name the lint rules would flag, or whose event would read badly.

    A version in the name is SG202's (versions go in file names); a first word that is no verb
    in base form is SG101's; a first word naming the aggregate (``account_email_change``) reads
    as a noun, and its derived event (``email_change_accounted``) is nonsense unless ``--event``
    names it.
    """
    base, version = naming.split_version(command)
    if version is not None and command[len(base)] == "_":
        raise SlicegenError(
            f"slice '{command}' carries a version, which lint flags (SG202): name the slice "
            f"'{base}' and add versions with 'slicegen add-version {domain} {base}'"
        )
    parts = naming.words(command)
    nouns = {domain, naming.singular(domain)}
    verbs = [w for w in parts[1:] if naming.is_base_verb(w) and w not in nouns]
    idea = "_".join([verbs[-1], *(w for w in parts if w != verbs[-1])]) if verbs else ""
    example = f"e.g. '{idea}'" if idea else "e.g. 'activate_account'"
    if not naming.is_base_verb(parts[0]):
        raise SlicegenError(
            f"command '{command}' does not start with a verb in base form, which lint flags "
            f"(SG101): name it verb first, {example}"
        )
    if parts[0] in nouns and len(parts) > 1 and not event_given:
        raise SlicegenError(
            f"command '{command}' starts with the aggregate '{parts[0]}', so its event would "
            f"read '{naming.default_event(command)}': name it verb first, {example}, or pass "
            "--event"
        )


def check_event_name(event: str, verbs: tuple[str, ...]) -> None:
    """Refuse a CRUD event name, suggesting business verbs."""
    naming.validate_name(event, "event name")
    verb = naming.crud_verb_in_event(event, verbs)
    if verb:
        ideas = ", ".join(naming.suggest_event_names(event, verbs)[:4])
        raise SlicegenError(
            f"event '{event}' is a CRUD event ('{naming.past_participle(verb)}'), forbidden by the "
            f"conventions: name the business fact instead, e.g. {ideas} (pass --event)"
        )


def add_slice(
    ws: Workspace,
    domain: str,
    command: str,
    event: str | None,
    field_specs: list[str],
    projections: list[str],
    starts: bool | None = None,
    *,
    documents: bool = True,
) -> Build:
    """``slicegen add-slice`` (with ``documents``, the domain's storming document refreshed)."""
    verbs = ws.config.lint.all_crud_verbs()
    naming.validate_name(domain, "domain name")
    check_command_name(command, verbs)
    check_slice_name(domain, command, event is not None)
    event = event or naming.default_event(command)
    check_event_name(event, verbs)
    for read_model in projections:
        naming.validate_name(read_model, "read model name")
    req = SliceRequest(domain, command, event, parse_fields(field_specs), list(projections), starts)
    ctx = _context(ws)
    args = {
        "domain": domain,
        "command": command,
        "event": event,
        "field_specs": list(field_specs),
        "projections": list(projections),
        "starts": starts,
    }

    def build(cs: ChangeSet) -> None:
        from slicegen.contracts.write import lock_planned  # here: new-domain needs none of it

        lock_planned(cs, domain, lambda cs: load_stack(_stack_of(ws)).add_slice(cs, ctx, req))

    return manifest.logged("add-slice", args, _documented(ws, [domain], documents, build))


def add_projection(
    ws: Workspace, domain: str, slice_name: str, read_model: str, *, documents: bool = True
) -> Build:
    """``slicegen add-projection``."""
    naming.validate_name(domain, "domain name")
    naming.validate_name(slice_name, "slice name")
    naming.validate_name(read_model, "read model name")
    req = ProjectionRequest(domain, slice_name, read_model)
    ctx = _context(ws)
    return manifest.logged(
        "add-projection",
        {"domain": domain, "slice_name": slice_name, "read_model": read_model},
        _documented(
            ws,
            [domain],
            documents,
            lambda cs: load_stack(_stack_of(ws)).add_projection(cs, ctx, req),
        ),
    )


def _documented(ws: Workspace, domains: list[str], documents: bool, build: Build) -> Build:
    """``build``, and with ``documents`` the refresh of those domains' storming documents."""
    if not documents:
        return build
    from slicegen.scaffold.documents import documented  # here: new-domain needs none of it

    return documented(ws, domains, build)


def parse_trigger(trigger: str) -> tuple[str, str]:
    """``accounts:account_activated`` -> (``accounts``, ``account_activated``)."""
    source, sep, event = trigger.partition(":")
    if not sep or not source or not event:
        raise SlicegenError(
            f"--on {trigger!r} is not DOMAIN:EVENT: write e.g. --on accounts:account_activated"
        )
    naming.validate_name(source, "trigger domain")
    naming.validate_name(event, "trigger event")
    return source, event


def add_policy(
    ws: Workspace,
    domain: str,
    command: str,
    trigger: str,
    with_fact: bool,
    *,
    documents: bool = True,
) -> Build:
    """``slicegen add-policy``."""
    naming.validate_name(domain, "domain name")
    naming.validate_name(command, "command name")
    source, event = parse_trigger(trigger)
    req = PolicyRequest(domain, command, source, event, with_fact)
    ctx = _context(ws)
    return manifest.logged(
        "add-policy",
        {"domain": domain, "command": command, "trigger": trigger, "with_fact": with_fact},
        _documented(
            ws,
            [domain, source],
            documents,
            lambda cs: load_stack(_stack_of(ws)).add_policy(cs, ctx, req),
        ),
    )


def add_fact(ws: Workspace, domain: str, event: str, *, documents: bool = True) -> Build:
    """``slicegen add-fact``."""
    naming.validate_name(domain, "domain name")
    check_event_name(event, ws.config.lint.all_crud_verbs())
    req = FactRequest(domain, event)
    ctx = _context(ws)
    return manifest.logged(
        "add-fact",
        {"domain": domain, "event": event},
        _documented(
            ws, [domain], documents, lambda cs: load_stack(_stack_of(ws)).add_fact(cs, ctx, req)
        ),
    )


def add_version(
    ws: Workspace, domain: str, command: str, field_specs: list[str], *, documents: bool = True
) -> Build:
    """``slicegen add-version``."""
    naming.validate_name(domain, "domain name")
    naming.validate_name(command, "command name")
    req = VersionRequest(domain, command, parse_fields(field_specs))
    ctx = _context(ws)

    def build(cs: ChangeSet) -> None:
        from slicegen.contracts.restore import restore_of
        from slicegen.contracts.write import lock_planned

        # an edited locked event (SG205): the next version takes the edit, this one the lock
        full = replace(req, restore=restore_of(cs, domain, command))
        lock_planned(cs, domain, lambda cs: load_stack(_stack_of(ws)).add_version(cs, ctx, full))

    args = {"domain": domain, "command": command, "field_specs": list(field_specs)}
    return manifest.logged("add-version", args, _documented(ws, [domain], documents, build))

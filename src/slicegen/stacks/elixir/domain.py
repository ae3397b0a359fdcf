"""``init`` and ``new-domain`` for the elixir stack: umbrella, shared facts app, domain apps.

Files are listed as data (template -> destination), Phoenix-style, so the generated tree can be
read off this module.
"""

from __future__ import annotations

import re
import zlib

from slicegen import clock, naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.ignore_file import add_ignore_entries
from slicegen.scaffold.requests import DomainRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.elixir.layout import render_ex
from slicegen.stacks.elixir.paths import DomainNames, SharedNames

#: Gossip ports of the domains' libcluster topologies: base + a hash of the app name.
PORT_BASE = 45_000
PORT_RANGE = 1_000

_UMBRELLA = (
    ("umbrella/mix.exs.j2", "mix.exs"),
    ("umbrella/formatter.exs.j2", ".formatter.exs"),
    ("umbrella/config/config.exs.j2", "config/config.exs"),
    ("umbrella/config/dev.exs.j2", "config/dev.exs"),
    ("umbrella/config/test.exs.j2", "config/test.exs"),
    ("umbrella/config/prod.exs.j2", "config/prod.exs"),
)

_SHARED = (
    ("shared_app/mix.exs.j2", "mix.exs"),
    ("shared_app/formatter.exs.j2", ".formatter.exs"),
    ("shared_app/lib/shared.ex.j2", "lib/{otp}.ex"),
    ("shared_app/lib/app/application.ex.j2", "lib/{otp}/application.ex"),
    ("shared_app/test/test_helper.exs.j2", "test/test_helper.exs"),
    ("shared_app/test/shared_test.exs.j2", "test/{otp}_test.exs"),
)

_DOMAIN = (
    ("domain/mix.exs.j2", "mix.exs"),
    ("domain/formatter.exs.j2", ".formatter.exs"),
    ("domain/config/config.exs.j2", "config/config.exs"),
    ("domain/lib/public_api.ex.j2", "lib/{otp}.ex"),
    ("domain/lib/app/application.ex.j2", "lib/{otp}/application.ex"),
    ("domain/lib/app/commanded_app.ex.j2", "lib/{otp}/commanded_app.ex"),
    ("domain/lib/app/router.ex.j2", "lib/{otp}/router.ex"),
    ("domain/lib/app/event_type_mapper.ex.j2", "lib/{otp}/event_type_mapper.ex"),
    ("domain/lib/app/domain_api.ex.j2", "lib/{otp}/domain_api.ex"),
    ("domain/lib/app/repo.ex.j2", "lib/{otp}/repo.ex"),
    ("domain/lib/app/shared/aggregate.ex.j2", "lib/{otp}/shared/{aggregate}.ex"),
    ("domain/lib/mix_tasks/setup.ex.j2", "lib/mix/tasks/{otp}.setup.ex"),
    ("domain/lib/mix_tasks/reset.ex.j2", "lib/mix/tasks/{otp}.reset.ex"),
    ("domain/test/test_helper.exs.j2", "test/test_helper.exs"),
    ("domain/test/support/data_case.ex.j2", "test/support/data_case.ex"),
    ("domain/test/support/fixtures.ex.j2", "test/support/fixtures.ex"),
    ("domain/README.md.j2", "README.md"),
)

#: Files only one event store needs.
_STORE_FILES = {
    "eventstore": (
        ("domain/lib/app/event_store.ex.j2", "lib/{otp}/event_store.ex"),
        ("domain/test/event_type_mapper_test.exs.j2", "test/{otp}/event_type_mapper_test.exs"),
    )
}
_SHARED_STORE_FILES = {
    "eventstore": (
        ("shared_app/lib/app/event_types.ex.j2", "lib/{otp}/event_types.ex"),
        ("shared_app/test/event_types_test.exs.j2", "test/{otp}/event_types_test.exs"),
    )
}

#: How each event store is named in docs, and the Elixir its dependencies need.
_STORE_LABELS = {
    "ex_esdb": "ExESDB",
    "eventstore": "Commanded's PostgreSQL EventStore",
    "in_memory": "Commanded's in-memory store",
}
_ELIXIR_REQUIREMENT = {"ex_esdb": "~> 1.17"}

#: Build output and local data an umbrella never commits.
GITIGNORE_ENTRIES = ("_build/", "deps/", "tmp/", "erl_crash.dump")


#: Modules that later commands edit (registrations): written once, then only edited.
_REGISTRATION_TARGETS = frozenset(
    {
        "domain/lib/public_api.ex.j2",
        "domain/lib/app/application.ex.j2",
        "domain/lib/app/router.ex.j2",
        "domain/lib/app/event_type_mapper.ex.j2",
        "domain/lib/app/shared/aggregate.ex.j2",
        "domain/test/support/fixtures.ex.j2",
    }
)


def shared_names(ctx: StackContext) -> SharedNames:
    return SharedNames(ctx.config.require_scaffold()[1], ctx.config.resolved_domains_dir())


def event_store(ctx: StackContext) -> str:
    """The event store the workspace chose at ``init`` (``ex_esdb`` unless it said otherwise)."""
    return ctx.config.event_store or "ex_esdb"


def init_workspace(cs: ChangeSet, ctx: StackContext) -> None:
    """The umbrella root, its ``.gitignore`` entries and the shared facts app."""
    app = ctx.config.require_scaffold()[1]
    shared = shared_names(ctx)
    store = event_store(ctx)
    if cs.exists(".gitignore"):
        cs.edit(".gitignore", lambda text: add_ignore_entries(text, "elixir", GITIGNORE_ENTRIES))
    else:
        cs.add(".gitignore", add_ignore_entries("", "elixir", GITIGNORE_ENTRIES))
    for template, dest in _UMBRELLA:
        cs.add(dest, render_ex(template, ctx.root, app=app, shared=shared, store=store))
    for template, dest in (*_SHARED, *_SHARED_STORE_FILES.get(store, ())):
        path = f"{shared.app_dir}/{dest.format(otp=shared.otp_app)}"
        cs.add(path, render_ex(template, ctx.root, app=app, shared=shared, store=store))


def new_domain(cs: ChangeSet, ctx: StackContext, req: DomainRequest) -> None:
    """A domain app with its Commanded wiring, config, mix tasks and storming document."""
    names = DomainNames.of(ctx, req.domain)
    if names.otp_app == shared_names(ctx).otp_app:
        raise SlicegenError(
            f"domain '{req.domain}' would be {names.app_dir}, the shared facts app: "
            "name the domain after its business (e.g. 'accounts')"
        )
    store = event_store(ctx)
    values = {
        "app": names.app,
        "d": names,
        "shared": shared_names(ctx),
        "aggregate": req.aggregate,
        "aggregate_module": names.aggregate_module(req.aggregate),
        "id_field": f"{req.aggregate}_id",
        "title": " ".join(w.capitalize() for w in naming.words(names.otp_app)),
        "port": _format_port(cluster_port(cs, names)),
        "store": store,
        "store_label": _STORE_LABELS[store],
        "elixir_req": _ELIXIR_REQUIREMENT.get(store, "~> 1.14"),
    }
    for template, dest in (*_DOMAIN, *_STORE_FILES.get(store, ())):
        path = f"{names.app_dir}/{dest.format(otp=names.otp_app, aggregate=req.aggregate)}"
        if template in _REGISTRATION_TARGETS and cs.exists(path):
            continue  # slices have registered themselves in it since: it is no longer pristine
        cs.add(path, render_ex(template, ctx.root, **values))
    if not migrations(cs, names, "create_projection_versions"):
        version = next_migration_version(cs, names)
        path = f"{names.migrations_dir}/{version}_create_projection_versions.exs"
        cs.add(path, render_ex("domain/priv/create_projection_versions.exs.j2", ctx.root, **values))


def migrations(cs: ChangeSet, names: DomainNames, name: str) -> list[str]:
    """Migrations ``<version>_<name>.exs`` of the domain's repo (all if ``name`` is empty)."""
    suffix = f"_{name}.exs" if name else ".exs"
    directory = cs.root / names.migrations_dir
    found = [p.name for p in directory.glob(f"*{suffix}")] if directory.is_dir() else []
    prefix = names.migrations_dir + "/"
    found += [p[len(prefix) :] for p in cs.paths() if p.startswith(prefix) and p.endswith(suffix)]
    return sorted(found)


def next_migration_version(cs: ChangeSet, names: DomainNames) -> str:
    """A timestamp version (``YYYYMMDDHHMMSS``) later than every existing migration's."""
    versions = [
        name.split("_", 1)[0]
        for name in migrations(cs, names, "")
        if name.split("_", 1)[0].isdigit()
    ]
    return str(max([int(clock.stamp()), *(int(clock.after(v)) for v in versions)]))


def cluster_port(cs: ChangeSet, names: DomainNames) -> int:
    """The domain's gossip port: derived from its app name, moved past ports other domains use."""
    taken = _ports_in_use(cs, names)
    port = PORT_BASE + zlib.crc32(names.otp_app.encode()) % PORT_RANGE
    while port in taken:
        port = PORT_BASE + (port - PORT_BASE + 1) % PORT_RANGE
    return port


_PORT = re.compile(r"^[^\S\n]*port:\s*([0-9_]+)", re.MULTILINE)  # indent: no \n (linear)


def _ports_in_use(cs: ChangeSet, names: DomainNames) -> set[int]:
    apps = cs.root / names.apps_dir
    taken: set[int] = set()
    if not apps.is_dir():
        return taken
    for config in sorted(apps.glob("*/config/config.exs")):
        if config.parent.parent.name == names.otp_app:
            continue
        text = cs.read(config.relative_to(cs.root).as_posix()) or ""
        taken.update(int(m.replace("_", "")) for m in _PORT.findall(text))
    return taken


def _format_port(port: int) -> str:
    return f"{port:_}"

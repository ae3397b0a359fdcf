"""``remove-projection``, ``remove-policy`` and ``remove-fact`` for the elixir stack, the
reverse of the adds.

The files the add command wrote are removed (one the user changed since it was generated is kept,
unless forced) and the module is taken out of the application's children by a tree-sitter edit
that keeps the rest. A read model no other projection writes goes too, with its migrations.

``remove-fact`` moves the fact's module, under its own name, to ``lib/<app>/retired/`` of its
domain: the domain's fact log recorded the facts it published in the domain's event store (as
the struct, or as JSON typed by the module's name), and the domain's event handlers read every
stored event back when they catch up, so without the module they would fail. ``add-fact`` moves
it back. The fact's entry in the type mapper goes: the mapper names what is appended, and
nothing appends the fact any more.
"""

from __future__ import annotations

import re

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.manifest import remove_generated
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import artifacts, refusals
from slicegen.stacks.elixir import registrations
from slicegen.stacks.elixir.domain import migrations, shared_names
from slicegen.stacks.elixir.integration import fact_path, publishers, retired_fact_path
from slicegen.stacks.elixir.paths import DomainNames


def remove_projection(
    cs: ChangeSet, ctx: StackContext, domain: str, slice_name: str, read_model: str, force: bool
) -> None:
    """The slice's projections into ``read_model``; the read model too if nothing else uses it."""
    names = DomainNames.of(ctx, domain)
    pattern = re.compile(rf"/(\w+_to_{re.escape(read_model)}_v\d+)\.ex$")
    stems = [m[1] for f in cs.files_under(names.slice_dir(slice_name)) if (m := pattern.search(f))]
    if not stems:
        raise SlicegenError(
            f"slice '{slice_name}' of '{domain}' has no projection into '{read_model}' "
            f"(no {names.slice_dir(slice_name)}/*_to_{read_model}_v<N>.ex): check the names"
        )
    files = [names.slice_file(slice_name, s) for s in stems]
    files += [names.slice_test(slice_name, s) for s in stems]
    schema = names.read_model_module(read_model)
    users = [
        f
        for f in cs.files_under(names.domain_dir)
        if f.endswith(".ex") and f not in files and schema in (cs.read(f) or "")
    ]
    if not users:
        table = f"{names.domain}_{read_model}"
        files.append(names.read_model_file(read_model))
        files += [
            f"{names.migrations_dir}/{m}"
            for m in migrations(cs, names, "")
            if m.endswith((f"_create_{table}.exs", f"_fields_to_{table}.exs"))
        ]
    remove_generated(cs, files, force)
    for stem in stems:
        registrations.unregister_child(cs, names, names.slice_member(slice_name, stem))


def remove_policy(
    cs: ChangeSet, ctx: StackContext, domain: str, command: str, event: str, force: bool
) -> None:
    """The policy that dispatches ``command`` on ``event``, its test and its registration: a
    child of the application, or a policy of the fact's subscriber (gone with its last policy)."""
    names = DomainNames.of(ctx, domain)
    stems = [
        f.rsplit("/", 1)[1].removesuffix(".ex")
        for f in cs.files_under(names.slice_dir(command))
        if artifacts.policy_file(f, ".ex", event=event, command=command)
    ]
    if not stems:
        raise SlicegenError(
            f"slice '{command}' of '{domain}' has no policy on '{event}' "
            f"({names.slice_dir(command)}/when_{event}_then_{command}_v1.ex is missing): "
            "check the names"
        )
    remove_generated(cs, [names.slice_file(command, s) for s in stems], force)
    remove_generated(cs, [names.slice_test(command, s) for s in stems], force)
    modules = {names.slice_member(command, s) for s in stems}
    for module in modules:
        registrations.unregister_child(cs, names, module)
    removed = {names.slice_file(command, s) for s in stems}
    _remove_policy_once(cs, names, removed, force)
    files = [
        f for f in cs.files_under(names.slice_dir(command)) if cs.exists(f) and f not in removed
    ]
    if not any(artifacts.policy_file(f, ".ex") for f in files):
        for stem in sorted(m[1] for f in files if (m := re.search(r"/(command_v\d+)\.ex$", f))):
            registrations.route_past_once(cs, names, names.slice_member(command, stem))
    subscriber = names.subscriber_file(event)
    text = cs.read(subscriber)
    if text is None:
        return
    others = set(registrations.policies(subscriber, names.subscriber_module(event), text))
    if others <= modules and not remove_generated(cs, [subscriber], force):
        remove_generated(cs, [names.subscriber_test(event)], force)
        registrations.unregister_child(cs, names, names.subscriber_module(event))
        left = [f for f in cs.files_under(f"{names.lib_dir}/integration") if f != subscriber]
        if not any(f.endswith("_fact_subscriber.ex") for f in left):
            positions = migrations(cs, names, "create_fact_positions")
            remove_generated(cs, [f"{names.migrations_dir}/{m}" for m in positions], force)
        return
    for module in modules:
        registrations.unregister_policy(cs, subscriber, names.subscriber_module(event), module)


def _remove_policy_once(cs: ChangeSet, names: DomainNames, removed: set[str], force: bool) -> None:
    """The router middleware that executes a policy's command once, with the domain's last
    policy (the reverse of what ``add-policy`` made)."""
    left = [  # on disk, not yet removed in this change
        f
        for f in cs.files_under(names.domain_dir)
        if artifacts.policy_file(f, ".ex") and cs.exists(f) and f not in removed
    ]
    if left or remove_generated(cs, [names.policy_once_file], force):
        return
    registrations.unregister_middleware(cs, names, names.policy_once_module)


def remove_fact(cs: ChangeSet, ctx: StackContext, domain: str, event: str, force: bool) -> None:
    """The fact ``event``'s publishers, test and registrations; the domain's fact log and
    ``facts_since/3`` (and the shared ``Facts`` registry) once nothing else uses them. The fact
    module is retired. Refused while another domain's policy still consumes the fact."""
    names = DomainNames.of(ctx, domain)
    shared = shared_names(ctx)
    path = fact_path(ctx, domain, event)
    text = cs.read(path)
    if text is None:
        raise SlicegenError(
            f"domain '{domain}' publishes no fact '{event}' ({path} is missing): check the names"
        )
    module = shared.fact_module(domain, event)
    _refuse_if_consumed(cs, names, shared.app_dir, module, event)
    found = publishers(cs, names, module)
    remove_generated(cs, [names.slice_file(s, stem) for s, stem in found], force)
    remove_generated(cs, [names.slice_test(s, stem) for s, stem in found], force)
    for slice_name, stem in found:
        registrations.unregister_child(cs, names, names.slice_member(slice_name, stem))
    registrations.unregister_event_type(cs, names, naming.fact_type_string(domain, event))
    retired = retired_fact_path(names, event)
    cs.add(retired, text)
    cs.remove(path)
    remove_generated(cs, [shared.fact_test_file(domain, event)], force)
    cs.note(
        f"moved {module} to {retired}: the facts already recorded on "
        f'"{naming.fact_topic(domain, event)}" still load; delete it once no stream holds one '
        "(slicegen rule SG403)"
    )
    users = cs.files_under(names.app_dir)
    if not _mentioned(cs, users, names.fact_log_module, {names.fact_log_file, names.public_api}):
        kept = remove_generated(cs, [names.fact_log_file], force)
        if not kept:
            registrations.unregister_api_function(cs, names, "facts_since")
    registry = shared.facts_registry_file
    if not _mentioned(cs, cs.files_under(names.apps_dir), f"{shared.module}.Facts", {registry}):
        remove_generated(cs, [registry], force)


def refuse_if_published_and_consumed(
    cs: ChangeSet, ctx: StackContext, domain: str, slice_name: str
) -> None:
    """``remove-slice``'s refusal: a fact the slice publishes is consumed by another domain
    (removing its publisher would leave that policy waiting for facts that never come)."""
    names = DomainNames.of(ctx, domain)
    shared = shared_names(ctx)
    folder = fact_path(ctx, domain, "_").rsplit("/", 1)[0]
    for path in cs.files_under(folder):
        if not (m := re.search(r"/(\w+)_fact\.ex$", path)):
            continue
        module = shared.fact_module(domain, m[1])
        if any(s == slice_name for s, _ in publishers(cs, names, module)):
            what = f"slice '{slice_name}' publishes fact '{m[1]}', which"
            _refuse_if_consumed(cs, names, shared.app_dir, module, m[1], what)


def _refuse_if_consumed(
    cs: ChangeSet, names: DomainNames, shared_dir: str, module: str, event: str, what: str = ""
) -> None:
    """An error naming the ``remove-policy`` to run first if another domain uses ``module``."""
    own = (f"{names.app_dir}/", f"{shared_dir}/")
    users = [
        f
        for f in cs.files_under(names.apps_dir)
        if f.endswith((".ex", ".exs"))
        and not f.startswith(own)
        and _mentions(cs.read(f) or "", module)
    ]
    place = re.compile(  # in the folder of its command's slice
        rf"^{re.escape(names.apps_dir)}/{re.escape(names.app)}_(\w+)/lib/.*/(\w+)/[^/]+$"
    )
    refusals.if_consumed(users, place, ".ex", what, names.domain, event)


def _mentions(text: str, module: str) -> bool:
    return re.search(rf"\b{re.escape(module)}\b", text) is not None


def _mentioned(cs: ChangeSet, files: list[str], module: str, besides: set[str]) -> bool:
    """True if a source file of ``files`` but ``besides`` still names ``module`` once planned."""
    return any(
        f.endswith((".ex", ".exs")) and f not in besides and _mentions(cs.read(f) or "", module)
        for f in files
    )

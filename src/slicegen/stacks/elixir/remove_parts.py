"""``remove-projection`` and ``remove-policy`` for the elixir stack, the reverse of the adds.

The files the add command wrote are removed (one the user changed since it was generated is kept,
unless forced) and the module is taken out of the application's children by a tree-sitter edit
that keeps the rest. A read model no other projection writes goes too, with its migrations.
"""

from __future__ import annotations

import re

from slicegen import manifest
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.elixir import registrations
from slicegen.stacks.elixir.domain import migrations
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
    pattern = re.compile(rf"/(when_{re.escape(event)}_then_{re.escape(command)}_v\d+)\.ex$")
    stems = [m[1] for f in cs.files_under(names.slice_dir(command)) if (m := pattern.search(f))]
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


def remove_generated(cs: ChangeSet, files: list[str], force: bool) -> list[str]:
    """Plan removing ``files``; one the user changed since generation is kept unless ``force``.
    Returns the files kept."""
    generated = manifest.read(cs)
    kept = []
    for rel in files:
        text = cs.read(rel)
        if text is None:
            continue
        if manifest.user_changed(generated, rel, text) and not force:
            cs.note(f"kept {rel}: changed since slicegen generated it (--force removes it)")
            kept.append(rel)
            continue
        cs.remove(rel)
    return kept

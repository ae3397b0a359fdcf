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


def remove_generated(cs: ChangeSet, files: list[str], force: bool) -> None:
    """Plan removing ``files``; one the user changed since generation is kept unless ``force``."""
    generated = manifest.read(cs)
    for rel in files:
        text = cs.read(rel)
        if text is None:
            continue
        if manifest.user_changed(generated, rel, text) and not force:
            cs.note(f"kept {rel}: changed since slicegen generated it (--force removes it)")
            continue
        cs.remove(rel)

"""``add-version`` on an edited locked event (elixir): the event module written back to its locked
shape, and how the upcaster fills each field of the next version from a stored event."""

from __future__ import annotations

import re
from dataclasses import replace

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import Restore
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.elixir.domain import event_store
from slicegen.stacks.elixir.field_types import ElixirField, base_typespec, field_from_typespec
from slicegen.stacks.elixir.layout import LAYOUT, render_ex
from slicegen.stacks.elixir.slice import SliceVersion

_STRUCT = re.compile(r"(defstruct \[\n)(.*?)(\n *\])", re.S)
_TYPE = re.compile(r"(@type t :: %__MODULE__\{\n)(.*?)(\n *\})", re.S)
#: old typespec -> new typespec -> the conversion of a stored value ``{}``
_CONVERTS = {
    "integer()": {"float()": "{} / 1", "String.t()": "Integer.to_string({})"},
    "float()": {"String.t()": "Float.to_string({})"},
}


def locked_fields(restore: Restore, edited: list[ElixirField]) -> list[ElixirField]:
    """The locked fields (a field still as it was locked keeps its typespec as written); an
    error for one ``add-version`` cannot write back."""
    now = {f.name: f for f in edited}
    found = []
    for f in restore.fields:
        same = now.get(f.name)
        if same is not None and re.sub(r"\s", "", same.typespec) == f.type:
            field = same
        else:
            spaced = re.sub(r"\s*(\||=>)\s*", r" \1 ", f.type).replace(",", ", ")
            field = field_from_typespec(f.name, spaced)
        if field.required != f.required:
            raise SlicegenError(
                f"{restore.path}: field '{f.name}' is locked as '{f.type}' "
                f"({'required' if f.required else 'optional'}), which add-version cannot write "
                "back: restore the locked shape by hand, then re-run"
            )
        found.append(field)
    return found


def restore_event(
    cs: ChangeSet, ctx: StackContext, edited: SliceVersion, locked: list[ElixirField]
) -> None:
    """Plan the event module of ``edited`` with the ``locked`` fields again: rendered anew if it
    is as slicegen writes it apart from its fields, else its struct and type edited."""
    names = edited.dom.names
    path = names.slice_file(edited.slice, edited.event_stem)
    store = event_store(ctx)
    restored = replace(edited, event_fields=locked)

    def edit(text: str) -> str:
        if text == render_ex("slice/event.ex.j2", ctx.root, s=edited, d=names, store=store):
            return render_ex("slice/event.ex.j2", ctx.root, s=restored, d=names, store=store)
        struct = ",\n".join(f"    :{f.name}" for f in locked)
        spec = "\n".join(
            LAYOUT.kv(10, f.name, f.typespec, i < len(locked) - 1) for i, f in enumerate(locked)
        )
        out = text
        blocks = (
            (_STRUCT, struct, "defstruct [...]"),
            (_TYPE, spec, "@type t :: %__MODULE__{...}"),
        )
        for pattern, body, label in blocks:
            found = pattern.search(out)
            if found is None:
                raise SlicegenError(
                    f"{path}: add-version finds no `{label}` block to write the locked fields "
                    "back into: restore them by hand, then re-run"
                )
            out = out[: found.start(2)] + body + out[found.end(2) :]
        if "def decode(" in out:
            cs.note(f"{path}: check its decode/1 against the restored fields")
        return out

    cs.edit(path, edit)


def carried(new: ElixirField, old: dict[str, ElixirField], renamed: dict[str, str]) -> str | None:
    """The upcaster's value of ``new`` from a stored ``event`` of the old shape; None when no
    stored value carries over (the user decides it)."""
    source = next((o for o, n in renamed.items() if n == new.name), new.name)
    was = old.get(source)
    if was is None:
        return None
    value = f"event.{source}"
    before, after = base_typespec(was.typespec), base_typespec(new.typespec)
    if before == after:
        return value
    convert = _CONVERTS.get(before, {}).get(after)
    if convert is None:
        return None
    return f"{value} && {convert.format(value)}"

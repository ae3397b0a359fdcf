"""``add-slice`` and ``add-projection`` for the elixir stack (``add-version``: :mod:`.version`).

A slice is one folder under the literal ``domain/``: command, event, ``maybe_<command>_v<N>``
handler and ``<event>_to_state_v<N>`` evolver, their ExUnit tests mirrored under ``test/``, and
registrations in the router, the type mapper, the aggregate and the public API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import ProjectionRequest, SliceRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import artifacts
from slicegen.stacks.elixir import reading, registrations
from slicegen.stacks.elixir.domain import event_store, migrations, next_migration_version
from slicegen.stacks.elixir.field_types import (
    ElixirField,
    as_uuid,
    elixir_field,
    identity_field,
    sample_of,
    with_identity,
)
from slicegen.stacks.elixir.layout import LAYOUT, LINE_LENGTH, render_ex
from slicegen.stacks.elixir.paths import DomainNames
from slicegen.stacks.starting import new_slice_starts


@dataclass(frozen=True)
class DomainContext:
    """A domain that exists, with its aggregate."""

    names: DomainNames
    aggregate: str
    identity: str | None = None

    @property
    def aggregate_module(self) -> str:
        return self.names.aggregate_module(self.aggregate)

    @property
    def id_field(self) -> str:
        return self.identity or identity_field(self.aggregate).name


def existing_domain(cs: ChangeSet, ctx: StackContext, domain: str) -> DomainContext:
    """The domain's names and aggregate, or an error saying how to create the domain."""
    names = DomainNames.of(ctx, domain)
    if not cs.exists(f"{names.app_dir}/mix.exs"):
        raise SlicegenError(
            f"domain '{domain}' does not exist ({names.app_dir}/mix.exs is missing): "
            f"create it with `slicegen new-domain {domain}`"
        )
    router = cs.read(names.router)
    identified = reading.identified_aggregate(names.router, router) if router else None
    if identified is not None:
        module, identity = identified
        aggregate = naming.to_snake(module.rsplit(".", 1)[1])
        if names.aggregate_module(aggregate) == module and cs.exists(
            names.aggregate_file(aggregate)
        ):
            return DomainContext(names, aggregate, identity)
    shared = cs.root / names.lib_dir / "shared"
    found = sorted(p.stem for p in shared.glob("*.ex")) if shared.is_dir() else []
    planned = [
        p.rsplit("/", 1)[1][:-3]
        for p in cs.paths()
        if p.startswith(f"{names.lib_dir}/shared/") and p.endswith(".ex")
    ]
    aggregates = sorted(set(found) | set(planned))
    if len(aggregates) != 1:
        raise SlicegenError(
            f"{names.lib_dir}/shared/ should hold exactly one aggregate module, found "
            f"{len(aggregates)} ({', '.join(aggregates) or 'none'}); keep one so slicegen knows "
            "which aggregate the slices route to"
        )
    return DomainContext(names, aggregates[0])


def refusal(aggregate: str, starts: bool) -> str:
    """``:<aggregate>_already_exists`` for a starting slice, else ``:<aggregate>_not_found``."""
    return f":{aggregate}_already_exists" if starts else f":{aggregate}_not_found"


def handler_starts(cs: ChangeSet, dom: DomainContext, slice_name: str, version: int) -> bool | None:
    """What the slice's handler refuses: an existing aggregate (True), a missing one (False)."""
    handler = cs.read(dom.names.slice_file(slice_name, artifacts.handler_stem(slice_name, version)))
    for starts in (True, False):
        if handler is not None and refusal(dom.aggregate, starts) in handler:
            return starts
    return None


def slice_starts(cs: ChangeSet, dom: DomainContext, slice_name: str, version: int) -> bool:
    """Whether the slice starts its aggregate: as its handler says, else as a new slice would
    (:func:`slicegen.stacks.starting.new_slice_starts`)."""
    said = handler_starts(cs, dom, slice_name, version)
    if said is not None:
        return said
    return new_slice_starts(slice_name, reading.slice_names(cs, dom.names))


def start_first(cs: ChangeSet, sv: SliceVersion, id_expr: str) -> list[str]:
    """A generated test's statements that dispatch the domain's starting slice for the identity
    ``id_expr``, so that a command of ``sv`` finds its aggregate (none when ``sv`` starts it
    itself or no slice does)."""
    if sv.starts:
        return []
    names = sv.dom.names
    for other in reading.slice_names(cs, names):
        versions = reading.slice_versions(cs, names, other)
        if other != sv.slice and versions and handler_starts(cs, sv.dom, other, versions[-1]):
            return [
                LAYOUT.bind(4, "start", f"{other}_attrs", [f"{sv.id_field}: {id_expr}"]),
                LAYOUT.assign(4, ":ok", f"{names.module}.{other}(start)"),
            ]
    return []


def attrs_block(fields: list[ElixirField], id_field: str) -> str:
    """``@attrs [...]``: sample values for a generated test, one field per line."""
    lines = []
    for i, f in enumerate(fields):
        sample = f'"{id_field.removesuffix("_id")}-1"' if f.name == id_field else f.sample
        lines.append(LAYOUT.kv(4, f.name, sample, i < len(fields) - 1))
    return "  @attrs [\n" + "\n".join(lines) + "\n  ]"


def _unique_samples(fields: list[ElixirField], id_field: str, indent: int) -> str:
    """``key: sample,`` lines; the identity is one no other test uses."""
    unique = f'"{id_field.removesuffix("_id")}-#{{System.unique_integer([:positive])}}"'
    return "\n".join(
        LAYOUT.kv(indent, f.name, unique if f.name == id_field else f.sample, i < len(fields) - 1)
        for i, f in enumerate(fields)
    )


def fixture_function(sv: SliceVersion) -> str:
    """``<slice>_attrs/1`` in the domain's test fixtures: the latest command's sample values."""
    fun = f"{sv.slice}_attrs"
    return (
        f'  @doc "Sample {sv.slice} command (v{sv.version}) attributes; `overrides` win."\n'
        f"{spec(fun, 'keyword()', 'keyword()')}\n"
        f"  def {fun}(overrides \\\\ []) do\n"
        "    defaults = [\n"
        f"{_unique_samples(sv.command_fields, sv.id_field, 6)}\n"
        "    ]\n\n"
        "    Keyword.merge(defaults, overrides)\n"
        "  end"
    )


def attrs_var(fields: list[ElixirField], id_field: str) -> str:
    """``attrs = [...]`` in a test body: sample values, and an identity no other test uses."""
    return f"    attrs = [\n{_unique_samples(fields, id_field, 6)}\n    ]"


def atom_list(name: str, atoms: list[str]) -> str:
    """``@name [:a, :b]`` on one line if it fits, else one atom per line."""
    line = f"  @{name} [{', '.join(':' + a for a in atoms)}]"
    if len(line) <= LINE_LENGTH or not atoms:
        return line
    inner = ",\n".join(f"    :{a}" for a in atoms)
    return f"  @{name} [\n{inner}\n  ]"


def spec(fun: str, args: str, result: str) -> str:
    """An ``@spec`` line, broken after ``::`` as the formatter does when it is too long."""
    line = f"  @spec {fun}({args}) :: {result}"
    if len(line) <= LINE_LENGTH:
        return line
    return f"  @spec {fun}({args}) ::\n          {result}"


#: Ecto types of fields that come back from JSON as strings, and the helper that decodes them.
_JSON_DECODED = {":utc_datetime_usec": "datetime", ":date": "date", ":decimal": "decimal"}


@dataclass(frozen=True)
class SliceVersion:
    """One version of a slice: every module name, type string and field the templates print."""

    dom: DomainContext
    slice: str
    event: str
    version: int
    command_fields: list[ElixirField]
    event_fields: list[ElixirField] = field(default_factory=list)
    starts: bool = False  # its handler refuses an existing aggregate, not a missing one

    @property
    def refusal(self) -> str:
        """The reason the handler refuses with: the aggregate exists, or it does not yet."""
        return refusal(self.aggregate, self.starts)

    def _member(self, stem: str) -> str:
        return self.dom.names.slice_member(self.slice, stem)

    @property
    def aggregate(self) -> str:
        return self.dom.aggregate

    @property
    def aggregate_module(self) -> str:
        return self.dom.aggregate_module

    @property
    def aggregate_alias(self) -> str:
        return self.aggregate_module.rsplit(".", 1)[1]

    @property
    def id_field(self) -> str:
        return self.dom.id_field

    @property
    def type_string(self) -> str:
        return naming.event_type_string(self.event, self.version)

    @property
    def command_stem(self) -> str:
        return artifacts.command_stem(self.version)

    @property
    def event_stem(self) -> str:
        return artifacts.event_stem(self.version)

    @property
    def handler_stem(self) -> str:
        return artifacts.handler_stem(self.slice, self.version)

    @property
    def evolver_stem(self) -> str:
        return artifacts.evolver_stem(naming.event_short_name(self.event), self.version)

    @property
    def command_mod(self) -> str:
        return self._member(self.command_stem)

    @property
    def event_mod(self) -> str:
        return self._member(self.event_stem)

    @property
    def handler_mod(self) -> str:
        return self._member(self.handler_stem)

    @property
    def evolver_mod(self) -> str:
        return self._member(self.evolver_stem)

    @property
    def command_alias(self) -> str:
        return naming.to_pascal(self.command_stem)

    @property
    def event_alias(self) -> str:
        return naming.to_pascal(self.event_stem)

    @property
    def handler_alias(self) -> str:
        return naming.to_pascal(self.handler_stem)

    @property
    def evolver_alias(self) -> str:
        return naming.to_pascal(self.evolver_stem)

    @property
    def command_names(self) -> list[str]:
        return [f.name for f in self.command_fields]

    @property
    def copied_block(self) -> str:
        event_names = {f.name for f in self.event_fields}
        return atom_list("copied", [n for n in self.command_names if n in event_names])

    @property
    def attrs_block(self) -> str:
        return attrs_block(self.command_fields, self.id_field)

    @property
    def event_attrs_block(self) -> str:
        return attrs_block(self.event_fields, self.id_field)

    @property
    def attrs_var(self) -> str:
        """``attrs = <slice>_attrs()``: the test fixture of the slice's latest command."""
        return LAYOUT.assign(4, "attrs", f"{self.slice}_attrs()")

    @property
    def decoded_fields(self) -> list[tuple[str, str, bool]]:
        """Event fields JSON gives back as strings: (name, decoding helper, is a list)."""
        found = []
        for f in self.event_fields:
            scalar = f.ecto_type.removeprefix("{:array, ").removesuffix("}")
            helper = _JSON_DECODED.get(scalar)
            if helper is not None:
                found.append((f.name, helper, f.ecto_type.startswith("{:array")))
        return found

    @property
    def decoder_helpers(self) -> list[str]:
        return sorted({helper for _, helper, _ in self.decoded_fields})

    @property
    def decoder_header(self) -> str:
        return LAYOUT.defimpl_head("Commanded.Serialization.JsonDecoder", self.event_mod)

    @property
    def handler_spec(self) -> str:
        return spec(
            "execute",
            f"{self.aggregate_alias}.t(), {self.command_alias}.t()",
            f"{self.event_alias}.t() | {{:error, term()}}",
        )

    @property
    def evolver_spec(self) -> str:
        return spec(
            "evolve",
            f"{self.aggregate_alias}.t(), {self.event_alias}.t()",
            f"{self.aggregate_alias}.t()",
        )


_FILES = (
    ("command.ex.j2", "command_stem"),
    ("event.ex.j2", "event_stem"),
    ("handler.ex.j2", "handler_stem"),
    ("evolver.ex.j2", "evolver_stem"),
)
_TESTS = (
    ("test/command_test.exs.j2", "command_stem"),
    ("test/event_test.exs.j2", "event_stem"),
    ("test/handler_test.exs.j2", "handler_stem"),
    ("test/evolver_test.exs.j2", "evolver_stem"),
)


def plan_version(cs: ChangeSet, ctx: StackContext, sv: SliceVersion) -> None:
    """The four modules of one slice version, their tests and their registrations."""
    names = sv.dom.names
    store = event_store(ctx)
    for template, stem_attr in _FILES:
        path = names.slice_file(sv.slice, getattr(sv, stem_attr))
        cs.add(path, render_ex(f"slice/{template}", ctx.root, s=sv, d=names, store=store))
    for template, stem_attr in _TESTS:
        path = names.slice_test(sv.slice, getattr(sv, stem_attr))
        cs.add(path, render_ex(f"slice/{template}", ctx.root, s=sv, d=names))
    registrations.register_dispatch(cs, names, sv.command_mod, sv.aggregate_module)
    registrations.register_event_type(cs, names, sv.type_string, sv.event_mod)
    aggregate_file = names.aggregate_file(sv.aggregate)
    registrations.register_clause(
        cs,
        aggregate_file,
        sv.aggregate_module,
        "execute",
        sv.command_mod,
        _delegating_clause("execute", sv.command_mod, "command", sv.handler_mod),
        before="apply",
    )
    registrations.register_clause(
        cs,
        aggregate_file,
        sv.aggregate_module,
        "apply",
        sv.event_mod,
        _delegating_clause("apply", sv.event_mod, "event", f"{sv.evolver_mod}.evolve"),
    )


def _delegating_clause(fun: str, struct: str, var: str, target: str) -> str:
    """``def execute(%__MODULE__{} = state, %Cmd{} = command) do Handler.execute(...) end``."""
    target = target if target.endswith((".evolve", ".execute")) else f"{target}.{fun}"
    body = LAYOUT.call(4, target, ["state", var])
    return (
        f"  def {fun}(\n"
        f"{LAYOUT.param(8, '%__MODULE__{}', 'state', comma=True)}\n"
        f"{LAYOUT.param(8, '%' + struct + '{}', var)}\n"
        f"      ) do\n"
        f"{body}\n"
        f"  end"
    )


def api_function(sv: SliceVersion) -> str:
    """The public API function of a slice version: builds its command, dispatches it."""
    fields = ", ".join(sv.command_names)
    return (
        f'  @doc """\n'
        f"  {sv.slice.replace('_', ' ').capitalize()}: dispatches "
        f"`{sv.command_mod}`\n"
        f"  through `{sv.dom.names.module}.CommandedApp`. Fields: {fields}.\n"
        f'  """\n'
        f"{spec(sv.slice, 'map() | keyword()', ':ok | {:error, term()}')}\n"
        f"  def {sv.slice}(attrs) do\n"
        f"    attrs\n"
        f"    |> {sv.command_mod}.new()\n"
        f"    |> CommandedApp.dispatch()\n"
        f"  end"
    )


def add_slice(cs: ChangeSet, ctx: StackContext, req: SliceRequest) -> None:
    dom = existing_domain(cs, ctx, req.domain)
    fields = with_identity(dom.aggregate, [elixir_field(f) for f in req.fields])
    starts = new_slice_starts(req.command, reading.slice_names(cs, dom.names), req.starts)
    sv = SliceVersion(dom, req.command, req.event, 1, fields, fields, starts)
    plan_version(cs, ctx, sv)
    registrations.register_api_function(cs, dom.names, req.command, api_function(sv))
    registrations.register_function(
        cs,
        dom.names.fixtures,
        f"{dom.names.module}.Fixtures",
        f"{req.command}_attrs",
        fixture_function(sv),
    )
    for read_model in req.projections:
        plan_projection(cs, ctx, dom, req.command, read_model, version=1)


def latest_version(cs: ChangeSet, ctx: StackContext, dom: DomainContext, slice_name: str) -> int:
    """The slice's highest event version, or an error naming the slices that exist."""
    versions = reading.slice_versions(cs, dom.names, slice_name)
    if not versions:
        known = ", ".join(reading.slice_names(cs, dom.names)) or "none yet"
        raise SlicegenError(
            f"slice '{slice_name}' not found in domain '{dom.names.domain}' (slices: {known}); "
            f"add it with `slicegen add-slice {dom.names.domain} {slice_name}`"
        )
    return versions[-1]


def uuid_pairs(uuid: str) -> re.Pattern[str]:
    """A fixture line ``name: <uuid>`` (or ``[<uuid>]``), the name grouped (blanks before it
    within the line: linear on blank lines)."""
    return re.compile(rf"^[ \t]*(\w+): \[?{re.escape(uuid)}\]?,?$", re.MULTILINE)


def with_uuid_fields(cs: ChangeSet, dom: DomainContext, sv: SliceVersion) -> SliceVersion:
    """``sv`` with the fields its test fixture gives a UUID sample typed ``uuid``.

    A ``uuid`` field is written as ``String.t()``, so reading the modules back cannot tell it
    from a ``str``; the fixture's sample can, and the fixture is upgraded only if it is still
    exactly as generated from these fields.
    """
    text = cs.read(dom.names.fixtures) or ""
    start = text.find(f"def {sv.slice}_attrs(")
    body = text[start : text.find("\n  end", start)] if start >= 0 else ""
    uuid = sample_of("uuid")
    names = set(uuid_pairs(uuid).findall(body))

    def typed(fields: list[ElixirField]) -> list[ElixirField]:
        return [as_uuid(f) if f.name in names and "String.t()" in f.typespec else f for f in fields]

    return replace(sv, command_fields=typed(sv.command_fields), event_fields=typed(sv.event_fields))


def read_version(cs: ChangeSet, dom: DomainContext, slice_name: str, version: int) -> SliceVersion:
    """A slice version as it is now (fields and event name read from its modules)."""
    names = dom.names
    event_path = names.slice_file(slice_name, f"event_v{version}")
    command_path = names.slice_file(slice_name, f"command_v{version}")
    event_text = cs.read(event_path)
    command_text = cs.read(command_path)
    if event_text is None or command_text is None:
        missing = event_path if event_text is None else command_path
        raise SlicegenError(f"{missing} is missing: restore it, slicegen reads the slice from it")
    event, _ = reading.event_type_string(event_path, event_text)
    return SliceVersion(
        dom,
        slice_name,
        event,
        version,
        reading.struct_fields(command_path, command_text),
        reading.struct_fields(event_path, event_text),
        slice_starts(cs, dom, slice_name, version),
    )


#: Ecto types whose values come back from the database in another form than they were sent.
NOT_COMPARED = frozenset({":utc_datetime_usec", ":decimal", "{:array, :utc_datetime_usec}"})


@dataclass(frozen=True)
class ProjectionModel:
    """One projection of a slice event into a read model."""

    sv: SliceVersion
    read_model: str
    fields: list[ElixirField]
    start: list[str] = field(default_factory=list)  # a test starts the aggregate first

    @property
    def compared_attr(self) -> str:
        """``@compared [...]``: the fields a test reads back as dispatched (no time, decimal)."""
        copied = set(self.sv.command_names)
        names = [
            f.name for f in self.fields if f.name in copied and f.ecto_type not in NOT_COMPARED
        ]
        return atom_list("compared", names)

    @property
    def stem(self) -> str:
        short = naming.event_short_name(self.sv.event)
        return f"{short}_to_{self.read_model}_v{self.sv.version}"

    @property
    def module(self) -> str:
        return self.sv.dom.names.slice_member(self.sv.slice, self.stem)

    @property
    def alias(self) -> str:
        return naming.to_pascal(self.stem)

    @property
    def event_mod(self) -> str:
        return self.sv.event_mod

    @property
    def event_alias(self) -> str:
        return self.sv.event_alias

    @property
    def type_string(self) -> str:
        return self.sv.type_string

    @property
    def read_model_module(self) -> str:
        return self.sv.dom.names.read_model_module(self.read_model)

    @property
    def read_model_alias(self) -> str:
        return naming.to_pascal(self.read_model)

    @property
    def id_field(self) -> str:
        return self.sv.id_field

    @property
    def table(self) -> str:
        return f"{self.sv.dom.names.domain}_{self.read_model}"

    @property
    def attrs_block(self) -> str:
        return self.sv.event_attrs_block

    @property
    def migration_module(self) -> str:
        return self.sv.dom.names.migration_module(f"create_{self.table}")

    @property
    def handler_name(self) -> str:
        """The projection's name without its version: a v2 resumes where v1 stopped."""
        return self.module.removesuffix(f"V{self.sv.version}")

    @property
    def fields_block(self) -> str:
        """``@fields [...]``: the columns this projection writes besides the identity."""
        return atom_list("fields", [f.name for f in self.fields if f.name != self.id_field])

    @property
    def spec(self) -> str:
        return spec("to_read_model", f"{self.event_alias}.t()", f"{self.read_model_alias}.t()")


def plan_projection(
    cs: ChangeSet,
    ctx: StackContext,
    dom: DomainContext,
    slice_name: str,
    read_model: str,
    version: int | None = None,
) -> ProjectionModel:
    """Projection of the slice's event (default: latest version) into ``read_model``."""
    if read_model in ("state", "fact"):
        raise SlicegenError(
            f"read model '{read_model}' is reserved (`*_to_{read_model}_v<N>` is the evolver or "
            "the fact publisher): name the read model after what it shows, e.g. 'summary'"
        )
    names = dom.names
    version = version or latest_version(cs, ctx, dom, slice_name)
    sv = with_uuid_fields(cs, dom, read_version(cs, dom, slice_name, version))
    schema_path = names.read_model_file(read_model)
    model = ProjectionModel(
        sv, read_model, sv.event_fields, start_first(cs, sv, f"attrs[:{sv.id_field}]")
    )
    schema_text = cs.read(schema_path)
    if schema_text is None:
        cs.add(schema_path, render_ex("slice/read_model.ex.j2", ctx.root, p=model, d=names))
        if not migrations(cs, names, f"create_{model.table}"):
            stamp = next_migration_version(cs, names)
            cs.add(
                f"{names.migrations_dir}/{stamp}_create_{model.table}.exs",
                render_ex("slice/read_model_migration.exs.j2", ctx.root, p=model, d=names),
            )
    else:
        columns = set(reading.schema_fields(schema_path, schema_text)) | {sv.id_field}
        added = [f for f in sv.event_fields if f.name not in columns]
        if added:
            _add_read_model_fields(cs, ctx, model, added)
    cs.add(
        names.slice_file(slice_name, model.stem),
        render_ex("slice/projection.ex.j2", ctx.root, p=model, d=names),
    )
    cs.add(
        names.slice_test(slice_name, model.stem),
        render_ex("slice/test/projection_test.exs.j2", ctx.root, p=model, d=names),
    )
    registrations.register_child(cs, names, model.module)
    return model


@dataclass(frozen=True)
class _AddedFields:
    """A migration adding one projection's new fields to an existing read model's table."""

    module: str
    slice: str
    read_model: str
    table: str
    fields: list[ElixirField]


def _add_read_model_fields(
    cs: ChangeSet, ctx: StackContext, model: ProjectionModel, added: list[ElixirField]
) -> None:
    """The read model's schema gains ``added``, and a migration of this projection adds them."""
    names = model.sv.dom.names
    name = f"add_{model.stem}_fields_to_{model.table}"
    if not migrations(cs, names, name):
        migration = _AddedFields(
            names.migration_module(name), model.sv.slice, model.read_model, model.table, added
        )
        cs.add(
            f"{names.migrations_dir}/{next_migration_version(cs, names)}_{name}.exs",
            render_ex("slice/read_model_add_fields_migration.exs.j2", ctx.root, m=migration),
        )
    lines = [LAYOUT.call(4, "field", [f":{f.name}", f.ecto_type]) for f in added]
    registrations.add_schema_fields(cs, names.read_model_file(model.read_model), lines)


def add_projection(cs: ChangeSet, ctx: StackContext, req: ProjectionRequest) -> None:
    dom = existing_domain(cs, ctx, req.domain)
    plan_projection(cs, ctx, dom, req.slice, req.read_model)

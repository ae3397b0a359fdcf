"""The files of one slice version, rendered from ``templates/python/slice*/``.

Each function returns ``(path, content)`` pairs; the commands decide which to add to the change
set. Import blocks and long calls are built in Python (see :mod:`pysource`) so that the output
passes the generated project's ``ruff check`` and ``ruff format --check`` as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slicegen import naming
from slicegen.fields import FieldSpec, FieldType
from slicegen.stacks import artifacts
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.pysource import (
    LINE_LENGTH,
    ImportBlock,
    assertion,
    call,
    declaration,
    field_imports,
    sample,
    sample_imports,
)
from slicegen.stacks.python.reader import Message, SliceInfo
from slicegen.templates import render

File = tuple[str, str]
ID_SAMPLE = 'UUID("00000000-0000-4000-8000-000000000001")'


@dataclass(frozen=True)
class SliceNames:
    """Every name of one version of a slice."""

    paths: PyPaths
    aggregate: str
    command: str
    event: str
    version: int
    fields: tuple[FieldSpec, ...] = ()
    starts: bool = True  # the handler refuses an existing aggregate, not a missing one

    @classmethod
    def of(
        cls,
        paths: PyPaths,
        aggregate: str,
        info: SliceInfo,
        message: Message,
        starts: bool = True,
        event: str | None = None,
    ) -> SliceNames:
        """The names of slice ``info`` at the version of ``message`` (one of its commands or
        events), with that message's fields; its event is ``event``, or the slice's newest."""
        event = info.latest_event.event_name if event is None else event
        fields = tuple(message.fields)
        return cls(paths, aggregate, info.name, event, message.version, fields, starts)

    @property
    def v(self) -> str:
        return f"v{self.version}"

    @property
    def command_class(self) -> str:
        return f"{naming.to_pascal(self.command)}V{self.version}"

    @property
    def event_class(self) -> str:
        return f"{naming.to_pascal(self.event)}V{self.version}"

    @property
    def event_type(self) -> str:
        return naming.event_type_string(self.event, self.version)

    @property
    def handler(self) -> str:
        return artifacts.handler_stem(self.command, self.version)

    @property
    def short(self) -> str:
        return naming.event_short_name(self.event)

    @property
    def evolver(self) -> str:
        return artifacts.evolver_stem(self.short, self.version)

    def projection(self, read_model: str) -> str:
        return artifacts.projection_stem(self.short, read_model, self.version)

    @property
    def publisher(self) -> str:
        return artifacts.publisher_stem(self.short, self.version)

    @property
    def flag(self) -> str:
        return self.event

    @property
    def state_class(self) -> str:
        return f"{naming.to_pascal(self.aggregate)}State"

    @property
    def id_name(self) -> str:
        return f"{self.aggregate}_id"

    def module(self, stem: str) -> str:
        return self.paths.slice_module(self.command, stem)

    def file(self, stem: str) -> str:
        return self.paths.slice_file(self.command, stem)

    def test_file(self, stem: str) -> str:
        return f"{self.paths.tests_dir(self.command)}/test_{stem}.py"

    @property
    def words(self) -> dict[str, str]:
        return {
            "command_words": " ".join(naming.words(self.command)),
            "event_words": " ".join(naming.words(self.event)),
            "aggregate_words": " ".join(naming.words(self.aggregate)),
        }


def read_model_class(read_model: str) -> str:
    return naming.to_pascal(read_model)


class Renderer:
    """Renders slice templates for one workspace (its overrides included)."""

    def __init__(self, root: Path, paths: PyPaths) -> None:
        self.root = root
        self.paths = paths
        self.block = ImportBlock(paths.app)

    def render(self, template: str, imports: list[tuple[str, str]], **ctx: Any) -> str:
        return render(
            f"python/{template}",
            self.root,
            imports=self.block.render(imports).rstrip("\n") + "\n",
            app=self.paths.app,
            domain=self.paths.domain,
            **ctx,
        )


def build(var: str, cls: str, kwargs: list[str], indent: str = "    ") -> str:
    """``    var = Cls(a=1, b=2)``, exploded when too long."""
    return call(f"{var} = {cls}", kwargs, indent=indent)


def sample_kwargs(
    fields: tuple[FieldSpec, ...] | list[FieldSpec], id_value: str = ID_SAMPLE
) -> list[str]:
    return [f"aggregate_id={id_value}", *(f"{f.name}={sample(f)}" for f in fields)]


# the slice's own files -------------------------------------------------------------------------


def command_file(r: Renderer, n: SliceNames) -> File:
    imports = [*field_imports(n.fields), (n.paths.shared("messages"), "Command")]
    text = r.render(
        "slice/command.py.j2",
        imports,
        command_class=n.command_class,
        fields=[declaration(f) for f in n.fields],
        **n.words,
    )
    return n.file(f"command_{n.v}"), text


def event_file(r: Renderer, n: SliceNames) -> File:
    imports = [
        ("typing", "ClassVar"),
        *field_imports(n.fields),
        (n.paths.shared("messages"), "Event"),
    ]
    text = r.render(
        "slice/event.py.j2",
        imports,
        event_class=n.event_class,
        event_type=n.event_type,
        fields=[declaration(f) for f in n.fields],
        **n.words,
    )
    return n.file(f"event_{n.v}"), text


def handler_file(r: Renderer, n: SliceNames) -> File:
    imports = [
        (n.module(f"command_{n.v}"), n.command_class),
        (n.module(f"event_{n.v}"), n.event_class),
        (n.paths.module("state"), n.state_class),
        (n.paths.shared("messages"), "DomainError"),
    ]
    kwargs = [
        "aggregate_id=command.aggregate_id",
        *(f"{f.name}=command.{f.name}" for f in n.fields),
    ]
    text = r.render(
        "slice/handler.py.j2",
        imports,
        handler=n.handler,
        command_class=n.command_class,
        event_class=n.event_class,
        state_class=n.state_class,
        starts=n.starts,
        build_event=build("event", n.event_class, kwargs),
        **n.words,
    )
    return n.file(n.handler), text


def evolver_file(r: Renderer, n: SliceNames) -> File:
    imports = [(n.module(f"event_{n.v}"), n.event_class), (n.paths.module("state"), n.state_class)]
    text = r.render(
        "slice/evolver.py.j2",
        imports,
        evolver=n.evolver,
        event_class=n.event_class,
        state_class=n.state_class,
        flag=n.flag,
        **n.words,
    )
    return n.file(n.evolver), text


def projection_file(r: Renderer, n: SliceNames, read_model: str) -> File:
    cls = read_model_class(read_model)
    imports = [
        (n.module(f"event_{n.v}"), n.event_class),
        (n.paths.read_model_module(read_model), cls),
    ]
    text = r.render(
        "slice/projection.py.j2",
        imports,
        projection=n.projection(read_model),
        read_model=read_model,
        read_model_class=cls,
        event_class=n.event_class,
        **n.words,
    )
    return n.file(n.projection(read_model)), text


def read_model_file(r: Renderer, n: SliceNames, read_model: str) -> File:
    text = render(
        "python/slice/read_model.py.j2",
        r.root,
        app=n.paths.app,
        domain=n.paths.domain,
        read_model=read_model,
        read_model_class=read_model_class(read_model),
        **n.words,
    )
    return n.paths.read_model_file(read_model), text


# tests -----------------------------------------------------------------------------------------


def _id_imports() -> list[tuple[str, str]]:
    return [("uuid", "UUID")]


def command_test(r: Renderer, n: SliceNames) -> File:
    imports = [
        ("uuid", "UUID"),
        ("uuid", "uuid4"),
        ("pytest", "pytest"),
        ("pydantic", "ValidationError"),
        *sample_imports(n.fields),
        (n.module(f"command_{n.v}"), n.command_class),
    ]
    text = r.render(
        "slice_tests/test_command.py.j2",
        [i for i in imports if i != ("pytest", "pytest")],
        command_snake=naming.to_snake(n.command_class),
        build_command=build("command", n.command_class, sample_kwargs(n.fields)),
        id_sample=ID_SAMPLE,
        checks=[assertion(f"command.{f.name}", equals(f), sample(f)) for f in n.fields],
        build_naive=_build_naive(n),
    )
    return n.test_file(f"command_{n.v}"), _with_plain_import(text, "pytest")


def _build_naive(n: SliceNames) -> str:
    """The command with its first datetime naive (no time zone), or "" without a datetime."""
    naive = next((f for f in n.fields if f.type.scalar == "datetime"), None)
    if naive is None:
        return ""
    value = "datetime(2024, 1, 1, 9, 30)"
    if naive.type.is_list:
        value = f"({value},)"
    kwargs = [
        f"{naive.name}={value}" if kwarg.startswith(f"{naive.name}=") else kwarg
        for kwarg in sample_kwargs(n.fields)
    ]
    return call(n.command_class, kwargs, indent="        ")


def equals(spec: FieldSpec) -> str:
    """``is`` for a bare bool (ruff's E712), ``==`` otherwise."""
    return "is" if spec.type.scalar == "bool" and not spec.type.is_list else "=="


def _with_plain_import(text: str, module: str) -> str:
    """Add ``import module`` at the head of the third-party section (ruff's isort order)."""
    lines = text.split("\n")
    third_party = next(
        (i for i, line in enumerate(lines) if line.startswith("from pydantic")), None
    )
    if third_party is None:
        raise AssertionError("the test imports pydantic")
    lines.insert(third_party, f"import {module}")
    return "\n".join(lines)


def event_test(r: Renderer, n: SliceNames) -> File:
    imports = [*_id_imports(), *sample_imports(n.fields), (n.module(f"event_{n.v}"), n.event_class)]
    text = r.render(
        "slice_tests/test_event.py.j2",
        imports,
        event_snake=naming.to_snake(n.event_class),
        event_type_snake=naming.to_snake(n.event_type.replace(":", "_")),
        event_class=n.event_class,
        event_type=n.event_type,
        build_event=build("event", n.event_class, sample_kwargs(n.fields)),
    )
    return n.test_file(f"event_{n.v}"), text


def handler_test(r: Renderer, n: SliceNames) -> File:
    imports = [
        *_id_imports(),
        *sample_imports(n.fields),
        (n.module(f"command_{n.v}"), n.command_class),
        (n.module(f"event_{n.v}"), n.event_class),
        (n.module(n.handler), n.handler),
        (n.paths.module("state"), n.state_class),
        (n.paths.shared("messages"), "DomainError"),
    ]
    text = r.render(
        "slice_tests/test_handler.py.j2",
        imports,
        handler=n.handler,
        starts=n.starts,
        aggregate=n.aggregate,
        state_class=n.state_class,
        event_class=n.event_class,
        flag=n.flag,
        build_command=build("command", n.command_class, sample_kwargs(n.fields)),
    )
    return n.test_file(n.handler), text


def evolver_test(r: Renderer, n: SliceNames) -> File:
    imports = [
        *_id_imports(),
        *sample_imports(n.fields),
        (n.module(f"event_{n.v}"), n.event_class),
        (n.module(n.evolver), n.evolver),
        (n.paths.module("state"), n.state_class),
    ]
    text = r.render(
        "slice_tests/test_evolver.py.j2",
        imports,
        evolver=n.evolver,
        state_class=n.state_class,
        flag=n.flag,
        build_event=build("event", n.event_class, sample_kwargs(n.fields)),
    )
    return n.test_file(n.evolver), text


def projection_test(r: Renderer, n: SliceNames, read_model: str) -> File:
    cls = read_model_class(read_model)
    name = n.projection(read_model)
    imports = [
        *_id_imports(),
        *sample_imports(n.fields),
        (n.module(f"event_{n.v}"), n.event_class),
        (n.module(name), name),
    ]
    text = r.render(
        "slice_tests/test_projection.py.j2",
        imports,
        projection=name,
        read_model_class=cls,
        event_type=n.event_type,
        build_event=build("event", n.event_class, sample_kwargs(n.fields)),
    )
    return n.test_file(name), text


def integration_test(
    r: Renderer, n: SliceNames, read_models: list[str], start: SliceNames | None = None
) -> File:
    """The slice through the public API; ``start`` is the slice that starts the aggregate."""
    start = None if n.starts else start
    imports = [
        ("pathlib", "Path"),
        ("uuid", "uuid4"),
        *sample_imports(n.fields),
        *start_imports(start),
        n.paths.package_import(),
        (n.paths.shared("messages"), "DomainError"),
    ]
    args = [n.id_name, *(f"{f.name}={sample(f)}" for f in n.fields)]
    text = r.render(
        "slice_tests/test_integration.py.j2",
        imports,
        command=n.command,
        aggregate=n.aggregate,
        id_name=n.id_name,
        flag=n.flag,
        starts=n.starts,
        read_models=[read_model_class(rm) for rm in read_models],
        call_api=call(f"outcome = {n.paths.domain}.{n.command}", args, indent="        "),
        start_call=start and start_call(start, n.id_name),
    )
    return integration_test_path(n), text


def start_call(start: SliceNames, id_name: str) -> str:
    """``start = InitializeAccountV1(aggregate_id=account_id, ...)``, then dispatch it."""
    kwargs = [f"aggregate_id={id_name}", *(f"{f.name}={sample(f)}" for f in start.fields)]
    indent = "        "
    return (
        f"{build('start', start.command_class, kwargs, indent)}\n{indent}started = dispatch(start)"
    )


def start_imports(start: SliceNames | None) -> list[tuple[str, str]]:
    """What :func:`start_call` needs imported."""
    if start is None:
        return []
    return [
        *sample_imports(start.fields),
        (start.paths.module("app"), "dispatch"),
        (start.module(f"command_{start.v}"), start.command_class),
    ]


def integration_test_path(n: SliceNames) -> str:
    return f"{n.paths.tests_dir(n.command)}/test_{n.command}_integration.py"


# the public API --------------------------------------------------------------------------------


def business_function(n: SliceNames) -> str:
    """The public API's function for the slice: builds the command and dispatches it."""
    params = "".join(
        f"    {f.name}: {declaration(f).split(': ', 1)[1]},\n"
        for f in [
            FieldSpec(n.id_name, FieldType("uuid")),
            *(f for f in n.fields if not f.type.optional),
            *(f for f in n.fields if f.type.optional),
        ]
    )
    params += "    idempotency_key: str | None = None,\n"
    kwargs = [f"aggregate_id={n.id_name}", *(f"{f.name}={f.name}" for f in n.fields)]
    words = n.words["command_words"]
    return (
        f"def {n.command}(\n{params}) -> list[Event] | DomainError:\n"
        f"{_business_docstring(words[:1].upper() + words[1:])}\n"
        f"{build('command', n.command_class, kwargs)}\n"
        "    return dispatch(command, idempotency_key)\n"
    )


def _business_docstring(words: str) -> str:
    """One docstring line within the line length (the fast edit path takes no blank lines)."""
    for text in (
        f"{words}: the events it caused, or the refusal (once per idempotency key).",
        f"{words}: the events it caused, or the refusal.",
        f"{words}.",
    ):
        line = f'    """{text}"""'
        if len(line) <= LINE_LENGTH:
            break
    return line


def business_imports(n: SliceNames) -> list[tuple[str, str]]:
    return [
        ("uuid", "UUID"),
        *field_imports(n.fields),
        (n.paths.module("app"), "dispatch"),
        (n.module(f"command_{n.v}"), n.command_class),
        (n.paths.shared("messages"), "DomainError"),
        (n.paths.shared("messages"), "Event"),
    ]

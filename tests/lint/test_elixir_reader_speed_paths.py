"""The Elixir reader's byte prefilters: skipping attributes and strings whose bytes show they
cannot matter gives the same FileInfo as visiting them all (``full=True``)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slicegen.boundaries.imports_elixir import extract_elixir
from slicegen.model.readers.elixir import read_elixir

ATTRIBUTE_NAMES = [
    "topic",
    "TOPIC",
    "my_Topic",
    "topics_in",
    "tópico",
    "TOPİC",
    "event_type",
    "EVENT_TYPE",
    "__event_type__",
    "type_string",
    "doc",
    "moduledoc",
    "derive",
]
STRINGS = [
    '"a:v1"',
    '"order_placed:v12"',
    '"A:v1"',
    '"a:v"',
    '"a:v1 "',
    '"x\\n:v1"',
    '"a#{"b:v2"}c"',
    '"#{"b:v2"}"',
    '"""\nheredoc:v1\n"""',
    '~s"c:v1"',
    "'d:v1'",
    '"accounts:facts:opened"',
    '"plain"',
    '"é:v1"',
]
STATEMENTS = [
    "@{attr} {string}",
    "@{attr} [{string}, {string}]",
    "def event_type, do: {string}",
    "def type_string(_), do: {string}",
    "def {attr}, do: {string}",
    "Phoenix.PubSub.subscribe(:ps, {string})",
    "PubSub.broadcast(MyApp.PubSub, {string}, msg)",
    "Router.dispatch(%Cmd{{id: {string}}})",
    "__MODULE__.Sub.run({string})",
    "alias Foo.{{Bar, Baz}}",
    "alias Foo.Bar, as: Qux",
    "use Commanded.Event.Handler, application: App, name: {string}",
    "import Ecto.Query",
    "x = Map.get(m, {string})",
    "Qux.go({string}) # slicegen: ignore[SG405] old",
    "case {string} do\n  {string} -> :ok\n  _ -> Bar.ok()\nend",
]


def _module(draw: st.DrawFn, depth: int) -> str:
    name = draw(st.sampled_from(["A", "Accounts.Domain.OpenV1", "Inner", "__MODULE__.Sub"]))
    lines = [f"defmodule {name} do"]
    for _ in range(draw(st.integers(0, 6))):
        if depth < 2 and draw(st.integers(0, 5)) == 0:
            lines.append(_module(draw, depth + 1))
            continue
        template = draw(st.sampled_from(STATEMENTS))
        lines.append(
            "  "
            + template.format(
                attr=draw(st.sampled_from(ATTRIBUTE_NAMES)),
                string=draw(st.sampled_from(STRINGS)),
            )
        )
    lines.append("end")
    return "\n".join(lines)


@st.composite
def elixir_sources(draw: st.DrawFn) -> bytes:
    parts = [_module(draw, 0) for _ in range(draw(st.integers(1, 3)))]
    source = "\n".join(parts) + "\n"
    return source.encode("utf-8")


@st.composite
def perturbed(draw: st.DrawFn) -> bytes:
    """A generated source with a few bytes deleted, doubled or replaced (syntax errors too)."""
    data = bytearray(draw(elixir_sources()))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["delete", "double", "replace"]))
        if action == "delete":
            del data[at]
        elif action == "double":
            data.insert(at, data[at])
        else:
            data[at] = draw(st.sampled_from(b'"{}()@:.,#\n aZ'))
    return bytes(data)


def _same(data: bytes) -> None:
    fast = read_elixir("lib/x.ex", data)
    full = read_elixir("lib/x.ex", data, full=True)
    assert fast == full
    assert read_elixir("lib/x.ex", data, parse=False) == read_elixir(
        "lib/x.ex", data, parse=False, full=True
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elixir_sources())
def test_prefiltered_read_equals_the_full_walk(data: bytes) -> None:
    _same(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perturbed())
def test_prefiltered_read_equals_the_full_walk_on_perturbed_sources(data: bytes) -> None:
    _same(data)


def test_the_generated_sources_exercise_what_the_prefilters_skip() -> None:
    """Without type strings or topic/emit names the prefilters skip; with them they record."""
    plain = b'defmodule A do\n  @doc "x"\n  def run, do: Foo.go("plain")\nend\n'
    info = read_elixir("a.ex", plain)
    assert info.strings == () and info.imports[0].module == "Foo"
    rich = b'defmodule A do\n  @my_Topic "t"\n  @tOPIC "u"\n  def event_type, do: "a:v1"\nend\n'
    strings = read_elixir("a.ex", rich).strings
    found = [(s.value, s.role) for s in strings]
    assert found == [("t", "topic"), ("u", "topic"), ("a:v1", "emit")]
    assert read_elixir("a.ex", rich, full=True).strings == strings


def test_syntax_errors_keep_their_position() -> None:
    info = read_elixir("b.ex", b'defmodule A do\n  @topic "x"\n  def x(, do\nend\n')
    assert info.error is not None and not info.parsed
    assert (info.error_line, info.error_col) == (3, 8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elixir_sources())
def test_boundary_extraction_accepts_bytes_and_text_alike(data: bytes) -> None:
    """The boundaries walk over named children reads the same from bytes and from text."""
    assert extract_elixir("lib/x.ex", data) == extract_elixir("lib/x.ex", data.decode("utf-8"))

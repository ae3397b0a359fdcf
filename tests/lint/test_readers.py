"""The readers: what each records from one file."""

from __future__ import annotations

from slicegen.model.readers.elixir import read_elixir
from slicegen.model.readers.python import read_python

ELIXIR = b"""defmodule ReckonAccounts.Domain.X.CommandV1 do
  use Commanded.Event.Handler, application: ReckonProfiles.CommandedApp
  alias ReckonAccounts.{Foo, Bar.Baz}
  @event_type "account_initialized:v1"
  def event_type, do: @event_type
  def handle(%Foo{} = e, _m) do
    Phoenix.PubSub.subscribe(:ps, "accounts:facts:account_activated")
    Router.dispatch(cmd)
    Baz.go("x:v3") # slicegen: ignore[SG405] kept for old data
  end
  defmodule Inner do
    def inner_fun, do: 1
  end
  def after_inner, do: 2
end
defmodule Second do
  def s, do: 1
end
"""

PYTHON = b"""from __future__ import annotations
from typing import TYPE_CHECKING, ClassVar
from ..shared import Event
if TYPE_CHECKING:
    from shop.profiles.domain.x.event_v1 import ProfileEstablishedV1
class AccountInitializedV1(Event):
    event_type: ClassVar[str] = "account_initialized:v1"
def handle(bus, cmd):
    import shop.accounts as accounts
    bus.publish("accounts:facts:account_initialized", cmd)
    self.router.dispatch(cmd)
    return {"account_closed:v1": 1}
"""


def test_elixir_reader() -> None:
    info = read_elixir("a.ex", ELIXIR)
    assert info.parsed and info.error is None
    assert [(d.qualname, d.functions) for d in info.definitions] == [
        ("ReckonAccounts.Domain.X.CommandV1", ("event_type", "handle", "after_inner")),
        ("ReckonAccounts.Domain.X.CommandV1.Inner", ("inner_fun",)),
        ("Second", ("s",)),
    ]
    assert info.definitions[0].bases == ("Commanded.Event.Handler",)
    assert [(s.value, s.role, s.line) for s in info.strings] == [
        ("account_initialized:v1", "emit", 4),
        ("accounts:facts:account_activated", "topic", 7),
        ("x:v3", "ref", 9),
    ]
    refs = {(r.module, r.kind) for r in info.imports}
    assert {
        ("ReckonProfiles.CommandedApp", "use_option"),
        ("ReckonAccounts.Foo", "alias"),
        ("ReckonAccounts.Bar.Baz", "alias"),
        ("ReckonAccounts.Bar.Baz", "call"),  # Baz.go expanded through the alias
    } <= refs
    assert [(c.receiver, c.line) for c in info.calls] == [("Router", 8)]
    [suppression] = info.suppressions
    assert (suppression.codes, suppression.line, suppression.file_level) == (("SG405",), 9, False)


def test_elixir_syntax_error_position() -> None:
    info = read_elixir("b.ex", b"defmodule A do\n  def x(, do\nend\n")
    assert not info.parsed and info.error is not None and info.error_line == 2


def test_python_reader() -> None:
    info = read_python("src/shop/accounts/x.py", PYTHON)
    assert [(d.name, d.kind, d.bases) for d in info.definitions] == [
        ("AccountInitializedV1", "class", ("Event",)),
        ("handle", "function", ()),
    ]
    assert [(s.value, s.role) for s in info.strings] == [
        ("account_initialized:v1", "emit"),
        ("accounts:facts:account_initialized", "topic"),
        ("account_closed:v1", "ref"),
    ]
    imports = [(r.module, r.level, r.in_function, r.type_checking) for r in info.imports]
    assert ("shared", 2, False, False) in imports
    assert ("shop.profiles.domain.x.event_v1", 0, False, True) in imports
    assert ("shop.accounts", 0, True, False) in imports
    assert [(c.receiver, c.function) for c in info.calls] == [("self.router", "dispatch")]


def test_python_type_strings_found_without_walking() -> None:
    info = read_python("m.py", b'OLD = {"account_opened:v1": 1}\nNAME = "not a type"\n')
    assert [(s.value, s.role, s.line, s.col) for s in info.strings] == [
        ("account_opened:v1", "ref", 1, 8)
    ]


def test_file_suppression_and_bare_suppression() -> None:
    info = read_python(
        "m.py", b"# slicegen: ignore-file[SG101, SG307] legacy\nx = 1  # slicegen: ignore\n"
    )
    assert [(s.codes, s.file_level, s.reason) for s in info.suppressions] == [
        (("SG101", "SG307"), True, "legacy"),
        ((), False, ""),
    ]


def test_python_reader_keeps_command_fields_and_doc_as_the_design_reads_them() -> None:
    from slicegen.design import extract

    source = (
        "from typing import ClassVar, Optional\r\n"
        "class Other:\r\n    x: int\r\n"
        'class RegisterUserV1:\r\n    """Register a\r\n    user."""\r\n'
        "    KIND: ClassVar[str] = 'k'\r\n    email: str\r\n    note: Optional[str] = None\r\n"
        "    tags: list[str]\r\n    when: datetime | None\r\n    self.y: int = 1\r\n"
    )
    info = read_python("a/domain/register_user/command_v1.py", source.encode())
    assert info.class_fields is not None and info.doc is not None
    assert info.class_fields == extract._classes("x.py", source)
    assert info.class_fields[1] == (
        "RegisterUserV1",
        (("email", "str"), ("note", "str|None"), ("tags", "list[str]"), ("when", "datetime|None")),
    )
    assert info.doc == extract.doc_of("x.py", source.replace("\r\n", "\n")) == ""
    documented = '"""Module doc."""\nclass A:\n    """Class doc."""\n'
    kept = read_python("x/command_v2.py", documented.encode())
    assert kept.doc == extract.doc_of("x.py", documented) == "Module doc."
    only_class = 'class A:\n    """Class doc."""\n    a: int\n'
    assert read_python("x/cmd.py", only_class.encode()).doc == "Class doc."
    assert read_python("x/event_v1.py", only_class.encode()).class_fields is None


def test_python_topics_are_pub_sub_topics_only() -> None:
    """A ``topic=``/``*_TOPIC`` string is a pub/sub topic only with a ``:`` and not an object
    path (the eventsourcing library's stored topics); a string given to a pub/sub call is one."""
    info = read_python(
        "m.py",
        b'MAPPER_TOPIC = "MAPPER_TOPIC"\n'
        b'FACT_TOPIC = "accounts:facts:account_opened"\n'
        b'GENERIC_TOPIC = "accounts:events"\n'
        b'stored = StoredEvent(topic="topic1", state=b"")\n'
        b'factory = Factory(topic="eventsourcing.cipher:AESCipher")\n'
        b'env = Env(topic="mymodule:Thing")\n'
        b'bus.publish("orders")\n',
    )
    assert [s.value for s in info.strings if s.role == "topic"] == [
        "accounts:facts:account_opened",
        "accounts:events",
        "orders",
    ]


def test_python_events_declared_in_an_aggregate() -> None:
    info = read_python(
        "m.py",
        b"class Dog(Aggregate):\n"
        b"    class Config:\n"
        b"        frozen = True\n"
        b"    class Registered(Aggregate.Created):\n"
        b"        pass\n"
        b'    @event("TrickAdded")\n'
        b"    def add_trick(self, trick): ...\n"
        b"    @event(Registered)\n"
        b"    def register(self): ...\n"
        b"    @event\n"
        b"    def get_vaccinated(self): ...\n"
        b"    @property\n"
        b"    def age(self): ...\n"
        b"def helper(): ...\n",
    )
    assert [(d.qualname, d.kind, d.line, d.bases) for d in info.definitions] == [
        ("Dog", "class", 1, ("Aggregate",)),
        ("helper", "function", 14, ()),
        ("Dog.Registered", "class", 4, ("Created",)),
        ("Dog.TrickAdded", "class", 6, ("@event",)),
        ("Dog.GetVaccinated", "class", 10, ("@event",)),
    ]

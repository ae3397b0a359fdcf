"""The Python reader keeps the event shapes of the files whose path may make them events, so
that SG205 reads no file twice: what it keeps is what the field reader finds in the text."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from slicegen.contracts.workspace import shapes_of
from slicegen.design import extract
from slicegen.model.readers import fields as fields_reader
from slicegen.model.readers.elixir import read_elixir
from slicegen.model.readers.fields import shapes_in, unpacked
from slicegen.model.readers.python import read_python

EVENT = '''"""Opened."""
from typing import ClassVar
from pydantic import Field


class AccountOpenedV1(Event):
    event_type: ClassVar[str] = "account_opened:v1"
    owner: str
    limit: int | None = None
    tags: list[str] = Field(default_factory=list)

    class Nested(Base):
        inner: "Decimal"
'''


@pytest.mark.parametrize(
    "path",
    [
        "src/shop/accounts/domain/open_account/event_v1.py",
        "src/shop/accounts/events/opened.py",
        "src/shop/accounts/events_v2.py",
        "lib/x/open_account_evt.py",
    ],
)
def test_kept_shapes_are_the_field_readers(path: str) -> None:
    info = read_python(path, EVENT.encode())
    assert info.event_shapes is not None
    assert unpacked(path, info.event_shapes) == shapes_in(path, EVENT)
    assert [s.identity for s in unpacked(path, info.event_shapes)] == [
        "account_opened:v1",
        "Nested",
    ]


def test_other_files_keep_none() -> None:
    assert (
        read_python("src/shop/accounts/domain/open_account/handler.py", b"x = 1\n").event_shapes
        is None
    )


def test_shapes_of_answers_from_the_kept_shapes_and_else_reads_the_file(tmp_path: Path) -> None:
    path = "src/shop/accounts/domain/open_account/event_v1.py"
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_text(EVENT.replace("owner", "holder"))  # the disk differs from what was read
    kept = read_python(path, EVENT.encode())
    model: Any = SimpleNamespace(root=tmp_path, files={path: kept})
    assert "owner" in shapes_of(model, path)[0].fields  # the reader's reading
    model.files[path] = kept._replace(event_shapes=None)
    assert "holder" in shapes_of(model, path)[0].fields  # none kept: the file is read
    model.files[path] = kept
    buffer = EVENT.replace("owner", "buffered")
    assert "buffered" in shapes_of(model, path, {path: buffer}.get)[0].fields  # unsaved buffer


EX_EVENT = '''defmodule Billing.Domain.IssueInvoice.EventV1 do
  @moduledoc """
  Issued.

  Kept forever.
  """
  @derive Jason.Encoder
  defstruct [:invoice_id, :amount, due_on: nil]

  @type t :: %__MODULE__{invoice_id: String.t(), amount: Decimal.t(), due_on: Date.t() | nil}
  def event_type, do: "invoice_issued:v1"
end
'''


@pytest.mark.parametrize(
    "path",
    [
        "apps/billing/lib/billing/domain/issue_invoice/event_v1.ex",
        "apps/billing/lib/billing/domain/issue_invoice/command_v1.ex",
        "apps/billing/lib/billing/commands/issue.ex",
        "apps/billing/lib/billing/events.ex",
        "apps/billing/lib/billing/domain/issue_invoice/handler.ex",
    ],
)
def test_the_elixir_reader_keeps_what_the_design_model_and_sg205_read(path: str) -> None:
    info = read_elixir(path, EX_EVENT.encode())
    command = "command" in path
    event = "event" in path
    assert (info.doc is not None, info.class_fields is not None) == (command, command)
    assert (info.event_shapes is not None) == event
    if command:
        assert info.doc == extract.doc_of(path, EX_EVENT) == "Issued.\n\nKept forever."
        assert info.class_fields == extract._classes(path, EX_EVENT)
        assert info.class_fields and info.class_fields[0][1]  # fields were read
    if event:
        assert info.event_shapes is not None
        assert unpacked(path, info.event_shapes) == shapes_in(path, EX_EVENT) != []


NESTED = """
class A:
    class B: pass
def f():
    class C: pass
    try:
        pass
    except E:
        class D: pass
    else:
        class G: pass
    finally:
        class H: pass
match x:
    case 1:
        class I: pass
if y:
    class J:
        class K: pass
else:
    with z:
        class L: pass
for q in r:
    while s:
        class M: pass
class N: pass
async def g():
    async with a:
        class O: pass
    async for b in c:
        class P: pass
    else:
        class Q: pass
h = lambda: (1 if a else [2 for _ in b])
try:
    pass
except* E:
    class R: pass
"""


def test_classes_come_in_the_order_of_a_walk_of_every_node() -> None:
    tree = ast.parse(NESTED)
    walked = [n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    assert [c.name for c in fields_reader._classes(tree)] == walked
    assert sorted(walked) == list("ABCDGHIJKLMNOPQR")

"""Reading what the design needs from source the user wrote (not only what slicegen generated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slicegen.config import Config
from slicegen.design import extract
from slicegen.design.from_workspace import design_of, load_workspace
from slicegen.model.readers.fields import shapes_in

PY_COMMAND = '''\
"""Ask billing to issue an invoice to a customer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar, Optional
from uuid import UUID


class IssueInvoiceV1(Command):
    kind: ClassVar[str] = "issue"
    customer: UUID
    amount: Decimal
    due_on: Optional[date]
    lines: list[str]
    memo: str | None = None
'''

EX_COMMAND = """\
defmodule Billing.Domain.IssueInvoice.CommandV1 do
  @moduledoc "Ask billing to issue an invoice."
  defstruct [:invoice_id, :amount, :lines, :due_on]

  @type t :: %__MODULE__{
          invoice_id: String.t(),
          amount: Decimal.t(),
          lines: [String.t()],
          due_on: Date.t() | nil
        }
end
"""


def _specs(path: str, text: str, name: str = "") -> list[str]:
    classes = extract._classes(path, text)
    chosen = next((c for c in classes if c[0] == name), classes[0] if classes else None)
    fields = chosen[1] if chosen else ()
    return [f"{n}:{extract.field_type(t).spec()}" for n, t in fields]


def test_python_fields_from_hand_written_annotations() -> None:
    specs = _specs("command_v1.py", PY_COMMAND, "IssueInvoiceV1")
    assert specs == [
        "customer:uuid",
        "amount:decimal",
        "due_on:date?",
        "lines:list[str]",
        "memo:str?",
    ]
    assert extract.doc_of("command_v1.py", PY_COMMAND) == (
        "Ask billing to issue an invoice to a customer."
    )


def test_elixir_fields_and_moduledoc() -> None:
    specs = _specs("command_v1.ex", EX_COMMAND)
    assert specs == ["invoice_id:str", "amount:decimal", "lines:list[str]", "due_on:date?"]
    assert extract.doc_of("command_v1.ex", EX_COMMAND) == "Ask billing to issue an invoice."
    heredoc = EX_COMMAND.replace(
        '@moduledoc "Ask billing to issue an invoice."',
        '@moduledoc """\n  Issue an invoice.\n\n  Decided by the handler.\n  """',
    )
    assert (
        extract.doc_of("command_v1.ex", heredoc) == "Issue an invoice.\n\nDecided by the handler."
    )


def test_unparsable_source_yields_nothing() -> None:
    assert _specs("x.py", "class (:\n", "X") == []
    assert extract.doc_of("x.py", "class (:\n") == ""
    assert _specs("x.ex", "defmodule X do\n") == []
    assert extract.doc_of("x.ex", "defmodule X do\n") == ""


def test_design_of_a_tree_slicegen_did_not_write(tmp_path: Path) -> None:
    """A python package with slices outside ``domain/``, one unnamed-event slice, a bad file."""
    pkg = tmp_path / "src" / "shop" / "billing"
    (pkg / "issue_invoice").mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""Billing."""\n\ndef issue_invoice() -> None: ...\n')
    (pkg / "state.py").write_text("class InvoiceState:\n    pass\n")
    (pkg / "issue_invoice" / "command_v1.py").write_text(PY_COMMAND)
    (pkg / "issue_invoice" / "event_v1.py").write_text(
        'class InvoiceIssuedV1(Event):\n    event_type = "invoice_issued:v1"\n'
    )
    (pkg / "issue_invoice" / "maybe_issue_invoice_v1.py").write_text("def maybe(:\n")
    (pkg / "vote").mkdir()
    (pkg / "vote" / "command_v1.py").write_text("class VoteV1:\n    pass\n")
    config = Config(stack="python", app="shop")
    design = design_of(load_workspace(tmp_path, config))
    billing = design.domains["billing"]
    assert billing.aggregate == "invoice"
    slice_ = billing.slices["issue_invoice"]
    assert slice_.event == "invoice_issued"
    assert slice_.versions[0].event_type == "invoice_issued:v1"
    assert slice_.versions[0].fields[0] == "customer:uuid"
    assert slice_.description == "Ask billing to issue an invoice to a customer."
    assert "vote" not in billing.slices  # no event and no verb_noun name: left to lint


def test_design_and_event_contracts_read_fields_through_one_reader() -> None:
    """The design's fields are the field reader's shapes, mapped to slicegen field types."""
    shapes = shapes_in("command_v1.ex", EX_COMMAND)
    assert [(n, f.type) for n, f in shapes[0].fields.items()] == [
        ("invoice_id", "String.t()"),
        ("amount", "Decimal.t()"),
        ("lines", "[String.t()]"),
        ("due_on", "Date.t()|nil"),
    ]
    assert _specs("command_v1.ex", EX_COMMAND) == [
        f"{n}:{extract.field_type(f.type).spec()}" for n, f in shapes[0].fields.items()
    ]


def test_elixir_struct_with_list_defaults_and_a_named_type_keeps_every_field() -> None:
    source = """\
defmodule Billing.IssueInvoice do
  @type t :: %Billing.IssueInvoice{invoice_id: String.t(), issued_at: DateTime.t() | nil}
  defstruct [:invoice_id, :issued_at, lines: [], note: nil]
end
"""
    assert _specs("issue_invoice.ex", source) == [
        "invoice_id:str",
        "issued_at:datetime?",
        "lines:str",
        "note:str",
    ]


def test_python_private_and_qualified_classvar_attributes_are_no_fields() -> None:
    source = (
        "import typing\nclass PayV1:\n    KIND: typing.ClassVar[str] = 'k'\n"
        "    _cache: dict[str, int] = {}\n    amount: Decimal\n    tags: tuple[str, ...]\n"
    )
    assert _specs("command_v1.py", source, "PayV1") == ["amount:decimal", "tags:list[str]"]


@pytest.mark.parametrize(
    ("written", "spec"),
    [
        ("int|None", "int?"),
        ("None|uuid.UUID", "uuid?"),
        ("list[AwareDatetime]", "list[datetime]"),
        ("List[int]|None", "list[int]?"),
        ("dict[str,int]", "str"),
        ("integer()", "int"),
        ("[Decimal.t()]|nil", "list[decimal]?"),
        ("list(NaiveDateTime.t())", "list[datetime]"),
        ("any", "str"),
    ],
)
def test_field_type_maps_both_languages(written: str, spec: str) -> None:
    assert extract.field_type(written).spec() == spec

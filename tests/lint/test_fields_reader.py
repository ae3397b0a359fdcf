"""Reading an event's stored shape from its source, both stacks."""

from __future__ import annotations

from slicegen.model.readers.fields import FieldShape, shapes_in

PYDANTIC = """
from typing import ClassVar, Optional
from pydantic import Field

class AccountOpenedV1(Event):
    event_type: ClassVar[str] = "account_opened:v1"
    _secret: int
    owner: str
    limit: Optional[int] = None
    tags: list[str] = Field(default_factory=list)
    note: str = Field(..., description="required all the same")
"""


def test_python_fields_types_and_required() -> None:
    [shape] = shapes_in("e/event_v1.py", PYDANTIC)
    assert shape.identity == "account_opened:v1"
    assert shape.line == 5
    assert shape.fields == {
        "owner": FieldShape("str", True),
        "limit": FieldShape("int|None", False),
        "tags": FieldShape("list[str]", False),
        "note": FieldShape("str", True),
    }


def test_python_class_without_type_string_is_named_by_its_class() -> None:
    text = "@dataclass\nclass VoteCast:\n    voter: str\n\nclass Helper:\n    pass\n"
    assert [(s.identity, list(s.fields)) for s in shapes_in("x/event_v1.py", text)] == [
        ("VoteCast", ["voter"])
    ]


def test_python_syntax_error_gives_nothing() -> None:
    assert shapes_in("x/event_v1.py", "class (:\n") == []


ELIXIR = """
defmodule Shop.Votes.CastVote.EventV1 do
  @enforce_keys [:vote_id]
  defstruct [
    :vote_id,
    :voter,   # who
    weight: 1
  ]

  @type t :: %__MODULE__{
          vote_id: String.t(),
          voter: String.t() | nil,
          weight: %{optional(atom()) => integer()}
        }

  def event_type, do: "vote_cast:v1"
end

defmodule Shop.Votes.CastVote.Helper do
  def nothing, do: :ok
end
"""


def test_elixir_defstruct_with_type_and_enforced_keys() -> None:
    [shape] = shapes_in("lib/cast_vote/event_v1.ex", ELIXIR)
    assert shape.identity == "vote_cast:v1"
    assert shape.line == 2
    assert shape.fields == {
        "vote_id": FieldShape("String.t()", True),
        "voter": FieldShape("String.t()|nil", False),
        "weight": FieldShape("%{optional(atom())=>integer()}", False),
    }


def test_elixir_keyword_defstruct_without_types_is_named_by_its_module() -> None:
    text = (
        "defmodule Blog.Events.ArticlePublished do\n  defstruct uuid: nil,\n    title: nil\nend\n"
    )
    [shape] = shapes_in("lib/blog/events/article_published.ex", text)
    assert shape.identity == "Blog.Events.ArticlePublished"
    assert shape.fields == {"uuid": FieldShape("any", False), "title": FieldShape("any", False)}


def test_elixir_typedstruct_fields() -> None:
    text = (
        "defmodule A.Ev do\n  use TypedStruct\n  typedstruct do\n"
        "    field :id, String.t(), enforce: true\n    field :n, integer(), default: 0\n"
        "  end\nend\n"
    )
    [shape] = shapes_in("a/event_v1.ex", text)
    assert shape.fields == {
        "id": FieldShape("String.t()", True),
        "n": FieldShape("integer()", False),
    }


def test_other_files_have_no_shapes() -> None:
    assert shapes_in("README.md", "class X:\n    a: int\n") == []

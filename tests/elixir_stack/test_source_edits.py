"""Tree-sitter located edits: the right block, idempotent, the user's bytes kept."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.stacks.elixir import registrations
from slicegen.stacks.elixir.paths import DomainNames
from slicegen.stacks.elixir.source_edits import parse

NAMES = DomainNames("reckon", "accounts", "apps")


def edit(tmp_path: Path, rel: str, text: str, action: object) -> str:
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).write_bytes(text.encode())
    cs = ChangeSet(tmp_path)
    action(cs)  # type: ignore[operator]
    out = cs.read(rel)
    assert out is not None
    return out


ROUTER = """defmodule ReckonAccounts.Router do
  use Commanded.Commands.Router

  dispatch(A.CommandV1, to: Agg) # inline note
  # between
  dispatch(B.CommandV1,
    to: Agg
  )

  def helper, do: :ok
end
"""


def test_dispatch_goes_after_the_last_dispatch_and_only_once(tmp_path: Path) -> None:
    def register(cs: ChangeSet) -> None:
        registrations.register_dispatch(cs, NAMES, "C.CommandV1", "Agg")
        registrations.register_dispatch(cs, NAMES, "C.CommandV1", "Agg")

    out = edit(tmp_path, NAMES.router, ROUTER, register)
    assert out == ROUTER.replace(
        "    to: Agg\n  )\n", "    to: Agg\n  )\n\n  dispatch(C.CommandV1, to: Agg)\n"
    )


def test_a_command_already_routed_in_a_list_is_not_routed_again(tmp_path: Path) -> None:
    text = ROUTER.replace(
        "dispatch(A.CommandV1, to: Agg)", "dispatch([A.CommandV1, C.CommandV1], to: Agg)"
    )
    out = edit(
        tmp_path,
        NAMES.router,
        text,
        lambda cs: registrations.register_dispatch(cs, NAMES, "C.CommandV1", "Agg"),
    )
    assert out == text


def test_long_dispatch_is_broken_as_the_formatter_would(tmp_path: Path) -> None:
    long_module = "ReckonAccounts.Domain." + "Very" * 12 + "LongName.CommandV1"
    out = edit(
        tmp_path,
        NAMES.router,
        ROUTER,
        lambda cs: registrations.register_dispatch(cs, NAMES, long_module, "Agg"),
    )
    assert f"  dispatch(\n    {long_module},\n    to: Agg\n  )\n" in out


def test_first_dispatch_goes_before_the_module_end(tmp_path: Path) -> None:
    text = "defmodule ReckonAccounts.Router do\n  use Commanded.Commands.Router\nend\n"
    out = edit(
        tmp_path,
        NAMES.router,
        text,
        lambda cs: registrations.register_dispatch(cs, NAMES, "C.CommandV1", "Agg"),
    )
    assert out == (
        "defmodule ReckonAccounts.Router do\n  use Commanded.Commands.Router\n\n"
        "  dispatch(C.CommandV1, to: Agg)\nend\n"
    )


def test_crlf_files_stay_crlf(tmp_path: Path) -> None:
    text = ROUTER.replace("\n", "\r\n")
    out = edit(
        tmp_path,
        NAMES.router,
        text,
        lambda cs: registrations.register_dispatch(cs, NAMES, "C.CommandV1", "Agg"),
    )
    assert "\r\n  dispatch(C.CommandV1, to: Agg)\r\n" in out
    assert "\n" not in out.replace("\r\n", "")


MAPPER = """defmodule ReckonAccounts.EventTypeMapper do
  @types %{}
end
"""


def test_type_mapper_map_grows_from_empty_and_stays_unique(tmp_path: Path) -> None:
    def register(cs: ChangeSet) -> None:
        registrations.register_event_type(cs, NAMES, "a_done:v1", "A.EventV1")
        registrations.register_event_type(cs, NAMES, "b_done:v1", "B.EventV1")
        registrations.register_event_type(cs, NAMES, "a_done:v1", "A.EventV1")

    out = edit(tmp_path, NAMES.type_mapper, MAPPER, register)
    assert out == MAPPER.replace(
        "@types %{}", '@types %{\n    "a_done:v1" => A.EventV1,\n    "b_done:v1" => B.EventV1\n  }'
    )


APPLICATION = """defmodule ReckonAccounts.Application do
  use Application

  def start(_type, _args) do
    children = [
      ReckonAccounts.Repo, # the database
      ReckonAccounts.CommandedApp
      # more children below
    ]

    Supervisor.start_link(children, strategy: :one_for_one)
  end
end
"""


def test_children_list_keeps_comments_with_their_items(tmp_path: Path) -> None:
    def register(cs: ChangeSet) -> None:
        registrations.register_child(cs, NAMES, "A.Projection")
        registrations.register_child(cs, NAMES, "ReckonAccounts.Repo")

    out = edit(tmp_path, NAMES.application, APPLICATION, register)
    assert out == APPLICATION.replace(
        "      ReckonAccounts.CommandedApp\n",
        "      ReckonAccounts.CommandedApp,\n      A.Projection\n",
    )


def test_single_line_list_grows_inline(tmp_path: Path) -> None:
    text = APPLICATION.replace(
        "[\n      ReckonAccounts.Repo, # the database\n      ReckonAccounts.CommandedApp\n"
        "      # more children below\n    ]",
        "[ReckonAccounts.Repo]",
    )
    out = edit(
        tmp_path,
        NAMES.application,
        text,
        lambda cs: registrations.register_child(cs, NAMES, "A.Projection"),
    )
    assert "children = [ReckonAccounts.Repo, A.Projection]" in out


CHILD_LISTS = {
    "multiline, comments": APPLICATION,
    "single line": APPLICATION.replace(
        "[\n      ReckonAccounts.Repo, # the database\n      ReckonAccounts.CommandedApp\n"
        "      # more children below\n    ]",
        "[ReckonAccounts.Repo]",
    ),
    "empty": APPLICATION.replace(
        "[\n      ReckonAccounts.Repo, # the database\n      ReckonAccounts.CommandedApp\n"
        "      # more children below\n    ]",
        "[]",
    ),
    "crlf": APPLICATION.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("text", CHILD_LISTS.values(), ids=CHILD_LISTS.keys())
def test_unregistering_a_child_gives_the_list_back(tmp_path: Path, text: str) -> None:
    def both(cs: ChangeSet) -> None:
        registrations.register_child(cs, NAMES, "A.Projection")
        registrations.unregister_child(cs, NAMES, "A.Projection")

    assert edit(tmp_path, NAMES.application, text, both) == text


def test_unregistering_a_middle_child_keeps_the_others_and_their_comments(tmp_path: Path) -> None:
    def unregister(cs: ChangeSet) -> None:
        registrations.register_child(cs, NAMES, "A.Projection")
        registrations.unregister_child(cs, NAMES, "ReckonAccounts.CommandedApp")

    out = edit(tmp_path, NAMES.application, APPLICATION, unregister)
    assert out == APPLICATION.replace("      ReckonAccounts.CommandedApp\n", "      A.Projection\n")


def test_clauses_are_grouped_by_function(tmp_path: Path) -> None:
    path = "agg.ex"
    text = (
        "defmodule Agg do\n  defstruct [:id]\n\n  @doc false\n  def apply(s, %Old{}), do: s\nend\n"
    )

    def register(cs: ChangeSet) -> None:
        registrations.register_clause(
            cs, path, "Agg", "execute", "New", "  def execute(s, %New{}), do: s", before="apply"
        )
        registrations.register_clause(
            cs, path, "Agg", "apply", "NewEvent", "  def apply(s, %NewEvent{}), do: s"
        )

    out = edit(tmp_path, path, text, register)
    assert out == (
        "defmodule Agg do\n  defstruct [:id]\n\n  def execute(s, %New{}), do: s\n\n"
        "  @doc false\n  def apply(s, %Old{}), do: s\n\n  def apply(s, %NewEvent{}), do: s\nend\n"
    )


def test_public_api_function_is_added_once(tmp_path: Path) -> None:
    text = "defmodule ReckonAccounts do\n  @moduledoc false\n\n  def ping, do: :pong\nend\n"

    def register(cs: ChangeSet) -> None:
        for _ in range(2):
            registrations.register_api_function(cs, NAMES, "open", "  def open(attrs), do: attrs")
        registrations.register_api_function(cs, NAMES, "ping", "  def ping, do: :other")

    out = edit(tmp_path, NAMES.public_api, text, register)
    assert out == text.replace("\nend\n", "\n\n  def open(attrs), do: attrs\nend\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("defmodule Other do\nend\n", "expected `defmodule ReckonAccounts.Router do ... end`"),
        ("defmodule ReckonAccounts.Router do\n  dispatch(\nend\n", "syntax error near line"),
        ("defmodule ReckonAccounts.Router do dispatch(A, to: B) end\n", "more code follows"),
        ("defmodule ReckonAccounts.Router do\n  use R\nfoo() end\n", "on a line of its own"),
    ],
)
def test_unexpected_structure_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(SlicegenError) as info:
        edit(
            tmp_path,
            NAMES.router,
            text,
            lambda cs: registrations.register_dispatch(cs, NAMES, "C.CommandV1", "Agg"),
        )
    assert NAMES.router in info.value.message and expected in info.value.message


def test_type_mapper_without_types_map_is_a_clear_error(tmp_path: Path) -> None:
    text = "defmodule ReckonAccounts.EventTypeMapper do\n  @other []\nend\n"
    with pytest.raises(SlicegenError, match=r"event_type_mapper\.ex: expected a `@types"):
        edit(
            tmp_path,
            NAMES.type_mapper,
            text,
            lambda cs: registrations.register_event_type(cs, NAMES, "a:v1", "A"),
        )


def test_parse_reports_the_line_of_a_syntax_error() -> None:
    with pytest.raises(SlicegenError, match="near line 3"):
        parse("x.ex", "defmodule X do\n  def a, do: 1\n  def b(, do: 2\nend\n")


def test_colliding_port_hashes_are_moved_apart(tmp_path: Path) -> None:
    from slicegen.stacks.elixir.domain import PORT_RANGE, cluster_port

    seen: dict[int, str] = {}
    pair: tuple[str, str] | None = None
    for i in range(5000):
        name = f"d{i}"
        slot = zlib.crc32(f"reckon_{name}".encode()) % PORT_RANGE
        if slot in seen:
            pair = (seen[slot], name)
            break
        seen[slot] = name
    assert pair is not None
    first = DomainNames("reckon", pair[0], "apps")
    second = DomainNames("reckon", pair[1], "apps")
    port = cluster_port(ChangeSet(tmp_path), first)
    config = tmp_path / first.config
    config.parent.mkdir(parents=True)
    config.write_text(f"config :libcluster,\n  port: {port:_},\n")
    assert cluster_port(ChangeSet(tmp_path), second) == port + 1
    assert cluster_port(ChangeSet(tmp_path), first) == port

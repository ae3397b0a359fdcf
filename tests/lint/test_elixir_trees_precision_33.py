"""Elixir premises checked on trees slicegen had not been tuned on (issue 33): elixir-ls, ...
Trees written here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import codes_at
from .trees import ex_lib

_KINDS = """defmodule ReckonAccounts.Kinds do
  @moduledoc "What an account may be imported as."

  @spec import() :: String.t()
  def import, do: "import"

  @spec alias() :: String.t()
  def alias, do: "alias"
end
"""


def test_a_function_named_after_a_directive_is_read(make_tree: Callable[..., Path]) -> None:
    """elixir-ls's generated ``moniker_kind.ex`` specs a function named ``import``
    (``@spec import() :: String.t()``): the reader took the call for the directive, failed on
    its missing module (IndexError) and reported SG001 on a file Elixir compiles."""
    root = make_tree("elixir", {f"{ex_lib('accounts')}/kinds.ex": _KINDS})
    assert codes_at(root, "SG001") == []

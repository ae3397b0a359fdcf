"""Elixir premises checked on trees slicegen had not been tuned on (issue 32): trento's wanda,
farm-sim, ... Trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import codes_at
from .trees import Files, mix_project, write

_GATHERED = """defmodule Checks.Catalog.Fact do
  @moduledoc "A piece of information gathered from a target."
  defstruct [:name, :gatherer, :argument]
end
"""


def test_a_context_struct_in_a_bare_fact_file_is_no_fact(tmp_path: Path) -> None:
    """wanda's ``catalog/fact.ex`` and ``executions/fact.ex`` (what a check gathers from a
    host) and farm-sim's ``pulse/fact.ex`` (an embedded schema of a timestamp) were facts by
    their file name alone (SG103, SG403). slicegen writes a fact as ``<event>_fact.ex``: a
    bare ``fact.ex`` outside the facts area is none; a file named ``<x>_fact`` still is one."""
    files: Files = {
        "mix.exs": mix_project("Checks", "checks"),
        "lib/checks/catalog.ex": "defmodule Checks.Catalog do\nend\n",
        "lib/checks/catalog/fact.ex": _GATHERED,
    }
    write(tmp_path / "gathered", files)
    assert codes_at(tmp_path / "gathered", "SG103", "SG403") == []
    published = "lib/checks/catalog/check_fact.ex"  # named as a fact: judged (no past)
    files[published] = _GATHERED.replace("Catalog.Fact", "Catalog.CheckFact")
    write(tmp_path / "published", files)
    assert codes_at(tmp_path / "published", "SG103", "SG403") == [("SG103", published)]

"""Elixir premises checked on trees slicegen had not been tuned on (issue 32): trento's wanda,
farm-sim, ... Trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import codes_at
from .trees import Files, mix_project, write

_UMBRELLA = "defmodule Umbrella.MixProject do\n  use Mix.Project\nend\n"

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


def test_a_module_using_its_own_namespace_crosses_no_boundary(tmp_path: Path) -> None:
    """farm-sim's ``agrex_edge`` app defines ``Agrex.Born2Died.Aggregate``, which uses
    ``Agrex.Schema.Fact`` and ``Agrex.Born2Died.State``: 75 SG501 for using the ``agrex``
    app's internals, from the folder the file lies in. The guideline's slices are namespaces
    (ArchTest's ``define_slices``): a module of ``Agrex`` using ``Agrex`` crosses nothing.
    ``AgrexEdge.Landscape`` using ``Agrex``'s internals still does."""
    files: Files = {
        "mix.exs": _UMBRELLA,
        "apps/farm/mix.exs": mix_project("Farm", "farm"),
        "apps/farm/lib/farm.ex": "defmodule Farm do\nend\n",
        "apps/farm/lib/worker.ex": "defmodule Farm.Worker do\n  defstruct [:id]\nend\n",
        "apps/edge/mix.exs": mix_project("Edge", "edge"),
        "apps/edge/lib/edge.ex": "defmodule Edge do\nend\n",
        "apps/edge/lib/born/aggregate.ex": (
            "defmodule Farm.Born.Aggregate do\n  alias Farm.Worker\n\n"
            "  def new, do: %Worker{}\nend\n"
        ),
    }
    write(tmp_path / "one", files)
    assert codes_at(tmp_path / "one", "SG501", "SG502", "SG503") == []
    landscape = "apps/edge/lib/landscape.ex"
    files[landscape] = files["apps/edge/lib/born/aggregate.ex"].replace(
        "Farm.Born.Aggregate", "Edge.Landscape"
    )
    write(tmp_path / "two", files)
    assert codes_at(tmp_path / "two", "SG501", "SG502", "SG503") == [("SG501", landscape)]

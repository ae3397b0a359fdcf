"""Elixir premises checked on more trees slicegen had not been tuned on (issue 31): a library's
``<x>_shared`` project, ... Trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import codes_at
from .trees import Files, mix_project, write

_UMBRELLA = "defmodule Umbrella.MixProject do\n  use Mix.Project\nend\n"


def test_a_shared_project_not_named_as_slicegen_writes_it_holds_no_facts(tmp_path: Path) -> None:
    """lexical's ``projects/lexical_shared/lib/lexical/document/line.ex`` (a struct of a
    shared library) was read as a fact (SG103, SG403): the facts area is a shared app's code
    as slicegen writes it, ``<x>_shared/lib/<x>_shared``, where a fact is still judged."""
    line = "projects/lexical_shared/lib/lexical/document/line.ex"
    library: Files = {
        "mix.exs": _UMBRELLA,
        "projects/lexical_shared/mix.exs": mix_project("LexicalShared", "lexical_shared"),
        line: "defmodule Lexical.Document.Line do\n  defstruct [:text]\nend\n",
        "apps/server/mix.exs": mix_project("Server", "server"),
        "apps/server/lib/server/state.ex": "defmodule Server.State do\n  defstruct [:a]\nend\n",
    }
    write(tmp_path / "library", library)
    assert codes_at(tmp_path / "library", "SG103", "SG403") == []
    fact = "lib/chat_shared/lib/chat_shared/accounts/account.ex"
    kernel: Files = {
        **library,
        "lib/chat_shared/mix.exs": mix_project("ChatShared", "chat_shared"),
        fact: "defmodule ChatShared.Accounts.Account do\n  defstruct [:id]\nend\n",
    }
    write(tmp_path / "kernel", kernel)
    assert ("SG103", fact) in codes_at(tmp_path / "kernel", "SG103", "SG403")

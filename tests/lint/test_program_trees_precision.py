"""Elixir trees just outside the field (issue 29): a command-line program whose modules sit in
folders beside their root files as a Phoenix app's contexts do, and a module named ``handler``
that handles no command. Their premises were a folder's shape or a file's name alone. Trees
written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import codes_at
from .trees import Files, write

#: A program's mix project: its dependencies are a web server and a test stub, no framework
#: of bounded contexts.
_PROGRAM_MIX = (
    "defmodule Tool.MixProject do\n  use Mix.Project\n\n"
    "  def project, do: [app: :tool, deps: deps()]\n\n"
    '  defp deps, do: [{:cowboy, "~> 2.14"}, {:bypass, "~> 2.0", only: :test}]\nend\n'
)


def _program(mix: str) -> Files:
    return {
        "mix.exs": mix,
        "lib/tool.ex": "defmodule Tool do\nend\n",
        "lib/tool/http.ex": (
            "defmodule Tool.HTTP do\n"
            '  def get(url) do\n    Tool.Shell.debug("GET #{url}")\n'
            "    Tool.HTTP.Adapter.request(url)\n  end\nend\n"
        ),
        "lib/tool/http/adapter.ex": (
            "defmodule Tool.HTTP.Adapter do\n  def request(url), do: url\nend\n"
        ),
        "lib/tool/shell.ex": (
            "defmodule Tool.Shell do\n  def debug(text), do: Tool.Shell.Writer.write(text)\nend\n"
        ),
        "lib/tool/shell/writer.ex": (
            "defmodule Tool.Shell.Writer do\n  def write(text), do: IO.puts(text)\nend\n"
        ),
    }


def test_a_programs_module_folders_are_no_contexts(tmp_path: Path) -> None:
    """Hex's ``lib/hex/http.ex`` beside ``http/`` calls ``Hex.Shell``: with no framework of
    contexts among the dependencies the app is one domain, and no call crosses a boundary."""
    write(tmp_path, _program(_PROGRAM_MIX))
    assert codes_at(tmp_path, "SG5") == []


def test_the_same_folders_in_a_phoenix_app_are_contexts(tmp_path: Path) -> None:
    """The same tree depending on Phoenix keeps its contexts: the call is judged."""
    mix = _PROGRAM_MIX.replace('{:cowboy, "~> 2.14"}', '{:phoenix, "~> 1.7"}')
    write(tmp_path, _program(mix))
    assert codes_at(tmp_path, "SG502") == [("SG502", "lib/tool/http.ex")]


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        # the Erlang logger's callbacks (Elixir's own Logger.Backends.Handler): nothing handled
        ("  def adding_handler(config), do: {:ok, config}\n", False),
        # a command handler: it handles a command for an aggregate
        ("  def handle(%Tool.Shell{}, %Tool.Shell.Say{} = c), do: c\n", True),
    ],
)
def test_a_module_named_handler_is_one_when_its_code_handles(
    tmp_path: Path, body: str, flagged: bool
) -> None:
    files = _program(_PROGRAM_MIX.replace('{:cowboy, "~> 2.14"}', '{:phoenix, "~> 1.7"}'))
    files["lib/tool/shell/handler.ex"] = f"defmodule Tool.Shell.Handler do\n{body}end\n"
    write(tmp_path, files)
    expected = [("SG201", "lib/tool/shell/handler.ex")] if flagged else []
    assert codes_at(tmp_path, "SG201") == expected

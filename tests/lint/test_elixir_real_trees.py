"""False patterns and misses found on real Elixir trees, each on a small tree written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write

MIX = {"mix.exs": "defmodule Bank.MixProject do\n  use Mix.Project\nend\n"}


def _findings(root: Path, files: Files, *codes: str) -> list[tuple[str, str, int]]:
    write(root, {**MIX, **files})
    _, found = lint_json(root, select=list(codes))
    return [(f["code"], f["path"], f["line"]) for f in found]


# --- SG401 -----------------------------------------------------------------------------------

JOBS = (
    "defmodule Bank.Accounts.Jobs do\n  alias Bank.Router\n"
    "  def run(cmd), do: Router.dispatch(cmd)\nend\n"
)


def test_sg401_silent_in_tests_and_in_a_router_that_forwards(tmp_path: Path) -> None:
    files: Files = {
        "lib/bank/accounts/commands/open_account.ex": "defmodule Bank.OpenAccount do\nend\n",
        "test/accounts/open_account_test.exs": (
            "defmodule Bank.OpenAccountTest do\n  alias Bank.Router\n"
            "  test \"opens\" do\n    :ok = Router.dispatch(%OpenAccount{})\n  end\nend\n"
        ),
        "test/support/use_case.ex": JOBS.replace("Accounts.Jobs", "UseCase"),
        "lib/bank/composite_router.ex": (
            "defmodule Bank.CompositeRouter do\n  defmacro __using__(_) do\n    quote do\n"
            "      def dispatch(cmd), do: @router.dispatch(cmd)\n    end\n  end\nend\n"
        ),
        "lib/bank/accounts/jobs.ex": JOBS,
    }
    found = _findings(tmp_path, files, "SG401")
    assert found == [("SG401", "lib/bank/accounts/jobs.ex", 3)]

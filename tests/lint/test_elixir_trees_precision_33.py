"""Elixir premises checked on trees slicegen had not been tuned on (issue 33): elixir-ls, ...
Trees written here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import codes_at
from .trees import Files, ex_lib, mix_project, write

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


_TEMPLATE = """defmodule <%= @app_module %>.Router do
  use Commanded.Commands.Router
  <%= for command <- @commands do %>
  dispatch <%= command.module %>, to: <%= @aggregate %>
  <% end %>
end
"""


def _generator(compiled: str) -> Files:
    """commanded/generator's layout: a Mix project whose ``templates/`` folder holds ``.ex``
    files laid out as an app's (``aggregate/events/event.ex``); ``compiled`` is what its
    ``mix.exs`` adds to Mix's ``elixirc_paths``."""
    paths = f'  def project, do: [app: :gen, elixirc_paths: ["lib", "{compiled}"]]\n'
    return {
        "mix.exs": f"defmodule Gen.MixProject do\n  use Mix.Project\n{paths}end\n",
        "lib/gen.ex": "defmodule Gen do\nend\n",
        "templates/aggregate/events/event.ex": "defmodule Gen.Event do\n  defstruct [:id]\nend\n",
        "templates/aggregate/commands/command.ex": (
            "defmodule Gen.Command do\n  defstruct [:id]\nend\n"
        ),
    }


def test_a_folder_its_mix_project_never_compiles_holds_no_domain(tmp_path: Path) -> None:
    """commanded/generator keeps the ``.ex`` files it renders in ``templates/`` beside ``lib/``:
    Mix compiles ``lib`` (and what ``elixirc_paths`` names), never ``templates/``, yet it was a
    domain ``templates`` with layer folders (SG308), unversioned events and commands (SG201)
    and no storming document (SG601): 18 findings on a tree with no domain at all. A folder
    the ``mix.exs`` names is compiled and still judged."""
    write(tmp_path / "gen", _generator("test/support"))
    assert codes_at(tmp_path / "gen") == []
    write(tmp_path / "web", _generator("templates"))
    assert {code for code, _ in codes_at(tmp_path / "web")} >= {"SG201", "SG308"}


def test_an_eex_template_is_no_elixir_with_a_syntax_error(tmp_path: Path) -> None:
    """The generator's templates (``defmodule <%= @app_module %>.Router do``) were SG001
    "syntax error; fix it": an EEx template is not Elixir to fix. A syntax error on a line
    with no EEx tag is still reported."""
    files: Files = {
        "mix.exs": mix_project("Gen", "gen"),
        "lib/gen/router.ex": _TEMPLATE,
        "lib/gen/broken.ex": "defmodule Gen.Broken do\n  def x(, do: 1\nend\n",
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG001") == [("SG001", "lib/gen/broken.ex")]


def _app(module: str, app: str, deps: str = "") -> str:
    return (
        f"defmodule {module}.MixProject do\n  use Mix.Project\n\n"
        f"  def project, do: [app: :{app}, deps: deps()]\n\n"
        f"  defp deps do\n    [\n{deps}    ]\n  end\nend\n"
    )


def test_an_umbrella_app_may_use_the_apps_its_mix_project_depends_on(tmp_path: Path) -> None:
    """Alezrik/game_services_umbrella's ``tcp_server`` lists ``{:cluster_manager, in_umbrella:
    true}`` in its ``mix.exs`` and calls ``ClusterManager.get_tcp_client()``: 9 SG502
    "undeclared dependency" on a dependency the build declares, explicitly and in version
    control, as an ``allow`` entry does. A test-only dependency (``only: :test``) or none still
    gets SG502; internals (SG501) are still internals."""
    call = "  def go, do: Accounts.open()\n"
    files: Files = {
        "mix.exs": "defmodule Umbrella.MixProject do\n  use Mix.Project\nend\n",
        "apps/accounts/mix.exs": _app("Accounts", "accounts"),
        "apps/accounts/lib/accounts.ex": "defmodule Accounts do\n  def open, do: :ok\nend\n",
        "apps/accounts/lib/accounts/user.ex": (
            "defmodule Accounts.User do\n  defstruct [:id]\nend\n"
        ),
        "apps/orders/mix.exs": _app("Orders", "orders", "      {:accounts, in_umbrella: true}\n"),
        "apps/orders/lib/orders.ex": f"defmodule Orders do\n{call}end\n",
        "apps/orders/lib/orders/cart.ex": (
            "defmodule Orders.Cart do\n  def new, do: %Accounts.User{}\nend\n"
        ),
        "apps/billing/mix.exs": _app(
            "Billing", "billing", "      {:accounts, in_umbrella: true, only: :test}\n"
        ),
        "apps/billing/lib/billing.ex": f"defmodule Billing do\n{call}end\n",
        "apps/audit/mix.exs": _app("Audit", "audit"),
        "apps/audit/lib/audit.ex": f"defmodule Audit do\n{call}end\n",
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG501", "SG502") == [
        ("SG501", "apps/orders/lib/orders/cart.ex"),
        ("SG502", "apps/audit/lib/audit.ex"),
        ("SG502", "apps/billing/lib/billing.ex"),
    ]


def test_a_module_of_the_events_namespace_leaks_none_of_its_events(
    make_tree: Callable[..., Path],
) -> None:
    """swai's ``swai_train_swarm`` app defines ``TrainSwarmProc.Aggregate`` and its evaluators,
    which use ``TrainSwarmProc``'s events (kept in the ``swai_core`` app): 54 SG404 "a domain
    event of 'train_swarm_proc'" on that domain's own modules. As for the boundary check (stop
    32), a module of the events' namespace is of their domain wherever its file lies; a module of
    another namespace beside it still leaks them."""
    event = "ReckonAccounts.Domain.InitializeAccount.EventV1"
    folder = ex_lib("profiles")
    root = make_tree(
        "elixir",
        {
            f"{folder}/evaluator.ex": (
                f"defmodule ReckonAccounts.Evaluator do\n  alias {event}\nend\n"
            ),
            f"{folder}/reader.ex": f"defmodule ReckonProfiles.Reader do\n  alias {event}\nend\n",
        },
    )
    assert codes_at(root, "SG404") == [("SG404", f"{folder}/reader.ex")]

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


_HANDLER = """defmodule Lsp.Server.Handlers.Hover do
  alias Lsp.Protocol.Requests

  def handle(%Requests.Hover{} = request, config) do
    {:reply, request, config}
  end
end
"""


def test_request_handlers_in_a_context_with_no_message_are_no_handlers(tmp_path: Path) -> None:
    """lexical's ``server/provider/handlers/hover.ex`` (a language server's request handler),
    ``go_to_definition.ex`` there (a projection by its name only) and ``commands.ex`` (a
    module with no struct) were a handler, a projection and a command (SG201, SG303, SG308).
    In a context holding no message they are none; a Commanded event handler there stays."""
    handlers = "lib/lsp/server/handlers"
    files: Files = {
        "mix.exs": mix_project("Lsp", "lsp"),
        "lib/lsp/server.ex": "defmodule Lsp.Server do\nend\n",
        f"{handlers}/hover.ex": _HANDLER,
        f"{handlers}/go_to_definition.ex": _HANDLER.replace("Hover", "GoToDefinition"),
        f"{handlers}/commands.ex": _HANDLER.replace("Hover", "Commands", 1),
        "lib/lsp/billing.ex": "defmodule Lsp.Billing do\nend\n",
        "lib/lsp/billing/handlers/mailer.ex": (
            "defmodule Lsp.Billing.Handlers.Mailer do\n"
            "  use Commanded.Event.Handler, application: Lsp.App, name: __MODULE__\n"
            "  alias Lsp.Accounts.Events.AccountOpened\n\n"
            "  def handle(%AccountOpened{}, _meta), do: :ok\nend\n"
        ),
    }
    write(tmp_path, files)
    found = codes_at(tmp_path, "SG201", "SG303", "SG308")
    assert [f for f in found if f[1].startswith(handlers)] == []
    assert ("SG201", "lib/lsp/billing/handlers/mailer.ex") in found


def test_an_app_named_after_an_elixir_module_owns_none_of_its_uses(tmp_path: Path) -> None:
    """lexical's ``apps/protocol`` (its code is ``Lexical.Protocol``) was the domain
    ``Protocol``: ``raise Protocol.UndefinedError`` in another app was an SG501. Elixir's
    own modules belong to no domain."""
    user = "apps/remote/lib/remote/build.ex"
    files: Files = {
        "mix.exs": _UMBRELLA,
        "apps/protocol/mix.exs": mix_project("Protocol", "protocol"),
        "apps/protocol/lib/lexical/protocol/types.ex": (
            "defmodule Lexical.Protocol.Types do\n  defstruct [:a]\nend\n"
        ),
        "apps/remote/mix.exs": mix_project("Remote", "remote"),
        user: (
            "defmodule Remote.Build do\n"
            "  def run(x), do: raise(Protocol.UndefinedError, value: x)\nend\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG501", "SG502") == []


def test_a_handler_file_defining_only_a_protocol_is_no_handler(tmp_path: Path) -> None:
    """signal's ``lib/signal/command/handler.ex`` holds a ``defprotocol`` and its ``defimpl``
    (what a command must implement), no module: it was a handler (SG201). A ``handler.ex``
    defining a module that handles a command stays one."""
    files: Files = {
        "mix.exs": mix_project("Signal", "signal"),
        "lib/signal/command.ex": "defmodule Signal.Command do\nend\n",
        "lib/signal/bank.ex": "defmodule Signal.Bank do\nend\n",
        "lib/signal/command/handler.ex": (
            "defprotocol Signal.Command.Handler do\n  def handle(command, params)\nend\n\n"
            "defimpl Signal.Command.Handler, for: Any do\n"
            "  def handle(_command, params), do: params\nend\n"
        ),
        "lib/signal/command/commands/open.ex": (
            "defmodule Signal.Command.Commands.Open do\n  defstruct [:id]\nend\n"
        ),
        "lib/signal/bank/handler.ex": (
            "defmodule Signal.Bank.Handler do\n  alias Signal.Bank.Commands.Open\n\n"
            "  def handle(%Open{} = command, _params), do: command\nend\n"
        ),
    }
    write(tmp_path, files)
    found = codes_at(tmp_path, "SG201")
    assert ("SG201", "lib/signal/command/handler.ex") not in found
    assert ("SG201", "lib/signal/bank/handler.ex") in found


def test_a_module_named_fact_alone_is_no_fact(tmp_path: Path) -> None:
    """logatron's ``logatron_core/lib/schema/fact.ex`` (``Schema.Fact``, the envelope every
    fact travels in) was a fact with no past participle (SG103, SG403). A file named
    ``<x>_fact`` stays one: ``account_fact.ex`` names no past."""
    schema = "apps/core/lib/schema"
    files: Files = {
        "mix.exs": _UMBRELLA,
        "apps/core/mix.exs": mix_project("Core", "core"),
        f"{schema}/fact.ex": "defmodule Schema.Fact do\n  defstruct [:topic, :payload]\nend\n",
        f"{schema}/account_fact.ex": "defmodule Schema.AccountFact do\n  defstruct [:id]\nend\n",
        "apps/shop/mix.exs": mix_project("Shop", "shop"),
        "apps/shop/lib/shop/cart.ex": "defmodule Shop.Cart do\n  defstruct [:id]\nend\n",
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG103", "SG403") == [("SG103", f"{schema}/account_fact.ex")]

"""Elixir premises checked on more trees slicegen had not been tuned on (issue 29): topics of a
tree that records no event, events made by the app's own ``DomainEvent`` macro. Trees written
here."""

from __future__ import annotations

from pathlib import Path

from .conftest import codes_at, lint_json
from .trees import Files, mix_project, write

#: A Phoenix app's settings context telling its user interface that something changed.
_NOTIFYING: Files = {
    "mix.exs": mix_project("Notes", "notes"),
    "lib/notes/settings.ex": (
        "defmodule Notes.Settings do\n"
        "  def set_theme(theme) do\n"
        '    Phoenix.PubSub.broadcast(Notes.PubSub, "settings", {:theme, theme})\n'
        "  end\nend\n"
    ),
    "lib/notes_web/live/sidebar_live.ex": (
        "defmodule NotesWeb.SidebarLive do\n"
        '  def mount(_, _, socket), do: {Phoenix.PubSub.subscribe(Notes.PubSub, "sidebar"), '
        "socket}\nend\n"
    ),
}


def test_the_topics_of_a_tree_that_records_no_event_are_not_judged(tmp_path: Path) -> None:
    """livebook's ``"sidebar"`` and ``"settings"``: with no event and no fact in the tree, a
    topic tells a user interface that something changed, and there is no fact to publish one
    per topic: no SG402. Once an aggregate applies an event, the same topics are judged."""
    quiet = tmp_path / "quiet"
    write(quiet, _NOTIFYING)
    assert lint_json(quiet, select=["SG402"])[1] == []
    sourced = tmp_path / "sourced"
    write(sourced, _NOTIFYING)
    write(
        sourced,
        {
            "lib/notes/notebooks.ex": "defmodule Notes.Notebooks do\nend\n",
            "lib/notes/notebooks/notebook.ex": (
                "defmodule Notes.Notebooks.Notebook do\n  defstruct [:id]\n\n"
                "  alias Notes.Notebooks.NotebookArchived\n\n"
                "  def apply(%__MODULE__{} = n, %NotebookArchived{}), do: n\nend\n"
            ),
            "lib/notes/notebooks/notebook_archived.ex": (
                "defmodule Notes.Notebooks.NotebookArchived do\n  defstruct [:id]\nend\n"
            ),
        },
    )
    _, found = lint_json(sourced, select=["SG402"])
    assert [f["names"][0] for f in found] == ["settings", "sidebar"]


def test_events_made_by_the_apps_domain_event_macro_are_read(tmp_path: Path) -> None:
    """perme8's ``use Perme8.Events.DomainEvent, fields: [...]`` in ``domain/events/``: the
    macro writes the ``defstruct``, so the module is an event as one with ``defstruct`` is: its
    CRUD name and its unversioned file are found. A module there that uses an event handler's
    macro (``use Board.Events.EventHandler``) stays none."""
    events = "lib/board/cards/domain/events"
    files: Files = {
        "mix.exs": mix_project("Board", "board"),
        "lib/board/cards.ex": "defmodule Board.Cards do\nend\n",
        f"{events}/card_created.ex": (
            "defmodule Board.Cards.Domain.Events.CardCreated do\n"
            '  use Board.Events.DomainEvent, aggregate_type: "card", fields: [title: nil]\n'
            "end\n"
        ),
        f"{events}/card_archived.ex": (
            "defmodule Board.Cards.Domain.Events.CardArchived do\n"
            '  use Board.Events.DomainEvent, aggregate_type: "card", fields: []\n'
            "end\n"
        ),
        f"{events}/audit.ex": (
            "defmodule Board.Cards.Domain.Events.Audit do\n  use Board.Events.EventHandler\nend\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG101", "SG201") == [
        ("SG101", f"{events}/card_created.ex"),
        ("SG201", f"{events}/card_archived.ex"),
        ("SG201", f"{events}/card_created.ex"),
    ]


def test_a_web_apps_file_named_like_a_handler_locates_no_domain(tmp_path: Path) -> None:
    """mehungry's ``apps/mehungry_web/lib/mehungry_web/live/maybe_user_auth_live.ex`` (a
    LiveView's ``on_mount`` hook) is named like a handler; a web app is never a domain, so
    neither it nor its ``controllers/`` and editor swap files are judged as one's."""
    web = "apps/shop_web/lib/shop_web"
    files: Files = {
        "mix.exs": "defmodule Umbrella.MixProject do\n  use Mix.Project\nend\n",
        "apps/shop/mix.exs": mix_project("Shop", "shop"),
        "apps/shop/lib/shop/orders.ex": "defmodule Shop.Orders do\nend\n",
        "apps/shop/lib/shop/orders/order.ex": (
            "defmodule Shop.Orders.Order do\n  defstruct [:id]\nend\n"
        ),
        "apps/shop_web/mix.exs": mix_project("ShopWeb", "shop_web"),
        f"{web}/live/maybe_user_auth_live.ex": (
            "defmodule ShopWeb.MaybeUserAuthLive do\n"
            "  def on_mount(_, _, _, socket), do: {:cont, socket}\nend\n"
        ),
        f"{web}/controllers/page_controller.ex": (
            "defmodule ShopWeb.PageController do\n  def index(conn, _), do: conn\nend\n"
        ),
        f"{web}/live/.index.ex.swp": "",
    }
    write(tmp_path, files)
    assert lint_json(tmp_path)[1] == []


def test_a_commands_parts_and_a_types_folder_are_no_domains(tmp_path: Path) -> None:
    """ecstatic: ``commands/configure_application.ex`` beside ``commands/configure_application/``
    (the command's nested structs, one of them ``command.ex``, another ``event.ex``) and
    ``types/names/command.ex`` beside ``types/names.ex`` (value types) locate no domain and
    make no slice; ``types/handler.ex``, a typed struct, is no handler. The app is the domain,
    and its typed-struct commands and events in ``commands/`` and ``events/`` are judged."""
    lib = "lib/relay"
    struct = "  use TypedStruct\n\n  typedstruct do\n    field :name, String.t()\n  end\nend\n"
    files: Files = {
        "mix.exs": mix_project("Relay", "relay"),
        "lib/relay.ex": "defmodule Relay do\nend\n",
        f"{lib}/commands/configure_relay.ex": (
            f"defmodule Relay.Commands.ConfigureRelay do\n{struct}"
        ),
        f"{lib}/commands/configure_relay/command.ex": (
            f"defmodule Relay.Commands.ConfigureRelay.Command do\n{struct}"
        ),
        f"{lib}/commands/configure_relay/event.ex": (
            f"defmodule Relay.Commands.ConfigureRelay.Event do\n{struct}"
        ),
        f"{lib}/events/relay_configured.ex": f"defmodule Relay.Events.RelayConfigured do\n{struct}",
        f"{lib}/types/names.ex": "defmodule Relay.Types.Names do\n  @type t :: String.t()\nend\n",
        f"{lib}/types/names/command.ex": f"defmodule Relay.Types.Names.Command do\n{struct}",
        f"{lib}/types/names/event.ex": f"defmodule Relay.Types.Names.Event do\n{struct}",
        f"{lib}/types/handler.ex": f"defmodule Relay.Types.Handler do\n{struct}",
    }
    write(tmp_path, files)
    _, found = lint_json(tmp_path)
    assert sorted((f["code"], f["path"]) for f in found) == [
        ("SG201", f"{lib}/commands/configure_relay.ex"),
        ("SG201", f"{lib}/events/relay_configured.ex"),
        ("SG308", f"{lib}/commands"),
        ("SG308", f"{lib}/events"),
    ]
    assert all("in domain 'relay'" in f["message"] for f in found if f["code"] == "SG308")

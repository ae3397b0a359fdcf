"""Elixir premises checked on more trees slicegen had not been tuned on (issue 27): an app laid
out by technical folder right in ``lib/``, a ``commands/`` folder beside ``commands.ex``, a
Commanded application beside its router's folder, umbrella apps named after a layer, an
umbrella kept in a folder of the repository, and the event name of a channel broadcast. Trees
written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import codes_at, lint_json
from .trees import Files, mix_project, recorded_event, write


def test_technical_folders_right_in_lib_are_the_apps_not_a_domain(tmp_path: Path) -> None:
    """``lib/events/`` and ``lib/commands/`` of a mix project kept in a folder of the repository
    (modules ``Events.FundsDeposited``) are the technical folders of the app's one domain,
    named after the app: no domain ``events``."""
    files: Files = {
        "backend/ledger/mix.exs": mix_project("Ledger", "ledger"),
        "backend/ledger/lib/ledger.ex": "defmodule Ledger do\nend\n",
        "backend/ledger/lib/ledger/application.ex": "defmodule Ledger.Application do\nend\n",
        "backend/ledger/lib/events/funds_deposited.ex": (
            "defmodule Events.FundsDeposited do\n  defstruct [:amount]\nend\n"
        ),
        "backend/ledger/lib/commands/deposit_funds.ex": (
            "defmodule Commands.DepositFunds do\n  defstruct [:amount]\nend\n"
        ),
        "backend/ledger/lib/aggregates/account.ex": (
            "defmodule Aggregates.Account do\n  defstruct [:balance]\n\n"
            "  def execute(%__MODULE__{}, %Commands.DepositFunds{amount: a}),\n"
            "    do: %Events.FundsDeposited{amount: a}\n\n"
            "  def apply(%__MODULE__{} = s, %Events.FundsDeposited{}), do: s\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    _, found = lint_json(root, select=["SG308", "SG601"])
    assert sorted((f["code"], f["path"], f["names"][0]) for f in found) == [
        ("SG308", "backend/ledger/lib/commands", "commands"),
        ("SG308", "backend/ledger/lib/events", "events"),
        ("SG601", "backend/ledger/lib", "ledger"),
    ]


def test_a_commands_folder_beside_commands_ex_is_no_context(tmp_path: Path) -> None:
    """``lib/billing/commands/`` beside ``lib/billing/commands.ex`` (the commands' behaviour)
    holds the app's commands: the app is the domain and ``commands/`` its technical folder."""
    files: Files = {
        "mix.exs": mix_project("Billing", "billing"),
        "lib/billing.ex": "defmodule Billing do\nend\n",
        "lib/billing/commands.ex": (
            "defmodule Billing.Commands do\n  @callback run(map()) :: :ok\nend\n"
        ),
        "lib/billing/commands/issue_invoice.ex": (
            "defmodule Billing.Commands.IssueInvoice do\n  defstruct [:id]\nend\n"
        ),
        "lib/billing/invoice.ex": (
            "defmodule Billing.Invoice do\n  defstruct [:id]\n\n"
            "  def execute(%__MODULE__{}, %Billing.Commands.IssueInvoice{}), do: []\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert codes_at(root, "SG308") == [("SG308", "lib/billing/commands")]


def test_layer_apps_of_an_umbrella_and_its_commanded_app_are_no_domains(tmp_path: Path) -> None:
    """An umbrella split by layer (``podcasts_core``, ``podcasts_projections``) is one domain's
    code: the projections reading the core's events and the core's Commanded application
    (``dispatcher.ex`` beside ``dispatcher/router.ex``) break no boundary, while the core's
    technical folders are judged."""
    core = "apps/podcasts_core/lib/podcasts_core"
    files: Files = {
        "mix.exs": "defmodule Podcasts.Umbrella do\n  use Mix.Project\nend\n",
        "apps/podcasts_core/mix.exs": mix_project("PodcastsCore", "podcasts_core"),
        "apps/podcasts_projections/mix.exs": mix_project(
            "PodcastsProjections", "podcasts_projections"
        ),
        f"{core}/dispatcher.ex": (
            "defmodule PodcastsCore.Dispatcher do\n"
            "  use Commanded.Application, otp_app: :podcasts_core\n\n"
            "  router(PodcastsCore.Dispatcher.Router)\nend\n"
        ),
        f"{core}/dispatcher/router.ex": (
            "defmodule PodcastsCore.Dispatcher.Router do\n  use Commanded.Commands.Router\nend\n"
        ),
        f"{core}/events/episode_saved.ex": (
            "defmodule PodcastsCore.Events.EpisodeSaved do\n  defstruct [:id]\nend\n"
        ),
        "apps/podcasts_projections/lib/podcasts_projections/saved_episodes.ex": (
            "defmodule PodcastsProjections.SavedEpisodes do\n"
            "  use Commanded.Projections.Ecto, application: PodcastsCore.Dispatcher\n"
            "  alias PodcastsCore.Events.EpisodeSaved\n\n"
            "  project(%EpisodeSaved{} = e, _m, fn multi -> multi end)\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    found = codes_at(root, "SG308", "SG404", "SG501", "SG502", "SG503")
    assert found == [("SG308", f"{core}/events")]


def test_an_umbrella_in_a_folder_of_the_repository_is_its_apps(tmp_path: Path) -> None:
    """``weather/mix.exs`` beside ``weather/apps/``: the umbrella's apps are what is judged,
    not the umbrella as one domain holding its web app's ``controllers/``."""
    files: Files = {
        "weather/mix.exs": "defmodule Weather.Umbrella do\n  use Mix.Project\nend\n",
        "weather/apps/alerts/mix.exs": mix_project("Alerts", "alerts"),
        "weather/apps/alerts/lib/alerts/events/storm_warned.ex": (
            "defmodule Alerts.Events.StormWarned do\n  defstruct [:id]\nend\n"
        ),
        "weather/apps/web/mix.exs": mix_project("Web", "web"),
        "weather/apps/web/lib/web/controllers/page_controller.ex": (
            "defmodule Web.PageController do\n  def index(conn, _), do: conn\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert codes_at(root, "SG308") == [("SG308", "weather/apps/alerts/lib/alerts/events")]


def test_the_event_name_of_a_channel_broadcast_is_no_topic(tmp_path: Path) -> None:
    """``Phoenix.Channel.Server.broadcast(pubsub, topic, event, payload)`` and
    ``socket.endpoint.broadcast(topic, event, payload)``: ``"deactivated"`` and ``"disconnect"``
    are event names, not topics; the topic after the server is still judged."""
    files: Files = {
        "mix.exs": mix_project("Fleet", "fleet"),
        "lib/fleet/device_retired.ex": recorded_event("Fleet.DeviceRetired"),
        "lib/fleet/devices.ex": (
            "defmodule Fleet.Devices do\n"
            "  def off(id) do\n"
            "    Phoenix.Channel.Server.broadcast(\n"
            '      Fleet.PubSub, "device:#{id}", "deactivated", %{})\n'
            "  end\n\n"
            "  def kick(socket, id) do\n"
            '    socket.endpoint.broadcast("device_socket:#{id}", "disconnect", %{})\n'
            "  end\n\n"
            "  def watch do\n"
            '    Phoenix.PubSub.subscribe(Fleet.PubSub, "devices")\n'
            "  end\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    _, found = lint_json(root, select=["SG402"])
    assert [(f["path"], f["line"], f["names"][0]) for f in found] == [
        ("lib/fleet/devices.ex", 12, "devices")
    ]


def test_the_commanded_application_beside_its_routers_folder_is_no_context(
    tmp_path: Path,
) -> None:
    """``lib/radio/dispatcher.ex`` (``use Commanded.Application``) beside
    ``lib/radio/dispatcher/router.ex`` is how the app dispatches, not a bounded context: the
    app is the domain, its ``events/`` folder judged."""
    files: Files = {
        "mix.exs": mix_project("Radio", "radio"),
        "lib/radio/dispatcher.ex": (
            "defmodule Radio.Dispatcher do\n  use Commanded.Application, otp_app: :radio\nend\n"
        ),
        "lib/radio/dispatcher/router.ex": (
            "defmodule Radio.Dispatcher.Router do\n  use Commanded.Commands.Router\nend\n"
        ),
        "lib/radio/events/show_aired.ex": (
            "defmodule Radio.Events.ShowAired do\n  defstruct [:id]\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert codes_at(root, "SG308") == [("SG308", "lib/radio/events")]


def test_a_read_models_schema_in_event_handlers_is_no_policy(tmp_path: Path) -> None:
    """``event_handlers/board_users_projection.ex`` using ``Ecto.Schema`` is the table its
    projector writes, not a policy (no SG201, no SG304); the projector beside it is judged."""
    handlers = "lib/boards/cards/event_handlers"
    files: Files = {
        "mix.exs": mix_project("Boards", "boards"),
        "lib/boards/cards.ex": "defmodule Boards.Cards do\nend\n",
        "lib/boards/cards/events/card_pinned.ex": (
            "defmodule Boards.Cards.Events.CardPinned do\n  defstruct [:id]\nend\n"
        ),
        f"{handlers}/board_users_projection.ex": (
            "defmodule Boards.Cards.EventHandlers.BoardUsersProjection do\n"
            "  use Ecto.Schema\n\n"
            '  schema "board_users" do\n    field(:email, :string)\n  end\nend\n'
        ),
        f"{handlers}/board_users_projector.ex": (
            "defmodule Boards.Cards.EventHandlers.BoardUsersProjector do\n"
            "  use Commanded.Projections.Ecto, application: Boards.App, name: __MODULE__\n\n"
            "  project(%Boards.Cards.Events.CardPinned{}, fn multi -> multi end)\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    projector = f"{handlers}/board_users_projector.ex"
    assert codes_at(root, "SG201", "SG303", "SG304") == [
        ("SG201", projector),
        ("SG201", "lib/boards/cards/events/card_pinned.ex"),
        ("SG303", projector),
    ]


def test_an_event_ex_that_is_no_struct_is_no_event(tmp_path: Path) -> None:
    """A meetup app's ``graphql/resolvers/event.ex`` (functions about its ``Event`` schema)
    and ``metadata/event.ex`` (a protocol implementation) are named after the business noun,
    not the artifact kind: no slice, no event, no domain to storm; a slice's ``event.ex``
    holding a struct still is one."""
    files: Files = {
        "mix.exs": mix_project("Meetups", "meetups"),
        "lib/graphql/resolvers/event.ex": (
            "defmodule Meetups.GraphQL.Resolvers.Event do\n"
            "  def find(_parent, %{id: id}, _res), do: {:ok, id}\nend\n"
        ),
        "lib/service/metadata/event.ex": (
            "defimpl Meetups.Service.Metadata, for: Meetups.Events.Event do\n"
            "  def build_tags(_event), do: []\nend\n"
        ),
        "lib/tickets/book_seat/event.ex": (
            "defmodule Tickets.BookSeat.Event do\n  defstruct [:seat]\nend\n"
        ),
        "lib/tickets/book_seat/command.ex": (
            "defmodule Tickets.BookSeat.Command do\n  defstruct [:seat]\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    found = codes_at(root, "SG201", "SG301", "SG302", "SG601")
    assert [path for _, path in found if "graphql" in path or "service" in path] == []
    assert ("SG201", "lib/tickets/book_seat/event.ex") in found


def test_a_folder_holding_its_root_module_alone_is_no_context(tmp_path: Path) -> None:
    """``lib/relay/gen_counter/gen_counter.ex`` alone is a module kept in a folder: a context
    using it uses no other domain; ``tenants/`` holding ``tenants.ex`` and more is one."""
    files: Files = {
        "mix.exs": mix_project("Relay", "relay"),
        "lib/relay/gen_counter/gen_counter.ex": (
            "defmodule Relay.GenCounter do\n  def add(key), do: key\nend\n"
        ),
        "lib/relay/tenants/tenants.ex": (
            "defmodule Relay.Tenants do\n  def hit(id), do: Relay.GenCounter.add(id)\nend\n"
        ),
        "lib/relay/tenants/cache.ex": "defmodule Relay.Tenants.Cache do\nend\n",
        "lib/relay/flags/flags.ex": (
            "defmodule Relay.Flags do\n  def on?(t), do: Relay.Tenants.Cache.get(t)\nend\n"
        ),
        "lib/relay/flags/store.ex": "defmodule Relay.Flags.Store do\nend\n",
    }
    root = tmp_path / "repo"
    write(root, files)
    assert codes_at(root, "SG501", "SG502") == [("SG501", "lib/relay/flags/flags.ex")]


def test_a_topic_prefix_is_no_topic(tmp_path: Path) -> None:
    """``@topic_prefix "relay:trace:"`` is joined to an id before anyone subscribes: a prefix,
    not a generic topic; ``@topic "relay_trace"`` beside it is one."""
    files: Files = {
        "mix.exs": mix_project("Relay", "relay"),
        "lib/relay/trace_sent.ex": recorded_event("Relay.TraceSent"),
        "lib/relay/trace.ex": (
            'defmodule Relay.Trace do\n  @topic_prefix "relay:trace:"\n'
            '  @topic "relay_trace"\n\n'
            "  def topic(id), do: @topic_prefix <> id\n  def all, do: @topic\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    _, found = lint_json(root, select=["SG402"])
    assert [(f["line"], f["names"][0]) for f in found] == [(3, "relay_trace")]


def test_an_umbrella_app_named_core_still_holds_the_domains_its_files_locate(
    tmp_path: Path,
) -> None:
    """``apps/core/lib/accounts/commands/`` of an umbrella app named ``core``: the app's name
    is a project's, not a layer folder inside a domain, so ``accounts`` is judged."""
    files: Files = {
        "mix.exs": "defmodule Umbrella.MixProject do\n  use Mix.Project\nend\n",
        "apps/core/mix.exs": mix_project("Core", "core"),
        "apps/core/lib/accounts/commands/register_user.ex": (
            "defmodule Accounts.Commands.RegisterUser do\n  defstruct [:email]\nend\n"
        ),
        "apps/core/lib/accounts/events/user_registered.ex": (
            "defmodule Accounts.Events.UserRegistered do\n  defstruct [:email]\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert codes_at(root, "SG308") == [
        ("SG308", "apps/core/lib/accounts/commands"),
        ("SG308", "apps/core/lib/accounts/events"),
    ]

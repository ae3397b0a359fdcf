"""Elixir premises checked on more trees slicegen had not been tuned on (issue 30): an
umbrella whose apps all end in one layer word, commands that are Ecto embedded schemas. Trees
written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import codes_at, lint_json
from .trees import Files, mix_project, write

_UMBRELLA = "defmodule Umbrella.MixProject do\n  use Mix.Project\nend\n"


def test_an_umbrella_whose_every_app_ends_in_a_layer_word_has_its_apps_as_domains(
    tmp_path: Path,
) -> None:
    """smoothie's ``api/apps/smoothie_api`` and ``api/apps/provider_api``: when every app of
    the umbrella ends in ``_api``, the word is how it names its apps, no layer: each app is a
    domain and its event (``user/events/user_registered/event.ex``) is judged. Beside an app
    named otherwise (``shop``), ``kitchen_api`` stays a layer, no domain."""
    user = "api/apps/kitchen_api/lib/web/domain/user"
    files: Files = {
        "api/mix.exs": _UMBRELLA,
        "api/apps/kitchen_api/mix.exs": mix_project("KitchenApi", "kitchen_api"),
        f"{user}/events/user_registered/event.ex": (
            "defmodule KitchenApi.Web.Domain.User.Events.UserRegistered.Event do\n"
            "  defstruct [:id]\nend\n"
        ),
        "api/apps/billing_api/mix.exs": mix_project("BillingApi", "billing_api"),
        "api/apps/billing_api/lib/billing/invoice.ex": (
            "defmodule Billing.Invoice do\n  defstruct [:id]\nend\n"
        ),
    }
    named = tmp_path / "named"
    write(named, files)
    event = f"{user}/events/user_registered/event.ex"
    assert ("SG201", event) in codes_at(named, "SG201", "SG301")
    layered = tmp_path / "layered"
    write(layered, files)
    write(
        layered,
        {
            "api/apps/shop/mix.exs": mix_project("Shop", "shop"),
            "api/apps/shop/lib/shop/cart.ex": "defmodule Shop.Cart do\n  defstruct [:id]\nend\n",
        },
    )
    assert codes_at(layered, "SG201", "SG301") == []


def test_a_command_that_is_an_embedded_schema_is_a_command(tmp_path: Path) -> None:
    """ordo's and aquir's commands in ``commands/`` are Ecto embedded schemas (a struct with
    no table, cast and validated): each is a command, its unversioned file found. A
    table-backed schema there (``schema "drafts"``) stays none."""
    commands = "lib/todo/tasks/commands"
    files: Files = {
        "mix.exs": mix_project("Todo", "todo"),
        "lib/todo/tasks.ex": "defmodule Todo.Tasks do\nend\n",
        f"{commands}/create_task.ex": (
            "defmodule Todo.Tasks.Commands.CreateTask do\n  use Ecto.Schema\n\n"
            "  embedded_schema do\n    field(:name, :string)\n  end\nend\n"
        ),
        f"{commands}/draft.ex": (
            "defmodule Todo.Tasks.Commands.Draft do\n  use Ecto.Schema\n\n"
            '  schema "drafts" do\n    field(:name, :string)\n  end\nend\n'
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG201") == [("SG201", f"{commands}/create_task.ex")]
    _, found = lint_json(tmp_path, select=["SG201"])
    assert "command file 'create_task.ex'" in found[0]["message"]


def test_each_context_of_an_umbrella_app_has_its_own_storming_document(tmp_path: Path) -> None:
    """perme8's ``apps/agents`` holds three contexts (``lib/agents/pipeline``, ``sessions``,
    ``tickets``): SG601 asked for one ``apps/agents/design_docs/event-storming.md`` for all
    three, so writing it silenced three findings with one map. Each context names its own
    (``apps/agents/design_docs/<context>/event-storming.md``); an app that is one domain
    keeps ``apps/<app>/design_docs/event-storming.md``."""
    files: Files = {"mix.exs": _UMBRELLA, "apps/agents/mix.exs": mix_project("Agents", "agents")}
    for context in ("pipeline", "tickets"):
        module = f"Agents.{context.title()}"
        files[f"apps/agents/lib/agents/{context}.ex"] = f"defmodule {module} do\nend\n"
        files[f"apps/agents/lib/agents/{context}/events/{context}_opened.ex"] = (
            f"defmodule {module}.Opened do\n  defstruct [:id]\n\n"
            f'  def event_type, do: "{context}_opened:v1"\nend\n'
        )
    files["apps/chat/mix.exs"] = mix_project("Chat", "chat")
    files["apps/chat/lib/chat/events/room_opened.ex"] = (
        "defmodule Chat.RoomOpened do\n  defstruct [:id]\n\n"
        '  def event_type, do: "room_opened:v1"\nend\n'
    )
    write(tmp_path, files)
    _, found = lint_json(tmp_path, select=["SG601"])
    assert sorted(f["message"].split("create ")[1].split(" ")[0] for f in found) == [
        "apps/agents/design_docs/pipeline/event-storming.md",
        "apps/agents/design_docs/tickets/event-storming.md",
        "apps/chat/design_docs/event-storming.md",
    ]
    write(tmp_path, {"apps/agents/design_docs/pipeline/event-storming.md": "# pipeline\n"})
    assert [f["path"] for f in lint_json(tmp_path, select=["SG601"])[1]] == [
        "apps/agents/lib/agents/tickets",
        "apps/chat/lib/chat",
    ]


def test_a_type_string_an_exesdb_mappers_table_gives_an_event_is_emitted(tmp_path: Path) -> None:
    """greenhouse_tycoon's ``EventTypeMapper`` pairs each event with its type string in a
    table (``@mappings [{App.MeasureLight.EventV1, "light_measured:v1"}]``), as ExESDB's
    mapper behaviour reads it: that event emits the string, so matching it elsewhere is no
    SG405. A string no event has (the UI's stale ``"initialized:v1"``) still is one."""
    lib = "lib/farm"
    files: Files = {
        "mix.exs": mix_project("Farm", "farm"),
        f"{lib}/domain/measure_light/event_v1.ex": (
            "defmodule Farm.MeasureLight.EventV1 do\n  defstruct [:lux]\nend\n"
        ),
        f"{lib}/domain/water_plant/event_v1.ex": (
            "defmodule Farm.WaterPlant.EventV1 do\n  defstruct [:ml]\n\n"
            '  def event_type, do: "plant_watered:v1"\nend\n'
        ),
        f"{lib}/event_type_mapper.ex": (
            "defmodule Farm.EventTypeMapper do\n"
            "  @mappings [\n"
            '    {Farm.MeasureLight.EventV1, "light_measured:v1"},\n'
            '    {Farm.WaterPlant.EventV1, "plant_watered:v1"}\n'
            "  ]\n\n"
            "  def to_event_type(module), do: List.keyfind(@mappings, module, 0)\nend\n"
        ),
        f"{lib}/dashboard.ex": (
            "defmodule Farm.Dashboard do\n"
            '  def label("light_measured:v1"), do: "Light"\n'
            '  def label("initialized:v1"), do: "Started"\nend\n'
        ),
    }
    write(tmp_path, files)
    _, found = lint_json(tmp_path, select=["SG405"])
    assert [(f["path"], f["line"]) for f in found] == [(f"{lib}/dashboard.ex", 3)]


def test_a_phoenix_app_with_hex_metadata_is_an_application(tmp_path: Path) -> None:
    """teiserver's ``mix.exs`` declares ``package:`` (Hex metadata) but the project keeps a
    Phoenix app's web layer (``lib/teiserver_web/``) beside its contexts: it is an application
    its team deploys, so its contexts are domains and a context's use of another's schema is
    judged. Without the web layer the same project is a library: no finding."""
    mix = (
        "defmodule Arena.MixProject do\n  use Mix.Project\n\n"
        "  def project do\n    [\n      app: :arena,\n      package: package(),\n"
        "      deps: deps()\n    ]\n  end\n\n"
        '  defp deps, do: [{:phoenix, "~> 1.7"}]\n  defp package, do: [licenses: ["MIT"]]\nend\n'
    )
    files: Files = {
        "mix.exs": mix,
        "lib/arena/account.ex": "defmodule Arena.Account do\nend\n",
        "lib/arena/account/user.ex": "defmodule Arena.Account.User do\n  defstruct [:id]\nend\n",
        "lib/arena/chat.ex": "defmodule Arena.Chat do\nend\n",
        "lib/arena/chat/message.ex": (
            "defmodule Arena.Chat.Message do\n  alias Arena.Account.User\n"
            "  defstruct [:user]\n  def author(%User{} = u), do: u\nend\n"
        ),
    }
    library = tmp_path / "library"
    write(library, files)
    assert lint_json(library)[1] == []
    app = tmp_path / "app"
    write(app, files)
    write(app, {"lib/arena_web/router.ex": "defmodule ArenaWeb.Router do\nend\n"})
    assert codes_at(app, "SG501") == [("SG501", "lib/arena/chat/message.ex")]


def test_an_event_protocols_implementation_applies_the_struct_it_is_for(tmp_path: Path) -> None:
    """teiserver's lobby events implement an event protocol, ``defimpl Lobby.Event, for:
    Lobby.Events.AddSpectator`` with ``apply_event(%AddSpectator{} = ev, %Aggregate{} = agg)``:
    the event comes first, the state last. The applied event is the struct the implementation
    is for (its imperative name is an SG103), never the aggregate it is applied to."""
    lib = "lib/arena/lobby"
    files: Files = {
        "mix.exs": mix_project("Arena", "arena"),
        "lib/arena/lobby.ex": "defmodule Arena.Lobby do\nend\n",
        f"{lib}/aggregate.ex": "defmodule Arena.Lobby.Aggregate do\n  defstruct [:data]\nend\n",
        f"{lib}/events/add_spectator.ex": (
            "defmodule Arena.Lobby.Events.AddSpectator do\n  defstruct [:spec]\nend\n\n"
            "defimpl Arena.Lobby.Event, for: Arena.Lobby.Events.AddSpectator do\n"
            "  alias Arena.Lobby.Events.AddSpectator\n  alias Arena.Lobby.Aggregate\n\n"
            "  def apply_event(%AddSpectator{} = ev, %Aggregate{} = agg), do: {ev, agg}\nend\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG103") == [("SG103", f"{lib}/events/add_spectator.ex")]


def test_a_nouns_events_file_nesting_its_events_is_a_grouped_file(tmp_path: Path) -> None:
    """p2p-loan's ``wallets/wallet_events.ex`` nests ``WalletEvents.WalletCreated`` and its
    siblings, which the aggregate applies, as ``events.ex`` would: each is an event (SG306 on
    the file, SG101 on ``WalletCreated``) and the domain is shown event-sourced (SG601)."""
    lib = "lib/bank/wallets"
    files: Files = {
        "mix.exs": mix_project("Bank", "bank"),
        "lib/bank/wallets.ex": "defmodule Bank.Wallets do\nend\n",
        f"{lib}/wallet_events.ex": (
            "defmodule Bank.Wallets.WalletEvents do\n"
            "  defmodule WalletCreated do\n    defstruct [:id]\n  end\n\n"
            "  defmodule WalletCharged do\n    defstruct [:id, :amount]\n  end\nend\n"
        ),
        f"{lib}/wallet.ex": (
            "defmodule Bank.Wallets.Wallet do\n"
            "  alias Bank.Wallets.WalletEvents.{WalletCreated, WalletCharged}\n"
            "  defstruct [:id]\n"
            "  def apply(%__MODULE__{} = w, %WalletCreated{}), do: w\n"
            "  def apply(%__MODULE__{} = w, %WalletCharged{}), do: w\nend\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG101", "SG306", "SG601") == [
        ("SG101", f"{lib}/wallet_events.ex"),
        ("SG306", f"{lib}/wallet_events.ex"),
        ("SG601", lib),
    ]


def test_a_folder_of_exceptions_beside_its_root_file_is_no_context(tmp_path: Path) -> None:
    """edgehog's ``error.ex`` beside ``error/`` (``DeviceOffline``, ``AstarteAPIError``: each
    ``use Splode.Error``) holds the app's errors: no context, so the contexts raising them
    (``Edgehog.Error.DeviceOffline.exception(...)``) use no other domain. A context holding
    one exception beside its other code stays a context."""
    files: Files = {
        "mix.exs": mix_project("Fleet", "fleet"),
        "lib/fleet/error.ex": "defmodule Fleet.Error do\n  def wrap(e), do: e\nend\n",
        "lib/fleet/error/device_offline.ex": (
            "defmodule Fleet.Error.DeviceOffline do\n  use Splode.Error, fields: [:id]\nend\n"
        ),
        "lib/fleet/error/api_error.ex": (
            "defmodule Fleet.Error.APIError do\n  defexception [:message]\nend\n"
        ),
        "lib/fleet/devices.ex": "defmodule Fleet.Devices do\nend\n",
        "lib/fleet/devices/device.ex": (
            "defmodule Fleet.Devices.Device do\n  alias Fleet.Error.DeviceOffline\n"
            "  alias Fleet.Billing.Invoice\n"
            "  def ping(id), do: {DeviceOffline.exception(id: id), Invoice}\nend\n"
        ),
        "lib/fleet/billing.ex": "defmodule Fleet.Billing do\nend\n",
        "lib/fleet/billing/invoice.ex": (
            "defmodule Fleet.Billing.Invoice do\n  defstruct [:id]\nend\n"
        ),
        "lib/fleet/billing/overdue.ex": (
            "defmodule Fleet.Billing.Overdue do\n  defexception [:message]\nend\n"
        ),
    }
    write(tmp_path, files)
    _, found = lint_json(tmp_path, select=["SG501", "SG502"])
    assert [(f["code"], f["names"][2]) for f in found] == [("SG501", "billing")]


def test_a_domain_named_events_gives_its_own_files_no_kind(tmp_path: Path) -> None:
    """mobilizon's ``lib/mobilizon/events/`` is a context of meetups (``events/events.ex``):
    its embedded schemas (``EventOptions``) are a meetup's parts, not events, though the folder
    is named ``events``. A domain's own folder is never its technical folder, in Elixir as in
    Python; an ``events/`` folder inside a domain still holds events."""
    lib = "lib/meetup"
    schema = (
        "  use Ecto.Schema\n\n  embedded_schema do\n    field(:capacity, :integer)\n  end\nend\n"
    )
    files: Files = {
        "mix.exs": mix_project("Meetup", "meetup"),
        f"{lib}/events/events.ex": "defmodule Meetup.Events do\nend\n",
        f"{lib}/events/event_options.ex": f"defmodule Meetup.Events.EventOptions do\n{schema}",
        f"{lib}/events/event.ex": "defmodule Meetup.Events.Event do\nend\n",
        f"{lib}/billing/billing.ex": "defmodule Meetup.Billing do\nend\n",
        f"{lib}/billing/ledger.ex": "defmodule Meetup.Billing.Ledger do\nend\n",
        f"{lib}/billing/events/invoice_paid.ex": (
            "defmodule Meetup.Billing.Events.InvoicePaid do\n  defstruct [:id]\nend\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG201") == [("SG201", f"{lib}/billing/events/invoice_paid.ex")]


def test_an_ash_resources_table_is_its_domains_own(tmp_path: Path) -> None:
    """edgehog's ``Labeling.DeviceTag`` (an Ash resource) maps the table ``devices_tags`` in
    its ``postgres do table "devices_tags" end``: the labeling domain owns it, whatever its
    ``devices_`` prefix says, as an Ecto ``schema "devices_tags"`` there would. Another
    domain's migration altering that table is still SG506."""
    files: Files = {
        "mix.exs": mix_project("Fleet", "fleet"),
        "lib/fleet/devices.ex": "defmodule Fleet.Devices do\nend\n",
        "lib/fleet/devices/device.ex": "defmodule Fleet.Devices.Device do\nend\n",
        "lib/fleet/labeling.ex": "defmodule Fleet.Labeling do\nend\n",
        "lib/fleet/labeling/device_tag.ex": (
            "defmodule Fleet.Labeling.DeviceTag do\n  use Ash.Resource\n\n"
            '  postgres do\n    table "devices_tags"\n    repo Fleet.Repo\n  end\nend\n'
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG506") == []
    write(
        tmp_path,
        {
            "lib/fleet/devices/tag_cleanup.ex": (
                "defmodule Fleet.Devices.TagCleanup do\n"
                '  def run, do: execute("DELETE FROM devices_tags")\nend\n'
            )
        },
    )
    assert codes_at(tmp_path, "SG506") == [("SG506", "lib/fleet/devices/tag_cleanup.ex")]

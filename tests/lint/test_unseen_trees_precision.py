"""Premises checked on more trees slicegen had not been tuned on (issue 26): an API client kept
beside a Phoenix app, grouped files of an app's tools. Trees written here."""

from __future__ import annotations

import os
from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, *codes: str) -> list[tuple[str, str]]:
    _, found = lint_json(root, select=list(codes))
    return [(f["code"], f["path"]) for f in found]


def test_an_api_client_beside_the_app_in_lib_has_no_contexts(tmp_path: Path) -> None:
    """``lib/car_api/`` beside ``lib/fleet/`` (``app: :fleet``) is a client of a web API whose
    folders (``vehicle/`` beside ``vehicle.ex``) are no bounded contexts: the app's contexts
    using its structs break no boundary; a context using another context's internals still
    does."""
    files: Files = {
        "mix.exs": (
            "defmodule Fleet.MixProject do\n  use Mix.Project\n\n"
            '  def project do\n    [app: :fleet, version: "0.1.0"]\n  end\nend\n'
        ),
        "lib/car_api.ex": "defmodule CarApi do\nend\n",
        "lib/car_api/vehicle.ex": "defmodule CarApi.Vehicle do\n  defstruct [:id]\nend\n",
        "lib/car_api/vehicle/state/drive.ex": (
            "defmodule CarApi.Vehicle.State.Drive do\n  defstruct [:speed]\nend\n"
        ),
        "lib/car_api/stream.ex": "defmodule CarApi.Stream do\nend\n",
        "lib/car_api/stream/data.ex": "defmodule CarApi.Stream.Data do\n  defstruct [:at]\nend\n",
        "lib/fleet.ex": "defmodule Fleet do\nend\n",
        "lib/fleet/vehicles.ex": "defmodule Fleet.Vehicles do\nend\n",
        "lib/fleet/vehicles/vehicle.ex": (
            "defmodule Fleet.Vehicles.Vehicle do\n"
            "  alias CarApi.Vehicle.State.Drive\n  alias CarApi.{Stream, Vehicle}\n\n"
            "  def speed(%Drive{speed: s}), do: s\n"
            "  def at(%Stream.Data{at: at}), do: at\nend\n"
        ),
        "lib/fleet/trips.ex": "defmodule Fleet.Trips do\nend\n",
        "lib/fleet/trips/trip.ex": (
            "defmodule Fleet.Trips.Trip do\n  def car, do: %Fleet.Vehicles.Vehicle{}\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501", "SG502") == [("SG501", "lib/fleet/trips/trip.ex")]


def test_the_contexts_of_other_lib_folders_count_when_the_app_has_none(tmp_path: Path) -> None:
    """A project whose ``lib/<app>/`` holds no context keeps the contexts found elsewhere in
    ``lib/`` (a project named otherwise than its folder): they are still checked."""
    files: Files = {
        "mix.exs": (
            "defmodule Shop.MixProject do\n  use Mix.Project\n\n"
            "  def project do\n    [app: :shop]\n  end\nend\n"
        ),
        "lib/shop/application.ex": "defmodule Shop.Application do\nend\n",
        "lib/store/orders.ex": "defmodule Store.Orders do\nend\n",
        "lib/store/orders/order.ex": (
            "defmodule Store.Orders.Order do\n  def who, do: %Store.Accounts.User{}\nend\n"
        ),
        "lib/store/accounts.ex": "defmodule Store.Accounts do\nend\n",
        "lib/store/accounts/user.ex": "defmodule Store.Accounts.User do\n  defstruct []\nend\n",
    }
    root = tmp_path / "repo"
    write(root, files)
    assert ("SG501", "lib/store/orders/order.ex") in _found(root, "SG501")


def test_a_grouped_file_of_an_apps_tools_holds_no_event(tmp_path: Path) -> None:
    """A Django app's ``events.py`` holding an ``EventContext(UserDict)`` and its API's
    ``serializers_/events.py`` holding a ``WebhookSerializer`` are no events: no SG103, no
    domain shown (no SG601), no SG308 on its ``models/``. Beside them, an ``events.py`` of
    ``EventPublished`` (an event of a ticketing app's events), ``TicketRefund`` and
    ``EventType`` keeps the two events and judges them."""
    files: Files = {
        "extras/__init__.py": "",
        "extras/events.py": (
            "from collections import UserDict\n\n\n"
            "class EventContext(UserDict):\n"
            "    def freeze_data(self, instance):\n        self['data'] = instance\n"
        ),
        "extras/api/__init__.py": "",
        "extras/api/serializers_/__init__.py": "",
        "extras/api/serializers_/events.py": (
            "from rest_framework import serializers\n\n\n"
            "class WebhookSerializer(serializers.ModelSerializer):\n"
            "    class Meta:\n        fields = ('id', 'name')\n"
        ),
        "extras/models/__init__.py": "",
        "extras/models/rules.py": "class EventRule:\n    pass\n",
        "tickets/__init__.py": "",
        "tickets/events.py": (
            "from tickets.base import DomainEvent\n\n\n"
            "class EventType(DomainEvent):\n    name: str\n\n\n"
            "class EventPublished(DomainEvent):\n    event_id: str\n\n\n"
            "class TicketRefund(DomainEvent):\n    ticket_id: str\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    found = _found(root, "SG103", "SG306", "SG308", "SG601")
    assert found == [
        ("SG601", "tickets"),
        ("SG306", "tickets/events.py"),
        ("SG103", "tickets/events.py"),
    ]
    _, judged = lint_json(root, select=["SG103", "SG306"])
    assert "2 events (EventPublished, TicketRefund)" in judged[0]["message"]
    assert "'TicketRefund'" in judged[1]["message"]


def test_an_event_file_that_tells_no_name_is_not_judged_by_its_file_name(tmp_path: Path) -> None:
    """An ``event_v1`` that could not be read (binary, a FIFO) or defines nothing tells no event
    name: SG001 says what is wrong, and SG103 does not judge the file name ``event_v1`` as if it
    were the event's; a readable one is still judged."""
    files: Files = {
        "src/shop/__init__.py": "",
        "src/shop/orders/__init__.py": "",
        "src/shop/orders/domain/place_order/event_v1.py": b"\x00\x01\x02class X:\n",
        "src/shop/orders/domain/pay_order/event_v1.py": "",
        "src/shop/orders/domain/ship_order/event_v1.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass OrderShipping:\n"
            "    order_id: str\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    (root / "src/shop/orders/domain/cancel_order").mkdir()
    os.mkfifo(root / "src/shop/orders/domain/cancel_order/event_v1.py")
    assert _found(root, "SG001", "SG103") == [
        ("SG001", "src/shop/orders/domain/cancel_order/event_v1.py"),
        ("SG001", "src/shop/orders/domain/place_order/event_v1.py"),
        ("SG103", "src/shop/orders/domain/ship_order/event_v1.py"),
    ]


def test_a_folder_named_after_the_kind_is_no_slice(tmp_path: Path) -> None:
    """An event store client's ``eventsourcingdb/event/event.py`` (the ``Event`` envelope it
    reads back, with its ``type``) is no slice named ``event``: no SG301/SG302/SG201, no domain
    shown (SG601); nor is a DDD framework's ``ddd/domain/event/``. A folder named after an
    operation holding ``event.py`` still is a slice."""
    envelope = (
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Event:\n"
        "    source: str\n    type: str\n\n"
        "    @staticmethod\n    def parse(raw: dict) -> 'Event':\n"
        "        return Event(raw.get('source'), raw.get('type'))\n"
    )
    files: Files = {
        "eventsourcingdb/__init__.py": "from .event.event import Event\n",
        "eventsourcingdb/event/__init__.py": "",
        "eventsourcingdb/event/event.py": envelope,
        "eventsourcingdb/event/event_candidate.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass EventCandidate:\n"
            "    subject: str\n"
        ),
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/place_order/__init__.py": "",
        "shop/orders/place_order/event.py": envelope,
        "ddd/__init__.py": "",
        "ddd/domain/__init__.py": "",
        "ddd/domain/event/__init__.py": "",
        "ddd/domain/event/event.py": envelope,  # a DDD framework's base, below domain/
    }
    root = tmp_path / "repo"
    write(root, files)
    found = _found(root, "SG201", "SG301", "SG302", "SG601")
    assert not [f for f in found if f[1].startswith(("eventsourcingdb", "ddd"))]
    assert ("SG302", "shop/orders/place_order") in found


def test_another_librarys_handler_is_no_command_handler(tmp_path: Path) -> None:
    """``lib/fleet/mqtt/handler.ex`` using ``Tortoise311.Handler`` holds an MQTT client's
    callbacks, no command handler: no SG201; a command handler outside a slice still is one."""
    files: Files = {
        "mix.exs": "defmodule Fleet.MixProject do\n  use Mix.Project\nend\n",
        "lib/fleet/mqtt.ex": "defmodule Fleet.Mqtt do\nend\n",
        "lib/fleet/mqtt/handler.ex": (
            "defmodule Fleet.Mqtt.Handler do\n  use Tortoise311.Handler\n\n"
            "  def connection(:up, state), do: {:ok, state}\nend\n"
        ),
        "lib/fleet/trips.ex": "defmodule Fleet.Trips do\nend\n",
        "lib/fleet/trips/handler.ex": (
            "defmodule Fleet.Trips.Handler do\n  @behaviour Commanded.Commands.Handler\n"
            "  alias Fleet.Trips.Commands.StartTrip\n\n"
            "  def handle(trip, %StartTrip{}), do: trip\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG201") == [("SG201", "lib/fleet/trips/handler.ex")]


def test_the_apps_ecto_repo_or_a_schema_beside_its_folder_is_no_context(tmp_path: Path) -> None:
    """``lib/shop/repo.ex`` (``use Ecto.Repo``) with ``lib/shop/repo/paginator.ex`` is the
    repository every context queries through, not a context named ``repo``; ``actor.ex`` (``use
    Ecto.Schema``) with its embedded ``actor/preferences.ex`` is an entity, not a context: using
    them is no SG501/SG502/SG506; a context using another's internals still is an SG501."""
    files: Files = {
        "mix.exs": "defmodule Shop.MixProject do\n  use Mix.Project\nend\n",
        "lib/shop/repo.ex": (
            "defmodule Shop.Repo do\n  use Ecto.Repo,\n    otp_app: :shop,\n"
            "    adapter: Ecto.Adapters.Postgres\nend\n"
        ),
        "lib/shop/repo/paginator.ex": "defmodule Shop.Repo.Paginator do\n  def page, do: 1\nend\n",
        "lib/shop/actor.ex": (
            "defmodule Shop.Actor do\n  use Ecto.Schema\n\n"
            '  schema "actors" do\n    embeds_one :preferences, Shop.Actor.Preferences\n'
            "  end\nend\n"
        ),
        "lib/shop/actor/preferences.ex": (
            "defmodule Shop.Actor.Preferences do\n  use Ecto.Schema\nend\n"
        ),
        "lib/shop/accounts.ex": (
            "defmodule Shop.Accounts do\n  alias Shop.Repo\n\n"
            "  def all, do: Repo.all(Shop.Accounts.User)\nend\n"
        ),
        "lib/shop/accounts/user.ex": "defmodule Shop.Accounts.User do\n  defstruct [:id]\nend\n",
        "lib/shop/orders.ex": "defmodule Shop.Orders do\n  alias Shop.Repo\nend\n",
        "lib/shop/orders/order.ex": (
            "defmodule Shop.Orders.Order do\n  alias Shop.Repo.Paginator\n\n"
            "  def page, do: Paginator.page()\n  def owner, do: %Shop.Accounts.User{}\n"
            "  def by, do: %Shop.Actor{preferences: %Shop.Actor.Preferences{}}\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501", "SG502", "SG506") == [("SG501", "lib/shop/orders/order.ex")]


def test_a_keyword_of_a_publish_call_is_a_topic_only_when_it_names_one(tmp_path: Path) -> None:
    """``revision.publish(log_action="pages.publish.scheduled")`` (wagtail publishing a page)
    passes an audit-log action, not a topic: no SG402; a topic passed by position or as
    ``topic=``/``channel=`` still is judged (in a domain: its events make ``pages`` one)."""
    files: Files = {
        "pages/__init__.py": "",
        "pages/events.py": "class PagePublished(Event):\n    page_id: str\n",
        "pages/scheduled.py": (
            "def run(revision, bus):\n"
            '    revision.publish(log_action="pages.publish.scheduled", user=None)\n'
            '    bus.publish("orders:events", {})\n'
            '    bus.publish(topic="orders", payload={})\n'
            '    bus.broadcast(channel="everything", message="hi")\n'
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    _, found = lint_json(root, select=["SG402"])
    assert [f["names"][0] for f in found] == ["orders:events", "orders", "everything"]


def test_an_elixir_policies_file_of_access_rules_holds_no_policy(tmp_path: Path) -> None:
    """``policies.ex`` of a firewall app's access policies (a change hook and its ``Database``
    queries) neither handles events nor dispatches: no SG306; a ``policies.ex`` of event
    handlers that dispatch commands still groups policies."""
    files: Files = {
        "mix.exs": "defmodule Net.MixProject do\n  use Mix.Project\nend\n",
        "lib/net/access.ex": "defmodule Net.Access do\nend\n",
        "lib/net/access/policies.ex": (
            "defmodule Net.Access.Policies do\n  @behaviour Net.Changes.Hooks\n"
            "  def on_insert(lsn, data), do: {lsn, data}\n\n"
            "  defmodule Database do\n    def all, do: []\n  end\nend\n"
        ),
        "lib/net/orders.ex": "defmodule Net.Orders do\nend\n",
        "lib/net/orders/policies.ex": (
            "defmodule Net.Orders.WhenPaidThenShip do\n"
            "  use Commanded.Event.Handler, name: __MODULE__\n"
            "  def handle(%OrderPaid{} = e, _), do: Net.App.dispatch(%ShipOrder{id: e.id})\n"
            "end\n\n"
            "defmodule Net.Orders.WhenShippedThenBill do\n"
            "  use Commanded.Event.Handler, name: __MODULE__\n"
            "  def handle(%OrderShipped{} = e, _), do: Net.App.dispatch(%BillOrder{id: e.id})\n"
            "end\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG306") == [("SG306", "lib/net/orders/policies.ex")]

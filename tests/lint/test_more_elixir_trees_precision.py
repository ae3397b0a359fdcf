"""Elixir premises checked on more trees slicegen had not been tuned on (issue 28): commands and
events defined with the app's own macro rather than ``defstruct``, an event named on a
participle before a preposition, an uppercase sigil ending in an escaped backslash. Trees
written here."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .conftest import codes_at, lint_json
from .trees import Files, mix_project, write


def test_events_and_commands_made_by_the_apps_own_macro_are_read(tmp_path: Path) -> None:
    """``use Fleet.Support.Event`` with a ``defevent`` block (an embedded schema the macro
    writes) in ``events/``, applied by the aggregate, is an event like a ``defstruct``: its CRUD
    name, its unversioned file and the technical folders are found. A module in ``events/``
    that is neither (a helper) stays none."""
    files: Files = {
        "mix.exs": mix_project("Fleet", "fleet"),
        "lib/fleet.ex": "defmodule Fleet do\nend\n",
        "lib/fleet/support/event.ex": (
            "defmodule Fleet.Support.Event do\n"
            "  defmacro defevent(do: block) do\n    quote do\n      unquote(block)\n"
            "    end\n  end\n\n  defmacro __using__(_) do\n    quote do\n"
            "      import Fleet.Support.Event\n    end\n  end\nend\n"
        ),
        "lib/fleet/trucks.ex": "defmodule Fleet.Trucks do\nend\n",
        "lib/fleet/trucks/truck.ex": (
            "defmodule Fleet.Trucks.Truck do\n  defstruct [:id]\n\n"
            "  alias Fleet.Trucks.Commands.RenameTruck\n"
            "  alias Fleet.Trucks.Events.TruckUpdated\n\n"
            "  def execute(%__MODULE__{}, %RenameTruck{id: id}), do: %TruckUpdated{id: id}\n\n"
            "  def apply(%__MODULE__{} = truck, %TruckUpdated{}), do: truck\nend\n"
        ),
        "lib/fleet/trucks/events/truck_updated.ex": (
            "defmodule Fleet.Trucks.Events.TruckUpdated do\n  use Fleet.Support.Event\n\n"
            "  defevent do\n    field :id, :string\n  end\nend\n"
        ),
        "lib/fleet/trucks/events/names.ex": (
            "defmodule Fleet.Trucks.Events.Names do\n  def all, do: []\nend\n"
        ),
        "lib/fleet/trucks/commands/rename_truck.ex": (
            "defmodule Fleet.Trucks.Commands.RenameTruck do\n  use Fleet.Support.Command\n\n"
            "  defcommand do\n    field :id, :string\n  end\nend\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG101", "SG201", "SG308") == [
        ("SG101", "lib/fleet/trucks/events/truck_updated.ex"),
        ("SG201", "lib/fleet/trucks/commands/rename_truck.ex"),
        ("SG201", "lib/fleet/trucks/events/truck_updated.ex"),
        ("SG308", "lib/fleet/trucks/commands"),
        ("SG308", "lib/fleet/trucks/events"),
    ]


def test_an_event_named_on_a_participle_before_a_preposition_is_past_tense(
    tmp_path: Path,
) -> None:
    """Subject-less ``PaidIntoPot`` and ``TakenFromPot`` name what
    happened (SG103 passes them; SG101 reads ``DeletedFromPot``'s verb); ``PlannedPayout``, a
    participle before a noun, names a thing and is still flagged."""
    events = {"PaidIntoPot": "paid_into_pot", "TakenFromPot": "taken_from_pot"}
    events |= {"PlannedPayout": "planned_payout", "DeletedFromPot": "deleted_from_pot"}
    files: Files = {
        "mix.exs": mix_project("Kitty", "kitty"),
        "lib/kitty.ex": "defmodule Kitty do\nend\n",
    }
    for module, stem in events.items():
        files[f"lib/kitty/pots/domain/{stem}/event_v1.ex"] = (
            f"defmodule Kitty.Pots.Domain.{module}.EventV1 do\n  defstruct [:id]\n\n"
            f'  def event_type, do: "{stem}:v1"\nend\n'
        )
    write(tmp_path, files)
    _, found = lint_json(tmp_path, select=["SG101", "SG103"])
    assert sorted((f["code"], f["path"]) for f in found) == [
        ("SG101", "lib/kitty/pots/domain/deleted_from_pot/event_v1.ex"),
        ("SG103", "lib/kitty/pots/domain/planned_payout/event_v1.ex"),
    ]


def test_an_uppercase_sigil_ending_in_two_backslashes_parses(tmp_path: Path) -> None:
    """``~S(\\\\)`` is valid Elixir (the sigil keeps both backslashes and ends at ``)``), which
    tree-sitter-elixir reads as an escaped ``)``: no SG001, and the code after it is read (the
    CRUD event it emits). A sigil left open is still an error."""
    files: Files = {
        "mix.exs": mix_project("Notes", "notes"),
        "lib/notes.ex": "defmodule Notes do\nend\n",
        "lib/notes/search.ex": (
            "defmodule Notes.Search do\n  def escape, do: [~S(\\\\), ~S|a\\\\|]\n\n"
            '  def event_type, do: "note_deleted:v1"\nend\n'
        ),
        "lib/notes/broken.ex": "defmodule Notes.Broken do\n  def escape, do: ~S(\\\\\nend\n",
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG001", "SG101") == [
        ("SG001", "lib/notes/broken.ex"),
        ("SG101", "lib/notes/search.ex"),
    ]
    if shutil.which("elixir"):  # the premise: Elixir's own parser takes the first, not the second
        for rel, valid in (("search", True), ("broken", False)):
            script = f'Code.string_to_quoted!(File.read!("lib/notes/{rel}.ex"))'
            run = subprocess.run(["elixir", "-e", script], cwd=tmp_path, capture_output=True)
            assert (run.returncode == 0) is valid


def test_an_application_with_hex_metadata_keeps_its_contexts(tmp_path: Path) -> None:
    """``package: [...]`` beside ``releases: [...]`` in mix.exs is an application its team
    deploys (glific publishes its metadata too), not a library: its contexts are domains and a
    context reaching into another's schema is found. Without ``releases:`` it stays a library."""
    project = (
        "defmodule Chat.MixProject do\n  use Mix.Project\n\n  def project do\n"
        "    [\n      app: :chat,\n      releases: [prod: [steps: [:assemble]]],\n"
        '      package: [licenses: ["AGPL 3.0"]]\n    ]\n  end\nend\n'
    )
    files: Files = {
        "mix.exs": project,
        "lib/chat.ex": "defmodule Chat do\nend\n",
        "lib/chat/rooms.ex": "defmodule Chat.Rooms do\nend\n",
        "lib/chat/rooms/room.ex": "defmodule Chat.Rooms.Room do\n  defstruct [:id]\nend\n",
        "lib/chat/talks.ex": "defmodule Chat.Talks do\nend\n",
        "lib/chat/talks/talk.ex": (
            "defmodule Chat.Talks.Talk do\n  alias Chat.Rooms.Room\n\n  def new, do: %Room{}\nend\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG501") == [("SG501", "lib/chat/talks/talk.ex")]
    (tmp_path / "mix.exs").write_text(project.replace("      releases:", "      other:"))
    assert codes_at(tmp_path, "SG501") == []


def test_a_protocol_beside_its_implementations_is_no_context(tmp_path: Path) -> None:
    """``lib/pad/storage.ex`` holding ``defprotocol Pad.Storage`` beside ``storage/local.ex``
    (an implementation others build) is a protocol, not a context's API: a context naming
    ``Pad.Storage.Local`` reaches into no domain. A context beside it still counts."""
    files: Files = {
        "mix.exs": mix_project("Pad", "pad"),
        "lib/pad.ex": "defmodule Pad do\nend\n",
        "lib/pad/storage.ex": "defprotocol Pad.Storage do\n  def read(storage)\nend\n",
        "lib/pad/storage/local.ex": (
            "defmodule Pad.Storage.Local do\n  defstruct [:path]\n\n"
            "  defimpl Pad.Storage do\n    def read(_), do: :ok\n  end\nend\n"
        ),
        "lib/pad/notes.ex": "defmodule Pad.Notes do\nend\n",
        "lib/pad/notes/note.ex": (
            "defmodule Pad.Notes.Note do\n  def open, do: %Pad.Storage.Local{}\n"
            "  def owner, do: %Pad.Users.User{}\nend\n"
        ),
        "lib/pad/users.ex": "defmodule Pad.Users do\nend\n",
        "lib/pad/users/user.ex": "defmodule Pad.Users.User do\n  defstruct [:id]\nend\n",
    }
    write(tmp_path, files)
    _, found = lint_json(tmp_path, select=["SG501"])
    assert [(f["path"], f["names"][3]) for f in found] == [
        ("lib/pad/notes/note.ex", "Pad.Users.User")
    ]


def test_events_an_aggregate_applies_are_judged_in_the_shared_app(tmp_path: Path) -> None:
    """Events kept together in an umbrella's ``shared`` app (``stock_events.ex`` nesting
    ``StockCreated``), applied by a domain app's aggregate, are events wherever they live: the
    CRUD one is found. A struct of the shared app no aggregate applies is none."""
    files: Files = {
        "mix.exs": mix_project("Depot.Umbrella", "depot_umbrella"),
        "apps/shared/mix.exs": mix_project("Shared", "shared"),
        "apps/shared/lib/shared/events/stock_events.ex": (
            "defmodule Shared.Events.StockEvents do\n"
            "  defmodule StockCreated do\n    defstruct [:id]\n  end\n\n"
            "  defmodule StockReplenished do\n    defstruct [:id]\n  end\n\n"
            "  defmodule StockUpdated do\n    defstruct [:id]\n  end\nend\n"
        ),
        "apps/stock/mix.exs": mix_project("Stock", "stock"),
        "apps/stock/lib/stock.ex": "defmodule Stock do\nend\n",
        "apps/stock/lib/stock/shelf.ex": (
            "defmodule Stock.Shelf do\n  alias Shared.Events.StockEvents.{StockCreated, "
            "StockReplenished}\n\n  defstruct [:id]\n\n"
            "  def apply_event(shelf, %StockCreated{}), do: shelf\n"
            "  def apply_event(shelf, %StockReplenished{}), do: shelf\nend\n"
        ),
    }
    write(tmp_path, files)
    _, found = lint_json(tmp_path, select=["SG101"])
    assert [(f["path"], f["line"]) for f in found] == [
        ("apps/shared/lib/shared/events/stock_events.ex", 2)
    ]


def test_a_projector_in_any_folder_of_a_domain_is_read_as_parse_all_reads_it(
    tmp_path: Path,
) -> None:
    """``accounts/projectors/user.ex`` using ``Commanded.Projections.Ecto`` is a projection
    whether or not its bytes mention anything else the rules read: the triggered read finds its
    SG201/SG303 as ``--parse-all`` does (it found them only when the file happened to name
    another domain or a topic). A projector file named after the namespace of its modules
    (``media_list.ex`` holding ``MediaList.Schema`` and ``MediaList.Projection``) is no SG307."""
    files: Files = {
        "mix.exs": mix_project("Blog", "blog"),
        "lib/blog.ex": "defmodule Blog do\nend\n",
        "lib/blog/accounts.ex": "defmodule Blog.Accounts do\nend\n",
        "lib/blog/accounts/projectors/user.ex": (
            "defmodule Blog.Accounts.Projectors.User do\n"
            '  use Commanded.Projections.Ecto, name: "user"\n\n'
            "  project(%UserRegistered{} = e, _m, fn multi -> multi end)\nend\n"
        ),
        "lib/blog/accounts/read_model/media_list.ex": (
            "defmodule Blog.Accounts.ReadModel.MediaList.Schema do\n  defstruct [:id]\nend\n\n"
            "defmodule Blog.Accounts.ReadModel.MediaList.Projection do\n"
            '  use Commanded.Projections.Ecto, name: "media"\nend\n'
        ),
    }
    write(tmp_path, files)
    expected = [
        ("SG201", "lib/blog/accounts/projectors/user.ex"),
        ("SG201", "lib/blog/accounts/read_model/media_list.ex"),
        ("SG303", "lib/blog/accounts/projectors/user.ex"),
        ("SG303", "lib/blog/accounts/read_model/media_list.ex"),
    ]
    assert codes_at(tmp_path, "SG201", "SG303", "SG307") == expected
    _, everything = lint_json(tmp_path, select=["SG201", "SG303", "SG307"], parse_all=True)
    assert sorted((f["code"], f["path"]) for f in everything) == expected


def test_events_nested_in_an_aggregate_in_any_folder_are_read(tmp_path: Path) -> None:
    """``write_side/bucket_aggregate.ex`` nesting ``BucketCreated``, which the aggregate
    applies, holds an event whatever else it mentions: its CRUD name is found as
    ``--parse-all`` finds it (the file was read only when it named a topic or a type string)."""
    files: Files = {
        "mix.exs": mix_project("Buckets", "buckets"),
        "lib/buckets/application.ex": "defmodule Buckets.Application do\nend\n",
        "lib/buckets/write_side/bucket_aggregate.ex": (
            "defmodule Buckets.WriteSide.BucketAggregate do\n"
            "  defmodule CreateBucket do\n    defstruct [:name]\n  end\n\n"
            "  defmodule BucketCreated do\n    defstruct [:name]\n  end\n\n"
            "  defstruct [:name]\n\n"
            "  def execute(%__MODULE__{}, %CreateBucket{name: n}), do: %BucketCreated{name: n}\n"
            "  def apply(%__MODULE__{} = b, %BucketCreated{}), do: b\nend\n"
        ),
    }
    write(tmp_path, files)
    expected = [("SG101", "lib/buckets/write_side/bucket_aggregate.ex")]
    assert codes_at(tmp_path, "SG101") == expected
    _, everything = lint_json(tmp_path, select=["SG101"], parse_all=True)
    assert sorted((f["code"], f["path"]) for f in everything) == expected


def test_a_librarys_own_events_are_not_judged(tmp_path: Path) -> None:
    """A Hex library (``package:``, no ``releases:``) has no domains: the events its own
    aggregate applies (commanded-scheduler's ``ScheduledOnce``) are its API, not judged."""
    files: Files = {
        "mix.exs": (
            "defmodule Timer.MixProject do\n  use Mix.Project\n\n  def project do\n"
            '    [\n      app: :timer,\n      package: [licenses: ["MIT"]]\n    ]\n  end\nend\n'
        ),
        "lib/timer/schedule/scheduled_once.ex": (
            "defmodule Timer.ScheduledOnce do\n  defstruct [:id]\nend\n"
        ),
        "lib/timer/schedule/schedule.ex": (
            "defmodule Timer.Schedule do\n  defstruct [:id]\n\n"
            "  def apply(%__MODULE__{} = s, %Timer.ScheduledOnce{}), do: s\nend\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG101", "SG103") == []

"""Events the code shows outside slicegen's names: a hand-rolled Elixir aggregate's
``apply_event`` heads, and Python classes subclassing an event base in a domain's
``domain_events/`` folder. Trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write

MIX = "defmodule Club.MixProject do\n  use Mix.Project\nend\n"


def _names(root: Path, *codes: str) -> list[tuple[str, str]]:
    _, found = lint_json(root, select=list(codes))
    return [(f["code"], f["names"][0]) for f in found]


def test_structs_an_aggregate_folds_with_apply_event_are_events(tmp_path: Path) -> None:
    files: Files = {
        "mix.exs": MIX,
        "lib/club/members.ex": "defmodule Club.Members do\nend\n",
        "lib/club/members/events/member_created.ex": (
            "defmodule Club.Members.Events.MemberCreated do\n  defstruct [:id]\nend\n"
        ),
        "lib/club/members/events/fee_waived.ex": (
            "defmodule Club.Members.Events.FeeWaived do\n  defstruct [:id]\nend\n"
        ),
        "lib/club/members/events/roster.ex": (
            "defmodule Club.Members.Events.Roster do\n  defstruct [:ids]\nend\n"
        ),
        "lib/club/members/member.ex": (
            "defmodule Club.Members.Member do\n"
            "  defstruct [:id, :waived]\n"
            "  def apply_event(%__MODULE__{} = m, %MemberCreated{id: id}), do: %{m | id: id}\n"
            "  def apply_event(%__MODULE__{} = m, %FeeWaived{}), do: %{m | waived: true}\n"
            "end\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    # Roster sits in events/ but nothing folds it: it is not judged as an event
    assert _names(root, "SG101", "SG103") == [("SG101", "member_created")]


def test_event_classes_in_a_domain_events_folder_are_events(tmp_path: Path) -> None:
    ctx = "src/venue/booking"
    files: Files = {
        "src/venue/__init__.py": "",
        f"{ctx}/__init__.py": "",
        f"{ctx}/domain/domain_events/base.py": "class DomainEvent:\n    pass\n",
        f"{ctx}/domain/domain_events/seat_created_domain_event.py": (
            "from .base import DomainEvent\n\n\nclass SeatCreatedDomainEvent(DomainEvent):\n"
            "    seat: str\n"
        ),
        f"{ctx}/domain/domain_events/seat_held_event.py": (
            "from .base import DomainEvent\n\n\nclass SeatHeldEvent(DomainEvent):\n    seat: str\n"
        ),
        f"{ctx}/domain/domain_events/hold_expiry.py": (
            "from .base import DomainEvent\n\n\nclass HoldExpiry(DomainEvent):\n    seat: str\n"
        ),
        "tests/test_events.py": ("class SeatUpdatedDomainEvent(DomainEvent):\n    pass\n"),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert sorted(_names(root, "SG101", "SG103")) == [
        ("SG101", "seat_created"),
        ("SG103", "hold_expiry"),
    ]

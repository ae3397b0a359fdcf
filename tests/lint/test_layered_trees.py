"""Layered (not sliced) trees linted with no config: the folders of a DDD layer are no slices,
a file merely called ``event``/``command`` outside a slice is no artifact, and a layered app's
layer folders are no domains. Trees written here."""

from __future__ import annotations

from pathlib import Path

from slicegen.model.discovery import infer_layout, walk

from .conftest import lint_json
from .trees import Files, py_slice, write

CTX = "src/market/ticketing"

#: One bounded context laid out by DDD layer: an aggregate called ``Event`` (the business's
#: concert, not a domain event), value objects, exceptions and domain events in folders.
LAYERED: Files = {
    "src/market/__init__.py": "",
    f"{CTX}/__init__.py": "",
    f"{CTX}/domain/__init__.py": "",
    f"{CTX}/domain/event.py": (
        "class Event(AggregateRoot):\n    def reschedule(self, when):\n        self.when = when\n"
    ),
    f"{CTX}/domain/value_objects/venue_id.py": "class VenueId(ValueObject):\n    value: str\n",
    f"{CTX}/domain/exceptions/sold_out.py": "class SoldOut(Exception):\n    pass\n",
    f"{CTX}/domain/domain_events/rescheduled.py": "class Rescheduled(Message):\n    when: str\n",
}


def _found(root: Path, *codes: str) -> list[tuple[str, str]]:
    _, found = lint_json(root, select=list(codes))
    return [(f["code"], f["path"]) for f in found]


def test_the_folders_of_a_domain_layer_are_no_slices(tmp_path: Path) -> None:
    """``domain/value_objects/`` holds none of a slice's files: no SG104 on its name, no SG302
    for its missing parts, and no SG601 for a domain whose only "slices" are such folders; an
    aggregate in ``domain/event.py`` is no unversioned event (SG201)."""
    root = tmp_path / "repo"
    write(root, LAYERED)
    assert _found(root, "SG104", "SG302", "SG201", "SG601") == []


def test_a_real_slice_under_the_domain_layer_is_still_judged(tmp_path: Path) -> None:
    """A folder under ``domain/`` with a slice's files is a slice: an incomplete one is SG302,
    and its domain is event-sourced (SG601)."""
    files = dict(LAYERED)
    files.update(py_slice("ticketing", "book_seat", "seat_booked", where=f"{CTX}/domain/book_seat"))
    files.pop(f"{CTX}/domain/book_seat/booked_to_state_v1.py")
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG302", "SG601") == [
        ("SG601", CTX),
        ("SG302", f"{CTX}/domain/book_seat"),
    ]


def test_bare_event_and_command_files_outside_a_slice_are_no_artifacts(tmp_path: Path) -> None:
    """``lib/kit/cqrs/event.ex`` (an envelope struct) and ``command.ex`` (a protocol) are a
    toolkit's, not an unversioned event and command; reckon's ``evt.ex`` in a slice still is."""
    mix = "defmodule Kit.MixProject do\n  use Mix.Project\nend\n"
    files: Files = {
        "mix.exs": mix,
        "lib/kit/cqrs.ex": "defmodule Kit.Cqrs do\nend\n",
        "lib/kit/cqrs/event.ex": (
            "defmodule Kit.Cqrs.Event do\n  defstruct [:stream, :payload]\n"
            "  def wrap(stream, payload), do: %__MODULE__{stream: stream, payload: payload}\nend\n"
        ),
        "lib/kit/cqrs/command.ex": "defprotocol Kit.Cqrs.Command do\n  def valid?(c)\nend\n",
        "lib/kit/orders.ex": "defmodule Kit.Orders do\nend\n",
        "lib/kit/orders/place_order/evt.ex": (
            "defmodule Kit.Orders.PlaceOrder.Evt do\n  defstruct [:id]\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG201") == [("SG201", "lib/kit/orders/place_order/evt.ex")]


def test_the_layers_of_a_layered_app_are_no_domains(tmp_path: Path) -> None:
    """``entrypoints/`` and ``service_layer/`` (as in "Architecture Patterns with Python") are
    layers of the one context ``src/allocation``: no SG501 between them."""
    files: Files = {
        "src/allocation/__init__.py": "",
        "src/allocation/service_layer/__init__.py": "",
        "src/allocation/service_layer/handlers.py": "class InvalidSku(Exception):\n    pass\n",
        "src/allocation/entrypoints/__init__.py": "",
        "src/allocation/entrypoints/api.py": (
            "from allocation.service_layer.handlers import InvalidSku\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501", "SG502") == []


def test_infra_is_a_layer_of_each_context(tmp_path: Path) -> None:
    """``src/<context>/{domain,application,infra,presentation}``: ``infra`` is no domain."""
    files: Files = {}
    for ctx in ("reception", "display"):
        for layer in ("domain", "application", "infra", "presentation"):
            files[f"src/{ctx}/{layer}/__init__.py"] = ""
        files[f"src/{ctx}/__init__.py"] = ""
        files[f"src/{ctx}/infra/repository.py"] = "class RoomRepository:\n    pass\n"
    root = tmp_path / "repo"
    write(root, files)
    assert [d.name for d in infer_layout(walk(root, []), None).domains] == []


def test_the_modules_of_a_modules_folder_are_domains(tmp_path: Path) -> None:
    """``app/modules/<module>`` (no ``src``) and ``src/contexts/<context>/<module>`` (a context
    of subpackages, no ``__init__.py`` of its own) are domains; ``tests/contexts`` is not."""
    files: Files = {
        "app/__init__.py": "",
        "app/modules/__init__.py": "",
        "app/modules/shared_kernel/__init__.py": "",
        "app/modules/billing/__init__.py": "",
        "app/modules/billing/domain/__init__.py": "",
        "app/modules/catalog/__init__.py": "",
        "src/contexts/backstage/crew/domain/crew.py": "class Crew:\n    pass\n",
        "tests/__init__.py": "",
        "tests/contexts/backstage/test_crew.py": "def test_crew():\n    pass\n",
    }
    root = tmp_path / "repo"
    write(root, files)
    found = sorted(d.root for d in infer_layout(walk(root, []), None).domains)
    assert found == ["app/modules/billing", "app/modules/catalog", "src/contexts/backstage"]


def test_a_commands_package_init_that_re_exports_is_no_command(tmp_path: Path) -> None:
    """``commands/__init__.py`` importing its modules' classes is no unversioned command; the
    command modules beside it are."""
    cmds = "app/modules/billing/application/commands"
    files: Files = {
        "app/__init__.py": "",
        "app/modules/billing/__init__.py": "",
        f"{cmds}/__init__.py": (
            "from .issue_invoice import IssueInvoice\n\n__all__ = ['IssueInvoice']\n"
        ),
        f"{cmds}/issue_invoice.py": "class IssueInvoice(Command):\n    amount: int\n",
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG201") == [("SG201", f"{cmds}/issue_invoice.py")]

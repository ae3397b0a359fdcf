"""What an Elixir module or a Python handler class in ``event_handlers/`` is comes from its code:
one that dispatches (or a process manager) is a policy, one that only stores what happened is a
projection. Trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write

MIX = "defmodule Chat.MixProject do\n  use Mix.Project\nend\n"
HANDLERS = "lib/chat/posts/event_handlers"


def _handler(name: str, body: str) -> str:
    return (
        f"defmodule Chat.Posts.EventHandlers.{name} do\n"
        "  use Commanded.Event.Handler, application: Chat.App, name: __MODULE__\n"
        f"{body}end\n"
    )


FILES: Files = {
    "mix.exs": MIX,
    "lib/chat/posts.ex": "defmodule Chat.Posts do\nend\n",
    f"{HANDLERS}/keep_post.ex": _handler(
        "KeepPost",
        "  def handle(%PostWritten{} = e, _meta), do: Chat.PostStore.put(e)\n",
    ),
    f"{HANDLERS}/notify_followers.ex": _handler(
        "NotifyFollowers",
        "  def handle(%PostWritten{id: id}, _meta),\n"
        "    do: Chat.App.dispatch(%NotifyFollowers{post_id: id})\n",
    ),
}


def test_a_storing_event_handler_is_a_projection_and_a_dispatching_one_a_policy(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    write(root, FILES)
    _, found = lint_json(root, select=["SG303", "SG304"])
    assert [(f["code"], f["path"].rsplit("/", 1)[-1]) for f in found] == [
        ("SG303", "keep_post.ex"),
        ("SG304", "notify_followers.ex"),
    ]


PY_HANDLERS = "orders/application/event_handlers"


def _py_handler(name: str, imports: str, body: str) -> str:
    return (
        f"{imports}from orders.domain.events import OrderPlaced\n"
        "from shared.handlers import DomainEventHandler\n\n\n"
        f"class {name}(DomainEventHandler[OrderPlaced]):\n"
        "    def __init__(self, db, bus):\n        self._db = db\n        self._bus = bus\n\n"
        f"    async def handle(self, event: OrderPlaced) -> None:\n        {body}\n"
    )


PY_FILES: Files = {
    "orders/__init__.py": "",
    "orders/domain/events.py": (
        "from dataclasses import dataclass\n\n\n@dataclass\nclass OrderPlaced:\n    pk: str\n"
    ),
    f"{PY_HANDLERS}/__init__.py": "",
    f"{PY_HANDLERS}/order_placed_handler.py": _py_handler(
        "OrderPlacedHandler", "", "self._db.set(event.pk, event)"
    ),
    f"{PY_HANDLERS}/reserve_stock_handler.py": _py_handler(
        "ReserveStockHandler",
        "from stock.commands import ReserveStock\n",
        "await self._bus.send(ReserveStock(event.pk))",
    ),
    f"{PY_HANDLERS}/notify_buyer_handler.py": _py_handler(
        "NotifyBuyerHandler", "", "self._bus.dispatch('notify_buyer', event.pk)"
    ),
}


def test_a_python_handler_that_only_stores_is_a_projection(tmp_path: Path) -> None:
    """A Python handler class in ``event_handlers/`` that neither dispatches nor imports a
    command only stores what happened: a projection (SG303); one that sends a command it imports,
    or calls ``dispatch``, stays a policy (SG304)."""
    root = tmp_path / "repo"
    write(root, PY_FILES)
    _, found = lint_json(root, select=["SG303", "SG304"])
    assert sorted((f["code"], f["path"].rsplit("/", 1)[-1]) for f in found) == [
        ("SG303", "order_placed_handler.py"),
        ("SG304", "notify_buyer_handler.py"),
        ("SG304", "reserve_stock_handler.py"),
    ]

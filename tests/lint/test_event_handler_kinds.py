"""What an Elixir module in ``event_handlers/`` is comes from its code: one that dispatches (or a
process manager) is a policy, one that only stores what happened is a projection. Trees written
here."""

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

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

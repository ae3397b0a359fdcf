"""Without configured domains, lint takes its domains from the one discovery (model.domains) and
judges SG601 only on domains whose code shows slices, commands or events; layer and seedwork
folders, and an app's own code root holding contexts, are never domains. Trees written here."""

from __future__ import annotations

from pathlib import Path

from slicegen.model.discovery import infer_layout, walk

from .conftest import lint_json
from .trees import Files, recorded_event, write

MIX = "defmodule Kit.MixProject do\n  use Mix.Project\nend\n"


def _tree(tmp_path: Path, files: Files) -> Path:
    root = tmp_path / "repo"
    write(root, files)
    return root


def _domains(root: Path) -> list[str]:
    return sorted(d.root for d in infer_layout(walk(root, []), None).domains)


def _codes(root: Path, *codes: str) -> list[tuple[str, str]]:
    _, found = lint_json(root, select=list(codes))
    return [(f["code"], f["path"]) for f in found]


def test_a_library_with_contexts_is_not_one_domain(tmp_path: Path) -> None:
    """``lib/kit`` holds contexts (a root file beside a folder): the contexts are the domains,
    and a struct in ``lib/kit/commands/`` that nothing dispatches is neither a command nor a
    reason for SG201, SG308 or SG601."""
    root = _tree(
        tmp_path,
        {
            "mix.exs": MIX,
            "lib/kit.ex": "defmodule Kit do\nend\n",
            "lib/kit/commands/execution_result.ex": (
                "defmodule Kit.Commands.ExecutionResult do\n  defstruct [:events]\nend\n"
            ),
            "lib/kit/pubsub.ex": "defmodule Kit.PubSub do\nend\n",
            "lib/kit/pubsub/local.ex": "defmodule Kit.PubSub.Local do\nend\n",
        },
    )
    assert _domains(root) == ["lib/kit/pubsub"]
    assert _codes(root, "SG201", "SG308", "SG601") == []


def test_layer_and_seedwork_folders_are_never_domains(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "src/seedwork/domain/events.py": "class DomainEvent:\n    pass\n",
            "src/seedwork/application/commands.py": "class Command:\n    pass\n",
            "src/app/infrastructure/validation/commands/validate.py": "def validate(): ...\n",
        },
    )
    assert _domains(root) == []
    assert _codes(root, "SG601") == []


def test_a_domain_whose_code_shows_events_still_needs_its_document(tmp_path: Path) -> None:
    """``stages`` has an event its aggregate applies: SG601. ``email`` (a context with its root
    file inside, no command or event) is a domain, but not judged."""
    root = _tree(
        tmp_path,
        {
            "mix.exs": MIX,
            "lib/kit/stages/events/stage_started.ex": (
                "defmodule Kit.Events.StageStarted do\n  defstruct [:id]\nend\n"
            ),
            "lib/kit/stages/stage.ex": (
                "defmodule Kit.Stages.Stage do\n"
                "  alias Kit.Events.StageStarted\n"
                "  defstruct [:id]\n"
                "  def apply(%Kit.Stages.Stage{} = s, %StageStarted{}), do: s\n"
                "end\n"
            ),
            "lib/kit/email/email.ex": "defmodule Kit.Email do\nend\n",
            "lib/kit/email/mailer.ex": "defmodule Kit.Email.Mailer do\nend\n",
        },
    )
    assert _domains(root) == ["lib/kit/email", "lib/kit/stages"]
    assert _codes(root, "SG601") == [("SG601", "lib/kit/stages")]


def test_configured_domains_are_judged_without_evidence(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "slicegen.toml": '[lint.boundaries]\ndomains = ["lib/kit/*"]\n',
            "mix.exs": MIX,
            "lib/kit/email/mailer.ex": "defmodule Kit.Email.Mailer do\nend\n",
        },
    )
    assert _codes(root, "SG601") == [("SG601", "lib/kit/email")]


def test_the_event_argument_of_an_endpoint_broadcast_is_no_topic(tmp_path: Path) -> None:
    """``Endpoint.broadcast(topic, event, payload)``: the topic is the first argument; a
    PubSub call's is the second."""
    root = _tree(
        tmp_path,
        {
            "mix.exs": MIX,
            "lib/kit/entry_recorded.ex": recorded_event("Kit.EntryRecorded"),
            "lib/kit_web/auth.ex": (
                "defmodule KitWeb.Auth do\n"
                '  def out(id), do: KitWeb.Endpoint.broadcast(id, "disconnect", %{})\n'
                '  def all, do: KitWeb.Endpoint.broadcast("users", "disconnect", %{})\n'
                '  def ps(m), do: Phoenix.PubSub.broadcast(Kit.PubSub, "orders", m)\n'
                "end\n"
            ),
        },
    )
    _, found = lint_json(root, select=["SG402"])
    assert [(f["line"], f["names"][0]) for f in found] == [(3, "users"), (4, "orders")]


def test_a_hex_package_has_no_domains(tmp_path: Path) -> None:
    """A library (``package:`` in its mix.exs) is an API, not a modular monolith: neither its
    contexts nor its ``commands/`` folder make domains, so no SG5xx, SG308 or SG601."""
    library = (
        "defmodule Kit.MixProject do\n  def project, do: [\n    package: package()\n  ]\nend\n"
    )
    root = _tree(
        tmp_path,
        {
            "mix.exs": library,
            "lib/kit/pubsub.ex": "defmodule Kit.PubSub do\n  alias Kit.Store.Event\nend\n",
            "lib/kit/pubsub/local.ex": "defmodule Kit.PubSub.Local do\nend\n",
            "lib/kit/store.ex": "defmodule Kit.Store do\nend\n",
            "lib/kit/store/event.ex": "defmodule Kit.Store.Event do\n  defstruct [:id]\nend\n",
            "lib/kit/commands/dispatch_v1.ex": "defmodule Kit.Commands.DispatchV1 do\nend\n",
        },
    )
    assert _domains(root) == []
    assert _codes(root, "SG501", "SG502", "SG308", "SG601") == []

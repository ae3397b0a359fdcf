"""Premises checked on more Python trees slicegen had not been tuned on (issue 27): a Django
app's ``events/`` package, a web API's ``handlers/``, an application layer's ``command.py``,
signal handlers, a console UI, documentation snippets, interfaces, a static analysis's facts,
private helpers, test-support packages, and ambar's ``domain/<context>/`` layout. Trees written
here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, files: Files, *codes: str) -> list[tuple[str, str]]:
    write(root, files)
    _, found = lint_json(root, select=list(codes) or ["SG"])
    return [(f["code"], f["path"]) for f in found]


def test_a_django_apps_events_package_holds_no_events(tmp_path: Path) -> None:
    """``events/`` of a Django app (its ``AppConfig``, a middleware, signal receivers and
    ``emit_event()`` functions) and a Flask API's ``handlers/events.py`` (a REST resource) hold
    no event: no SG201, and the app they are in shows no operation (no SG308 on its
    ``models/`` or ``services/``). An ``events/`` folder of event classes is still judged."""
    files: Files = {
        "board/__init__.py": "",
        "board/events/__init__.py": "",
        "board/events/apps.py": (
            "from django.apps import AppConfig\n\n\nclass EventsAppConfig(AppConfig):\n"
            '    name = "board.events"\n'
        ),
        "board/events/middleware.py": "class SessionIDMiddleware(object):\n    pass\n",
        "board/events/signal_handlers.py": "def on_save_any_model(sender, instance):\n    pass\n",
        "board/events/events.py": "def emit_event(data, routing_key):\n    pass\n",
        "board/projects/services/__init__.py": "",
        "board/projects/services/stats.py": "def count():\n    return 0\n",
        "board/base/db/models/__init__.py": "",
        "dash/handlers/__init__.py": "",
        "dash/handlers/events.py": (
            "from dash.handlers.base import BaseResource\n\n\n"
            "class EventsResource(BaseResource):\n    pass\n"
        ),
        "dash/models/__init__.py": "",
    }
    assert _found(tmp_path / "apps", files) == []
    events: Files = {
        "shop/__init__.py": "",
        "shop/events/__init__.py": "",
        "shop/events/order_placed.py": "class OrderPlaced:\n    order_id: str\n",
    }
    assert _found(tmp_path / "events", events, "SG201", "SG308") == [
        ("SG308", "shop/events"),
        ("SG201", "shop/events/order_placed.py"),
    ]


def test_an_application_layers_command_module_is_no_slice(tmp_path: Path) -> None:
    """``src/user/application/command.py`` (a service class of the application layer) is no
    slice ``application``: no SG301, SG302, SG201 or SG104 on it."""
    files: Files = {
        "src/user/__init__.py": "",
        "src/user/domain/__init__.py": "",
        "src/user/domain/entity.py": "class User:\n    email: str\n",
        "src/user/application/__init__.py": "",
        "src/user/application/command.py": (
            "class UserCommand:\n    def sign_up_user(self, email):\n        return email\n"
        ),
    }
    assert _found(tmp_path / "repo", files, "SG1", "SG2", "SG3") == []


def test_signal_handlers_and_a_console_ui_locate_no_domain(tmp_path: Path) -> None:
    """A package whose only sign of a domain is a ``handlers.py`` (Django signal receivers) is
    no domain: its use of another package's API is no SG502. A console's ``commands/`` in a
    ``ui/`` layer is no domain either (no SG201 on ``manage_x_projection.py``), nor a Django
    project's ``settings/`` (``from .default import *``): a task's use of its ``features``
    module is no SG501. A package with a ``commands/`` folder of commands still is one."""
    files: Files = {
        "src/docs/__init__.py": "",
        "src/docs/search/__init__.py": (
            "from docs.search._backend import get_backend\n\n__all__ = ['get_backend']\n"
        ),
        "src/docs/search/_backend.py": "def get_backend():\n    return None\n",
        "src/docs/signals/__init__.py": "",
        "src/docs/signals/handlers.py": (
            "from docs.search import get_backend\n\n\n"
            "def update_index(sender, instance):\n    get_backend()\n"
        ),
        "src/ui/__init__.py": "",
        "src/ui/console/__init__.py": "",
        "src/ui/console/commands/__init__.py": "",
        "src/ui/console/commands/manage_payment_projection.py": (
            "async def import_stream():\n    pass\n"
        ),
        "src/docs/settings/__init__.py": "from .default import *\n",
        "src/docs/settings/default.py": "DEBUG = False\n",
        "src/docs/settings/features.py": "FLAGS = {}\n",
        "src/docs/tasks/__init__.py": 'from .project import sync\n\n__all__ = ("sync",)\n',
        "src/docs/tasks/project.py": "def sync():\n    pass\n",
        "src/docs/tasks/analytics.py": "from docs.settings import features\n",
    }
    assert _found(tmp_path / "repo", files) == []
    files["src/docs/orders/__init__.py"] = ""
    files["src/docs/orders/commands/__init__.py"] = ""
    files["src/docs/orders/commands/place_order.py"] = "class PlaceOrder:\n    pass\n"
    assert ("SG201", "src/docs/orders/commands/place_order.py") in _found(
        tmp_path / "again", files, "SG201"
    )


def test_snippets_interfaces_facts_and_helpers_are_no_artifacts(tmp_path: Path) -> None:
    """A documentation snippet (``events/001.py``, no module name), an interface
    (``ports/projection.py``'s ``Protocol``), a static analysis's ``CallFact`` in ``facts.py``,
    a module's private helpers and diagram functions in ``handlers.py``, an upcasting reader
    and a mixin are no artifacts: none of SG201, SG303, SG306, SG307, SG308, SG403. Beside
    them, ``AccountActivatedFact`` is still a fact, in a file not named after it (SG307, SG403)."""
    files: Files = {
        "docs_src/guides/domain-definition/events/001.py": (
            "class UserActivated:\n    user_id: str\n"
        ),
        "src/kit/__init__.py": "",
        "src/kit/engine/__init__.py": "from kit.engine.runner import run\n",
        "src/kit/engine/runner.py": "def run():\n    pass\n",
        "src/kit/engine/events.py": "class JobStarted(DomainEvent):\n    job_id: str\n",
        "src/kit/engine/ports/__init__.py": "",
        "src/kit/engine/ports/projection.py": (
            "from typing import Protocol\n\n\nclass IProjectionWriter(Protocol):\n"
            "    def write(self, row): ...\n"
        ),
        "src/kit/engine/facts.py": (
            "class CallFact:\n    name: str\n\n\nclass AttributeFact:\n    name: str\n"
        ),
        "src/kit/engine/diagrams/__init__.py": "",
        "src/kit/engine/diagrams/handlers.py": (
            "def _cmd_node_id(fqn):\n    return fqn\n\n\n"
            "def _render_command_handlers(ir):\n    return []\n\n\n"
            "def generate_command_handler_diagram(ir):\n    return ''\n\n\n"
            "def generate_event_handler_diagram(ir):\n    return ''\n"
        ),
        "src/kit/engine/reading/__init__.py": "",
        "src/kit/engine/reading/upcasting_reader.py": "class UpcastingEventReader:\n    pass\n",
        "src/kit/engine/reading/upcasting.py": "class MultitenantUpcasterMixin:\n    pass\n",
        "src/kit/engine/notify/__init__.py": "",
        "src/kit/engine/messages.py": ("class AccountActivatedFact:\n    account_id: str\n"),
    }
    found = _found(tmp_path / "repo", files, "SG2", "SG3", "SG4")
    assert found == [
        ("SG307", "src/kit/engine/messages.py"),
        ("SG403", "src/kit/engine/messages.py"),
    ]


def test_type_strings_count_only_where_the_tree_emits_some(tmp_path: Path) -> None:
    """``"sha256:v1"`` in a test is no unknown type string in a tree whose ``event_type``
    assignments hold no type string (``event_type = data.get("event")``); in a tree that emits
    ``"order_placed:v1"`` an unknown one still is (SG405)."""
    files: Files = {
        "src/app/__init__.py": "",
        "src/app/feed.py": "def kind(data):\n    event_type = data.get('event')\n"
        "    return event_type\n",
        "tests/test_git.py": "def test_checksum():\n    assert 'sha256:v1' != 'sha256:v2'\n",
    }
    assert _found(tmp_path / "none", files, "SG405") == []
    files["src/app/order_placed_v1.py"] = (
        'class OrderPlacedV1:\n    event_type = "order_placed:v1"\n'
    )
    assert ("SG405", "tests/test_git.py") in _found(tmp_path / "some", files, "SG405")


def test_a_package_init_and_a_testing_package_are_judged_as_such(tmp_path: Path) -> None:
    """A technical folder's ``__init__.py`` defining the commands' base class is told no
    version (a package's init cannot carry one), while its command module is; a library's
    ``testing/`` package of fixtures (``ConformanceEvent``) is no domain (no SG103)."""
    files: Files = {
        "store/__init__.py": "",
        "store/commands/__init__.py": "class KeyValueCommand:\n    pass\n",
        "store/commands/hash_commands.py": (
            "from store.commands import KeyValueCommand\n\n\n"
            "class SetFieldCommand(KeyValueCommand):\n    pass\n"
        ),
        "src/kit/__init__.py": "",
        "src/kit/testing/__init__.py": "from kit.testing._fixtures import ConformanceEvent\n",
        "src/kit/testing/_fixtures.py": (
            "class ConformanceEvent(DomainEvent):\n    payload: str = ''\n"
        ),
    }
    assert _found(tmp_path / "repo", files, "SG201", "SG103") == [
        ("SG201", "store/commands/hash_commands.py")
    ]


def test_ambars_contexts_in_a_top_level_domain_folder(tmp_path: Path) -> None:
    """ambar's layout, ``domain/<context>/<aggregate>/command/<slice>/`` with the command and
    its handler named after the slice (``submit_application_command.py``): the context is a
    domain, its unversioned command and handler are SG201 and the slice, which keeps no event,
    is SG302; it is under the literal ``domain/`` folder (no SG301). A top-level
    ``domain/events/`` folder is no context."""
    base = "domain/cooking_club/membership"
    files: Files = {
        f"{base}/aggregate/membership.py": "class Membership:\n    pass\n",
        f"{base}/event/application_submitted.py": (
            "class ApplicationSubmitted(CreationEvent):\n    pass\n"
        ),
        f"{base}/command/submit_application/submit_application_command.py": (
            "class SubmitApplicationCommand(Command):\n    first_name: str\n"
        ),
        f"{base}/command/submit_application/submit_application_command_handler.py": (
            "class SubmitApplicationCommandHandler(CommandHandler):\n"
            "    def handle_command(self, command):\n        pass\n"
        ),
        f"{base}/command/submit_application/submit_application_command_controller.py": (
            "class SubmitApplicationCommandController:\n    pass\n"
        ),
    }
    slice_dir = f"{base}/command/submit_application"
    assert _found(tmp_path / "repo", files, "SG2", "SG3") == [
        ("SG302", slice_dir),
        ("SG201", f"{slice_dir}/submit_application_command.py"),
        ("SG201", f"{slice_dir}/submit_application_command_handler.py"),
        ("SG201", f"{base}/event/application_submitted.py"),  # event/ beside command/ (29)
    ]
    layer: Files = {"domain/events/user_registered/user_registered_command.py": "x = 1\n"}
    assert _found(tmp_path / "layer", layer) == []

"""Premises checked on trees slicegen had not been tuned on (issue 21): a folder's name alone
makes no artifact, no slice and no domain. Trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, recorded_event, write

DJANGO_COMMAND = (
    "from django.core.management.base import BaseCommand\n\n\n"
    "class Command(BaseCommand):\n"
    "    def add_arguments(self, parser):\n        parser.add_argument('--days')\n\n"
    "    def handle(self, *args, **options):\n        pass\n"
)


def _found(root: Path, *codes: str) -> list[tuple[str, str]]:
    _, found = lint_json(root, select=list(codes))
    return [(f["code"], f["path"]) for f in found]


def test_django_management_commands_are_no_domain_commands(tmp_path: Path) -> None:
    """``<app>/management/commands/`` holds programs ``manage.py`` runs (``class
    Command(BaseCommand)``): no unversioned command (SG201), no technical folder (SG308); a
    command message, or a class of the project's own ``BaseCommand``, in a ``commands/``
    folder still is one."""
    files: Files = {
        "accounts/__init__.py": "",
        "accounts/management/__init__.py": "",
        "accounts/management/commands/__init__.py": "",
        "accounts/management/commands/purge_inactive_users.py": DJANGO_COMMAND,
        "billing/__init__.py": "",
        "billing/commands/__init__.py": "",
        "billing/commands/charge_card.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass ChargeCard:\n"
            "    card_id: str\n"
        ),
        "billing/commands/refund.py": (  # the project's own BaseCommand: a domain command
            "from billing.base import BaseCommand\n\n\nclass RefundCharge(BaseCommand):\n"
            "    def execute(self, charge_id):\n        pass\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG201", "SG308") == [
        ("SG308", "billing/commands"),
        ("SG201", "billing/commands/charge_card.py"),
        ("SG201", "billing/commands/refund.py"),
    ]


def test_django_command_folders_and_migrations_hold_no_artifacts(tmp_path: Path) -> None:
    """Django fixes what ``management/commands/`` and ``migrations/`` hold, whatever the code
    or the file names say: a re-exported ``Command``, a helper module beside the programs, a
    migration named ``0041_permissions_to_groups.py`` (no projection), an Alembic revision
    ``ab12_move_codes_to_new_model.py``; the domain's own projection still is one."""
    files: Files = {
        "shop/__init__.py": "",
        "shop/account/__init__.py": "",
        "shop/account/management/__init__.py": "",
        "shop/account/management/commands/__init__.py": "",
        "shop/account/management/commands/changepassword.py": (
            "from django.contrib.auth.management.commands.changepassword import Command\n\n"
            '__all__ = ["Command"]\n'
        ),
        "shop/account/management/commands/utils.py": (
            "def clean_permissions(required):\n    return [p for p in required if p]\n"
        ),
        "shop/account/migrations/__init__.py": "",
        "shop/account/migrations/0041_permissions_to_groups.py": (
            "from django.db import migrations\n\n\n"
            "def add_users_to_groups(apps, schema_editor):\n    pass\n\n\n"
            "class Migration(migrations.Migration):\n"
            "    operations = [migrations.RunPython(add_users_to_groups)]\n"
        ),
        "shop/db/migrations/versions/ab12_move_codes_to_new_model.py": (
            "def upgrade():\n    pass\n"
        ),
        "shop/account/commands/__init__.py": "",
        "shop/account/commands/close_account.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass CloseAccount:\n"
            "    account_id: str\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG201", "SG303", "SG307", "SG308") == [
        ("SG308", "shop/account/commands"),
        ("SG201", "shop/account/commands/close_account.py"),
    ]


def test_a_technical_folder_under_the_domain_layer_is_no_slice(tmp_path: Path) -> None:
    """``<ctx>/domain/events/`` is a layer folder (SG308), not a slice called ``events``: no
    SG104 on its name, no SG302 for its missing command and handler."""
    ctx = "src/todo/contexts/tasks"
    files: Files = {
        "src/todo/__init__.py": "",
        "src/todo/contexts/__init__.py": "",
        f"{ctx}/__init__.py": "",
        f"{ctx}/domain/__init__.py": "",
        f"{ctx}/domain/events/__init__.py": "",
        f"{ctx}/domain/events/task_completed.py": (
            "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\n"
            "class TaskCompleted(DomainEvent):\n    task_id: str\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG104", "SG302", "SG308") == [("SG308", f"{ctx}/domain/events")]


def test_an_empty_base_class_in_event_py_makes_no_slice(tmp_path: Path) -> None:
    """``commons/event_bus/event.py`` holding ``class Event: ...`` (the base a bus's events
    build on) locates no domain and anchors no slice: no SG201, SG301, SG302 or SG601; an
    ``event.py`` with fields beside a command still makes a slice."""
    files: Files = {
        "commons/__init__.py": "",
        "commons/event_bus/__init__.py": "",
        "commons/event_bus/event.py": "class Event:\n    ...\n",
        "commons/event_bus/bus.py": "class EventBus:\n    def publish(self, e):\n        pass\n",
        "orders/__init__.py": "",
        "orders/place_order/__init__.py": "",
        "orders/place_order/event.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass OrderPlaced:\n"
            "    order_id: str\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    found = _found(root, "SG201", "SG301", "SG302", "SG601")
    assert [p for _, p in found if p.startswith("commons")] == []
    assert ("SG201", "orders/place_order/event.py") in found


def test_the_folders_of_a_phoenix_web_layer_are_no_domains(tmp_path: Path) -> None:
    """``lib/shop_web/plugs/`` beside ``lib/shop_web/plugs.ex`` is part of the web layer, not
    a context: its use of a context's internals is no SG501; a context using another's still
    is."""
    files: Files = {
        "mix.exs": "defmodule Shop.MixProject do\n  use Mix.Project\nend\n",
        "lib/shop/accounts.ex": "defmodule Shop.Accounts do\nend\n",
        "lib/shop/accounts/user.ex": "defmodule Shop.Accounts.User do\n  defstruct [:id]\nend\n",
        "lib/shop/orders.ex": "defmodule Shop.Orders do\nend\n",
        "lib/shop/orders/order.ex": (
            "defmodule Shop.Orders.Order do\n  alias Shop.Accounts.User\n"
            "  defstruct [:id, :user]\nend\n"
        ),
        "lib/shop_web/plugs.ex": "defmodule ShopWeb.Plugs do\nend\n",
        "lib/shop_web/plugs/auth.ex": (
            "defmodule ShopWeb.Plugs.Auth do\n  alias Shop.Accounts.User\n"
            "  def call(conn, _), do: conn\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501") == [("SG501", "lib/shop/orders/order.ex")]


MODULE = "from dataclasses import dataclass\n\n\n@dataclass\nclass {name}:\n    id: str\n"


def test_a_modules_folder_names_no_app_and_its_modules_are_checked(tmp_path: Path) -> None:
    """``modules/<module>/`` at the top: ``modules`` is the container, not the app, so the
    boundary rules see the modules as domains: one importing another's internals is SG501."""
    files: Files = {
        "modules/__init__.py": "",
        "modules/crud/__init__.py": "",
        "modules/crud/interface.py": MODULE.format(name="GetCrudData"),
        "modules/crud/commands/__init__.py": "",
        "modules/crud/commands/purge_records.py": MODULE.format(name="PurgeRecords"),
        "modules/billing/__init__.py": "",
        "modules/billing/commands/__init__.py": "",
        "modules/billing/commands/charge_card.py": (
            "from modules.crud.interface import GetCrudData\n\n" + MODULE.format(name="ChargeCard")
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501") == [("SG501", "modules/billing/commands/charge_card.py")]


def test_contexts_in_a_src_package_are_the_domains_and_its_scripts_none(tmp_path: Path) -> None:
    """``src/todo/contexts/<ctx>/``: each context is a domain (one using another's internals is
    SG501); ``src/todo/scripts/`` beside the container is the app's, no domain (its seed script
    may use the contexts)."""
    files: Files = {
        "src/todo/__init__.py": "",
        "src/todo/contexts/__init__.py": "",
        "src/todo/contexts/tasks/__init__.py": "",
        "src/todo/contexts/tasks/application/__init__.py": "",
        "src/todo/contexts/tasks/application/dto.py": MODULE.format(name="TaskInput"),
        "src/todo/contexts/users/__init__.py": "",
        "src/todo/contexts/users/application/__init__.py": "",
        "src/todo/contexts/users/application/lookup.py": (
            "from todo.contexts.tasks.application.dto import TaskInput\n\n"
            + MODULE.format(name="UserLookup")
        ),
        "src/todo/scripts/__init__.py": "",
        "src/todo/scripts/seed.py": "from todo.contexts.tasks.application.dto import TaskInput\n",
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501") == [("SG501", "src/todo/contexts/users/application/lookup.py")]


def test_imports_spelled_from_the_tree_root_name_the_domain_below_src(tmp_path: Path) -> None:
    """``from src.contexts.backoffice.users.domain import UserId`` names the module
    ``contexts.backoffice.users.domain`` below ``src``: another context using it is SG501."""
    files: Files = {
        "src/contexts/__init__.py": "",
        "src/contexts/backoffice/__init__.py": "",
        "src/contexts/backoffice/users/__init__.py": "",
        "src/contexts/backoffice/users/domain.py": MODULE.format(name="UserId"),
        "src/contexts/photostore/__init__.py": "",
        "src/contexts/photostore/photo/__init__.py": "",
        "src/contexts/photostore/photo/creator.py": (
            "from src.contexts.backoffice.users.domain import UserId\n\n"
            + MODULE.format(name="PhotoCreator")
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501") == [("SG501", "src/contexts/photostore/photo/creator.py")]


def test_events_in_a_module_domain_layer_below_the_context_are_read(tmp_path: Path) -> None:
    """``<ctx>/<module>/domain/domainevents/*.py`` is read like ``<ctx>/domain/``: a CRUD-named
    domain event there is SG101 even when no other file mentions it."""
    ctx = "src/contexts/backoffice"
    files: Files = {
        "src/contexts/__init__.py": "",
        f"{ctx}/__init__.py": "",
        f"{ctx}/users/__init__.py": "",
        f"{ctx}/users/domain/__init__.py": "",
        f"{ctx}/users/domain/domainevents/__init__.py": "",
        f"{ctx}/users/domain/domainevents/user_created.py": (
            "class UserCreatedDomainEvent(DomainEvent):\n    EVENT_TYPE = 'user.created'\n"
        ),
        "src/contexts/billing/__init__.py": "",
        "src/contexts/billing/invoices/__init__.py": "",
        "src/contexts/billing/invoices/service.py": "class InvoiceService:\n    pass\n",
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG101") == [("SG101", f"{ctx}/users/domain/domainevents/user_created.py")]


def test_a_capitalised_folder_above_the_domains_names_no_app(tmp_path: Path) -> None:
    """``lib/blog/Accounts/users/commands/``: ``Accounts`` cannot be an app's name, so lint
    takes none (it stopped with a configuration error) and judges the context's files."""
    users = "lib/blog/Accounts/users"
    files: Files = {
        "mix.exs": "defmodule Blog.MixProject do\n  use Mix.Project\nend\n",
        "lib/blog.ex": "defmodule Blog do\nend\n",
        f"{users}/commands/register_user.ex": (
            "defmodule Blog.Accounts.Users.Commands.RegisterUser do\n  defstruct [:uuid]\nend\n"
        ),
        f"{users}/events/user_registered.ex": (
            "defmodule Blog.Accounts.Users.Events.UserRegistered do\n  defstruct [:uuid]\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    code, found = lint_json(root)  # every rule: the boundary rules took the app too
    assert code == 1
    assert sorted(f["path"] for f in found if f["code"] == "SG201") == [
        f"{users}/commands/register_user.ex",
        f"{users}/events/user_registered.ex",
    ]


def test_snippets_in_an_examples_folder_have_no_storming_document_to_write(
    tmp_path: Path,
) -> None:
    """``examples/singledispatch/events.py``: its CRUD event is still SG101, but a folder of
    snippets is no domain to storm (no SG601); the same code in the product is."""
    events = (
        "from dataclasses import dataclass\n\n\nclass Event:\n    pass\n\n\n@dataclass\n"
        "class UserCreated(Event):\n    id: int\n\n\n"
        "def handle(event: Event) -> None:\n    emit(UserCreated(id=1))\n"
    )
    files: Files = {
        "examples/__init__.py": "",
        "examples/singledispatch/events.py": events,
        "shop/__init__.py": "",
        "shop/accounts/__init__.py": "",
        "shop/accounts/events.py": events,
    }
    root = tmp_path / "repo"
    write(root, files)
    found = _found(root, "SG101", "SG601")
    assert ("SG101", "examples/singledispatch/events.py") in found
    assert [p for c, p in found if c == "SG601"] == ["shop/accounts"]


def test_a_test_data_factory_in_lib_is_no_context(tmp_path: Path) -> None:
    """``lib/shop/factory.ex`` (``use ExMachina.Ecto``) with ``lib/shop/factory/`` builds every
    context's structs for the tests: no SG501 on it; a context doing the same still is."""
    files: Files = {
        "mix.exs": "defmodule Shop.MixProject do\n  use Mix.Project\nend\n",
        "lib/shop/accounts.ex": "defmodule Shop.Accounts do\nend\n",
        "lib/shop/accounts/user.ex": "defmodule Shop.Accounts.User do\n  defstruct [:id]\nend\n",
        "lib/shop/orders.ex": "defmodule Shop.Orders do\nend\n",
        "lib/shop/orders/order.ex": (
            "defmodule Shop.Orders.Order do\n  def owner, do: %Shop.Accounts.User{}\nend\n"
        ),
        "lib/shop/factory.ex": (
            "defmodule Shop.Factory do\n  use ExMachina.Ecto, repo: Shop.Repo\n"
            "  def user_factory, do: %Shop.Accounts.User{}\nend\n"
        ),
        "lib/shop/factory/strategy.ex": (
            "defmodule Shop.Factory.Strategy do\n  def build, do: %Shop.Accounts.User{}\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG501") == [("SG501", "lib/shop/orders/order.ex")]


def test_a_sentence_passed_to_a_subscribe_function_is_no_topic(tmp_path: Path) -> None:
    """``Subscription.subscribe(person, item, "you were on this episode")`` gives a reason, not
    a topic: no SG402; a topic name in the same module still is judged."""
    files: Files = {
        "mix.exs": "defmodule News.MixProject do\n  use Mix.Project\nend\n",
        "lib/news/items.ex": "defmodule News.Items do\nend\n",
        "lib/news/items/item_published.ex": recorded_event("News.Items.ItemPublished"),
        "lib/news/items/item.ex": (
            "defmodule News.Items.Item do\n"
            "  def follow(person, item) do\n"
            '    Subscription.subscribe(person, item, "you were on this episode")\n'
            '    Phoenix.PubSub.subscribe(News.PubSub, "items")\n'
            "  end\nend\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    _, found = lint_json(root, select=["SG402"])
    assert [f["names"][0] for f in found] == ["items"]


def test_a_handler_or_policy_outside_a_slice_needs_code_that_handles_something(
    tmp_path: Path,
) -> None:
    """``handler.py`` (an AWS Lambda's, a Slack app's), a web app's ``handlers.py`` and an
    authorisation ``policies/`` folder handle no command or event: no unversioned handler or
    policy (SG201), no misnamed policy (SG304), no grouped handlers (SG306), no technical folder
    (SG308). A ``handlers.py`` importing the commands it handles,
    and a policy module dispatching, still are what their names say."""
    files: Files = {
        "lambda/resizer/handler.py": (
            "import json\n\n\ndef handler(event, context):\n    return json.dumps(event)\n"
        ),
        "shop/__init__.py": "",
        "shop/slack/__init__.py": "",
        "shop/slack/handler.py": (  # a Slack app's: it dispatches web requests, no command
            "class SlackRequestHandler:\n    def handle(self, app, req):\n"
            "        return app.dispatch(req)\n"
        ),
        "shop/authz/__init__.py": "",
        "shop/authz/policies/__init__.py": "",
        "shop/authz/policies/finance.py": (
            "from shop.auth.models import Subject\n\n\n"
            "def can_read(subject: Subject) -> bool:\n    return subject.admin\n"
        ),
        "shop/billing/__init__.py": "",
        "shop/billing/handlers/__init__.py": "",
        "shop/billing/handlers/charge.py": (
            "from shop.billing.commands import ChargeCard\n\n\n"
            "def handle(command: ChargeCard) -> None:\n    pass\n"
        ),
        "shop/billing/routes/__init__.py": "",
        "shop/billing/routes/handlers.py": (  # a web app's exception handlers
            "from fastapi import Request\n\n\ndef log_wrapper(request: Request, e):\n"
            "    return e\n\n\ndef register_debug_handler(app):\n    return app\n"
        ),
        "shop/billing/policies/__init__.py": "",
        "shop/billing/policies/refunds.py": (
            "def on_card_refused(event, bus):\n    bus.dispatch(event)\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG201", "SG304", "SG306", "SG308") == [
        ("SG308", "shop/billing/handlers"),
        ("SG201", "shop/billing/handlers/charge.py"),
        ("SG308", "shop/billing/policies"),
        ("SG201", "shop/billing/policies/refunds.py"),
        ("SG304", "shop/billing/policies/refunds.py"),
    ]


def test_a_layer_folder_of_a_domain_showing_no_operation_is_how_the_app_is_written(
    tmp_path: Path,
) -> None:
    """Nobody configured the domains, and the code of ``shop/catalog`` shows no slice and no
    operation: its ``models/`` and ``services/`` are no SG308. Once it shows one, they are."""
    files: Files = {
        "shop/__init__.py": "",
        "shop/catalog/__init__.py": "",
        "shop/catalog/policies/__init__.py": "",
        "shop/catalog/policies/visibility.py": "def can_see(user):\n    return True\n",
        "shop/catalog/models/__init__.py": "",
        "shop/catalog/models/product.py": "class Product:\n    pass\n",
        "shop/catalog/services/__init__.py": "",
        "shop/catalog/services/pricing.py": "def price(product):\n    return 1\n",
    }
    root = tmp_path / "repo"
    write(root, files)
    assert _found(root, "SG308") == []
    write(
        root,
        {
            "shop/catalog/commands/__init__.py": "",
            "shop/catalog/commands/list_product.py": (
                "from dataclasses import dataclass\n\n\n@dataclass\nclass ListProduct:\n"
                "    sku: str\n"
            ),
        },
    )
    assert _found(root, "SG308") == [
        ("SG308", "shop/catalog/commands"),
        ("SG308", "shop/catalog/models"),
        ("SG308", "shop/catalog/services"),
    ]


def test_a_technical_folders_base_module_holds_no_artifact(tmp_path: Path) -> None:
    """``events/base.py`` with ``BaseEvent(ABC)``, ``events/core.py`` with ``DomainEvent`` and
    an event bus, ``commands/base.py`` with ``EventHandler(ABC, Generic[...])``: the kind's base,
    no unversioned event or command (SG201); nor is a file of event handlers in ``events/``; the
    events beside them still are."""
    files: Files = {
        "app/__init__.py": "",
        "app/domain/__init__.py": "",
        "app/domain/events/__init__.py": "",
        "app/domain/events/base.py": (
            "from abc import ABC\n\n\nclass BaseEvent(ABC):\n    event_id: str\n"
        ),
        "app/domain/events/core.py": (
            "class DomainEvent:\n    pass\n\n\nclass EventBus:\n    pass\n"
        ),
        "app/domain/events/messages.py": (
            "from app.domain.events.base import BaseEvent\n\n\n"
            "class MessageReceivedEvent(BaseEvent):\n    text: str\n"
        ),
        "app/logic/__init__.py": "",
        "app/logic/events/__init__.py": "",
        "app/logic/events/messages.py": (  # the handlers of the events, kept in events/
            "from app.domain.events.messages import MessageReceivedEvent\n\n\n"
            "class MessageReceivedEventHandler(EventHandler[MessageReceivedEvent, None]):\n"
            "    pass\n"
        ),
        "app/logic/commands/__init__.py": "",
        "app/logic/commands/base.py": (
            "from abc import ABC\nfrom typing import Generic, TypeVar\n\nC = TypeVar('C')\n\n\n"
            "class CommandHandler(ABC, Generic[C]):\n    pass\n"
        ),
    }
    root = tmp_path / "repo"
    write(root, files)
    assert [f for f in _found(root, "SG201") if f[0] == "SG201"] == [
        ("SG201", "app/domain/events/messages.py")
    ]

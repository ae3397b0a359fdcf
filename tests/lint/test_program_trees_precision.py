"""Trees just outside the field (hex, Elixir's own repository, pip, scrapy, celery): a
command-line program whose modules sit in folders beside their root files as a Phoenix app's
contexts do, a module named ``handler`` that handles no command, a program's command-line
commands in ``commands/``, private modules and packages, an event factory function and a file
declaring its encoding. Their premises were a folder's shape or a file's name alone. Trees
written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import codes_at
from .trees import Files, write

#: A program's mix project: its dependencies are a web server and a test stub, no framework
#: of bounded contexts.
_PROGRAM_MIX = (
    "defmodule Tool.MixProject do\n  use Mix.Project\n\n"
    "  def project, do: [app: :tool, deps: deps()]\n\n"
    '  defp deps, do: [{:cowboy, "~> 2.14"}, {:bypass, "~> 2.0", only: :test}]\nend\n'
)


def _program(mix: str) -> Files:
    return {
        "mix.exs": mix,
        "lib/tool.ex": "defmodule Tool do\nend\n",
        "lib/tool/http.ex": (
            "defmodule Tool.HTTP do\n"
            '  def get(url) do\n    Tool.Shell.debug("GET #{url}")\n'
            "    Tool.HTTP.Adapter.request(url)\n  end\nend\n"
        ),
        "lib/tool/http/adapter.ex": (
            "defmodule Tool.HTTP.Adapter do\n  def request(url), do: url\nend\n"
        ),
        "lib/tool/shell.ex": (
            "defmodule Tool.Shell do\n  def debug(text), do: Tool.Shell.Writer.write(text)\nend\n"
        ),
        "lib/tool/shell/writer.ex": (
            "defmodule Tool.Shell.Writer do\n  def write(text), do: IO.puts(text)\nend\n"
        ),
    }


def test_a_programs_module_folders_are_no_contexts(tmp_path: Path) -> None:
    """Hex's ``lib/hex/http.ex`` beside ``http/`` calls ``Hex.Shell``: with no framework of
    contexts among the dependencies the app is one domain, and no call crosses a boundary."""
    write(tmp_path, _program(_PROGRAM_MIX))
    assert codes_at(tmp_path, "SG5") == []


def test_the_same_folders_in_a_phoenix_app_are_contexts(tmp_path: Path) -> None:
    """The same tree depending on Phoenix keeps its contexts: the call is judged."""
    mix = _PROGRAM_MIX.replace('{:cowboy, "~> 2.14"}', '{:phoenix, "~> 1.7"}')
    write(tmp_path, _program(mix))
    assert codes_at(tmp_path, "SG502") == [("SG502", "lib/tool/http.ex")]


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        # the Erlang logger's callbacks (Elixir's own Logger.Backends.Handler): nothing handled
        ("  def adding_handler(config), do: {:ok, config}\n", False),
        # a command handler: it handles a command for an aggregate
        ("  def handle(%Tool.Shell{}, %Tool.Shell.Say{} = c), do: c\n", True),
    ],
)
def test_a_module_named_handler_is_one_when_its_code_handles(
    tmp_path: Path, body: str, flagged: bool
) -> None:
    files = _program(_PROGRAM_MIX.replace('{:cowboy, "~> 2.14"}', '{:phoenix, "~> 1.7"}'))
    files["lib/tool/shell/handler.ex"] = f"defmodule Tool.Shell.Handler do\n{body}end\n"
    write(tmp_path, files)
    expected = [("SG201", "lib/tool/shell/handler.ex")] if flagged else []
    assert codes_at(tmp_path, "SG201") == expected


def test_a_programs_command_line_commands_are_no_messages(tmp_path: Path) -> None:
    """pip's ``commands/check.py`` (``CheckCommand.run``) and scrapy's (a helper class beside
    ``Command.add_options``): a command-line program's commands, no domain's, so no SG201,
    SG104 or SG308. A message class in ``commands/`` of the same tree still is one."""
    program = "class Command:\n    def main(self) -> int:\n        return self.run()\n"
    files: Files = {
        "tool/__init__.py": "",
        "tool/base.py": program,
        "tool/commands/__init__.py": "",
        "tool/commands/check.py": (
            "from tool.base import Command\n\n\nclass CheckCommand(Command):\n"
            "    usage = 'tool check'\n\n    def run(self) -> int:\n        return 0\n"
        ),
        "tool/commands/bench.py": (
            "class Summary:\n    def print_summary(self) -> None:\n        pass\n\n\n"
            "class Command:\n    def add_options(self, parser: object) -> None:\n        pass\n\n"
            "    def run(self) -> None:\n        pass\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG104", "SG201", "SG308") == []
    (tmp_path / "tool/commands/check.py").write_text(
        "from dataclasses import dataclass\n\n\n@dataclass\nclass CheckPackages:\n    name: str\n",
        encoding="utf-8",
    )
    assert ("SG201", "tool/commands/check.py") in codes_at(tmp_path, "SG201")


def test_private_modules_and_packages_locate_no_domain(tmp_path: Path) -> None:
    """A private module ``_cmd.py`` (pip's vendored cachecontrol) is no reckon-style
    ``<slice>_cmd``, and a private package (``_internal``, ``_vendor``) is no domain."""
    files: Files = {
        "src/tool/__init__.py": "",
        "src/tool/_vendor/cache/__init__.py": "",
        "src/tool/_vendor/cache/_cmd.py": "def main() -> None:\n    pass\n",
        "src/tool/_internal/__init__.py": "",
        "src/tool/_internal/commands/__init__.py": "",
        "src/tool/_internal/commands/open_account_v1.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass OpenAccountV1:\n"
            "    name: str\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG104", "SG201", "SG301", "SG302", "SG308", "SG601") == []


def test_an_event_file_holding_only_a_factory_function_holds_no_event(tmp_path: Path) -> None:
    """celery's ``events/event.py``: ``def Event(type, **fields)`` builds monitoring events as
    dicts; it is no event class of a domain (SG201)."""
    files: Files = {
        "proj/__init__.py": "",
        "proj/events/__init__.py": "",
        "proj/events/event.py": (
            "def Event(type: str, **fields: object) -> dict[str, object]:\n"
            "    return dict(fields, type=type)\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG201", "SG308") == []


def test_a_python_file_declaring_its_encoding_is_read(tmp_path: Path) -> None:
    """PEP 263: a Latin-1 file with ``# -*- coding: latin-1 -*-`` is valid Python (pip's test
    data), no SG001; the same bytes without the cookie are not UTF-8 and are reported."""
    body = 'name = "Sa\xfal Ibarra Corretg\xe9"\n'.encode("latin-1")
    (tmp_path / "setup.py").write_bytes(b"# -*- coding: latin-1 -*-\n\n" + body)
    (tmp_path / "other.py").write_bytes(body)
    assert codes_at(tmp_path, "SG001") == [("SG001", "other.py")]


def test_a_conference_apps_event_modules_are_no_events(tmp_path: Path) -> None:
    """pretalx and indico organise conferences, "events": a ``views/event.py`` of page mixins,
    a ``forms/event.py`` of forms and a domain named ``events`` are no event sourcing: no
    slice, no event, no technical folder. An event class in the same tree still is one."""
    files: Files = {
        "slicegen.toml": 'stack = "python"\napp = "conf"\n',  # every package a domain
        "src/conf/__init__.py": "",
        "src/conf/cfp/__init__.py": "",
        "src/conf/cfp/views/__init__.py": "",
        "src/conf/cfp/views/event.py": (
            "class EventPageMixin:\n    pass\n\n\n"
            "class LoggedInEventPageMixin(EventPageMixin):\n    pass\n"
        ),
        "src/conf/cfp/forms/__init__.py": "",
        "src/conf/cfp/forms/event.py": (
            "class EventForm:\n    pass\n\n\nclass BaseEventLinkFormSet:\n    pass\n"
        ),
        "src/conf/events/__init__.py": "",
        "src/conf/events/fields.py": "class ThemeSelectField:\n    event_type = 'theme'\n",
        "src/conf/events/abstracts/__init__.py": "",
        "src/conf/events/abstracts/clone.py": "class AbstractCloner:\n    pass\n",
    }
    write(tmp_path, files)
    codes = ("SG103", "SG104", "SG105", "SG201", "SG301", "SG302", "SG308")
    assert codes_at(tmp_path, *codes) == []
    (tmp_path / "src/conf/cfp/views/event.py").write_text(
        "class TalkSubmitted:\n    talk_id: str\n", encoding="utf-8"
    )
    assert ("SG201", "src/conf/cfp/views/event.py") in codes_at(tmp_path, *codes)


def test_a_cleo_command_is_a_programs_command(tmp_path: Path) -> None:
    """poetry's ``console/commands/about.py``: ``AboutCommand.handle`` (cleo) runs a program's
    command; no SG201 or SG104."""
    files: Files = {
        "tool/__init__.py": "",
        "tool/commands/__init__.py": "",
        "tool/commands/about.py": (
            "class AboutCommand:\n    name = 'about'\n\n    def handle(self) -> int:\n"
            "        return 0\n"
        ),
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG104", "SG201", "SG308") == []


def test_a_command_kept_beside_its_handler_is_still_a_command(tmp_path: Path) -> None:
    """A command handler's ``handle`` (``OpenChatHandler(CommandHandler[OpenChat])`` beside
    ``OpenChat``) makes no program's command: the command in ``commands/`` is judged."""
    files: Files = {
        "app/__init__.py": "",
        "app/commands/__init__.py": "",
        "app/commands/chats.py": (
            "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\n"
            "class OpenChat(BaseCommand):\n    title: str\n\n\n"
            "class OpenChatHandler(CommandHandler[OpenChat]):\n"
            "    async def handle(self, command: OpenChat) -> None:\n        pass\n"
        ),
    }
    write(tmp_path, files)
    assert ("SG201", "app/commands/chats.py") in codes_at(tmp_path, "SG201")


def test_a_folder_of_many_modules_is_no_slice(tmp_path: Path) -> None:
    """elixir-ls' generated ``protocol/structures/``: a struct named ``command.ex`` among
    many others is a package of modules, no slice (SG104, SG201, SG301, SG302). The same file
    in a folder of a slice's size still makes one."""
    many: Files = {
        "mix.exs": _PROGRAM_MIX.replace('{:cowboy, "~> 2.14"}', '{:phoenix, "~> 1.7"}'),
        "lib/tool.ex": "defmodule Tool do\nend\n",
        "lib/tool/protocol.ex": "defmodule Tool.Protocol do\nend\n",
        "lib/tool/protocol/structures/command.ex": (
            "defmodule Tool.Protocol.Structures.Command do\n  defstruct [:title]\nend\n"
        ),
    }
    for i in range(24):
        many[f"lib/tool/protocol/structures/shape_{i}.ex"] = (
            f"defmodule Tool.Protocol.Structures.Shape{i} do\n  defstruct [:x]\nend\n"
        )
    write(tmp_path, many)
    codes = ("SG104", "SG201", "SG301", "SG302")
    assert codes_at(tmp_path, *codes) == []
    for i in range(20):
        (tmp_path / f"lib/tool/protocol/structures/shape_{i}.ex").unlink()
    assert ("SG301", "lib/tool/protocol/structures") in codes_at(tmp_path, *codes)


def test_a_python_tree_recording_no_event_has_no_generic_topics(tmp_path: Path) -> None:
    """locust's MQTT example publishes ``"hello/locust"``: a load test's messages, in a tree
    that records no event and no fact. The same call beside a recorded event is judged."""
    files: Files = {
        "orders/__init__.py": "from .app import place\n",
        "orders/app.py": "def place():\n    pass\n",
        "orders/publisher.py": ("def send(client):\n    client.publish('hello/orders', b'1')\n"),
        "orders/domain/place_order/command_v1.py": "class PlaceOrderV1:\n    sku: str\n",
    }
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG402") == []
    files["orders/domain/place_order/event_v1.py"] = (
        "class OrderPlacedV1:\n    event_type = 'order_placed:v1'\n"
    )
    write(tmp_path, files)
    assert codes_at(tmp_path, "SG402") == [("SG402", "orders/publisher.py")]


def test_a_src_library_shown_by_its_docs_examples_has_no_domain(tmp_path: Path) -> None:
    """textual's ``src/textual/events.py`` defines its user interface's events, its
    ``command.py`` (a command palette's) places a domain at ``src``, and its ``docs/examples/``
    import ``textual``: a library, not a domain named after ``src``."""
    events = "".join(f"class {name}(Event):\n    pass\n\n\n" for name in ("Load", "Idle", "Resize"))
    write(
        tmp_path,
        {
            "src/widgets/__init__.py": "",
            "src/widgets/message.py": "class Event:\n    pass\n",
            "src/widgets/command.py": "class SimpleCommand:\n    text: str\n",
            "src/widgets/events.py": "from widgets.message import Event\n\n\n" + events,
            "docs/examples/app.py": "from widgets import events\n\nprint(events.Load)\n",
        },
    )
    assert codes_at(tmp_path, "SG") == []


def test_a_domain_with_no_message_has_no_loose_handlers(tmp_path: Path) -> None:
    """aiogram's example bot: ``handlers/echo.py`` answers chat messages. Its domain holds no
    command, event or fact, so a handler known by its folder alone handles nothing: no SG201,
    SG307 or SG308. The same files beside a command are judged."""
    echo = (  # the bot's own /commands filter: a chat command, no message of a domain
        "from chat import Message, Router\nfrom chat.filters import Command\n\n"
        "router = Router()\n\n\n"
        "async def echo_handler(message: Message) -> None:\n    await message.answer('hi')\n"
    )
    files: Files = {
        "examples/bot/bot.py": "from handlers.echo import router\n",
        "examples/bot/handlers/__init__.py": "",
        "examples/bot/handlers/echo.py": echo,
        "examples/bot/handlers/start.py": echo.replace("echo_handler", "start_handler"),
    }
    write(tmp_path / "plain", files)
    assert codes_at(tmp_path / "plain", "SG") == []
    files["examples/bot/commands/greet_user.py"] = "class GreetUser:\n    user_id: str\n"
    write(tmp_path / "messages", files)
    found = codes_at(tmp_path / "messages", "SG")
    assert ("SG201", "examples/bot/handlers/echo.py") in found, found

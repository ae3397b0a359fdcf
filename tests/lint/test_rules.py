"""Each rule on each stack: a tree where it fires (code, path, line) and the clean tree where it
does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from slicegen.lint.registry import RULES

from .conftest import lint_json
from .trees import APP, Files, ex_lib, ex_slice, py_slice

PY = "src/shop"
ACC = ex_lib("accounts")
PROF = ex_lib("profiles")


@dataclass(frozen=True)
class Case:
    code: str
    stack: str
    path: str
    line: int
    extra: Files = field(default_factory=dict)
    remove: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # codes selected besides ``code``


def _py_init_slice(file: str) -> str:
    return f"{PY}/accounts/domain/initialize_account/{file}"


def _ex_init_slice(file: str) -> str:
    return f"{ACC}/domain/initialize_account/{file}"


def _locked(path: str, fields: str) -> str:
    return (
        '[events.accounts."account_initialized:v1"]\n'
        f'path = "{path}"\nfields = {{ {fields} }}\nrequired = []\n'
    )


CASES = [
    # SG0xx
    Case(
        "SG001",
        "python",
        f"{PY}/accounts/broken.py",
        2,
        {f"{PY}/accounts/broken.py": "x = 1\ndef broken(:\n"},
    ),
    Case(
        "SG001",
        "elixir",
        f"{ACC}/broken.ex",
        2,
        {f"{ACC}/broken.ex": "defmodule Broken do\n  def x(, do\nend\n"},
    ),
    Case(
        "SG002",
        "python",
        f"{PY}/accounts/router.py",
        2,
        {
            f"{PY}/accounts/router.py": "def dispatch(command):\n"
            "    return []  # slicegen: ignore[SG101] nothing\n"
        },
        also=("SG101",),
    ),
    Case(
        "SG002",
        "elixir",
        f"{ACC}/router.ex",
        2,
        {
            f"{ACC}/router.ex": "defmodule ReckonAccounts.Router do\n"
            "  use Commanded.Commands.Router # slicegen: ignore[SG401]\nend\n"
        },
        also=("SG401",),
    ),
    Case(
        "SG003",
        "python",
        f"{PY}/accounts/web.py",
        2,
        {
            f"{PY}/accounts/web.py": "def go(router, command):\n"
            "    return router.dispatch(command)  # slicegen: ignore[SG401]\n"
        },
        also=("SG401",),
    ),
    Case(
        "SG003",
        "elixir",
        f"{ACC}/web.ex",
        2,
        {
            f"{ACC}/web.ex": "defmodule ReckonAccounts.Web do\n"
            "  def go(command), do: Router.dispatch(command) # slicegen: ignore[SG401]\nend\n"
        },
        also=("SG401",),
    ),
    # SG1xx
    Case(
        "SG101",
        "python",
        f"{PY}/accounts/domain/register_account/event_v1.py",
        1,
        py_slice("accounts", "register_account", "account_created"),
    ),
    Case(
        "SG101",
        "elixir",
        f"{ACC}/domain/register_account/event_v1.ex",
        1,
        ex_slice("accounts", "register_account", "account_created"),
    ),
    Case(
        "SG102",
        "python",
        f"{PY}/accounts/domain/delete_account/command_v1.py",
        1,
        py_slice("accounts", "delete_account", "account_closed"),
    ),
    Case(
        "SG102",
        "elixir",
        f"{ACC}/domain/delete_account/command_v1.ex",
        1,
        ex_slice("accounts", "delete_account", "account_closed"),
    ),
    Case(
        "SG103",
        "python",
        f"{PY}/accounts/domain/close_account/event_v1.py",
        1,
        py_slice("accounts", "close_account", "account_closure"),
    ),
    Case(
        "SG103",
        "elixir",
        f"{ACC}/domain/close_account/event_v1.ex",
        1,
        ex_slice("accounts", "close_account", "account_closure"),
    ),
    Case(
        "SG104",
        "python",
        f"{PY}/accounts/domain/new_account/command_v1.py",
        1,
        py_slice("accounts", "new_account", "account_opened"),
    ),
    Case(
        "SG104",
        "elixir",
        f"{ACC}/domain/new_account/command_v1.ex",
        1,
        ex_slice("accounts", "new_account", "account_opened"),
    ),
    Case(
        "SG105",
        "python",
        _py_init_slice("event_v1.py"),
        2,
        {
            _py_init_slice("event_v1.py"): "class AccountInitializedV1:\n"
            '    event_type = "AccountInitialized:v1"\n'
        },
    ),
    Case(
        "SG105",
        "elixir",
        _ex_init_slice("event_v1.ex"),
        2,
        {
            _ex_init_slice(
                "event_v1.ex"
            ): "defmodule ReckonAccounts.Domain.InitializeAccount.EventV1 do\n"
            '  def event_type, do: "account_initialized:v2"\nend\n'
        },
    ),
    # SG2xx
    Case(
        "SG201",
        "python",
        _py_init_slice("maybe_initialize_account.py"),
        1,
        {
            _py_init_slice(
                "maybe_initialize_account.py"
            ): "def maybe_initialize_account(state, command):\n    return []\n"
        },
        (_py_init_slice("maybe_initialize_account_v1.py"),),
    ),
    Case(
        "SG201",
        "elixir",
        _ex_init_slice("command.ex"),
        1,
        {
            _ex_init_slice(
                "command.ex"
            ): "defmodule ReckonAccounts.Domain.InitializeAccount.Command do\nend\n"
        },
        (_ex_init_slice("command_v1.ex"),),
    ),
    Case(
        "SG202",
        "python",
        f"{PY}/accounts/domain/open_account_v2",
        1,
        py_slice(
            "accounts",
            "open_account",
            "account_opened",
            2,
            where=f"{PY}/accounts/domain/open_account_v2",
        ),
    ),
    Case(
        "SG202",
        "elixir",
        f"{ACC}/domain/open_account_v2",
        1,
        ex_slice(
            "accounts", "open_account", "account_opened", 2, where=f"{ACC}/domain/open_account_v2"
        ),
    ),
    Case(
        "SG203",
        "python",
        _py_init_slice("command_v2.py"),
        1,
        {_py_init_slice("command_v2.py"): "class InitializeAccountV1:\n    pass\n"},
    ),
    Case(
        "SG203",
        "elixir",
        _ex_init_slice("command_v2.ex"),
        1,
        {
            _ex_init_slice(
                "command_v2.ex"
            ): "defmodule ReckonAccounts.Domain.InitializeAccount.CommandV1 do\nend\n"
        },
    ),
    Case(
        "SG204",
        "python",
        _py_init_slice("event_v2.py"),
        1,
        {
            _py_init_slice("event_v2.py"): "class AccountInitializedV2:\n"
            '    event_type = "account_initialized:v2"\n'
        },
    ),
    Case(
        "SG204",
        "elixir",
        _ex_init_slice("command_v2.ex"),
        1,
        {
            _ex_init_slice(
                "command_v2.ex"
            ): "defmodule ReckonAccounts.Domain.InitializeAccount.CommandV2 do\nend\n"
        },
    ),
    Case(
        "SG206",
        "python",
        f"{PY}/accounts/retired/close_account_event_v1.py",
        3,
        {
            f"{PY}/accounts/retired/close_account_event_v1.py": "class AccountClosedV1:\n"
            '    """Retired: nothing registers it."""\n'
            '    event_type = "account_closed:v1"\n'
        },
    ),
    Case(
        "SG206",
        "elixir",
        f"{ACC}/retired/close_account_event_v1.ex",
        2,
        {
            f"{ACC}/retired/close_account_event_v1.ex": (
                "defmodule ReckonAccounts.Domain.CloseAccount.EventV1 do\n"
                '  def event_type, do: "account_closed:v1"\n'
                "end\n"
            )
        },
    ),
    # SG3xx
    Case(
        "SG301",
        "python",
        f"{PY}/accounts/suspend_account",
        1,
        py_slice(
            "accounts",
            "suspend_account",
            "account_suspended",
            where=f"{PY}/accounts/suspend_account",
        ),
    ),
    Case(
        "SG301",
        "elixir",
        f"{ACC}/suspend_account",
        1,
        ex_slice(
            "accounts", "suspend_account", "account_suspended", where=f"{ACC}/suspend_account"
        ),
    ),
    Case(
        "SG302",
        "python",
        f"{PY}/accounts/domain/initialize_account",
        1,
        remove=(_py_init_slice("initialized_to_state_v1.py"),),
    ),
    Case(
        "SG302",
        "elixir",
        f"{ACC}/domain/initialize_account",
        1,
        remove=(_ex_init_slice("maybe_initialize_account_v1.ex"),),
    ),
    Case(
        "SG303",
        "python",
        _py_init_slice("summary_projection_v1.py"),
        1,
        {
            _py_init_slice(
                "summary_projection_v1.py"
            ): "def summary_projection_v1(summary, event):\n    return summary\n"
        },
    ),
    Case(
        "SG303",
        "elixir",
        f"{ACC}/account_summary.ex",
        1,
        {
            f"{ACC}/account_summary.ex": "defmodule ReckonAccounts.AccountSummary do\n"
            "  use Commanded.Projections.Ecto, application: ReckonAccounts.CommandedApp\nend\n"
        },
    ),
    Case(
        "SG304",
        "python",
        _py_init_slice("welcome_policy_v1.py"),
        1,
        {
            _py_init_slice(
                "welcome_policy_v1.py"
            ): "def welcome_policy_v1(event):\n    return None\n"
        },
    ),
    Case(
        "SG304",
        "elixir",
        f"{ACC}/welcome_handler.ex",
        1,
        {
            f"{ACC}/welcome_handler.ex": "defmodule ReckonAccounts.WelcomeHandler do\n"
            "  use Commanded.Event.Handler, application: ReckonAccounts.CommandedApp\n"
            "  def handle(e, _m), do: ReckonAccounts.CommandedApp.dispatch(e)\nend\n"
        },
    ),
    Case(
        "SG305",
        "python",
        _py_init_slice("when_account_activated_then_activate_account_v1.py"),
        1,
        {
            _py_init_slice(
                "when_account_activated_then_activate_account_v1.py"
            ): "def when_account_activated_then_activate_account_v1(event):\n    return None\n"
        },
    ),
    Case(
        "SG305",
        "elixir",
        _ex_init_slice("when_account_activated_then_activate_account_v1.ex"),
        1,
        {
            _ex_init_slice(
                "when_account_activated_then_activate_account_v1.ex"
            ): "defmodule ReckonAccounts.Domain.InitializeAccount."
            "WhenAccountActivatedThenActivateAccountV1 do\nend\n"
        },
    ),
    Case(
        "SG306",
        "python",
        f"{PY}/accounts/domain/events.py",
        1,
        {
            f"{PY}/accounts/domain/events.py": "class AccountOpened(Event):\n    pass\n\n\n"
            "class AccountClosed(Event):\n    pass\n"
        },
    ),
    Case(
        "SG306",
        "elixir",
        f"{ACC}/commands.ex",
        1,
        {
            f"{ACC}/commands.ex": "defmodule ReckonAccounts.Commands.OpenAccount do\n"
            "  defstruct [:id]\nend\n"
            "defmodule ReckonAccounts.Commands.CloseAccount do\n  defstruct [:id]\nend\n",
            f"{ACC}/account.ex": "defmodule ReckonAccounts.Account do\n"
            "  def execute(%Account{}, %OpenAccount{}), do: []\n"
            "  def execute(%Account{}, %CloseAccount{}), do: []\nend\n",
        },
    ),
    Case(
        "SG307",
        "python",
        _py_init_slice("maybe_initialize_account_v1.py"),
        1,
        {
            _py_init_slice(
                "maybe_initialize_account_v1.py"
            ): "def handle(state, command):\n    return []\n"
        },
    ),
    Case(
        "SG307",
        "elixir",
        _ex_init_slice("handler_v1.ex"),
        1,
        {
            _ex_init_slice(
                "handler_v1.ex"
            ): "defmodule ReckonAccounts.Domain.InitializeAccount.MaybeInitializeAccountV1 do\n"
            "end\n"
        },
        (_ex_init_slice("maybe_initialize_account_v1.ex"),),
    ),
    Case(
        "SG308",
        "python",
        f"{PY}/accounts/services",
        1,
        {f"{PY}/accounts/services/mailer.py": "def send():\n    return None\n"},
    ),
    Case(
        "SG308",
        "elixir",
        f"{ACC}/events",
        1,
        {
            f"{ACC}/events/account_opened.ex": "defmodule ReckonAccounts.Events.AccountOpened do\n"
            "  defstruct [:id]\nend\n"
        },
    ),
    Case(
        "SG309",
        "python",
        _py_init_slice("command_v1.py.orig"),
        1,
        {_py_init_slice("command_v1.py.orig"): "old\n"},
    ),
    Case(
        "SG309",
        "elixir",
        _ex_init_slice("event_v1.ex~"),
        1,
        {_ex_init_slice("event_v1.ex~"): "old\n"},
    ),
    # SG4xx
    Case(
        "SG401",
        "python",
        f"{PY}/profiles/jobs.py",
        5,
        {
            f"{PY}/profiles/jobs.py": "from shop.profiles import router\n\n\n"
            "def run(cmd):\n    router.dispatch(cmd)\n"
        },
    ),
    Case(
        "SG401",
        "elixir",
        f"{PROF}/jobs.ex",
        3,
        {
            f"{PROF}/jobs.ex": "defmodule ReckonProfiles.Jobs do\n  alias ReckonProfiles.Router\n"
            "  def run(cmd), do: Router.dispatch(cmd)\nend\n"
        },
    ),
    Case(
        "SG402",
        "python",
        f"{PY}/profiles/listeners.py",
        2,
        {
            f"{PY}/profiles/listeners.py": "def listen(bus):\n"
            '    bus.subscribe("accounts:events", print)\n'
        },
    ),
    Case(
        "SG402",
        "elixir",
        f"{PROF}/listener.ex",
        2,
        {
            f"{PROF}/listener.ex": "defmodule ReckonProfiles.Listener do\n"
            '  def init(_), do: Phoenix.PubSub.subscribe(:ps, "profiles:all")'
            "\nend\n"
        },
    ),
    Case(
        "SG403",
        "python",
        f"{PY}/accounts/account_closed_fact_v1.py",
        1,
        {f"{PY}/accounts/account_closed_fact_v1.py": "class AccountClosedFactV1:\n    pass\n"},
    ),
    Case(
        "SG403",
        "elixir",
        f"{ACC}/account_closed_fact.ex",
        1,
        {f"{ACC}/account_closed_fact.ex": "defmodule ReckonAccounts.AccountClosedFact do\nend\n"},
    ),
    Case(
        "SG404",
        "python",
        f"{PY}/profiles/readers.py",
        2,
        {
            f"{PY}/profiles/readers.py": "def read():\n"
            "    from shop.accounts.domain.activate_account.event_v1 import AccountActivatedV1\n"
            "    return AccountActivatedV1\n"
        },
    ),
    Case(
        "SG404",
        "elixir",
        f"{PROF}/reader.ex",
        2,
        {
            f"{PROF}/reader.ex": "defmodule ReckonProfiles.Reader do\n"
            "  alias ReckonAccounts.Domain.ActivateAccount.EventV1\nend\n"
        },
    ),
    Case(
        "SG405",
        "python",
        f"{PY}/accounts/upgrades.py",
        1,
        {f"{PY}/accounts/upgrades.py": 'OLD = "account_vanished:v1"\n'},
    ),
    Case(
        "SG405",
        "elixir",
        f"{ACC}/upgrades.ex",
        2,
        {
            f"{ACC}/upgrades.ex": "defmodule ReckonAccounts.Upgrades do\n"
            '  def old, do: "account_vanished:v1"\nend\n'
        },
    ),
    Case(
        "SG406",
        "python",
        f"{PY}/profiles/domain/establish_profile/when_account_activated_then_establish_profile_v1.py",
        3,
        {
            f"{PY}/profiles/domain/establish_profile/"
            "when_account_activated_then_establish_profile_v1.py": (
                "def when_account_activated_then_establish_profile_v1(fact):\n"
                "    return dict(\n"
                '        name=_unmapped("map name from AccountActivatedFactV1: it has no name"),\n'
                "    )\n"
            )
        },
    ),
    Case(
        "SG406",
        "elixir",
        f"{PROF}/domain/establish_profile/when_account_activated_then_establish_profile_v1.ex",
        3,
        {
            f"{PROF}/domain/establish_profile/"
            "when_account_activated_then_establish_profile_v1.ex": (
                "defmodule ReckonProfiles.Domain.EstablishProfile."
                "WhenAccountActivatedThenEstablishProfileV1 do\n"
                "  use Commanded.Event.Handler, application: ReckonProfiles.CommandedApp\n"
                '  def to_command(_fact), do: raise "map name from AccountActivatedFact: none"\n'
                "end\n"
            )
        },
    ),
    Case(
        "SG406",
        "elixir",
        f"{PROF}/domain/establish_profile/when_account_activated_then_establish_profile_v1.ex",
        4,
        {
            f"{PROF}/domain/establish_profile/"
            "when_account_activated_then_establish_profile_v1.ex": (
                "defmodule ReckonProfiles.Domain.EstablishProfile."
                "WhenAccountActivatedThenEstablishProfileV1 do\n"
                "  use Commanded.Event.Handler, application: ReckonProfiles.CommandedApp\n"
                "  def to_command(_fact),\n"
                "    do: %{email: ReckonShared.unmapped!(__MODULE__, :email)}\n"
                "end\n"
            )
        },
    ),
    # SG205: the lock remembers a field the event no longer has
    Case(
        "SG205",
        "python",
        _py_init_slice("event_v1.py"),
        1,
        {"events.lock.toml": _locked(_py_init_slice("event_v1.py"), 'email = "str"')},
    ),
    Case(
        "SG205",
        "elixir",
        _ex_init_slice("event_v1.ex"),
        1,
        {"events.lock.toml": _locked(_ex_init_slice("event_v1.ex"), 'id = "any", email = "any"')},
    ),
    # SG6xx
    Case(
        "SG601", "python", f"{PY}/profiles", 1, remove=("design_docs/profiles/event-storming.md",)
    ),
    Case(
        "SG601", "elixir", PROF, 1, remove=(f"apps/{APP}_profiles/design_docs/event-storming.md",)
    ),
]

# SG5xx (boundaries) has its own tests; SG602's check is a hook tested in test_storming_hook
CODES = sorted({r.CODE for r in RULES if not r.CODE.startswith("SG5")} - {"SG602"})


def test_every_rule_has_a_case_on_both_stacks() -> None:
    covered = {(c.code, c.stack) for c in CASES}
    missing = [
        (code, s) for code in CODES for s in ("python", "elixir") if (code, s) not in covered
    ]
    assert missing == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.stack}")
def test_rule_fires(case: Case, make_tree: Callable[..., Path]) -> None:
    root = make_tree(case.stack, case.extra, case.remove)
    code, findings = lint_json(root, select=[case.code, *case.also])
    hits = [(f["code"], f["path"], f["line"]) for f in findings]
    assert (case.code, case.path, case.line) in hits, findings
    assert code == 1


@pytest.mark.parametrize("stack", ["python", "elixir"])
@pytest.mark.parametrize("rule", CODES)
def test_rule_silent_on_clean_tree(rule: str, stack: str, make_tree: Callable[..., Path]) -> None:
    root = make_tree(stack)
    code, findings = lint_json(root, select=[rule])
    assert findings == []
    assert code == 0

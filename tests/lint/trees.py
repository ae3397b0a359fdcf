"""Small workspaces written into tmp_path: a clean one per stack, and slices to add to it.

Every definition a test points at sits on a known line (artifacts on line 1), so tests can
assert the exact path and line of a finding.
"""

from __future__ import annotations

from pathlib import Path

from slicegen import naming

Files = dict[str, str | bytes]


def write(root: Path, files: Files) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


# --- Python -------------------------------------------------------------------------------------


def py_slice(domain: str, command: str, event: str, version: int = 1, where: str = "") -> Files:
    """The four files of a slice: command, event, handler, evolver."""
    base = where or f"src/shop/{domain}/domain/{command}"
    v = f"v{version}"
    short = naming.event_verb(event)
    return {
        f"{base}/command_{v}.py": f"class {naming.to_pascal(command)}V{version}:\n    pass\n",
        f"{base}/event_{v}.py": (
            f'class {naming.to_pascal(event)}V{version}:\n    event_type = "{event}:{v}"\n'
        ),
        f"{base}/maybe_{command}_{v}.py": (
            f"def maybe_{command}_{v}(state, command):\n    return []\n"
        ),
        f"{base}/{short}_to_state_{v}.py": (
            f"def {short}_to_state_{v}(state, event):\n    return state\n"
        ),
    }


def python_clean() -> Files:
    files: Files = {
        "slicegen.toml": 'stack = "python"\napp = "shop"\n',
        "src/shop/__init__.py": "",
        "src/shop/accounts/__init__.py": "from shop.accounts.app import dispatch\n",
        "src/shop/accounts/app.py": (
            "from shop.accounts import router\n\n\n"
            "def dispatch(command):\n    return router.dispatch(command)\n"
        ),
        "src/shop/accounts/router.py": "def dispatch(command):\n    return []\n",
        "src/shop/accounts/event_types.py": (
            'KNOWN = {"account_initialized:v1": 1, "account_activated:v1": 2}\n'
        ),
        "src/shop/accounts/domain/__init__.py": "",
        "src/shop/accounts/domain/initialize_account/initialized_to_summary_v1.py": (
            "def initialized_to_summary_v1(summary, event):\n    return summary\n"
        ),
        "src/shop/accounts/domain/activate_account/activated_to_fact_v1.py": (
            "def activated_to_fact_v1(bus, event):\n"
            '    bus.publish("accounts:facts:account_activated", event)\n'
        ),
        "src/shop/shared/__init__.py": "",
        "src/shop/shared/facts/__init__.py": "",
        "src/shop/shared/facts/bus.py": "def publish(topic, fact):\n    return None\n",
        "src/shop/shared/facts/accounts/account_activated_fact_v1.py": (
            "class AccountActivatedFactV1:\n    pass\n"
        ),
        "src/shop/profiles/__init__.py": "",
        "src/shop/profiles/app.py": "def dispatch(command):\n    return None\n",
        "src/shop/profiles/domain/establish_profile/"
        "when_account_activated_then_establish_profile_v1.py": (
            "def when_account_activated_then_establish_profile_v1(fact):\n"
            "    from shop.profiles import app\n"
            "    from shop.shared.facts.accounts.account_activated_fact_v1 import (\n"
            "        AccountActivatedFactV1,\n"
            "    )\n"
            '    subscribe("accounts:facts:account_activated", AccountActivatedFactV1)\n'
            "    return app.dispatch(fact)\n"
        ),
        "tests/accounts/test_app.py": "def test_app():\n    assert True\n",
        "design_docs/accounts/event-storming.md": "# accounts\n",
        "design_docs/profiles/event-storming.md": "# profiles\n",
    }
    files.update(py_slice("accounts", "initialize_account", "account_initialized"))
    files.update(py_slice("accounts", "activate_account", "account_activated"))
    files.update(py_slice("profiles", "establish_profile", "profile_established"))
    return files


# --- Elixir -------------------------------------------------------------------------------------

APP = "reckon"


def mix_project(module: str, app: str) -> str:
    """A ``mix.exs`` of the project ``module`` naming its app ``app``."""
    return (
        f"defmodule {module}.MixProject do\n  use Mix.Project\n\n"
        f"  def project do\n    [app: :{app}]\n  end\nend\n"
    )


def recorded_event(module: str) -> str:
    """An Elixir event module with its type string: a tree holding one records events, so
    SG402 judges its Elixir topics."""
    return (
        f"defmodule {module} do\n  defstruct [:id]\n\n"
        '  def event_type, do: "entry_recorded:v1"\nend\n'
    )


def ex_module(domain: str) -> str:
    return f"Reckon{naming.to_pascal(domain)}"


def ex_lib(domain: str) -> str:
    return f"apps/{APP}_{domain}/lib/{APP}_{domain}"


def ex_slice(domain: str, command: str, event: str, version: int = 1, where: str = "") -> Files:
    base = where or f"{ex_lib(domain)}/domain/{command}"
    mod = f"{ex_module(domain)}.Domain.{naming.to_pascal(command)}"
    v = f"v{version}"
    short = naming.event_verb(event)
    return {
        f"{base}/command_{v}.ex": (
            f"defmodule {mod}.CommandV{version} do\n  defstruct [:id]\nend\n"
        ),
        f"{base}/event_{v}.ex": (
            f"defmodule {mod}.EventV{version} do\n"
            f'  def event_type, do: "{event}:{v}"\n'
            "  defstruct [:id]\nend\n"
        ),
        f"{base}/maybe_{command}_{v}.ex": (
            f"defmodule {mod}.{naming.to_pascal(f'maybe_{command}_{v}')} do\n"
            "  def execute(_state, _command), do: []\nend\n"
        ),
        f"{base}/{short}_to_state_{v}.ex": (
            f"defmodule {mod}.{naming.to_pascal(f'{short}_to_state_{v}')} do\n"
            "  def apply(state, _event), do: state\nend\n"
        ),
    }


def elixir_clean() -> Files:
    acc, prof = ex_lib("accounts"), ex_lib("profiles")
    files: Files = {
        "slicegen.toml": f'stack = "elixir"\napp = "{APP}"\n',
        "mix.exs": "defmodule Reckon.Umbrella.MixProject do\n  use Mix.Project\nend\n",
        f"apps/{APP}_accounts/lib/{APP}_accounts.ex": (
            "defmodule ReckonAccounts do\n"
            "  alias ReckonAccounts.CommandedApp\n"
            "  def initialize_account(cmd), do: CommandedApp.dispatch(cmd)\nend\n"
        ),
        f"{acc}/commanded_app.ex": (
            "defmodule ReckonAccounts.CommandedApp do\n"
            "  use Commanded.Application, otp_app: :reckon_accounts\n"
            "  router(ReckonAccounts.Router)\nend\n"
        ),
        f"{acc}/router.ex": (
            "defmodule ReckonAccounts.Router do\n  use Commanded.Commands.Router\nend\n"
        ),
        f"{acc}/event_type_mapper.ex": (
            "defmodule ReckonAccounts.EventTypeMapper do\n"
            '  def to_module("account_initialized:v1"), do: :initialized\n'
            '  def to_module("account_activated:v1"), do: :activated\nend\n'
        ),
        f"{acc}/domain/initialize_account/initialized_to_summary_v1.ex": (
            "defmodule ReckonAccounts.Domain.InitializeAccount.InitializedToSummaryV1 do\n"
            "  use Commanded.Projections.Ecto, application: ReckonAccounts.CommandedApp\nend\n"
        ),
        f"{acc}/domain/activate_account/activated_to_fact_v1.ex": (
            "defmodule ReckonAccounts.Domain.ActivateAccount.ActivatedToFactV1 do\n"
            "  def handle(event, _meta) do\n"
            '    Phoenix.PubSub.broadcast(:pubsub, "accounts:facts:account_activated", event)\n'
            "  end\nend\n"
        ),
        f"apps/{APP}_accounts/design_docs/event-storming.md": "# accounts\n",
        f"apps/{APP}_profiles/design_docs/event-storming.md": "# profiles\n",
        f"apps/{APP}_shared/lib/{APP}_shared/application.ex": (
            "defmodule ReckonShared.Application do\n  use Application\nend\n"
        ),
        f"apps/{APP}_shared/lib/{APP}_shared/accounts/account_activated_fact.ex": (
            "defmodule ReckonShared.Accounts.AccountActivatedFact do\n  defstruct [:id]\nend\n"
        ),
        f"{prof}/domain/establish_profile/when_account_activated_then_establish_profile_v1.ex": (
            "defmodule ReckonProfiles.Domain.EstablishProfile."
            "WhenAccountActivatedThenEstablishProfileV1 do\n"
            "  use GenServer\n"
            "  alias ReckonShared.Accounts.AccountActivatedFact\n"
            "  def init(_),\n"
            '    do: Phoenix.PubSub.subscribe(:pubsub, "accounts:facts:account_activated")\n'
            "  def handle_info(%AccountActivatedFact{} = fact, state),\n"
            "    do: {ReckonProfiles.CommandedApp.dispatch(fact), state}\nend\n"
        ),
        f"apps/{APP}_accounts/test/{APP}_accounts/command_v1_test.exs": (
            "defmodule ReckonAccounts.CommandV1Test do\n  use ExUnit.Case\nend\n"
        ),
    }
    files.update(ex_slice("accounts", "initialize_account", "account_initialized"))
    files.update(ex_slice("accounts", "activate_account", "account_activated"))
    files.update(ex_slice("profiles", "establish_profile", "profile_established"))
    return files


def clean(stack: str) -> Files:
    return python_clean() if stack == "python" else elixir_clean()

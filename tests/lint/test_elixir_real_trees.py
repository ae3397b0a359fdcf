"""False patterns and misses found on real Elixir trees, each on a small tree written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write

MIX = {"mix.exs": "defmodule Bank.MixProject do\n  use Mix.Project\nend\n"}


def _findings(root: Path, files: Files, *codes: str) -> list[tuple[str, str, int]]:
    write(root, {**MIX, **files})
    _, found = lint_json(root, select=list(codes))
    return [(f["code"], f["path"], f["line"]) for f in found]


# --- SG401 -----------------------------------------------------------------------------------

JOBS = (
    "defmodule Bank.Accounts.Jobs do\n  alias Bank.Router\n"
    "  def run(cmd), do: Router.dispatch(cmd)\nend\n"
)


def test_sg401_silent_in_tests_and_in_a_router_that_forwards(tmp_path: Path) -> None:
    files: Files = {
        "lib/bank/accounts/commands/open_account.ex": "defmodule Bank.OpenAccount do\nend\n",
        "test/accounts/open_account_test.exs": (
            "defmodule Bank.OpenAccountTest do\n  alias Bank.Router\n"
            '  test "opens" do\n    :ok = Router.dispatch(%OpenAccount{})\n  end\nend\n'
        ),
        "test/support/use_case.ex": JOBS.replace("Accounts.Jobs", "UseCase"),
        "lib/bank/composite_router.ex": (
            "defmodule Bank.CompositeRouter do\n  defmacro __using__(_) do\n    quote do\n"
            "      def dispatch(cmd), do: @router.dispatch(cmd)\n    end\n  end\nend\n"
        ),
        "lib/bank/accounts/jobs.ex": JOBS,
    }
    found = _findings(tmp_path, files, "SG401")
    assert found == [("SG401", "lib/bank/accounts/jobs.ex", 3)]


def _mix(*deps: str) -> str:
    listed = ", ".join(deps)
    return f"defmodule Bank.MixProject do\n  use Mix.Project\n\n  defp deps, do: [{listed}]\nend\n"


def test_sg401_silent_on_commanded_before_1_which_had_no_application(tmp_path: Path) -> None:
    """Commanded 0.x had no ``Commanded.Application``: the router was the way in. Flagged
    again once a mix project asks for 1.x, or when the version is not known (a git dep)."""
    files: Files = {
        "lib/bank/accounts/commands/open_account.ex": "defmodule Bank.OpenAccount do\nend\n",
        "lib/bank/accounts/jobs.ex": JOBS,
    }
    old = {**files, "mix.exs": _mix('{:commanded, "~> 0.18"}', '{:jason, "~> 1.2"}')}
    assert _findings(tmp_path / "old", old, "SG401") == []
    deps = {"v1": '{:commanded, "~> 1.4"}', "git": '{:commanded, github: "commanded/commanded"}'}
    for name, dep in deps.items():
        found = _findings(tmp_path / name, {**files, "mix.exs": _mix(dep)}, "SG401")
        assert found == [("SG401", "lib/bank/accounts/jobs.ex", 3)], dep


# --- what a file is: established from its code, not its folder -----------------------------

VALIDATOR = "defmodule Bank.Validation.UuidValidator do\n  def validate(v, _), do: v\nend\n"
AUTH_POLICY = (
    "defmodule Bank.Auth.Policies.AccountPolicy do\n  def authorize(_, _, _), do: true\nend\n"
)


def test_validators_in_commands_and_auth_policies_are_no_artifacts(tmp_path: Path) -> None:
    files: Files = {
        "lib/bank/validation/commands/uuid_validator.ex": VALIDATOR,
        "lib/bank/auth/policies/account_policy.ex": AUTH_POLICY,
        "lib/bank/accounts/commands/open_account.ex": (
            "defmodule Bank.OpenAccount do\n  defstruct [:id]\nend\n"
        ),
    }
    found = _findings(tmp_path, files, "SG201", "SG304", "SG307", "SG308")
    assert found == [
        ("SG308", "lib/bank/accounts/commands", 1),
        ("SG201", "lib/bank/accounts/commands/open_account.ex", 1),
    ]


def test_findings_do_not_depend_on_the_selection(tmp_path: Path) -> None:
    """SG201 alone parses too: the validators are no commands whatever else is selected."""
    files: Files = {
        "lib/bank/validation/commands/uuid_validator.ex": VALIDATOR,
        "lib/bank/accounts/commands/open_account.ex": (
            "defmodule Bank.OpenAccount do\n  defstruct [:id]\nend\n"
        ),
    }
    found = _findings(tmp_path, files, "SG201")
    assert found == [("SG201", "lib/bank/accounts/commands/open_account.ex", 1)]


def test_x_to_y_names_are_judged_by_their_code(tmp_path: Path) -> None:
    """``subscribe_x_to_y`` is a command in ``commands/``, an event handler that dispatches is
    a policy, an Ecto schema named ``x_projection`` is a read model; only a module that projects
    is a projection."""
    files: Files = {
        "lib/bank/notices/commands/subscribe_owner_to_notices.ex": (
            "defmodule Bank.SubscribeOwnerToNotices do\n  defstruct [:id]\nend\n"
        ),
        "lib/bank/notices/events/owner_subscribed_to_notices.ex": (
            "defmodule Bank.OwnerSubscribedToNotices do\n  defstruct [:id]\nend\n"
        ),
        "lib/bank/notices/subscribe_owner_to_notices.ex": (
            'defmodule Bank.Notices.Subscriber do\n  use Commanded.Event.Handler, name: "s"\n'
            "  def handle(e, _), do: Bank.App.dispatch(e)\nend\n"
        ),
        "lib/bank/notices/projections/notice_projection.ex": (
            "defmodule Bank.NoticeProjection do\n  use Ecto.Schema\nend\n"
        ),
        "lib/bank/notices/projectors/notice_to_inbox.ex": (
            "defmodule Bank.Notices.NoticeToInbox do\n  use Commanded.Projections.Ecto\nend\n"
        ),
    }
    found = _findings(tmp_path, files, "SG201", "SG303", "SG304")
    assert found == [
        ("SG201", "lib/bank/notices/commands/subscribe_owner_to_notices.ex", 1),
        ("SG201", "lib/bank/notices/events/owner_subscribed_to_notices.ex", 1),
        ("SG201", "lib/bank/notices/projectors/notice_to_inbox.ex", 1),
        ("SG303", "lib/bank/notices/projectors/notice_to_inbox.ex", 1),
        ("SG201", "lib/bank/notices/subscribe_owner_to_notices.ex", 1),
        ("SG304", "lib/bank/notices/subscribe_owner_to_notices.ex", 1),
    ]


def test_a_lone_handler_behaviour_makes_no_slice(tmp_path: Path) -> None:
    files: Files = {
        "lib/bank/accounts/commands/open_account.ex": (
            "defmodule Bank.OpenAccount do\n  defstruct [:id]\nend\n"
        ),
        "lib/bank/event/handler.ex": (
            "defmodule Bank.Event.Handler do\n  defmacro __using__(_), do: nil\nend\n"
        ),
    }
    assert _findings(tmp_path, files, "SG301", "SG302", "SG104") == []


def test_behaviours_and_use_macros_are_no_artifacts(tmp_path: Path) -> None:
    """A dispatch library's own ``Handler`` behaviour and ``__using__`` macros are not the
    handlers and policies of an application."""
    files: Files = {
        "lib/bank/accounts/commands/open_account.ex": (
            "defmodule Bank.OpenAccount do\n  defstruct [:id]\nend\n"
        ),
        "lib/bank/accounts/commands/handler.ex": (
            "defmodule Bank.Commands.Handler do\n  @callback handle(term, term) :: term\nend\n"
        ),
        "lib/bank/accounts/handlers/maybe_open_account.ex": (
            "defmodule Bank.Handlers.MaybeOpenAccount do\n  defmacro __using__(_) do\n"
            "    quote do\n      def execute(s, c), do: {s, c}\n    end\n  end\nend\n"
        ),
    }
    found = _findings(tmp_path, files, "SG201", "SG308")
    assert found == [
        ("SG308", "lib/bank/accounts/commands", 1),
        ("SG201", "lib/bank/accounts/commands/open_account.ex", 1),
    ]


# --- reckon-style slices ---------------------------------------------------------------------

RECKON = "lib/poll/domain"


def _reckon(slice_files: dict[str, str]) -> Files:
    return {f"{RECKON}/{rel}": body for rel, body in slice_files.items()}


def test_reckon_names_complete_a_slice(tmp_path: Path) -> None:
    """``<slice>_cmd_v1``, ``evt``/``evt_v1``, ``*_to_aggregate_v1`` and an ``apply/2`` module
    are the command, event and evolvers; ``casted_to_summary_v1`` is a projection name."""
    files = _reckon(
        {
            "cast_vote/cast_vote_cmd_v1.ex": (
                "defmodule Poll.CastVoteCmdV1 do\n  defstruct [:id]\nend\n"
            ),
            "cast_vote/evt_v1.ex": "defmodule Poll.EvtV1 do\n  defstruct [:id]\nend\n",
            "cast_vote/maybe_cast_vote_v1.ex": "defmodule Poll.MaybeCastVoteV1 do\nend\n",
            "cast_vote/casted_to_aggregate_v1.ex": "defmodule Poll.CastedToAggregateV1 do\nend\n",
            "close_poll/command_v1.ex": "defmodule Poll.ClosePoll.CommandV1 do\nend\n",
            "close_poll/event_v1.ex": "defmodule Poll.ClosePoll.EventV1 do\nend\n",
            "close_poll/maybe_close_poll_v1.ex": "defmodule Poll.MaybeClosePollV1 do\nend\n",
            "close_poll/event_handler_v1.ex": (
                "defmodule Poll.ClosePoll.EventHandlerV1 do\n  def apply(s, _e), do: s\nend\n"
            ),
            "setup_db/command_v1.ex": "defmodule Poll.SetupDb.CommandV1 do\nend\n",
            "setup_db/event_v1.ex": "defmodule Poll.SetupDb.EventV1 do\nend\n",
            "setup_db/maybe_setup_db_v1.ex": "defmodule Poll.MaybeSetupDBV1 do\nend\n",
            "setup_db/db_set_up_to_state_v1.ex": "defmodule Poll.DbSetUpToStateV1 do\nend\n",
        }
    )
    assert _findings(tmp_path, files, "SG302", "SG307") == []


def test_unversioned_evt_beside_cmd_is_flagged(tmp_path: Path) -> None:
    files = _reckon(
        {
            "cast_vote/cmd.ex": "defmodule Poll.CastVote.Cmd do\n  defstruct [:id]\nend\n",
            "cast_vote/evt.ex": "defmodule Poll.CastVote.Evt do\n  defstruct [:id]\nend\n",
        }
    )
    found = _findings(tmp_path, files, "SG201")
    assert found == [
        ("SG201", f"{RECKON}/cast_vote/cmd.ex", 1),
        ("SG201", f"{RECKON}/cast_vote/evt.ex", 1),
    ]


# --- SG306: a process manager grouping policies ----------------------------------------------

PM = """defmodule Bank.Transfers.TransferProcess do
  use Commanded.ProcessManagers.ProcessManager, application: Bank.App, name: "transfer"
  alias Bank.Events.{MoneyWithdrawn, MoneyDeposited, TransferRequested}
  defstruct [:id]
  def interested?(%TransferRequested{id: id}), do: {:start, id}
  def interested?(%MoneyWithdrawn{id: id}), do: {:continue, id}
  def interested?(%MoneyDeposited{id: id}), do: {:stop, id}
  def handle(%__MODULE__{}, %TransferRequested{} = e), do: %Bank.WithdrawMoney{id: e.id}
  def handle(%__MODULE__{}, %MoneyWithdrawn{} = e), do: %Bank.DepositMoney{id: e.id}
end
"""
ONE_POLICY = """defmodule Bank.Accounts.WhenAccountOpenedThenSendWelcomeV1 do
  use Commanded.Event.Handler, application: Bank.App, name: "welcome"
  def handle(%Bank.AccountOpened{email: nil}, _), do: :ok
  def handle(%Bank.AccountOpened{} = e, _), do: Bank.App.dispatch(%Bank.SendWelcome{id: e.id})
end
"""


def test_sg306_process_manager_with_several_events(tmp_path: Path) -> None:
    files: Files = {
        "lib/bank/transfers/transfer_process.ex": PM,
        "lib/bank/transfers/commands/withdraw_money.ex": (
            "defmodule Bank.WithdrawMoney do\n  defstruct [:id]\nend\n"
        ),
        "lib/bank/accounts/domain/send_welcome/when_account_opened_then_send_welcome_v1.ex": (
            ONE_POLICY
        ),
    }
    found = _findings(tmp_path, files, "SG306")
    assert found == [("SG306", "lib/bank/transfers/transfer_process.ex", 1)]


SINGLE_PM = """defmodule Bank.Transfers.ProcessManagers.RefundTransfer do
  use Commanded.ProcessManagers.ProcessManager, application: Bank.App, name: "refund"
  alias Bank.Events.TransferBounced
  defstruct [:id]
  def interested?(%TransferBounced{id: id}), do: {:start, id}
  def handle(%RefundTransfer{}, %TransferBounced{} = e), do: %Bank.RefundMoney{id: e.id}
  def apply(%RefundTransfer{} = pm, %TransferBounced{id: id}), do: %RefundTransfer{pm | id: id}
end
"""


def test_sg306_does_not_count_a_process_managers_own_state_struct(tmp_path: Path) -> None:
    """``handle(%RefundTransfer{}, %TransferBounced{})``: the first struct is the process
    manager's own state, not a second policy."""
    files: Files = {
        "lib/bank/transfers/refund_transfer.ex": SINGLE_PM,
        "lib/bank/transfers/commands/refund_money.ex": (
            "defmodule Bank.RefundMoney do\n  defstruct [:id]\nend\n"
        ),
    }
    assert _findings(tmp_path, files, "SG306") == []

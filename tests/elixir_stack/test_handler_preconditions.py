"""A starting slice's handler refuses an aggregate that exists, any other handler one that does
not; a policy whose command starts the aggregate takes exactly that refusal as a repeat it has
handled. Read with Elixir's own parser: the clauses of ``execute/2``, ``acknowledge_repeat/2``."""

from __future__ import annotations

from pathlib import Path

from tests.elixir_stack.support import ok, require_elixir, run_tool

#: Prints ``file<TAB>function<TAB>arguments<TAB>body`` for every ``def``/``defp`` clause.
CLAUSES = r"""
for file <- System.argv() do
  {:ok, ast} = Code.string_to_quoted(File.read!(file))

  {_, clauses} =
    Macro.prewalk(ast, [], fn
      {kind, _, [{name, _, args}, [do: body]]} = node, acc
      when kind in [:def, :defp] and is_list(args) ->
        {node, [{name, args, body} | acc]}

      node, acc ->
        {node, acc}
    end)

  for {name, args, body} <- Enum.reverse(clauses) do
    body = body |> Macro.to_string() |> String.replace("\n", " ")
    IO.puts(Enum.join([Path.basename(file), name, Macro.to_string(args), body], "\t"))
  end
end
"""

PROFILES = "apps/reckon_profiles/lib/reckon_profiles/domain"
ACCOUNTS = "apps/reckon_accounts/lib/reckon_accounts/domain"


def clauses(root: Path, tmp_path: Path, rel: str, fun: str) -> list[tuple[str, str]]:
    """(arguments, body) of each clause of ``fun`` in the file ``rel``, in order."""
    elixir, _ = require_elixir()
    script = tmp_path / "clauses.exs"
    script.write_text(CLAUSES)
    done = run_tool([elixir, str(script), str(root / rel)], tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    return [(args, body) for _, name, args, body in rows if name == fun]


def refusals(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The clauses that refuse, with what they refuse; the one that records shows as ``event``."""
    return [(args, body if body.startswith("{:error") else "event") for args, body in found]


def test_a_starting_handler_refuses_an_existing_aggregate(umbrella: Path, tmp_path: Path) -> None:
    for version in (1, 2):  # add-version's v2 starts the aggregate as v1 did
        rel = f"{ACCOUNTS}/initialize_account/maybe_initialize_account_v{version}.ex"
        command = f"%CommandV{version}{{}}"
        assert refusals(clauses(umbrella, tmp_path, rel, "execute")) == [
            (f"[%Account{{account_id: nil}}, {command} = command]", "event"),
            (f"[%Account{{}}, {command}]", "{:error, :account_already_exists}"),
        ]
    rel = f"{PROFILES}/establish_profile/maybe_establish_profile_v1.ex"
    assert refusals(clauses(umbrella, tmp_path, rel, "execute")) == [
        ("[%Profile{profile_id: nil}, %CommandV1{} = command]", "event"),
        ("[%Profile{}, %CommandV1{}]", "{:error, :profile_already_exists}"),
    ]


def test_any_other_handler_refuses_a_missing_aggregate(umbrella: Path, tmp_path: Path) -> None:
    for rel in (
        f"{ACCOUNTS}/activate_account/maybe_activate_account_v1.ex",
        f"{ACCOUNTS}/confirm_email/maybe_confirm_email_v1.ex",
    ):
        assert refusals(clauses(umbrella, tmp_path, rel, "execute")) == [
            ("[%Account{account_id: nil}, %CommandV1{}]", "{:error, :account_not_found}"),
            ("[%Account{} = _state, %CommandV1{} = command]", "event"),
        ]


def test_the_user_says_which_slice_starts(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    ok(root, "init", "--stack", "elixir", "--app", "reckon", ".")
    ok(root, "new-domain", "accounts")
    ok(root, "add-slice", "accounts", "open_account", "--no-starts")
    ok(root, "add-slice", "accounts", "import_account", "--starts")
    opened = f"{ACCOUNTS}/open_account/maybe_open_account_v1.ex"
    imported = f"{ACCOUNTS}/import_account/maybe_import_account_v1.ex"
    assert refusals(clauses(root, tmp_path, opened, "execute"))[0][1] == (
        "{:error, :account_not_found}"
    )
    assert refusals(clauses(root, tmp_path, imported, "execute"))[1][1] == (
        "{:error, :account_already_exists}"
    )


def test_a_policy_takes_only_the_starting_refusal_as_done(umbrella: Path, tmp_path: Path) -> None:
    rel = f"{PROFILES}/establish_profile/when_account_activated_then_establish_profile_v1.ex"
    repeat = clauses(umbrella, tmp_path, rel, "acknowledge_repeat")
    # The refusal that a repeated fact meets is acknowledged (logged, then :ok) ...
    assert [(args, body.rsplit(" ", 1)[-1]) for args, body in repeat] == [
        ("[{:error, :profile_already_exists}, fact]", ":ok"),
        ("[result, _fact]", "result"),
    ]
    assert "Logger.info(" in repeat[0][1]
    # ... on the dispatch's result, so every other error still goes back to be retried.
    [(_, handle)] = clauses(umbrella, tmp_path, rel, "handle")
    dispatched = handle.index("|> CommandedApp.dispatch(")
    assert handle.index("|> acknowledge_repeat(fact)", dispatched) > dispatched


def test_a_policy_on_a_non_starting_command_retries_every_error(
    umbrella: Path, tmp_path: Path
) -> None:
    for rel in (
        f"{ACCOUNTS}/confirm_email/when_account_initialized_then_confirm_email_v2.ex",
        f"{PROFILES}/personalize_profile/when_account_initialized_then_personalize_profile_v1.ex",
    ):
        assert clauses(umbrella, tmp_path, rel, "acknowledge_repeat") == []
        [(_, handle)] = clauses(umbrella, tmp_path, rel, "handle")
        assert "acknowledge_repeat" not in handle


def test_integration_tests_start_the_aggregate_before_another_command(umbrella: Path) -> None:
    tests = umbrella / "apps/reckon_accounts/test/reckon_accounts"
    start = (
        "    start = initialize_account_attrs(account_id: attrs[:account_id])\n"
        "    :ok = ReckonAccounts.initialize_account(start)\n"
    )
    projection = (tests / "activate_account/activated_to_summary_v1_test.exs").read_text()
    assert projection.count(start) == 2  # both tests that dispatch activate_account
    publisher = (tests / "activate_account/activated_to_fact_v1_test.exs").read_text()
    assert start in publisher
    # The row the starting slice's projection wrote takes the other events' values.
    assert "on_conflict: :replace_all" in projection
    own = (tests / "initialize_account/initialized_to_summary_v1_test.exs").read_text()
    assert "_attrs(account_id:" not in own
    assert "on_conflict" not in own

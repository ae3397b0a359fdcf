"""``remove-slice`` of the slice that starts the aggregate: the other slices' integration tests
started the aggregate with its command, so the generated project's tests no longer imported.
They now start it with the domain's next starting slice, or test the refusal only when none is
left; a test the user changed is left as it is, with a note saying what to change."""

from __future__ import annotations

from pathlib import Path

from tests.python_stack.support import ok, slicegen, tool

ACCOUNTS = "tests/accounts"


def scaffold(root: Path, *slices: tuple[str, ...]) -> None:
    ok(root, "init", "--stack", "python", "--app", "shop", ".")
    ok(root, "new-domain", "accounts")
    for args in slices:
        ok(root, "add-slice", "accounts", *args)


def passes(root: Path) -> str:
    done = tool(root, "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_other_slices_tests_run_after_the_starting_slice_is_removed(tmp_path: Path) -> None:
    scaffold(
        tmp_path,
        ("open_account", "-f", "email:str"),
        ("note_account", "-f", "note:str?"),
        ("close_account", "-f", "reason:str", "-p", "summary"),
    )
    noted = tmp_path / ACCOUNTS / "note_account/test_note_account_integration.py"
    assert "OpenAccountV1" in noted.read_text()
    ok(tmp_path, "remove-slice", "accounts", "open_account")
    for test in (noted, tmp_path / ACCOUNTS / "close_account/test_close_account_integration.py"):
        text = test.read_text()
        assert "open_account" not in text and "is_refused_when_the_account_does_not_exist" in text
    passes(tmp_path)


def test_a_second_starting_slice_starts_the_aggregate_in_their_place(tmp_path: Path) -> None:
    scaffold(
        tmp_path,
        ("open_account", "-f", "email:str", "--starts"),
        ("register_account", "-f", "handle:str", "--starts"),
        ("note_account", "-f", "note:str?"),
    )
    ok(tmp_path, "remove-slice", "accounts", "open_account")
    text = (tmp_path / ACCOUNTS / "note_account/test_note_account_integration.py").read_text()
    assert "RegisterAccountV1(" in text and "survives_reopening" in text
    assert "passed" in passes(tmp_path)


def test_a_test_the_user_changed_is_left_with_a_note(tmp_path: Path) -> None:
    scaffold(tmp_path, ("open_account", "-f", "email:str"), ("note_account", "-f", "note:str?"))
    noted = tmp_path / ACCOUNTS / "note_account/test_note_account_integration.py"
    noted.write_text(noted.read_text() + "# mine\n")
    done = slicegen(tmp_path, "remove-slice", "accounts", "open_account")
    assert done.returncode == 0, done.stderr
    rel = noted.relative_to(tmp_path).as_posix()
    assert f"{rel} starts the account with 'open_account': start it another way" in done.stderr
    assert noted.read_text().endswith("# mine\n")

"""The Ecto migrations slicegen writes: valid timestamp versions, columns typed as the events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from slicegen import clock
from tests.conftest import RunCli

MIGRATIONS = "apps/reckon_accounts/priv/repo/migrations"


def ok(cli: RunCli, root: Path, *args: str) -> None:
    result = cli(*args, cwd=root)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2999, 12, 31)))
def test_the_stamp_after_a_stamp_is_one_second_later(moment: datetime) -> None:
    moment = moment.replace(microsecond=0, tzinfo=UTC)
    later = datetime.strptime(clock.after(moment.strftime(clock.FORMAT)), clock.FORMAT)
    assert later.replace(tzinfo=UTC) == moment + timedelta(seconds=1)


def test_a_migration_after_one_at_second_59_is_a_real_time(cli: RunCli, tmp_path: Path) -> None:
    """The version after ``...235959`` was ``...235960``: no time, and out of order with a
    migration written at the next real second."""
    ok(cli, tmp_path, "init", "--stack", "elixir", "--app", "reckon", ".")
    ok(cli, tmp_path, "new-domain", "accounts")
    ok(cli, tmp_path, "add-slice", "accounts", "open_account", "-f", "email:str")
    folder = tmp_path / MIGRATIONS
    (first,) = folder.glob("*_create_projection_versions.exs")
    first.rename(folder / "29991231235959_create_projection_versions.exs")
    ok(cli, tmp_path, "add-projection", "accounts", "open_account", "summary")
    (added,) = folder.glob("*_create_accounts_summary.exs")
    assert added.name.startswith("30000101000000_")


def test_read_model_columns_of_uuid_fields_are_uuids(cli: RunCli, tmp_path: Path) -> None:
    ok(cli, tmp_path, "init", "--stack", "elixir", "--app", "reckon", ".")
    ok(cli, tmp_path, "new-domain", "accounts")
    ok(
        cli,
        tmp_path,
        "add-slice",
        "accounts",
        "open_account",
        "-f",
        "referrer:uuid?",
        "-f",
        "friends:list[uuid]",
        "-f",
        "email:str",
    )
    ok(cli, tmp_path, "add-projection", "accounts", "open_account", "summary")
    ok(cli, tmp_path, "add-slice", "accounts", "tag_account", "-f", "tag_id:uuid")
    ok(cli, tmp_path, "add-projection", "accounts", "tag_account", "summary")
    migrations = sorted((tmp_path / MIGRATIONS).glob("*.exs"))
    created, added = migrations[-2].read_text(), migrations[-1].read_text()
    assert "add(:referrer, :binary_id)" in created
    assert "add(:friends, {:array, :binary_id})" in created
    assert "add(:email, :string)" in created
    assert "add(:tag_id, :binary_id)" in added
    schema = (
        tmp_path / "apps/reckon_accounts/lib/reckon_accounts/projections/summary.ex"
    ).read_text()
    assert "field(:referrer, :binary_id)" in schema and "field(:tag_id, :binary_id)" in schema

"""Hostile names, field specs, config values and paths: a one-line SlicegenError, no traceback."""

from __future__ import annotations

import keyword
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from slicegen import naming
from slicegen.change_set import ChangeSet, safe_relative
from slicegen.config import Config, parse_config, read_config_file
from slicegen.errors import SlicegenError
from slicegen.fields import SCALARS, FieldSpec, parse_field
from tests.conftest import RunCli, run_slicegen, snapshot

SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
MAX_MESSAGE = 400  # a hostile input is quoted shortened, so messages stay readable

#: Text biased towards what breaks names and paths.
NASTY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("az_09AZ-./\\:?[]\x00\n\r\t '\"$`;{}%~")),
        st.sampled_from(
            [
                "\u0430",
                "\u03bf",
                "\u0131",
                "\u017f",
                "\u212a",
                "\uff41",
                "\u200b",
                "\u202e",
                "\u2028",
                "\u00e9",
            ]
        ),
        st.characters(),
    ),
    max_size=80,
)
CONFUSABLES = [
    "\u0430ccount",
    "acc\u043eunt",
    "\u017fhop",
    "\uff53\uff48\uff4f\uff50",
    "shop\u200b",
    "sh\u0131p",
    "shop\u202e",
]
RESERVED = [
    *keyword.kwlist,
    *keyword.softkwlist,
    *sorted(naming.ELIXIR_RESERVED),
]


def assert_one_line(exc: SlicegenError) -> None:
    message = exc.message
    assert message and message == str(exc)
    assert len(message.splitlines()) == 1 and "\n" not in message and "\r" not in message
    assert len(message) <= MAX_MESSAGE, message


def attempt(action: Any, *args: Any) -> Any:
    """Call ``action``; a SlicegenError must be one line (None is returned then)."""
    try:
        return action(*args)
    except SlicegenError as exc:
        assert_one_line(exc)
        return None


# --- names ----------------------------------------------------------------------------------


@settings(max_examples=400)
@given(NASTY)
@example("..")
@example("../x")
@example("a/b")
@example("a\\b")
@example("a\x00b")
@example("x" * 10_000)
@example("a\n" * 5_000)
@example("")
def test_validate_name_accepts_only_safe_snake_case(name: str) -> None:
    result = attempt(naming.validate_name, name, "domain name")
    if result is not None:
        assert result == name
        assert SNAKE.fullmatch(name) and name.isascii() and len(name) <= naming.MAX_NAME_LENGTH
        assert not keyword.iskeyword(name) and name not in naming.ELIXIR_RESERVED


@pytest.mark.parametrize("name", [*CONFUSABLES, *RESERVED, "x" * 10_000, "a" * 65])
def test_confusable_reserved_and_long_names_are_refused(name: str) -> None:
    with pytest.raises(SlicegenError) as info:
        naming.validate_name(name, "app name")
    assert_one_line(info.value)
    assert info.value.message.startswith("app name")


def test_long_name_message_is_short_and_quoted() -> None:
    with pytest.raises(SlicegenError) as info:
        naming.validate_name("a\n" * 5_000)
    assert_one_line(info.value)
    assert "10000 characters" in info.value.message


@given(NASTY)
def test_case_conversions_never_crash(name: str) -> None:
    for convert in (naming.to_snake, naming.to_pascal, naming.to_kebab, naming.split_version):
        convert(name)


# --- field specs ----------------------------------------------------------------------------


FIELD_SPECS = st.one_of(
    NASTY,
    st.builds(
        lambda n, t, opt: f"{n}:{t}{opt}",
        st.one_of(st.sampled_from(["email", "age", "class", "end", "x" * 70]), NASTY),
        st.one_of(
            st.sampled_from([*SCALARS, "list[str]", "list[list[int]]", "list[]", "dict", "str??"]),
            NASTY,
        ),
        st.sampled_from(["", "?", " ?", "??"]),
    ),
)


@settings(max_examples=400)
@given(FIELD_SPECS)
@example("email:str")
@example(":str")
@example("email:")
@example("x" * 10_000 + ":str")
@example("email:" + "s" * 10_000)
@example("a:b:c")
def test_parse_field_gives_a_valid_field_or_one_line(spec: str) -> None:
    field = attempt(parse_field, spec)
    if field is not None:
        assert isinstance(field, FieldSpec)
        naming.validate_name(field.name)
        assert field.type.scalar in SCALARS
        assert parse_field(field.spec()) == field  # the canonical spec parses back to itself


# --- config ---------------------------------------------------------------------------------

TOML_SCALARS = st.one_of(
    st.text(max_size=30), NASTY, st.integers(), st.floats(), st.booleans(), st.none()
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=8,
)
KEYS = [
    "stack",
    "app",
    "domains-dir",
    "facts-dir",
    "design-docs-dir",
    "lint",
    "domains_dir",
    "bogus",
    "",
]
LINT_KEYS = [
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "crud-verbs",
    "extend-crud-verbs",
    "exclude",
    "respect-gitignore",
    "boundaries",
    "nope",
]
BOUNDARY_KEYS = ["domains", "allow", "strict", "shared", "layers", "type-checking-imports", "x\ny"]


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = draw(
        st.dictionaries(st.one_of(st.sampled_from(KEYS), NASTY), TOML_VALUES, max_size=4)
    )
    if draw(st.booleans()):
        lint = draw(
            st.dictionaries(st.one_of(st.sampled_from(LINT_KEYS), NASTY), TOML_VALUES, max_size=4)
        )
        if draw(st.booleans()):
            lint["boundaries"] = draw(
                st.dictionaries(st.sampled_from(BOUNDARY_KEYS), TOML_VALUES, max_size=3)
            )
        data["lint"] = lint
    return data


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
@example({"app": "../x"})
@example({"app": "x" * 10_000})
@example({"stack": "cobol"})
@example({"domains-dir": "../../etc"})
@example({"facts-dir": "/abs"})
@example({"design-docs-dir": "a\x00b"})
@example({"lint": {"per-file-ignores": {"a\nb": [1]}}})
@example({"lint": {"crud-verbs": ["ok", "two words"]}})
@example({"x\ny": 1})
@example({"lint": {"boundaries": {"allow": {"a": "b" * 10_000}}}})
def test_parse_config_gives_a_config_or_one_line(data: dict[str, Any]) -> None:
    config = attempt(parse_config, data, Path("slicegen.toml"))
    if config is None:
        return
    assert isinstance(config, Config)
    for folder in (config.domains_dir, config.facts_dir, config.design_docs_dir):
        if folder is not None:
            assert ".." not in folder.replace("\\", "/").split("/") and "\x00" not in folder
            assert not folder.startswith(("/", "\\"))
    if config.app is not None:
        naming.validate_name(config.app)


def test_config_error_names_file_and_key() -> None:
    with pytest.raises(SlicegenError) as info:
        parse_config({"domains-dir": "../outside"}, Path("ws/slicegen.toml"))
    assert_one_line(info.value)
    assert info.value.message.startswith("ws/slicegen.toml: bad value for 'domains-dir'")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_read_config_file_with_random_bytes(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "slicegen.toml"
    path.write_bytes(raw)
    attempt(read_config_file, path)


# --- paths ----------------------------------------------------------------------------------


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NASTY)
@example("../x")
@example("a/../../x")
@example("/etc/passwd")
@example("..\\x")
@example(".")
@example("./")
@example("a/./b")
@example("a\x00b")
@example("x" * 10_000)
@example("/".join(["d"] * 3000))
def test_safe_relative_stays_inside_the_root(tmp_path: Path, path: str) -> None:
    rel = attempt(safe_relative, tmp_path, path)
    if rel is not None:
        assert rel and not rel.startswith("/") and ".." not in rel.split("/")
        assert (tmp_path / rel).resolve().is_relative_to(tmp_path.resolve())


def test_symlink_out_of_the_workspace_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "ws"
    root.mkdir()
    (root / "docs").symlink_to(outside)
    (root / "loop").symlink_to(root / "loop")
    cs = ChangeSet(root)
    with pytest.raises(SlicegenError, match="symlink") as info:
        cs.add("docs/README.md", "x")
    assert_one_line(info.value)
    with pytest.raises(SlicegenError) as info:
        cs.add("loop/x", "x")
    assert_one_line(info.value)


# --- the command line -----------------------------------------------------------------------

BAD_INIT = [
    ["--app", "../x"],
    ["--app", "a/b"],
    ["--app", "a\nb"],
    ["--app", "x" * 10_000],
    ["--app", "class"],
    ["--app", "end"],
    ["--app", "\u0430ccount"],
    ["--app", "Shop"],
    ["--app", "shop", "--stack", "cobol"],
]


@pytest.mark.parametrize("args", BAD_INIT, ids=lambda a: repr(a)[:30])
def test_bad_init_arguments_exit_2_with_one_line_and_write_nothing(
    cli: RunCli, tmp_path: Path, args: list[str]
) -> None:
    result = cli("init", *args, cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert len(result.stderr) <= MAX_MESSAGE
    assert list(tmp_path.iterdir()) == []  # not even .slicegen/


def test_bad_app_through_the_real_entry_point(tmp_path: Path) -> None:
    result = run_slicegen("init", "--app", "../x", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: app name '../x'") and result.stderr.count("\n") == 1
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


BAD_WORKSPACE_COMMANDS = [
    ["new-domain", "../x"],
    ["new-domain", "accounts", "--aggregate", "a/b"],
    ["new-domain", "x" * 10_000],
    ["add-slice", "accounts", "../initialize"],
    ["add-slice", "accounts", "create_account"],
    ["add-slice", "accounts", "initialize_account", "--event", "account_updated"],
    ["add-slice", "accounts", "initialize_account", "-f", "email:list[evil]"],
    ["add-slice", "accounts", "initialize_account", "-f", "a\x00b:str"],
    ["add-slice", "accounts", "initialize_account", "-p", "../read"],
    ["add-policy", "accounts", "open_ledger", "--on", "nocolon"],
    ["add-fact", "accounts", "profile_deleted"],
    ["add-version", "accounts", "../x"],
]


@pytest.mark.parametrize("args", BAD_WORKSPACE_COMMANDS, ids=lambda a: repr(a)[:40])
def test_bad_command_arguments_exit_2_and_write_nothing(
    cli: RunCli, tmp_path: Path, args: list[str]
) -> None:
    assert cli("init", "--app", "shop", cwd=tmp_path).exit_code == 0
    before = snapshot(tmp_path, ignore=())
    result = cli(*args, cwd=tmp_path)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert len(result.stderr) <= MAX_MESSAGE
    assert snapshot(tmp_path, ignore=()) == before


def test_symlink_out_of_the_workspace_refused_by_init(cli: RunCli, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "ws"
    root.mkdir()
    (root / "design_docs").symlink_to(outside)
    result = cli("init", "--app", "shop", cwd=root)
    assert result.exit_code == 2
    assert "symlink" in result.stderr and result.stderr.count("\n") == 1
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in root.iterdir()) == [".slicegen", "design_docs"]  # the lock


def test_state_dir_symlinked_out_of_the_workspace_is_refused(cli: RunCli, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".slicegen").symlink_to(outside)
    result = cli("init", "--app", "shop", cwd=root)
    assert result.exit_code == 2
    assert ".slicegen is a symlink" in result.stderr and result.stderr.count("\n") == 1
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in root.iterdir()) == [".slicegen"]


def test_unreadable_argv_bytes_are_refused(tmp_path: Path) -> None:
    """A name that is not valid UTF-8 reaches slicegen as surrogates: still a one-line error."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable.encode(), b"-m", b"slicegen", b"init", b"--app", b"sh\xffop"],
        cwd=tmp_path,
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(b"error: ") and proc.stderr.count(b"\n") == 1
    assert list(tmp_path.iterdir()) == []

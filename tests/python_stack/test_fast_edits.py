"""The line-splicing edits give byte for byte what the libcst edits give, or decline."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slicegen.errors import SlicegenError
from slicegen.stacks.python import edits, fast_edits

from .test_end_to_end import COMMANDS, VERSION

Case = tuple[str, tuple[edits.TreeEdit, ...]]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    """Every (source, edits) the python stack's commands apply in the end-to-end scenario."""
    from slicegen.cli import app

    root = tmp_path_factory.mktemp("fast_edits")
    cases: list[Case] = []
    original = edits.apply

    def recording(*steps: edits.TreeEdit, fast: bool = True) -> edits.Edit:
        inner = original(*steps, fast=fast)

        def edit(source: str) -> str:
            cases.append((source, steps))
            return inner(source)

        return edit

    commands = [
        ["init", "--stack", "python", "--app", "shop"],
        *COMMANDS,
        ["add-slice", "accounts", "suspend_account", "--field", "reason:str", "--projection", "x"],
        ["add-fact", "accounts", "account_activated"],
        VERSION,
        ["add-slice", "profiles", "retire_profile"],
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setattr(edits, "apply", recording)
        for command in commands:
            result = CliRunner().invoke(app, command, prog_name="slicegen")
            assert result.exit_code == 0, (command, result.stdout, result.stderr)
    return [(source, steps) for source, steps in cases if _all_fast(steps)]


def _all_fast(steps: Sequence[edits.TreeEdit]) -> bool:
    return all(isinstance(step, edits.Step) for step in steps)


def _fast(source: str, steps: Sequence[edits.TreeEdit]) -> str | None:
    return fast_edits.run(source, [step.fast for step in steps if isinstance(step, edits.Step)])


def _same_or_declined(source: str, steps: Sequence[edits.TreeEdit]) -> bool:
    """Assert the fast path agrees with libcst (or declines); True if it did not decline."""
    try:
        expected: str | None = edits.apply(*steps, fast=False)(source)
    except SlicegenError:
        expected = None
    quick = _fast(source, steps)
    if quick is not None:
        assert quick == expected, source
    return quick is not None


def _variants(source: str) -> Iterator[str]:
    """The source as a user might have touched it: comments, blank lines, odd formatting."""
    lines = source.splitlines(keepends=True)
    for i, line in enumerate(lines):
        before, after = lines[:i], lines[i:]
        yield "".join([*before, "# user note\n", *after])
        yield "".join([*before, "\n", *after])
        yield "".join([*before, "    # indented note\n", *after])
        if not line.strip():
            yield "".join([*before, *lines[i + 1 :]])
        if line.strip():
            yield "".join([*before, line.rstrip("\n") + "  # mine\n", *lines[i + 1 :]])
    yield source + "# footer\n"
    yield source + "\n\n"
    yield source + "    # indented footer\n"
    yield source + "\n\ndef helper() -> None:\n    pass\n"
    yield source + "\n\nclass Extra:\n    x: int = 0\n    # trailing\n"
    yield source.replace("\n", "\r\n")
    yield source.rstrip("\n")
    yield re.sub(r"(?m)^((?:    )+)", lambda m: "  " * (len(m.group(1)) // 4), source)
    yield source.replace("    ", "\t")
    yield source.replace("import (\n", "import (  # wrapped\n")
    yield source.replace(", ", ",")
    yield source.replace("\n\n\n", "\n\n")


def test_generated_files_take_the_fast_path_and_agree(recorded: list[Case]) -> None:
    assert recorded
    for source, steps in recorded:
        assert _same_or_declined(source, steps), source
        once = edits.apply(*steps)(source)
        assert edits.apply(*steps)(once) == once


def test_user_touched_files_agree_or_decline(recorded: list[Case]) -> None:
    taken = declined = 0
    for source, steps in recorded:
        for variant in _variants(source):
            if _same_or_declined(variant, steps):
                taken += 1
            else:
                declined += 1
    assert taken and declined


ROUTER = '''"""Routes."""

# routing
from shop.accounts.state import AccountState  # the aggregate
from shop.shared.routing import Routes

ROUTES = Routes(AccountState())
ROUTES.handle(
    OpenAccountV1,
    maybe_open_account_v1,
)
'''

STATE = '''"""State."""

from shop.shared.state import State


class AccountState(State):
    """Immutable."""

    # flags
    opened: bool = False

    def closed(self) -> bool:
        return False
'''

GUARDED = '''"""Routes."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uuid import UUID
    # only for types
from shop.accounts.state import AccountState
from shop.shared.routing import Routes

ROUTES = Routes(AccountState())
'''

INIT = '''"""Accounts."""

from shop.accounts.app import dispatch

__all__ = ["dispatch", "start"]
'''


@pytest.mark.parametrize(
    ("source", "steps"),
    [
        (ROUTER, [edits.add_import("uuid", "UUID", "shop")]),
        (ROUTER, [edits.add_import("shop.accounts.app", "x", "shop")]),
        (ROUTER, [edits.add_import("shop.zzz", "Z", "shop")]),
        (ROUTER, [edits.add_import("pydantic", "BaseModel", "shop")]),
        (ROUTER, [edits.add_import("shop.shared.routing", "Routes", "shop", "R")]),
        (ROUTER, [edits.add_import("shop.shared.routing", "ALL", "shop")]),
        (ROUTER, [edits.add_statement("ROUTES.handle(OpenAccountV1, maybe_open_account_v1)")]),
        (ROUTER, [edits.add_statement("ROUTES.evolve(Opened, opened_to_state_v1)", 1)]),
        (ROUTER, [edits.add_statement("x = 1")]),
        (GUARDED, [edits.add_import("pydantic", "BaseModel", "shop")]),
        (GUARDED, [edits.add_import("shop.accounts.app", "x", "shop")]),
        (GUARDED, [edits.add_import("shop.accounts.domain", "x", "shop")]),
        (STATE, [edits.add_class_field("AccountState", "closed: bool = False", "closed")]),
        (STATE, [edits.add_class_field("AccountState", "opened: bool = False", "opened")]),
        (STATE, [edits.add_class_field("Missing", "a: int = 0", "a")]),
        (
            STATE.replace("    # flags\n", ""),
            [edits.add_class_field("AccountState", "b: int", "b")],
        ),
        (INIT, [edits.add_to_all("open_account"), edits.add_to_all("dispatch")]),
        (INIT.replace('"start"', "'start'"), [edits.add_to_all("open_account")]),
        (INIT, [edits.add_function("def opened() -> None:\n    pass\n", "opened")]),
        (INIT, [edits.add_function("def dispatch() -> None:\n    pass\n", "dispatch")]),
    ],
)
def test_hand_written_shapes_agree_or_decline(source: str, steps: list[edits.TreeEdit]) -> None:
    _same_or_declined(source, steps)
    for variant in _variants(source):
        _same_or_declined(variant, steps)


def test_a_long_all_wraps_the_same_way() -> None:
    names = ", ".join(f'"function_number_{i}"' for i in range(6))
    source = f'"""A."""\n\n__all__ = [{names}]\n'
    assert _same_or_declined(source, [edits.add_to_all("another_function")])


def test_libcst_is_not_imported_on_the_fast_path(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from slicegen.stacks.python import edits\n"
        "out = edits.apply(edits.add_import('uuid', 'UUID', 'shop'))("
        '\'"""R."""\\n\\nfrom shop.a import B\\n\')\n'
        "assert 'from uuid import UUID' in out, out\n"
        "print('libcst' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.strip() == "False"

"""An editor's unsaved buffer is linted as the file would be once saved, by every rule: also
by those that read a file's text beside its record (a policy's unmapped fields, SG406; the type
strings an event type mapper declares; the structs Elixir aggregates and handlers match on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slicegen.lint.engine import LintOptions, run_lint

from .trees import clean, ex_lib, write

PY_POLICY = (
    "src/shop/profiles/domain/establish_profile/when_account_activated_then_establish_profile_v1.py"
)
EX_ACC, EX_PROF = ex_lib("accounts"), ex_lib("profiles")
EX_POLICY = (
    f"{EX_PROF}/domain/establish_profile/when_account_activated_then_establish_profile_v1.ex"
)

#: (stack, file, text appended to it): each changes what a text-reading rule finds.
EDITS = [
    (
        "python",
        PY_POLICY,
        '    raise NotImplementedError("map email from AccountActivatedFactV1: x")\n',
    ),
    ("python", "src/shop/accounts/event_types.py", 'MAPPED = {"ghost_happened:v1": GhostV1}\n'),
    ("elixir", EX_POLICY, "# email: ReckonShared.unmapped!(__MODULE__, :email)\n"),
    (
        "elixir",
        f"{EX_ACC}/event_type_mapper.ex",
        'defmodule X do\n  def to_event_type(Reckon.GhostV1), do: "ghost_happened:v1"\nend\n',
    ),
    (
        "elixir",
        f"{EX_ACC}/router.ex",
        "defmodule ReckonAccounts.AccountUpdated do\n  defstruct [:id]\nend\n"
        "defmodule ReckonAccounts.Account do\n"
        "  def apply(state, %ReckonAccounts.AccountUpdated{} = e), do: state\nend\n",
    ),
]


def _found(root: Path, overlay: dict[str, str]) -> list[tuple[str, int, str, str]]:
    result = run_lint(root, LintOptions(overlay=overlay, use_cache=False))
    return [(f.path, f.line, f.code, f.message) for f in result.findings]


@pytest.mark.parametrize(("stack", "rel", "added"), EDITS)
def test_a_buffer_is_linted_as_the_saved_file(
    tmp_path: Path, stack: str, rel: str, added: str
) -> None:
    root = tmp_path / "ws"
    write(root, clean(stack))
    text = (root / rel).read_text(encoding="utf-8") + added
    before = _found(root, {})
    in_buffer = _found(root, {rel: text})
    (root / rel).write_text(text, encoding="utf-8")
    saved = _found(root, {})
    assert in_buffer == saved
    assert saved != before  # the edit is one the rules see

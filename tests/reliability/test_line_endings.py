"""Structured edits keep line endings, an unterminated last line and the user's text as it was."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.execute import execute
from slicegen.markers import find_block, upsert_block
from tests.conftest import RunCli

LINES = st.lists(
    st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=20),
    min_size=1,
    max_size=8,
)
CONTENT = st.text(
    st.characters(blacklist_characters="\r", blacklist_categories=("Cs",)), max_size=60
)


def _bare_lf(text: str) -> bool:
    return "\n" in text.replace("\r\n", "")


@given(LINES, st.booleans(), CONTENT)
def test_upsert_into_a_crlf_file_keeps_crlf_and_the_users_text(
    lines: list[str], trailing: bool, content: str
) -> None:
    text = "\r\n".join(lines) + ("\r\n" if trailing else "")
    assume("\r\n" in text and "slicegen:" not in text + content)
    once = upsert_block(text, "api", content)
    assert once.startswith(text)  # the user's text, last line included, is kept as it was
    assert not _bare_lf(once)
    assert find_block(once, "api") is not None
    again = upsert_block(once, "api", content + "\nmore")
    assert again.startswith(text) and not _bare_lf(again)
    assert upsert_block(again, "api", content) == once  # the block is replaced, not appended


@given(LINES, CONTENT)
def test_upsert_into_a_file_without_final_newline_keeps_its_last_line(
    lines: list[str], content: str
) -> None:
    text = "\n".join(lines)
    assume(text and "slicegen:" not in text + content)
    result = upsert_block(text, "api", content)
    assert result.startswith(text + "\n")  # the last line is intact and ended, not joined
    assert "\r\n" not in result.replace(text, "", 1)


@pytest.mark.parametrize(
    "text",
    [
        "<!-- slicegen:begin api -->\nuser text that must survive\n",
        "user\n<!-- slicegen:end api -->\n",
        "<!-- slicegen:end api -->\nuser\n<!-- slicegen:begin api -->\n",
        "<!-- slicegen:begin api -->\na\n<!-- slicegen:end api -->\n" * 2,
    ],
)
def test_damaged_markers_are_refused_not_guessed(text: str) -> None:
    with pytest.raises(SlicegenError, match="unpaired or misordered markers"):
        upsert_block(text, "api", "generated\n")


def test_damaged_markers_error_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("<!-- slicegen:begin api -->\nmine\n")
    with pytest.raises(SlicegenError, match=r"^README\.md: block 'api'"):
        ChangeSet(tmp_path).edit("README.md", lambda t: upsert_block(t, "api", "x"))


def test_change_set_edit_of_a_crlf_file_writes_crlf(tmp_path: Path) -> None:
    original = b"# Title\r\n\r\nUser text\r\nlast line without newline"
    (tmp_path / "README.md").write_bytes(original)

    def build(cs: ChangeSet) -> None:
        cs.edit("README.md", lambda text: upsert_block(text, "api", "one\ntwo\n"))

    execute(tmp_path, build, out=io.StringIO())
    written = (tmp_path / "README.md").read_bytes()
    assert written.startswith(original + b"\r\n")
    assert b"one\r\ntwo\r\n" in written and b"\n" not in written.replace(b"\r\n", b"")


def test_init_force_keeps_crlf_readme_and_unterminated_gitignore(
    cli: RunCli, tmp_path: Path
) -> None:
    assert cli("init", "--app", "shop", cwd=tmp_path).exit_code == 0
    readme = b"# shop\r\n\r\nOur shop, edited on Windows.\r\nlast line"
    (tmp_path / "README.md").write_bytes(readme)
    (tmp_path / ".gitignore").write_bytes(b"*.pyc\r\n/build")
    assert cli("init", "--app", "shop", "--force", cwd=tmp_path).exit_code == 0
    new_readme = (tmp_path / "README.md").read_bytes()
    assert new_readme.startswith(readme + b"\r\n")
    assert b"\n" not in new_readme.replace(b"\r\n", b"")
    gitignore = (tmp_path / ".gitignore").read_bytes()
    assert gitignore.startswith(b"*.pyc\r\n/build\r\n")
    assert b".slicegen/txn/\r\n" in gitignore and b"\n" not in gitignore.replace(b"\r\n", b"")
    assert cli("init", "--app", "shop", "--force", cwd=tmp_path).stdout.endswith(
        "nothing to do: every file is already up to date\n"
    )

"""The replay fast path (``slicegen.lint.fast``): same output and exit code as the normal path,
never taken when the tree, the config or the request changed, and no engine import when taken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slicegen.model.discovery import SOURCE_SUFFIXES, _is_source

from .trees import clean, py_slice, write

_PROBE = (
    "import sys\n"
    "from slicegen.entry import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    "    sys.stderr.write('RAN\\n' if 'slicegen.lint.engine' in sys.modules else 'REPLAYED\\n')\n"
)


SETTLED_NS = 1_600_000_000 * 10**9  # a fixed mtime, long before any walk


def settle(root: Path) -> None:
    """Give every file and folder an old mtime, as a tree that was not just written has (the
    replay does not trust stats within a second of the walk), and make the lint cache folder
    (whose creation by a first run would change the root folder's mtime)."""
    (root / ".slicegen_cache").mkdir(exist_ok=True)
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            os.utime(os.path.join(folder, name), ns=(SETTLED_NS, SETTLED_NS), follow_symlinks=False)
    os.utime(root, ns=(SETTLED_NS, SETTLED_NS))


def run(root: Path, *args: str) -> tuple[int, str, bool]:
    """``slicegen lint`` in a subprocess: exit code, stdout, whether the replay answered."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "lint", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr.endswith("REPLAYED\n")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    files = clean("python")
    # findings: a CRUD event and a stray file, so the output is not empty
    files.update(py_slice("accounts", "create_account", "account_created"))
    write(root, files)
    settle(root)
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_replay_prints_what_the_normal_path_printed(tree: Path, fmt: str) -> None:
    normal = run(tree, ".", "--format", fmt, "--no-cache")
    first = run(tree, ".", "--format", fmt)
    again = run(tree, ".", "--format", fmt)
    assert normal[0] == 1 and normal[1]
    assert not first[2] and again[2]
    assert first[:2] == normal[:2] == again[:2]


def test_edits_config_changes_and_other_requests_run_normally(tree: Path) -> None:
    run(tree, ".", "--format", "json")
    assert run(tree, ".", "--format", "json")[2]
    # another request: other format, other path, extra options
    assert not run(tree, "--format", "text")[2]
    assert not run(tree, ".", "--format", "json", "--select", "SG1")[2]
    # a new file with a finding
    run(tree, ".", "--format", "json")
    write(tree, py_slice("accounts", "delete_account", "account_deleted"))
    settle(tree)
    code, out, replayed = run(tree, ".", "--format", "json")
    assert not replayed and "delete_account" in out and code == 1
    assert run(tree, ".", "--format", "json")[2]
    # a config change that ignores every rule
    config = tree / "slicegen.toml"
    config.write_text('stack = "python"\napp = "shop"\n\n[lint]\nignore = ["SG"]\n')
    settle(tree)
    code, out, replayed = run(tree, ".", "--format", "json")
    assert (code, out.strip(), replayed) == (0, "[]", False)


def test_select_and_ignore_replay_each_their_own_output(tree: Path) -> None:
    requests = [
        (".", "--format", "json"),
        (".", "--format", "json", "--select", "SG1"),
        (".", "--format=json", "--select=SG1,SG2", "--ignore", "SG101"),
        ("--ignore", "SG2", "--ignore", "SG1"),
    ]
    normal = [run(tree, *request, "--no-cache") for request in requests]
    assert len({out for _, out, _ in normal}) > 1  # the selections print different findings
    for request, expected in zip(requests, normal, strict=True):
        first = run(tree, *request)
        assert not first[2] and first[:2] == expected[:2]
    for request, expected in zip(requests, normal, strict=True):  # each kept its own file
        again = run(tree, *request)
        assert again[2] and again[:2] == expected[:2]
    # a selection no rule code could spell is never remembered
    odd = (".", "--select", "SG1/../x")
    run(tree, *odd)
    assert not run(tree, *odd)[2]


def test_a_damaged_replay_file_is_ignored(tree: Path) -> None:
    normal = run(tree, ".", "--format", "json")
    for stored in (tree / ".slicegen_cache").glob("replay-*"):
        stored.write_bytes(b"not a pickle")
    again = run(tree, ".", "--format", "json")
    assert again[:2] == normal[:2] and not again[2]


@given(st.text(alphabet=".apyexsP", max_size=8))
def test_source_suffix_test_equals_splitext(name: str) -> None:
    assert _is_source(name) == (os.path.splitext(name)[1] in SOURCE_SUFFIXES)

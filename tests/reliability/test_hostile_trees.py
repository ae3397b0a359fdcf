"""``slicegen lint`` on trees built as an attacker would: special files, symlinks out of the tree,
loops, backtracking ignore patterns, huge and deeply nested files, planted caches, a changed
slicegen. Each runs the real CLI in a subprocess (a timeout guards against hangs) beside a
sentinel folder outside the tree, and checks the exit code, the finding or message, and that
neither the sentinel nor the tree changed (lint's own cache folder aside)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from slicegen.boundaries.collect import CACHE_FILE
from slicegen.boundaries.result_cache import RESULT_FILE, config_key
from slicegen.constants import CACHE_DIR
from tests.conftest import Result, run_slicegen
from tests.lint.test_fast_path import settle
from tests.lint.trees import clean, ex_lib, py_slice, write

HANG_GUARD = 120  # seconds: far beyond any honest run of these small trees
ACC = "src/shop/accounts"
SLICE = f"{ACC}/domain/initialize_account"
EX_SLICE = f"{ex_lib('accounts')}/domain/initialize_account"
SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass
class Site:
    """A workspace under ``root`` and a sentinel folder beside it (outside the workspace)."""

    root: Path
    sentinel: Path
    env: dict[str, str]

    def lint(self, *args: str, env: dict[str, str] | None = None) -> tuple[int, Any, str]:
        """Run ``slicegen lint . --format json`` there (the storming documents' check aside:
        the small trees have none kept current): exit code, findings, stderr."""
        argv = ["lint", ".", "--format", "json", "--ignore", "SG602", *args]
        proc = guarded(self.root, env or self.env, *argv)
        return proc.exit_code, json.loads(proc.stdout) if proc.stdout else None, proc.stderr


def guarded(root: Path, env: dict[str, str], *argv: str) -> Result:
    """``python -m slicegen ARGV`` in ``root``: ended after :data:`HANG_GUARD` seconds, and
    never with a traceback."""
    proc = run_slicegen(*argv, cwd=root, env=env, timeout=HANG_GUARD)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def state(root: Path) -> dict[str, tuple[str, str]]:
    """Every entry below ``root`` (lint's cache folder aside) by type, without following a
    symlink or opening anything but a regular file."""
    out: dict[str, tuple[str, str]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != CACHE_DIR]
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            rel = os.path.relpath(path, root)
            if stat.S_ISLNK(info.st_mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                out[rel] = ("file", hashlib.sha256(Path(path).read_bytes()).hexdigest())
            else:
                out[rel] = ("other", oct(stat.S_IFMT(info.st_mode)))
    return out


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """A clean python workspace and a sentinel; afterwards, the sentinel must be unchanged."""
    sentinel = tmp_path / "sentinel"
    write(sentinel, {"keep.txt": "untouched\n", "inner/.gitignore": "x\n"})
    before = state(sentinel)
    root = tmp_path / "ws"
    write(root, clean("python"))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cachehome")}
    yield Site(root, sentinel, env)
    assert state(sentinel) == before


def hostile(site: Site, *, stack: str = "python") -> Site:
    """The site with an elixir workspace instead, when asked."""
    if stack == "elixir":
        shutil.rmtree(site.root)
        write(site.root, clean("elixir"))
    return site


def only_sg001(findings: list[dict[str, Any]]) -> dict[str, str]:
    """The SG001 messages by path; every finding must be one."""
    assert all(f["code"] == "SG001" for f in findings), findings
    return {f["path"]: f["message"] for f in findings}


def lint_unchanged(site: Site, *args: str) -> tuple[int, Any]:
    """Lint, checking that the tree is the same afterwards."""
    before = state(site.root)
    code, findings, _ = site.lint(*args)
    assert state(site.root) == before
    return code, findings


def test_source_symlink_to_dev_zero_is_sg001_and_never_read(site: Site) -> None:
    (site.root / ACC / "zero.py").symlink_to("/dev/zero")
    code, findings = lint_unchanged(site)
    assert code == 1
    message = only_sg001(findings)[f"{ACC}/zero.py"]
    assert "is a symlink (slicegen does not follow symlinks)" in message


def test_source_symlink_to_dev_urandom_is_sg001_and_never_read(site: Site) -> None:
    (site.root / ACC / "noise.py").symlink_to("/dev/urandom")
    code, findings = lint_unchanged(site)
    assert (code, list(only_sg001(findings))) == (1, [f"{ACC}/noise.py"])


@pytest.mark.parametrize(
    ("stack", "rel"), [("python", f"{ACC}/x.py"), ("elixir", f"{EX_SLICE}/x.ex")]
)
def test_fifo_source_is_sg001_and_never_blocks(site: Site, stack: str, rel: str) -> None:
    hostile(site, stack=stack)
    (site.root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(site.root / rel)
    code, findings = lint_unchanged(site)
    assert code == 1
    assert only_sg001(findings)[rel].endswith(
        "is a FIFO, not a regular file; exclude it or replace it"
    )


def test_folder_symlink_to_the_root_folder_is_not_walked(site: Site) -> None:
    (site.root / ACC / "everything").symlink_to("/")
    (site.root / "sentinel_link").symlink_to(site.sentinel)
    assert lint_unchanged(site) == (0, [])


def test_symlink_loops_end(site: Site) -> None:
    (site.root / ACC / "a.py").symlink_to("b.py")
    (site.root / ACC / "b.py").symlink_to("a.py")
    (site.root / ACC / "up").symlink_to("..")
    (site.root / "src" / "self").symlink_to("self")
    code, findings = lint_unchanged(site)
    assert code == 1
    assert set(only_sg001(findings)) == {f"{ACC}/a.py", f"{ACC}/b.py"}


@pytest.mark.parametrize("kind", ["patterns", "fifo", "dev-zero"])
def test_hostile_gitignore_neither_hangs_nor_is_read_unsafely(site: Site, kind: str) -> None:
    long_name = "a" * 200
    write(site.root, {f"{ACC}/{long_name}/{long_name}.py": "x = 1\n"})
    if kind == "patterns":
        patterns = ["*a" * 60 + "b", "**/" * 60 + "b", "[a-z]*a*a*a*a*a*a*a*a*a*a*b", "ignored/"]
        write(site.root, {".gitignore": "\n".join(patterns) + "\n"})
        write(site.root, {f"{ACC}/ignored/broken.py": "def (:\n"})  # ignored: never reported
    elif kind == "fifo":
        os.mkfifo(site.root / ".gitignore")
    else:
        (site.root / ".gitignore").symlink_to("/dev/zero")
    assert lint_unchanged(site, "--parse-all") == (0, [])


def test_file_over_the_read_cap_is_sg001_and_not_read(site: Site) -> None:
    write(site.root, {f"{ACC}/big.py": "x = 1\n" * 400_000})  # 2.4 MB
    code, findings = lint_unchanged(site)
    assert code == 1
    assert only_sg001(findings)[f"{ACC}/big.py"] == (
        f"{ACC}/big.py could not be checked: is 2,400,000 bytes, over the 2,097,152 bytes "
        "slicegen reads of a file; exclude it or replace it"
    )


def test_deeply_nested_python_is_sg001(site: Site) -> None:
    write(site.root, py_slice("accounts", "initialize_account", "account_initialized"))
    write(site.root, {f"{SLICE}/command_v1.py": "x = " + "lambda: " * 12_503 + "1\n"})
    code, findings = lint_unchanged(site)
    assert code == 1
    assert "nested too deeply" in only_sg001(findings)[f"{SLICE}/command_v1.py"]


@pytest.mark.parametrize(
    "body",
    [
        "def f(x), do: x " + "|> g() " * 70_000,  # a tree deeper than tree-sitter queries well
        "defmodule A do\n" * 150 + "end\n" * 150,  # module names growing with the depth
    ],
    ids=["pipeline", "modules"],
)
def test_deeply_nested_elixir_is_sg001(site: Site, body: str) -> None:
    hostile(site, stack="elixir")
    text = f"defmodule Reckon.Accounts.Domain.InitializeAccount.CommandV1 do\n{body}\nend\n"
    write(site.root, {f"{EX_SLICE}/command_v1.ex": text})
    code, findings = lint_unchanged(site, "--ignore", "SG307")
    assert code == 1
    assert "nested too deeply" in only_sg001(findings)[f"{EX_SLICE}/command_v1.ex"]


def _boundary_tree(site: Site) -> None:
    """Two domains, one importing the other's internals (an SG5xx finding)."""
    write(site.root, py_slice("orders", "place_order", "order_placed"))
    write(
        site.root,
        {
            "src/shop/orders/__init__.py": "",
            "src/shop/orders/domain/place_order/maybe_place_order_v1.py": (
                "from shop.accounts.router import dispatch\n\n\n"
                "def maybe_place_order_v1(state, command):\n    return dispatch(command)\n"
            ),
        },
    )


def _forge_boundary_cache(site: Site, *, signed_by_other: bool) -> None:
    """Plant a per-file boundary cache that claims no file uses another domain: as the plain
    JSON slicegen used to read, or signed with another user's key."""
    entries: dict[str, list[Any]] = {}
    for path in sorted((site.root / "src" / "shop").rglob("*.py")):
        rel = path.relative_to(site.root).as_posix()
        data, info = path.read_bytes(), path.stat()
        module = rel[4:-3].replace("/", ".").removesuffix(".__init__")
        entries[rel] = [
            info.st_size,
            info.st_mtime_ns,
            hashlib.blake2b(data, digest_size=16).hexdigest(),
            module,
            [rel, "python", module, [], [], None],
        ]
    folder = site.root / CACHE_DIR
    for old in folder.iterdir():
        if old.name.startswith(("boundaries", "run-", "replay-")):
            old.unlink()  # the run and its replay must be recomputed
    if not signed_by_other:
        (folder / CACHE_FILE).write_text(json.dumps(entries))
        return
    other = {**site.env, "XDG_CACHE_HOME": str(site.root.parent / "attacker")}
    script = (
        "import json, sys\nfrom pathlib import Path\n"
        "from slicegen.boundaries.result_cache import write_json\n"
        "write_json(Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]))\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(site.root), CACHE_FILE, json.dumps(entries)],
        env=other,
        check=True,
        timeout=HANG_GUARD,
    )


@pytest.mark.parametrize("signed_by_other", [False, True], ids=["plain-json", "foreign-key"])
def test_planted_boundary_cache_hides_nothing(site: Site, signed_by_other: bool) -> None:
    _boundary_tree(site)
    code, honest, _ = site.lint()
    assert code == 1 and any(f["code"].startswith("SG5") for f in honest)
    _forge_boundary_cache(site, signed_by_other=signed_by_other)
    assert lint_unchanged(site) == (1, honest)


def test_planted_boundary_result_hides_nothing(site: Site) -> None:
    """``python -m slicegen.boundaries`` answers an unchanged tree from its stored result: one
    planted with the right key (anyone can compute it) and no findings is not believed."""
    _boundary_tree(site)

    def check() -> tuple[int, str]:
        proc = subprocess.run(
            [sys.executable, "-m", "slicegen.boundaries", "."],
            cwd=site.root,
            capture_output=True,
            text=True,
            env=site.env,
            timeout=HANG_GUARD,
            check=False,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.returncode, proc.stdout

    code, honest = check()
    assert code == 1 and "SG5" in honest
    key = config_key(site.root / "slicegen.toml")
    forged = {"key": key, "dirs": {}, "files": {}, "violations": []}
    (site.root / CACHE_DIR / RESULT_FILE).write_text(json.dumps(forged))
    before = state(site.root)
    assert check() == (1, honest)
    assert state(site.root) == before


def test_cache_folder_symlinked_outside_is_never_written(site: Site) -> None:
    (site.root / CACHE_DIR).symlink_to(site.sentinel)
    assert lint_unchanged(site) == (0, [])
    assert lint_unchanged(site) == (0, [])  # and nothing replays from there


def test_a_changed_slicegen_never_replays_an_older_output(site: Site, tmp_path: Path) -> None:
    """A copy of slicegen (package and templates) lints a tree twice (the second run replays),
    then one rule's message is edited in the copy: the next run prints the new message."""
    copy = tmp_path / "copy"
    shutil.copytree(SRC / "slicegen", copy / "src" / "slicegen", ignore=_pycache)
    shutil.copytree(SRC.parent / "templates", copy / "templates")
    env = {**site.env, "PYTHONPATH": str(copy / "src")}
    write(site.root, py_slice("accounts", "create_account", "account_created"))  # SG101
    settle(site.root)

    def run() -> tuple[str, bool]:
        proc = subprocess.run(
            [sys.executable, "-c", _PROBE, "lint", "."],
            cwd=site.root,
            capture_output=True,
            text=True,
            env=env,
            timeout=HANG_GUARD,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr
        return proc.stdout, proc.stderr.endswith("REPLAYED\n")

    first, replayed = run()
    assert not replayed and "is a CRUD event" in first
    assert run() == (first, True)
    rule = copy / "src" / "slicegen" / "lint" / "rules" / "names" / "crud_event.py"
    rule.write_text(rule.read_text().replace("is a CRUD event", "is a CRUD-style event"))
    changed, replayed = run()
    assert not replayed
    assert changed == first.replace("is a CRUD event", "is a CRUD-style event")


_PROBE = (
    "import sys\n"
    "import slicegen\n"
    "from slicegen.entry import main\n"
    "assert 'copy' in slicegen.__file__, slicegen.__file__\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    "    sys.stderr.write('RAN\\n' if 'slicegen.lint.engine' in sys.modules else 'REPLAYED\\n')\n"
)


def _pycache(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__"]


def test_storm_check_never_reads_a_storming_document_through_a_symlink(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.md"
    write(secret.parent, {"secret.md": "TOP-SECRET-LINE\n"})
    root = tmp_path / "ws"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cachehome")}

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "slicegen", *argv],
            cwd=root if root.is_dir() else tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=HANG_GUARD,
            check=False,
        )

    assert cli("init", str(root), "--stack", "python", "--app", "shop").returncode == 0
    assert cli("new-domain", "accounts").returncode == 0
    assert cli("storm").returncode == 0
    doc = root / "design_docs" / "accounts" / "event-storming.md"
    assert doc.is_file()
    doc.unlink()
    doc.symlink_to(secret)
    proc = cli("storm", "--check")
    assert proc.returncode == 1
    assert "TOP-SECRET-LINE" not in proc.stdout + proc.stderr
    assert "is a symlink" in proc.stdout + proc.stderr
    assert secret.read_text() == "TOP-SECRET-LINE\n"


@pytest.mark.parametrize("linked", ["src", "src/shop", "apps"])
def test_boundary_domains_are_never_found_through_a_symlinked_folder(
    tmp_path: Path, linked: str
) -> None:
    from slicegen.config import parse_config
    from slicegen.model.domains import discover

    outside = tmp_path / "outside"
    write(
        outside,
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "reckon_orders/mix.exs": "defmodule ReckonOrders.MixProject do\nend\n",
        },
    )
    root = tmp_path / "ws"
    root.mkdir()
    if linked == "src":
        (root / "src").symlink_to(outside)
    elif linked == "src/shop":
        (root / "src").mkdir()
        (root / "src" / "shop").symlink_to(outside / "shop")
    else:
        (root / "apps").symlink_to(outside)
    stack, app = ("elixir", "reckon") if linked == "apps" else ("python", "shop")
    config = parse_config({"stack": stack, "app": app}, root / "slicegen.toml")
    assert discover(root, config).domains == ()
    if stack == "python":  # with no app set, the src/ layout is searched too
        bare = parse_config({"stack": "python"}, root / "slicegen.toml")
        assert discover(root, bare).domains == ()


def test_names_that_are_not_utf8_are_left_out_not_a_crash(site: Site) -> None:
    """Undecodable bytes in a folder's or file's name (kept by Python as surrogates) crashed
    the ignore patterns' matching; such a name is no module's, so the walk leaves it out."""
    write(site.root, {".gitignore": "build/\n"})
    acc = bytes(site.root / ACC)
    os.mkdir(acc + b"/\xff_folder")
    for name in (b"/\xff_folder/x.py", b"/\xfe.py"):
        with open(acc + name, "w") as planted:
            planted.write("def (:\n")  # would be SG001 if it were read
    assert lint_unchanged(site) == (0, [])
    assert lint_unchanged(site, "--select", "SG5") == (0, [])


FORGED = "a\n::warning file=x::forged\x1b[31m\u202e.py"


@pytest.mark.parametrize("output", ["text", "github", "junit"])
def test_a_file_name_cannot_forge_output_lines(site: Site, output: str) -> None:
    """A name holding a newline, a workflow command, an escape sequence and a bidirectional
    mark is printed escaped: one line per finding, no raw control character."""
    write(site.root, {f"{ACC}/{FORGED}": "def (:\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", ".", "--format", output, "--ignore", "SG602"],
        cwd=site.root,
        capture_output=True,
        text=True,
        env=site.env,
        timeout=HANG_GUARD,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert not any(c in out for c in "\x1b\u202e\r")
    shown = f"{ACC}/a\\n::warning file=x::forged\\x1b[31m\\u202e.py"
    if output == "text":
        assert out.splitlines()[0].startswith(f"{shown}:1:5: SG001 ")
        assert len(out.splitlines()) == 2  # the finding and the summary
    elif output == "github":
        assert len(out.splitlines()) == 1
        assert out.startswith("::error file=") and "\n::warning" not in out
    else:
        import xml.etree.ElementTree as ET

        [failure] = ET.fromstring(out).iter("failure")
        assert shown in (failure.get("message") or "")
    _, findings, _ = site.lint()  # JSON keeps the exact name
    assert [f["path"] for f in findings] == [f"{ACC}/{FORGED}"]

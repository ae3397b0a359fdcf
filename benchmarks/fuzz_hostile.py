"""Fuzz ``slicegen lint`` with hostile trees: special files mixed into real workspaces.

Base trees are workspaces scaffolded by slicegen itself (python and elixir) and the test suite's
small workspaces (``tests/lint/trees.py``). Each trial copies one, mixes in one to four attacks
at random places (FIFOs, symlinks to devices, to ``/`` and in loops, files over the read cap,
deeply nested Python and Elixir, backtracking or special ``.gitignore`` files, planted or special
cache files, special storming documents), puts a sentinel folder beside it, and runs the real CLI
twice (the second run meets the first run's caches) with a random output format. A run that
passes the time limit is a hang, a traceback or an exit code other than 0 or 1 is a crash, and
any change to the sentinel is an escape. Peak memory is the largest resident set of any run.

    .venv/bin/python benchmarks/fuzz_hostile.py [--trials 150] [--seed 0] [--timeout 60]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lint.trees import clean, write  # noqa: E402

FORMATS = ("text", "json", "sarif", "github", "junit")
SCAFFOLD = {
    "python": [
        ["init", "--stack", "python", "--app", "shop"],
        ["new-domain", "accounts"],
        ["add-slice", "accounts", "initialize_account", "-f", "email:str"],
        ["new-domain", "orders"],
        ["add-slice", "orders", "place_order", "-f", "total:int"],
        ["storm"],
    ],
    "elixir": [
        ["init", "--stack", "elixir", "--app", "reckon"],
        ["new-domain", "accounts"],
        ["add-slice", "accounts", "initialize_account", "-f", "email:str"],
        ["storm"],
    ],
}
Attack = Callable[[random.Random, Path, Path], None]


def slicegen(args: list[str], cwd: Path) -> bool:
    proc = subprocess.run(
        [sys.executable, "-m", "slicegen", *args], cwd=cwd, capture_output=True, check=False
    )
    return proc.returncode == 0


def base_trees(scratch: Path) -> list[Path]:
    """Scaffolded workspaces (as far as each stack gets) and the tests' small workspaces."""
    out: list[Path] = []
    for stack, steps in SCAFFOLD.items():
        root = scratch / f"base-scaffold-{stack}"
        root.mkdir()
        if slicegen(steps[0], root):
            for step in steps[1:]:
                if not slicegen(step, root):
                    break
            out.append(root)
        root = scratch / f"base-tests-{stack}"
        write(root, clean(stack))
        out.append(root)
    return out


# --- attacks: each gets the random source, the tree and the sentinel outside it ----------------


def _folder(rng: random.Random, root: Path) -> Path:
    """A random folder of the tree (never lint's cache folder, never through a symlink)."""
    folders = [root]
    for folder, dirs, _ in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".slicegen_cache", ".slicegen")]
        folders.extend(Path(folder) / d for d in dirs)
    return rng.choice(folders)


def _source_name(rng: random.Random, folder: Path, root: Path) -> Path:
    """A source file name in ``folder``: an existing one (replaced) or a new one."""
    suffix = ".ex" if (root / "mix.exs").exists() else ".py"
    existing = [p for p in folder.iterdir() if p.suffix == suffix and p.is_file()]
    if existing and rng.random() < 0.5:
        target = rng.choice(existing)
        target.unlink()
        return target
    return folder / f"hostile_{rng.randrange(10**6)}{suffix}"


def fifo(rng: random.Random, root: Path, sentinel: Path) -> None:
    os.mkfifo(_source_name(rng, _folder(rng, root), root))


def device_link(rng: random.Random, root: Path, sentinel: Path) -> None:
    target = rng.choice(["/dev/zero", "/dev/urandom", "/dev/null", "/dev/tty", "/proc/self/mem"])
    _source_name(rng, _folder(rng, root), root).symlink_to(target)


def outside_link(rng: random.Random, root: Path, sentinel: Path) -> None:
    folder = _folder(rng, root)
    target = rng.choice(["/", str(sentinel), str(sentinel / "keep.txt"), "/etc/passwd"])
    name = rng.choice(["everything", "lib", "domain", f"x_{rng.randrange(100)}.py", "mix.exs"])
    if not (folder / name).exists():
        (folder / name).symlink_to(target)


def loops(rng: random.Random, root: Path, sentinel: Path) -> None:
    folder = _folder(rng, root)
    first = _source_name(rng, folder, root)
    second = folder / f"loop_{rng.randrange(10**6)}{first.suffix}"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    (folder / f"up_{rng.randrange(10**6)}").symlink_to("..")
    (folder / f"self_{rng.randrange(10**6)}").symlink_to(f"self_{rng.randrange(10**6)}")


def huge(rng: random.Random, root: Path, sentinel: Path) -> None:
    size = rng.choice([2 * 1024 * 1024, 2 * 1024 * 1024 + 1, 3_000_000, 20_000_000])
    path = _source_name(rng, _folder(rng, root), root)
    with path.open("wb") as handle:
        if rng.random() < 0.5:
            handle.truncate(size)  # sparse: all zero bytes
        else:
            handle.write(b"x = 1\n" * (size // 6))


def deep(rng: random.Random, root: Path, sentinel: Path) -> None:
    path = _source_name(rng, _folder(rng, root), root)
    n = rng.choice([1_000, 12_503, 100_000])
    if path.suffix == ".py":
        text = rng.choice(
            ["x = " + "lambda: " * n + "1\n", "x = " + "(" * n + "1" + ")" * n + "\n", "-" * n]
        )
    else:
        text = rng.choice(
            [
                "defmodule A do\n  def f(x), do: x " + "|> g() " * (n if n > 60_000 else 70_000),
                "defmodule A do\n" * min(n, 20_000) + "end\n" * min(n, 20_000),
                "[" * n + "]" * n,
                "fn -> " * min(n, 20_000) + "1" + " end" * min(n, 20_000),
            ]
        )
    path.write_text(text)


def gitignore(rng: random.Random, root: Path, sentinel: Path) -> None:
    path = _folder(rng, root) / ".gitignore"
    if path.exists():
        path.unlink()
    kind = rng.choice(["patterns", "fifo", "zero", "huge"])
    if kind == "patterns":
        lines = ["*a" * rng.randrange(10, 80) + "b", "**/" * rng.randrange(10, 80) + "x", "[[[]"]
        path.write_text("\n".join(lines) + "\n")
        (path.parent / ("a" * 200)).mkdir(exist_ok=True)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(b"*a*a*a*a*a*a*a*a*b\n" * 200_000)


def storming_doc(rng: random.Random, root: Path, sentinel: Path) -> None:
    docs = [p for p in root.rglob("event-storming.md") if p.is_file()]
    if not docs:
        return
    doc = rng.choice(docs)
    doc.unlink()
    if rng.random() < 0.5:
        os.mkfifo(doc)
    else:
        doc.symlink_to(rng.choice(["/dev/zero", str(sentinel / "keep.txt")]))


def planted_cache(rng: random.Random, root: Path, sentinel: Path) -> None:
    folder = root / ".slicegen_cache"
    kind = rng.choice(["garbage", "fifo", "zero", "folder-link"])
    if kind == "folder-link":
        if folder.exists():
            shutil.rmtree(folder)
        folder.symlink_to(sentinel)
        return
    folder.mkdir(exist_ok=True)
    names = [p.name for p in folder.iterdir()] or ["replay-0.1.0.bin", "boundaries-result-v1.json"]
    target = folder / rng.choice(names)
    if target.exists() or target.is_symlink():
        target.unlink()
    if kind == "garbage":
        target.write_bytes(rng.randbytes(rng.randrange(1, 4096)))
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")


ATTACKS: dict[str, Attack] = {
    "fifo": fifo,
    "device-link": device_link,
    "outside-link": outside_link,
    "loops": loops,
    "huge": huge,
    "deep": deep,
    "gitignore": gitignore,
    "storming-doc": storming_doc,
    "planted-cache": planted_cache,
}


# --- running ------------------------------------------------------------------------------------


def digest(folder: Path) -> str:
    """What is in ``folder``, without following symlinks or opening special files."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(str(path.relative_to(folder)).encode())
        if path.is_symlink():
            h.update(os.readlink(path).encode())
        elif path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def lint(root: Path, fmt: str, timeout: float) -> tuple[str, str]:
    """Run the CLI in its own session (so a hang's whole group can be ended): an outcome
    ("ok", "hang" or "crash") and what to show for it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "slicegen", "lint", str(root), "--format", fmt],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return "hang", f"no result after {timeout:.0f}s"
    text = err.decode(errors="replace")
    if "Traceback" in text or proc.returncode not in (0, 1):
        return "crash", f"exit {proc.returncode}: {text.strip()[-400:]}"
    return "ok", ""


def trial(
    index: int, rng: random.Random, bases: list[Path], scratch: Path, timeout: float
) -> tuple[list[str], list[tuple[str, str]], bool]:
    """One trial: the attacks used, the outcomes that were not ok, whether the sentinel changed."""
    place = scratch / f"trial-{index}"
    root, sentinel = place / "ws", place / "sentinel"
    shutil.copytree(rng.choice(bases), root, symlinks=True)
    write(sentinel, {"keep.txt": "untouched\n", "inner/notes.md": "# notes\n"})
    before = digest(sentinel)
    chosen = rng.sample(sorted(ATTACKS), rng.randint(1, 4))
    for name in chosen:
        ATTACKS[name](rng, root, sentinel)
    bad: list[tuple[str, str]] = []
    for _ in range(2):  # the second run meets the caches the first one left
        outcome, detail = lint(root, rng.choice(FORMATS), timeout)
        if outcome != "ok":
            bad.append((outcome, f"trial {index} ({', '.join(chosen)}): {detail}"))
    escaped = digest(sentinel) != before
    shutil.rmtree(place)  # rmtree removes symlinks, never what they lead to
    return chosen, bad, escaped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a hang")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    counts = {"hang": 0, "crash": 0}
    used: dict[str, int] = dict.fromkeys(ATTACKS, 0)
    escapes: list[int] = []
    shown: list[str] = []
    with tempfile.TemporaryDirectory(prefix="slicegen-fuzz-hostile-") as tmp:
        scratch = Path(tmp)
        bases = base_trees(scratch)
        print(f"base trees: {', '.join(b.name for b in bases)}")
        for index in range(args.trials):
            chosen, bad, escaped = trial(index, rng, bases, scratch, args.timeout)
            for name in chosen:
                used[name] += 1
            for outcome, detail in bad:
                counts[outcome] += 1
                shown.append(f"{outcome.upper()} {detail}")
            if escaped:
                escapes.append(index)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    elapsed = time.perf_counter() - started
    print("attacks used: " + ", ".join(f"{k} {v}" for k, v in sorted(used.items())))
    for line in shown[:20]:
        print(line)
    print(
        f"trials: {args.trials} ({2 * args.trials} lint runs); crashes: {counts['crash']}; "
        f"hangs: {counts['hang']}; sentinel changed: {len(escapes)}; "
        f"peak memory of one run: {peak_mb:.0f} MB; seed {args.seed}; {elapsed:.0f}s"
    )
    return 1 if counts["crash"] or counts["hang"] or escapes else 0


if __name__ == "__main__":
    sys.exit(main())

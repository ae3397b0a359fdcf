"""Fuzz the source readers and ``slicegen lint`` with hostile Python and Elixir files.

Seeds are slicegen's own scaffolds (python and elixir workspaces with a domain and a slice, when
the stacks can make them) plus built-in snippets; each file is a seed truncated, spliced, mutated
(see ``tests/reliability/fuzz_corpus.py``). Every generated file goes through the readers of its
language (the lint model's ``read_python`` / ``read_elixir``, parse on, and the boundaries
checker's ``extract_python`` / ``extract_elixir``); a share of them are also written into
workspaces linted end to end (``slicegen.lint.command.lint``, every output format, with and
without the cache). Nothing may raise or hang: a crash prints its traceback and reproduction.

    .venv/bin/python benchmarks/fuzz_lint.py [--files 10000] [--lint-files 2000] [--seed 0]
"""

from __future__ import annotations

import argparse
import io
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slicegen.boundaries.imports_elixir import extract_elixir
from slicegen.boundaries.imports_python import extract_python
from slicegen.errors import SlicegenError
from slicegen.lint.command import lint
from slicegen.lint.output import FORMATS
from slicegen.model.readers.elixir import read_elixir
from slicegen.model.readers.python import read_python
from tests.reliability.fuzz_corpus import (
    EX_SEEDS,
    PY_SEEDS,
    mutate,
    seeds_from,
    write_workspace,
)

HANG_SECONDS = 20
SCAFFOLD = [
    ["new-domain", "accounts"],
    ["add-slice", "accounts", "initialize_account", "-f", "email:str", "-f", "tags:list[str]?"],
    ["add-projection", "accounts", "initialize_account", "account_summary"],
]


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang(f"no result after {HANG_SECONDS}s")


def scaffold(root: Path, stack: str) -> Path | None:
    """A workspace scaffolded by slicegen itself (as far as the stack gets), or None."""

    def run(argv: list[str]) -> bool:
        proc = subprocess.run(
            [sys.executable, "-m", "slicegen", *argv], cwd=root, capture_output=True, check=False
        )
        return proc.returncode == 0

    root.mkdir(parents=True)
    if not run(["init", "--stack", stack, "--app", "shop"]):
        return None
    for argv in SCAFFOLD:
        if not run(argv):
            break
    return root


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.crashes: list[str] = []

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def guard(self, label: str, action: Callable[[], Any]) -> Any:
        signal.alarm(HANG_SECONDS)
        try:
            return action()
        except SlicegenError as exc:
            self.crashes.append(f"{label}: SlicegenError where findings were expected: {exc}")
        except (Exception, RecursionError, Hang):
            self.crashes.append(f"{label}:\n{traceback.format_exc()}")
        finally:
            signal.alarm(0)
        return None


def _boundary_imports(language: str, path: str, data: bytes) -> object:
    """The boundaries checker's own import reader (it reads text the lint model decoded)."""
    if language == "elixir":
        return extract_elixir(path, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return extract_python(path, text, "shop.accounts.fuzz", is_package=False)


def fuzz_readers(tally: Tally, rng: random.Random, seeds: dict[str, list[bytes]], n: int) -> None:
    readers = {"python": read_python, "elixir": read_elixir}
    for index in range(n):
        language = ("python", "elixir")[index % 2]
        data = mutate(rng, seeds[language])
        path = f"fuzz_{index}.{'py' if language == 'python' else 'ex'}"
        info = tally.guard(
            f"{language} reader, file #{index}", partial(readers[language], path, data)
        )
        tally.add(f"{language} files")
        if info is not None:
            tally.add(f"{language} {'parsed' if info.parsed else 'rejected with an error'}")
        tally.guard(
            f"{language} boundaries import reader, file #{index}",
            partial(_boundary_imports, language, path, data),
        )


def fuzz_lint(
    tally: Tally,
    rng: random.Random,
    seeds: dict[str, list[bytes]],
    n: int,
    scratch: Path,
    templates: dict[str, Path | None],
) -> None:
    per_workspace = 250
    formats = sorted(FORMATS)
    for batch in range(max(1, n // per_workspace)):
        stack = ("python", "elixir")[batch % 2]
        root = scratch / f"lint{batch}"
        written = write_workspace(root, stack, rng, seeds[stack], per_workspace, templates[stack])
        tally.add("files linted", written)
        for use_cache in (False, True, True):
            fmt = formats[(batch + use_cache) % len(formats)]
            run = partial(
                lint, root, fmt, use_cache=use_cache, stream=io.StringIO(), parse_all=not use_cache
            )
            code = tally.guard(
                f"lint of {stack} workspace #{batch} ({fmt}, cache {use_cache})", run
            )
            tally.add("lint runs")
            if code is not None:
                tally.add(f"lint exit {code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="files through the readers")
    parser.add_argument("--lint-files", type=int, default=2_000, help="files linted end to end")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    rng = random.Random(args.seed)
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="slicegen-fuzz-") as scratch:
        templates = {s: scaffold(Path(scratch) / f"seed-{s}", s) for s in ("python", "elixir")}
        seeds = {
            "python": PY_SEEDS
            + (seeds_from(templates["python"], (".py",)) if templates["python"] else []),
            "elixir": EX_SEEDS
            + (seeds_from(templates["elixir"], (".ex", ".exs")) if templates["elixir"] else []),
        }
        print(f"seeds: {len(seeds['python'])} python, {len(seeds['elixir'])} elixir")
        readers_started = time.perf_counter()
        fuzz_readers(tally, rng, seeds, args.files)
        readers_time = time.perf_counter() - readers_started
        fuzz_lint(tally, rng, seeds, args.lint_files, Path(scratch), templates)
    elapsed = time.perf_counter() - started
    for key in sorted(tally.counts):
        print(f"{key:>36}: {tally.counts[key]}")
    total = tally.counts.get("python files", 0) + tally.counts.get("elixir files", 0)
    print(
        f"files generated: {total + tally.counts.get('files linted', 0)} "
        f"({total} through the readers in {readers_time:.0f}s, "
        f"{tally.counts.get('files linted', 0)} linted end to end); "
        f"crashes: {len(tally.crashes)}; seed {args.seed}; {elapsed:.0f}s"
    )
    kinds: dict[str, list[str]] = {}
    for crash in tally.crashes:  # grouped by where and what: the label's kind, the last line
        where = crash.split(",")[0].split(" workspace")[0].split(":")[0]
        what = crash.strip().splitlines()[-1]
        kinds.setdefault(f"{where}: {what}", []).append(crash)
    for kind, crashes in sorted(kinds.items(), key=lambda item: -len(item[1])):
        print(f"CRASH x{len(crashes)} {kind}\n  first: {crashes[0]}")
    return 1 if tally.crashes else 0


if __name__ == "__main__":
    sys.exit(main())

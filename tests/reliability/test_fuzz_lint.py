"""Hostile Python and Elixir files never crash the readers or lint (``benchmarks/fuzz_lint.py``
runs the same generator over ten thousand files and more)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from slicegen.boundaries.imports_elixir import extract_elixir
from slicegen.boundaries.imports_python import extract_python
from slicegen.lint.command import lint
from slicegen.lint.output import FORMATS
from slicegen.model.readers.elixir import read_elixir
from slicegen.model.readers.python import read_python
from slicegen.model.workspace import FileInfo
from tests.reliability.fuzz_corpus import (
    EX_SEEDS,
    PY_SEEDS,
    mutate,
    write_workspace,
)

SEEDS = {"python": PY_SEEDS, "elixir": EX_SEEDS}
READERS = {"python": read_python, "elixir": read_elixir}


@pytest.mark.parametrize("language", ["python", "elixir"])
def test_readers_survive_mutated_sources(language: str) -> None:
    rng = random.Random(f"readers-{language}")
    outcomes = {"parsed": 0, "error": 0}
    for index in range(300):
        data = mutate(rng, SEEDS[language])
        path = f"f{index}.{'py' if language == 'python' else 'ex'}"
        info = READERS[language](path, data)
        assert isinstance(info, FileInfo)
        if language == "elixir":  # the boundaries checker's import readers, too
            extract_elixir(path, data)
        elif info.error is None or "syntax" in info.error:
            extract_python(path, data.decode("utf-8"), "shop.accounts.f", is_package=False)
        assert info.parsed or info.error is not None or not data.strip() or info.suppressions != ()
        outcomes["parsed" if info.parsed else "error"] += 1
    assert outcomes["parsed"] > 0 and outcomes["error"] > 0  # the generator hits both sides


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01", b"\xff\xfe\xfd", b"\xef\xbb\xbf", b"\r\r\r", b"x = (" * 300, b"'''" * 3],
    ids=["nul", "invalid-utf8", "bom-only", "bare-cr", "deep-parens", "quotes"],
)
@pytest.mark.parametrize("language", ["python", "elixir"])
def test_readers_turn_hostile_bytes_into_an_error_or_a_model(language: str, data: bytes) -> None:
    info = READERS[language]("x.py" if language == "python" else "x.ex", data)
    assert isinstance(info, FileInfo)
    if b"\x00" in data or data.startswith(b"\xff"):
        assert info.error is not None and "\n" not in info.error


DEEP = [
    b"x = " + b"(" * 1000 + b"1 +)" + b")" * 1000,
    b"x = " + b"%{a: " * 1000 + b"1 +}" + b"}" * 1000,
    b"x = " + b"[" * 5000 + b"\n",
    b"defmodule A do\n" + b"defmodule B do\n" * 1000 + b"end\n" * 999,
    b"def f():\n" + b"".join(b" " * i + b"if x:\n" for i in range(1, 300)),
    b"x = 1" + b" + 1" * 50_000 + b"\n",
]


@pytest.mark.parametrize("data", DEEP, ids=lambda d: repr(d[:12]))
def test_deeply_nested_python_is_an_error_not_a_crash(data: bytes) -> None:
    assert isinstance(read_python("deep.py", data), FileInfo)


@pytest.mark.parametrize("data", DEEP, ids=lambda d: repr(d[:12]))
def test_deeply_nested_elixir_is_an_error_not_a_crash(data: bytes) -> None:
    """The fuzzer's first find: the reader's error search recursed once per nesting level."""
    assert isinstance(read_elixir("deep.ex", data), FileInfo)


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_lint_survives_a_workspace_of_mutated_files(tmp_path: Path, stack: str) -> None:
    rng = random.Random(f"lint-{stack}")
    seeds = [s for s in SEEDS[stack] if s]
    root = tmp_path / "ws"
    write_workspace(root, stack, rng, seeds, 40)
    codes = set()
    for index, fmt in enumerate(sorted(FORMATS)):
        out = io.StringIO()
        codes.add(lint(root, fmt, use_cache=bool(index % 2), stream=out, parse_all=True))
        assert out.getvalue()  # every format reports something for a broken workspace
    assert codes <= {0, 1}

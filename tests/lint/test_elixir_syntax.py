"""The Elixir reader accepts what Elixir's own parser accepts (SG001 only on invalid Elixir)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from slicegen.model.readers.elixir import read_elixir

#: (source, valid Elixir?). Trailing commas are valid in maps, struct updates, lists, tuples and
#: keyword arguments, and invalid after positional call arguments.
CASES = [
    (b"def f(s), do: %{s | a: 1, b: 2,}\n", True),
    (b"def f(e), do: %Ev{e |\n  a: g(1), # note\n  b: 2,\n}\n", True),
    (b"x = %{a: 1,}\ny = [1, 2,]\nz = {1, 2,}\n", True),
    (b"foo(a: 1,)\n", True),
    (b"def f(s), do: %{s | a: 1,,}\n", False),
    (b"f(1, 2,)\n", False),
    (b"%{s | a: 1\n", False),
    (b's = "a, }"\nf(1,)\n', False),
]


def _module(body: bytes) -> bytes:
    return b"defmodule M do\n" + body + b"end\n"


@pytest.mark.parametrize(("body", "valid"), CASES)
def test_reader_verdict(body: bytes, valid: bool) -> None:
    info = read_elixir("m.ex", _module(body))
    assert (info.error is None) is valid, info.error
    assert info.parsed is valid


def test_trailing_comma_struct_update_is_read() -> None:
    """The file is read, not skipped: its functions are recorded."""
    body = b"  def decode(%E{} = e) do\n    %E{e |\n      a: 1,\n    }\n  end\n"
    info = read_elixir("d.ex", _module(body))
    assert info.error is None
    assert [(d.qualname, d.functions) for d in info.definitions] == [("M", ("decode",))]


@pytest.mark.skipif(shutil.which("elixir") is None, reason="elixir is not installed")
def test_cases_agree_with_elixir() -> None:
    """The fixtures' verdicts are Elixir's own (``Code.string_to_quoted``)."""
    script = (
        "IO.read(:stdio, :eof) |> String.split(<<0>>) |> Enum.each(fn s -> "
        "IO.puts(elem(Code.string_to_quoted(s), 0)) end)"
    )
    sources = b"\x00".join(_module(body) for body, _ in CASES)
    run = subprocess.run(
        ["elixir", "-e", script], input=sources, capture_output=True, check=True, timeout=120
    )
    verdicts = run.stdout.decode().split()
    assert verdicts == ["ok" if valid else "error" for _, valid in CASES]

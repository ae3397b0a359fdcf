"""Generated assertions are laid out as the generated project's ``ruff format`` lays them out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from slicegen.fields import FieldSpec, FieldType
from slicegen.stacks.python.pysource import assertion, sample

KINDS = ["str", "int", "bool", "datetime", "date", "uuid", "decimal", "float"]


def test_assertions_of_every_field_kind_and_name_length_are_ruff_formatted(tmp_path: Path) -> None:
    lines = ["def test_sample() -> None:"]
    for length in range(1, 90):
        name = ("field_" * 20)[:length].strip("_") or "f"
        for kind in KINDS:
            for is_list in (False, True):
                spec = FieldSpec(name, FieldType(kind, is_list))
                lines.append(assertion(f"command.{name}", "==", sample(spec)))
    source = tmp_path / "test_sample.py"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--no-cache", "--diff", "--line-length=100"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[:4000]
    assert max(len(line) for line in lines) > 100  # long names were tried

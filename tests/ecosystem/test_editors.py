"""The editor integration and the JSON schema in the docs match what ``slicegen lint`` prints."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema

from tests.ecosystem.doc_blocks import DOCS, blocks
from tests.ecosystem.installed_cli import slicegen

SCHEMA = DOCS / "lint-output.schema.json"


def _problem_matcher() -> dict[str, Any]:
    """The problem matcher of the tasks.json shown in docs/editors.md."""
    for block in blocks(DOCS / "editors.md", "json"):
        tasks = json.loads(block.body)
        for task in tasks["tasks"]:
            if "problemMatcher" in task:
                assert task["command"].split()[:2] == ["slicegen", "lint"]
                return dict(task["problemMatcher"])
    raise AssertionError("docs/editors.md shows no tasks.json with a problemMatcher")


def _findings(root: Path) -> list[dict[str, Any]]:
    proc = slicegen("lint", "--format", "json", "--no-cache", cwd=root)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert isinstance(data, list)
    return data


def test_problem_matcher_matches_every_finding_line(crud_workspace: Path) -> None:
    matcher = _problem_matcher()
    pattern = matcher["pattern"]
    # VS Code regexps are JavaScript; this one uses only syntax Python reads the same way.
    regexp = re.compile(pattern["regexp"])
    text = slicegen("lint", "--no-cache", cwd=crud_workspace)
    assert text.returncode == 1
    lines = text.stdout.splitlines()
    expected = _findings(crud_workspace)
    assert any(f["code"] == "SG101" for f in expected)
    matched = [m for m in map(regexp.match, lines) if m]
    assert len(matched) == len(expected), text.stdout
    for match, finding in zip(matched, expected, strict=True):
        assert match.group(pattern["file"]) == finding["path"]
        assert int(match.group(pattern["line"])) == finding["line"]
        assert int(match.group(pattern["column"])) == finding["column"]
        assert match.group(pattern["code"]) == finding["code"]
        assert match.group(pattern["message"]) == finding["message"]
        assert (crud_workspace / match.group(pattern["file"])).exists()
    # Everything else (the summary) is not taken for a problem.
    assert [ln for ln in lines if not regexp.match(ln)] == [lines[-1]]
    assert matcher["fileLocation"] == ["relative", "${workspaceFolder}"]


def test_vim_errorformat_shape_matches_the_text_output(crud_workspace: Path) -> None:
    """``%f:%l:%c: %m`` (docs/editors.md) needs ``path:line:col: `` at the start of a line."""
    vim = next(b.body for b in blocks(DOCS / "editors.md", "vim"))
    assert r"errorformat=%f:%l:%c:\ %m" in vim
    lines = slicegen("lint", "--no-cache", cwd=crud_workspace).stdout.splitlines()[:-1]
    assert lines
    assert all(re.match(r"^[^:]+:\d+:\d+: ", line) for line in lines)


def test_json_output_validates_against_the_documented_schema(crud_workspace: Path) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    findings = _findings(crud_workspace)
    jsonschema.validate(findings, schema, cls=jsonschema.Draft202012Validator)
    assert "SG101" in {f["code"] for f in findings}


def test_clean_output_and_the_documented_example_validate(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA.read_text())
    slicegen("init", str(tmp_path), "--app", "shop", cwd=tmp_path)
    clean = slicegen("lint", "--format", "json", "--no-cache", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout
    jsonschema.validate(json.loads(clean.stdout), schema)
    example = next(b.body for b in blocks(DOCS / "lint-output.md", "json"))
    jsonschema.validate(json.loads(example), schema)


def test_schema_rejects_what_slicegen_never_prints() -> None:
    schema = json.loads(SCHEMA.read_text())
    good = {
        "code": "SG101",
        "name": "crud-event",
        "message": "m",
        "path": "a/b.py",
        "line": 1,
        "column": 1,
        "names": [],
    }
    jsonschema.validate([good], schema)
    for bad in (
        {**good, "code": "E501"},
        {**good, "line": 0},
        {**good, "path": "/abs/b.py"},
        {k: v for k, v in good.items() if k != "names"},
    ):
        assert not jsonschema.Draft202012Validator(schema).is_valid([bad]), bad

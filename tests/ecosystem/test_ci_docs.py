"""The CI recipes in docs/ci.md: valid YAML, real options, output the services accept."""

from __future__ import annotations

import json
import shlex
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import yaml

from tests.ecosystem.doc_blocks import DOCS, blocks
from tests.ecosystem.installed_cli import SLICEGEN

CI = DOCS / "ci.md"
ROOT = DOCS.parent


def _yaml_blocks() -> list[Any]:
    return [yaml.safe_load(b.body) for b in blocks(CI, "yaml")]


def _workflow() -> dict[str, Any]:
    found = [d for d in _yaml_blocks() if isinstance(d, dict) and "jobs" in d]
    assert len(found) == 1, "docs/ci.md shows one GitHub Actions workflow"
    return found[0]


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a workflow step's shell line with the installed slicegen first on PATH."""
    env = {"PATH": f"{SLICEGEN.parent}:/usr/bin:/bin", "NO_COLOR": "1"}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_pre_commit_config_names_the_published_hook() -> None:
    configs = [d for d in _yaml_blocks() if isinstance(d, dict) and "repos" in d]
    assert configs, "docs/ci.md shows a .pre-commit-config.yaml"
    published = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    used = {hook["id"] for repo in configs[0]["repos"] for hook in repo["hooks"]}
    assert used and used <= published


def test_workflow_annotates_and_uploads_sarif(crud_workspace: Path) -> None:
    workflow = _workflow()
    assert workflow["permissions"]["security-events"] == "write"
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step["run"] for step in steps if "slicegen lint" in step.get("run", "")]
    github = next(r for r in runs if "--format github" in r)
    sarif = next(r for r in runs if "--format sarif" in r)

    annotated = _run(github, crud_workspace)
    assert annotated.returncode == 1  # findings fail the step
    lines = annotated.stdout.splitlines()
    assert lines and all(line.startswith("::error file=") for line in lines)
    assert any("SG101" in line and "update_account/event_v1.py" in line for line in lines)

    # The SARIF step tolerates findings (exit 1) and writes the file the upload step reads.
    produced = _run(sarif, crud_workspace)
    assert produced.returncode == 0, produced.stderr
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload"))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    report = json.loads((crud_workspace / upload["with"]["sarif_file"]).read_text())
    assert report["version"] == "2.1.0"
    results = report["runs"][0]["results"]
    assert any(r["ruleId"] == "SG101" for r in results)
    rule_ids = {rule["id"] for rule in report["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rule_ids


def test_sarif_step_still_fails_on_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "slicegen.toml").write_text("[lint]\nselekt = ['SG']\n")
    sarif = next(
        step["run"]
        for job in _workflow()["jobs"].values()
        for step in job["steps"]
        if "--format sarif" in step.get("run", "")
    )
    assert _run(sarif, tmp_path).returncode != 0


def test_gitlab_recipe_writes_a_junit_report(crud_workspace: Path) -> None:
    gitlab = next(d for d in _yaml_blocks() if isinstance(d, dict) and "slicegen" in d)
    script = [line for line in gitlab["slicegen"]["script"] if line.startswith("slicegen")]
    assert len(script) == 1
    _run(script[0], crud_workspace)
    report = shlex.split(script[0])[-1]
    assert report == gitlab["slicegen"]["artifacts"]["reports"]["junit"]
    suites = ET.parse(crud_workspace / report).getroot()
    failures = suites.findall(".//failure")
    assert any(f.get("type") == "SG101" for f in failures)

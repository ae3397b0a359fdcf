"""The generated Python project on each Python it accepts (``requires-python = ">=3.11"``).

Its own tests run with every warning an error, in development mode (``-X dev``), under this
interpreter and under each one listed in ``SLICEGEN_EXTRA_PYTHONS`` (paths separated by
``os.pathsep``, each with pydantic, eventsourcing and pytest installed; ``.ci/run`` makes them
for the newer Pythons it finds). A newer Python warns of more: 3.13 reports a SQLite connection
left unclosed, which a team that turns warnings into errors sees as a failing generated test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.python_stack.support import clean_env, invoke
from tests.python_stack.support import ok as ok_subprocess

EXTRA = "SLICEGEN_EXTRA_PYTHONS"

COMMANDS = [
    "new-domain accounts",
    "add-slice accounts open_account --field email:str --field nickname:str?"
    " --field tags:list[str] --field born:date --field limit:decimal --field referrer:uuid?"
    " --field opened_at:datetime --field rating:float --projection summary",
    "add-slice accounts activate_account --field reason:str?",
    "add-fact accounts account_activated",
    "new-domain profiles",
    "add-slice profiles establish_profile --field account_id:uuid --field reason:str?",
    "add-policy profiles establish_profile --on accounts:account_activated",
    "add-version accounts open_account --field locale:str?",
]


def interpreters() -> list[str]:
    listed = os.environ.get(EXTRA, "")
    return [sys.executable, *(p for p in listed.split(os.pathsep) if p)]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("python_versions") / "shop"
    root.mkdir()
    ok_subprocess(root, "init", "--stack", "python", "--app", "shop")
    for command in COMMANDS:
        invoke(root, *command.split())
    return root


@pytest.mark.parametrize("python", interpreters())
def test_generated_tests_pass_with_warnings_as_errors(project: Path, python: str) -> None:
    argv = [python, "-X", "dev", "-W", "error", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [*argv, "-p", "no:xdist", "-W", "error"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(PYTHONDONTWRITEBYTECODE="1"),
        check=False,
    )
    assert done.returncode == 0, f"{python}:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
    assert " passed" in done.stdout

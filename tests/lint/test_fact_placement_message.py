"""SG403's message names a fix that is true of the tree: the facts area it keeps facts in when
the tree has one; when it has none (no config, no ``shared/facts``), only the fact's file name
is judged, and the message says to name the file after its event. Before, it told the user to
"keep facts in the shared facts area/<source_domain>/<event>_fact", a folder no tree has."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _messages(root: Path) -> list[tuple[str, str]]:
    _, found = lint_json(root)
    return [(f["path"], f["message"]) for f in found if f["code"] == "SG403"]


def test_in_a_tree_with_no_facts_area_the_message_names_the_file_fix(tmp_path: Path) -> None:
    files: Files = {
        "src/kit/__init__.py": "",
        "src/kit/engine/__init__.py": "",
        "src/kit/engine/events.py": "class JobStarted(DomainEvent):\n    job_id: str\n",
        "src/kit/engine/messages.py": "class AccountActivatedFact:\n    account_id: str\n",
    }
    write(tmp_path / "repo", files)
    assert _messages(tmp_path / "repo") == [
        (
            "src/kit/engine/messages.py",
            "fact 'messages.py' is not named '<event>_fact': name its file after the event it "
            "carries, '<event>_fact'",
        )
    ]


def test_in_a_tree_with_a_facts_area_the_message_names_it(
    make_tree: Callable[..., Path],
) -> None:
    fact = "src/shop/accounts/account_closed_fact_v1.py"
    root = make_tree("python", {fact: "class AccountClosedFactV1:\n    pass\n"})
    assert _messages(root) == [
        (
            fact,
            "fact 'account_closed_fact_v1.py' is outside the shared facts area: keep facts in "
            "src/shop/shared/facts/<source_domain>/<event>_fact",
        )
    ]

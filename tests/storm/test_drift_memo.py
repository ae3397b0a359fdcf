"""SG602 remembers each domain's answer in the lint cache, keyed by everything that domain's
document is derived from: through edits of code, documents and cross-domain policies, a cached
run reports exactly what an uncached one does, and builds no design when nothing relevant
changed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from slicegen.design import from_workspace
from slicegen.lint.cache import LintCache
from slicegen.lint.engine import LintOptions, locate, run_lint
from slicegen.model.load import load_model
from slicegen.storm.drift import _file_keys

from .test_workspaces import build_source, doc_path, ok


@pytest.fixture(scope="module", params=["python", "elixir"])
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    stack: str = request.param
    root = tmp_path_factory.mktemp(f"memo_{stack}")
    build_source(root, stack)
    ok("storm", "-C", str(root))
    yield stack, root


def _sg602(root: Path, use_cache: bool) -> list[tuple[str, str, str]]:
    result = run_lint(root, LintOptions(select=["SG602"], use_cache=use_cache))
    return [(f.code, f.path, f.message) for f in result.findings]


def _same(root: Path) -> list[tuple[str, str, str]]:
    cached = _sg602(root, use_cache=True)
    assert cached == _sg602(root, use_cache=False)
    return cached


#: per design built, the domains whose designs an earlier run's were used again
REUSED: list[set[str]] = []


def _designs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    real = from_workspace.design_of

    def counted(model: Any, only: Any = None, *, plain: bool = False, made: Any = None) -> Any:
        calls.append(only)
        REUSED.append(set(made or ()))
        return real(model, only, plain=plain, made=made)

    monkeypatch.setattr(from_workspace, "design_of", counted)
    return calls


def _command(stack: str, root: Path, domain: str, command: str) -> Path:
    if stack == "python":
        return root / "src" / "shop" / domain / "domain" / command / "command_v1.py"
    lib = root / "apps" / f"reckon_{domain}" / "lib" / f"reckon_{domain}"
    return lib / "domain" / command / "command_v1.ex"


def test_cached_answers_equal_fresh_ones_through_edits(
    built: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack, original = built
    root = tmp_path / "ws"
    shutil.copytree(original, root)
    d = str(root)
    assert _same(root) == []

    # unrelated file changed: every answer comes from the cache, no design is built
    designs = _designs(monkeypatch)
    (root / "notes.md").write_text("notes\n")
    assert _sg602(root, use_cache=True) == []
    assert designs == []

    # a policy in profiles on an accounts fact: the accounts diagram (not its code) changes,
    # and the command refreshes it with the profiles document
    accounts_doc = doc_path(stack, root, "accounts")
    before = accounts_doc.read_text()
    ok("add-slice", "profiles", "archive_profile", "-C", d)
    ok("add-policy", "profiles", "archive_profile", "--on", "accounts:account_activated", "-C", d)
    assert accounts_doc.read_text() != before
    assert _same(root) == []

    ok("storm", "-C", d)
    assert _same(root) == []

    # a hand edit of one command: only that domain is described again (the policy domain's
    # design, made from the same inputs, is the last run's)
    command = _command(stack, root, "accounts", "activate_account")
    text = command.read_text()
    command.write_text(text.replace("defmodule", "# touched\ndefmodule", 1) + "\n# edited\n")
    designs.clear()
    REUSED.clear()
    assert _same(root) == []  # a comment: still current
    assert designs and designs[0] == {"accounts", "profiles"}
    assert REUSED[0] == {"profiles"}

    # a hand edit of a document's derived section
    doc = doc_path(stack, root, "profiles")
    doc.write_text(doc.read_text().replace("archive_profile", "archive_profiles", 1))
    assert any(path.endswith("event-storming.md") for _, path, _ in _same(root))

    # the policy removed again
    for policy in root.rglob("when_account_activated_then_archive_profile_v1.*"):
        policy.unlink()
    assert _same(root)


def test_domain_keys_do_not_depend_on_where_the_entries_came_from(
    built: tuple[str, Path], tmp_path: Path
) -> None:
    _, original = built
    root = tmp_path / "ws"
    shutil.copytree(original, root)
    found, config = locate(root)
    fresh = LintCache(found)
    model = load_model(found, config, store=fresh).model
    first = from_workspace.domain_keys(model, _file_keys(model, fresh))
    fresh.save("fingerprint", [])
    stored = LintCache(found)
    again = load_model(found, config, store=stored).model
    assert stored.get(next(iter(again.files))) is not None
    assert from_workspace.domain_keys(again, _file_keys(again, stored)) == first
    assert set(first) == {"accounts", "profiles"}

"""Re-linting after an edit (``run_lint(previous=...)``, :mod:`slicegen.lint.delta`) gives
exactly what a full ``--no-cache`` run gives, and falls back to a full run when it cannot."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slicegen.lint.engine import LintOptions, LintResult, run_lint
from slicegen.lint.output import FORMATS, Report
from slicegen.lint.registry import RULES
from slicegen.lint.rule import Scope, scope_of
from tests.lint.test_generated import _generate

from .trees import clean, write

#: What a random edit does to a source file's text (``other`` names another domain's module).
EDITS = [
    "append",
    "prepend_blank",
    "drop_line",
    "rename_class",
    "type_string",
    "rename_field",
    "import_other",
    "crud_event",
    "suppress",
    "comment",  # no record changes: unseen even in an artifact whose record tells all
    "map_mark",  # a comment SG406 reads in a policy
    "add_field",  # an event's or command's stored shape changes (SG205, the design's fields)
    "drop_field",
    "retype_field",
    "topic",  # a fact's topic published (SG402, the design's policies)
    "new_base",  # a class made a base (Python), a struct applied (Elixir): the tree's evidence
]


_PY_FIELD = re.compile(r"^(\s+)(\w+): (?!ClassVar)", re.MULTILINE)
_EX_FIELD = re.compile(r"(defstruct \[\s*:|field\(?\s*:)(\w+)")
_PY_CLASS = re.compile(r"^(class \w+.*:\n)", re.MULTILINE)


def _edit(kind: str, text: str, python: bool, other: str) -> str:
    lines = text.splitlines(keepends=True)
    if kind == "append":
        return text + ("\nx_edit = 1\n" if python else "\n# edited\n")
    if kind == "prepend_blank":
        return "\n" + text
    if kind == "drop_line":
        return "".join(lines[:-1]) if len(lines) > 1 else text
    if kind == "rename_class":
        word = "class " if python else "defmodule "
        return text.replace(word, word + "Renamed", 1) if word in text else text + "\n"
    if kind == "type_string":
        return text.replace(":v1", ":v7") if ":v1" in text else text + '\nT = "thing_done:v1"\n'
    if kind == "rename_field":  # an event's stored shape changes (SG205)
        field = _PY_FIELD if python else _EX_FIELD
        return field.sub(r"\1renamed_\2", text, count=1)
    if kind == "import_other":
        line = f"from {other} import Thing\n" if python else f"alias {other}\n"
        return line + text
    if kind == "crud_event":
        return text + (
            '\n\nclass AccountCreatedV1:\n    type = "account_created:v1"\n'
            if python
            else '\ndefmodule AccountCreatedV1 do\n  @type_string "account_created:v1"\nend\n'
        )
    if kind == "comment":
        return text + "\n# a note\n"  # a comment in both languages
    if kind == "add_field":
        if python:
            return _PY_CLASS.sub(r"\1    added_field: str\n", text, count=1)
        return text.replace("defstruct [", "defstruct [:added_field, ", 1)
    if kind == "drop_field":
        if python:
            return re.sub(r"^\s+\w+: (?!ClassVar).*\n", "", text, count=1, flags=re.MULTILINE)
        return re.sub(r"(defstruct \[)\s*:\w+,?\s*", r"\1", text, count=1)
    if kind == "retype_field":
        if python:
            return re.sub(
                r"^(\s+\w+): (?!ClassVar)[^=\n]+", r"\1: bytes", text, count=1, flags=re.MULTILINE
            )
        return text.replace("String.t()", "integer()", 1)
    if kind == "topic":
        return text + (
            '\nTOPIC = "accounts:facts:account_opened"\n'
            if python
            else '\n@topic "accounts:facts:account_opened"\n'
        )
    if kind == "new_base":
        if python:
            found = re.search(r"^class (\w+)", text, re.MULTILINE)
            name = found.group(1) if found else "Thing"
            return text + f"\n\nclass Special{name}({name}):\n    pass\n"
        return (
            text + "\ndefmodule Edited.Aggregate do\n  def apply(s, %ThingHappened{}), do: s\nend\n"
        )
    if kind == "map_mark":
        return text + (
            '\n# "map name from ThingDoneV1: none"\n'
            if python
            else "\n# Shared.unmapped!(__MODULE__, :name)\n"
        )
    return text + "\n# slicegen: ignore[SG101]\n"  # a comment in both languages


def _age(root: Path) -> None:
    """Make the lint cache's folder, then date every file and folder back a minute: the stats a
    run takes are then trustworthy (as in a workspace not changed this very second)."""
    run_lint(root, LintOptions(select=["SG0"]))
    old = time.time() - 60
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (old, old))
        os.utime(folder, (old, old))


def _output(result: LintResult) -> tuple[str, ...]:
    report = Report(result.root, result.findings, result.rules, result.files_checked)
    return tuple(FORMATS[name](report) for name in ("text", "json"))


def _sources(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.suffix in (".py", ".ex") and p.is_file() and ".slicegen" not in p.parts
    )


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Generated workspaces of both stacks, and the lint tests' small fixture trees."""
    out: dict[str, Path] = {}
    for stack, app in (("python", "shop"), ("elixir", "reckon")):
        out[f"generated-{stack}"] = _generate(tmp_path_factory.mktemp(stack) / "ws", stack, app)
        fixture = tmp_path_factory.mktemp(f"fixture-{stack}") / "ws"
        write(fixture, clean(stack))
        out[f"fixture-{stack}"] = fixture
    return out


@pytest.fixture
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="slicegen-delta-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


#: How the property tests below run, and the trees they start from.
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TREES = st.sampled_from(
    ["generated-python", "generated-elixir", "fixture-python", "fixture-elixir"]
)


def _copy(source: Path, scratch: Path) -> Path:
    root = scratch / "ws"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".slicegen_cache"))
    _age(root)
    return root


#: Up to three random edits: which source file (an index), what edit, in a buffer or on disk.
EDIT_STEPS = st.lists(
    st.tuples(st.integers(0, 10_000), st.sampled_from(EDITS), st.booleans()),
    min_size=1,
    max_size=3,
)


def _other(python: bool) -> str:
    """Another domain's module, for the ``import_other`` edit."""
    return "shop.profiles.domain.establish_profile.event_v1" if python else "Reckon.Profiles.X"


def _make_edit(
    root: Path, overlay: dict[str, str], rel: str, kind: str, in_buffer: bool, python: bool
) -> None:
    """Edit ``rel`` (``kind``) as an editor would: in its unsaved buffer, or saved to disk."""
    text = overlay.get(rel, (root / rel).read_text(encoding="utf-8"))
    new = _edit(kind, text, python, _other(python))
    if in_buffer:
        overlay[rel] = new
    else:
        overlay.pop(rel, None)
        (root / rel).write_text(new, encoding="utf-8")


@EXAMPLES
@given(which=TREES, steps=EDIT_STEPS)
def test_relint_equals_a_full_run(
    workspaces: dict[str, Path],
    scratch: Path,
    which: str,
    steps: list[tuple[int, str, bool]],
) -> None:
    """Random edits, each in an editor buffer or saved to disk: after each, the re-lint's
    findings and printed output are a full ``--no-cache`` run's."""
    root = _copy(workspaces[which], scratch)
    sources = _sources(root)
    # event files (type strings other domains refer to) drawn more often
    sources += [p for p in sources if "event" in p.rsplit("/", 1)[-1]] * 3
    python = which.endswith("python")
    overlay: dict[str, str] = {}
    state = run_lint(root, LintOptions(overlay=dict(overlay))).state
    assert state is not None
    for step, (index, kind, in_buffer) in enumerate(steps):
        rel = sources[index % len(sources)]
        _make_edit(root, overlay, rel, kind, in_buffer, python)
        delta = run_lint(root, LintOptions(overlay=dict(overlay), previous=state))
        full = run_lint(root, LintOptions(overlay=dict(overlay), use_cache=False))
        assert delta.findings == full.findings, (rel, kind, in_buffer)
        assert _output(delta) == _output(full)
        if step == 0:  # one edit in a domain that can be modelled alone: never a full run
            assert delta.relinted == any(rel.startswith(r + "/") for r in state.roots)
        state = delta.state
        assert state is not None


#: What a random change does to the tree beside editing a file (see :func:`_change_tree`).
TREE_CHANGES = ["new_file", "delete", "new_folder", "skipped", "not_source", "gitignore"]


def _change_tree(root: Path, rel: str, kind: str, text: str) -> set[str]:
    """Change the tree at the source file ``rel`` (``text``: some source); the paths a file
    watcher reports for it."""
    folder, suffix = rel.rsplit("/", 1)[0], Path(rel).suffix
    if kind == "delete":
        (root / rel).unlink()
        return {rel}
    made = {
        "new_file": f"{folder}/extra_v1{suffix}",
        "new_folder": f"{folder}/extra/module_v1{suffix}",
        "skipped": f"{folder}/__pycache__/cached{suffix}",  # a folder the walk never enters
        "not_source": f"{folder}/notes.txt",
        "gitignore": f"{folder}/.gitignore",
    }[kind]
    path = root / made
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("*.txt\n" if kind == "gitignore" else text, encoding="utf-8")
    return {made, made.rsplit("/", 1)[0]} if kind in ("new_folder", "skipped") else {made}


@EXAMPLES
@given(
    which=TREES,
    steps=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.sampled_from(EDITS + TREE_CHANGES),
            st.booleans(),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_relint_from_reported_paths_equals_a_full_run(
    workspaces: dict[str, Path],
    scratch: Path,
    which: str,
    steps: list[tuple[int, str, bool]],
) -> None:
    """As :func:`test_relint_equals_a_full_run`, with the disk changes told as a file watcher
    reports them (``disk_changes``) instead of found by stat-ing the tree, and with files and
    folders created and deleted too: the re-lint's findings and output are a full run's."""
    root = _copy(workspaces[which], scratch)
    python = which.endswith("python")
    other = _other(python)
    overlay: dict[str, str] = {}
    state = run_lint(root, LintOptions(overlay=dict(overlay))).state
    assert state is not None
    for step, (index, kind, in_buffer) in enumerate(steps):
        sources = _sources(root)
        rel = sources[index % len(sources)]
        text = overlay.get(rel, (root / rel).read_text(encoding="utf-8"))
        reported: set[str] = set()
        if kind in TREE_CHANGES:
            if kind == "delete":
                overlay.pop(rel, None)
            reported = _change_tree(root, rel, kind, text)
        elif in_buffer:
            overlay[rel] = _edit(kind, text, python, other)
        else:
            overlay.pop(rel, None)
            (root / rel).write_text(_edit(kind, text, python, other), encoding="utf-8")
            reported = {rel}
        options = LintOptions(overlay=dict(overlay), previous=state)
        options.disk_changes = frozenset(reported)
        delta = run_lint(root, options)
        full = run_lint(root, LintOptions(overlay=dict(overlay), use_cache=False))
        assert delta.findings == full.findings, (rel, kind, in_buffer)
        assert _output(delta) == _output(full)
        if step == 0 and kind in ("skipped", "not_source"):
            # a path the walk leaves out changes nothing; a file beside the sources is new
            assert delta.relinted == (kind == "skipped")
        state = delta.state
        assert state is not None


def test_a_relint_from_reported_paths_stats_nothing_else(make_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With the watcher's report, the tree is not stat'ed: the edit it names is seen, one it
    does not name (and no folder) is not looked for."""
    from slicegen.lint import delta as delta_module

    root = make_tree("python")
    _age(root)
    first = run_lint(root).state
    rel = "src/shop/accounts/domain/activate_account/event_v1.py"
    path = root / rel
    path.write_text(path.read_text() + "\n\nclass AccountCreatedV1:\n    pass\n", encoding="utf-8")

    def refused(*_: object) -> None:
        raise AssertionError("the tree was stat'ed")

    monkeypatch.setattr(delta_module, "_stat_changes", refused)
    result = run_lint(root, LintOptions(previous=first, disk_changes=frozenset({rel})))
    assert result.relinted
    assert result.findings == run_lint(root, LintOptions(use_cache=False)).findings
    assert (rel, "SG306") in {(f.path, f.code) for f in result.findings}
    assert first is not None and (rel, "SG306") not in {(f.path, f.code) for f in first.findings}


@pytest.mark.parametrize("in_buffer", [True, False], ids=["buffer", "saved"])
@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_each_edit_of_an_event_file_equals_a_full_run(
    workspaces: dict[str, Path], scratch: Path, stack: str, in_buffer: bool
) -> None:
    """Every kind of edit, to two event files of a domain (one with a field, one another
    domain's policy listens to): the re-lint (from a state whose rules' memos the lint cache
    holds) is the full run."""
    for kind in EDITS:
        root = _copy(workspaces[f"generated-{stack}"], scratch)
        state = run_lint(root).state
        overlay = {}
        for rel in _sources(root):
            if any(
                f"{name}/event_v1" in rel for name in ("activate_account", "initialize_account")
            ):
                text = _edit(kind, (root / rel).read_text(encoding="utf-8"), stack == "python", "X")
                overlay[rel] = text
                if not in_buffer:
                    (root / rel).write_text(text, encoding="utf-8")
        assert len(overlay) == 2
        if not in_buffer:
            overlay = {}
        delta = run_lint(root, LintOptions(overlay=overlay, previous=state))
        full = run_lint(root, LintOptions(overlay=overlay, use_cache=False))
        assert delta.relinted, kind
        assert delta.findings == full.findings, kind


def _relinted(root: Path, rel: str, text: str) -> LintResult:
    first = run_lint(root)
    return run_lint(root, LintOptions(overlay={rel: text}, previous=first.state))


def test_an_edit_in_a_domain_is_relinted_alone(make_tree) -> None:  # type: ignore[no-untyped-def]
    root = make_tree("python")
    _age(root)
    rel = next(p for p in _sources(root) if "/domain/" in p)
    text = (root / rel).read_text(encoding="utf-8") + "\n\nclass AccountCreatedV1:\n    pass\n"
    result = _relinted(root, rel, text)
    assert result.relinted
    full = run_lint(root, LintOptions(overlay={rel: text}, use_cache=False))
    assert result.findings == full.findings


def test_an_unchanged_tree_is_answered_from_the_state(make_tree) -> None:  # type: ignore[no-untyped-def]
    root = make_tree("elixir")
    _age(root)
    first = run_lint(root)
    again = run_lint(root, LintOptions(previous=first.state))
    assert again.relinted and again.findings == first.findings


@pytest.mark.parametrize("change", ["new_file", "config", "storming_doc", "outside", "settings"])
def test_fallbacks_run_in_full(make_tree, change: str) -> None:  # type: ignore[no-untyped-def]
    """A new file (its folder changed), a changed config or storming document, an edit outside
    every domain, or other settings: the full run, never the re-lint."""
    root = make_tree("python")
    _age(root)
    first = run_lint(root)
    assert first.state is not None
    options = LintOptions(previous=first.state)
    domain = next(p for p in _sources(root) if "/domain/" in p)
    if change == "new_file":
        (root / domain).with_name("extra_v1.py").write_text("x = 1\n", encoding="utf-8")
    elif change == "config":
        config = root / "slicegen.toml"
        config.write_text(config.read_text() + '\n[lint]\nignore = ["SG309"]\n')
    elif change == "storming_doc":
        doc = root / next(iter(first.state.layout.storming_docs.values()))
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text("# changed\n", encoding="utf-8")
    elif change == "outside":
        outside = next(p for p in _sources(root) if first.state.model.domain_of(p) is None)
        options.overlay = {outside: (root / outside).read_text() + "\nx = 2\n"}
    else:
        options.ignore = ["SG101"]
    result = run_lint(root, options)
    assert not result.relinted
    full = run_lint(
        root, LintOptions(overlay=options.overlay, ignore=options.ignore, use_cache=False)
    )
    assert result.findings == full.findings


def test_a_file_saved_in_the_same_clock_tick_is_read_again(make_tree) -> None:  # type: ignore[no-untyped-def]
    """A file changed within the racy window of the run that stat'ed it is read again even
    when its stats look unchanged."""
    root = make_tree("python")
    _age(root)
    rel = next(p for p in _sources(root) if "/domain/" in p)
    path = root / rel
    path.write_text(path.read_text() + "\n# one\n", encoding="utf-8")  # racy for the next run
    mtime = path.stat().st_mtime_ns
    first = run_lint(root)
    text = path.read_text().replace("# one", "class AccountCreatedV1:\n    pass")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime, mtime))  # same mtime: only the size may tell
    result = run_lint(root, LintOptions(previous=first.state))
    full = run_lint(root, LintOptions(use_cache=False))
    assert result.findings == full.findings


def test_every_rule_declares_its_scope() -> None:
    """An undeclared scope is WORKSPACE (safe); every rule says which it is, on purpose."""
    for rule in RULES:
        assert "SCOPE" in vars(rule) or hasattr(type(rule), "SCOPE"), rule.CODE
        assert scope_of(rule) in (Scope.DOMAIN, Scope.WORKSPACE)


def test_only_domains_that_stand_alone_are_relinted_alone() -> None:
    """A domain nested in another, around another, sharing a root or a name, or holding the
    facts folder is never modelled alone (its edits run in full)."""
    from slicegen.lint.delta import delta_roots
    from slicegen.model.discovery import DomainPlace, Layout

    def place(name: str, root: str) -> DomainPlace:
        return DomainPlace(name, root, root, name)

    domains = [
        place("a", "src/a"),
        place("b", "src/b"),
        place("inner", "src/b/inner"),
        place("c", "src/c"),
        place("c", "src/c2"),
        place("d", "src/d"),
        place("d2", "src/d"),
        place("e", "src/e"),
    ]
    layout = Layout("python", "x", domains, "src/e/facts", {}, ["src"])
    assert delta_roots(layout) == {"src/a"}


def _server(**watching: object) -> Any:
    """A stand-in for ``slicegen lsp``'s server: what :func:`slicegen.lsp.lint_root` uses."""
    from types import SimpleNamespace

    fields: dict[str, object] = {"watching_since": None, "own_watch": False, "watched": {}}
    return SimpleNamespace(
        workspace=SimpleNamespace(text_documents={}),
        published={},
        states={},
        pending={},
        polled={},
        waits={},
        told={},
        text_document_publish_diagnostics=lambda params: None,
        **(fields | watching),
    )


def _recorded(monkeypatch: pytest.MonkeyPatch) -> list[LintResult]:
    """The results of the server's lints, in order."""
    from slicegen import lsp

    results: list[LintResult] = []

    def recorded(path: Path, options: LintOptions) -> LintResult:
        results.append(run_lint(path, options))
        return results[-1]

    monkeypatch.setattr(lsp, "run_lint", recorded)
    return results


def test_the_language_server_relints_from_its_last_state(make_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``slicegen lsp`` keeps each workspace's last state and re-lints a change from it."""
    from slicegen import lsp

    root = make_tree("python")
    _age(root)
    results = _recorded(monkeypatch)
    server = _server()
    lsp.lint_root(server, root)
    rel = next(p for p in _sources(root) if "/domain/" in p)
    (root / rel).write_text((root / rel).read_text() + "\nx = 1\n", encoding="utf-8")
    lsp.lint_root(server, root)
    assert [r.relinted for r in results] == [False, True]
    assert server.states[root] is results[-1].state


def test_where_nothing_watches_the_server_polls_while_a_burst_settles(
    make_tree, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """With no watcher, the tree is stat'ed once per state, in the wait for a burst to settle,
    and the lint takes what that poll found instead of stat-ing the tree itself: its findings
    are a full run's; a disk edit made after the poll is found by the next burst's."""
    from slicegen import lsp
    from slicegen.lint import delta

    root = make_tree("python")
    _age(root)
    results = _recorded(monkeypatch)
    server = _server(own_watch=True, watched={root: None})  # its watcher could not start
    lsp.lint_root(server, root)
    domain = [p for p in _sources(root) if "/domain/" in p and p.endswith("event_v1.py")]
    crud = "\n\nclass AccountCreatedV1:\n    pass\n"
    (root / domain[0]).write_text((root / domain[0]).read_text() + crud, encoding="utf-8")
    stats = delta._stat_changes

    def unwanted(*args: object) -> None:
        raise AssertionError("the lint stat'ed the tree: the poll had done it")

    lsp._poll(server, root)  # as _settled does while it waits
    monkeypatch.setattr(delta, "_stat_changes", unwanted)
    lsp.lint_root(server, root)
    monkeypatch.setattr(delta, "_stat_changes", stats)
    assert server.polled == {}  # taken by the lint
    full = run_lint(root, LintOptions(use_cache=False)).findings
    assert results[-1].relinted and results[-1].findings == full
    assert set(full) - set(results[0].findings)  # the disk edit made a finding
    lsp._poll(server, root)
    (root / domain[1]).write_text((root / domain[1]).read_text() + crud, encoding="utf-8")
    lsp.lint_root(server, root)  # the edit came after the poll: this lint does not see it
    polls: list[Path] = []
    monkeypatch.setattr(lsp, "poll", lambda at, state: polls.append(at) or delta.poll(at, state))
    asyncio.run(lsp._settled(server, {root}))  # the next burst's poll finds it
    assert polls == [root] and results[-1].relinted
    assert results[-1].findings == run_lint(root, LintOptions(use_cache=False)).findings
    (root / domain[0]).with_name("helper.py").write_text("x = 1\n", encoding="utf-8")
    lsp._poll(server, root)
    assert server.polled[root][1] is None  # a folder changed: the lint stats the tree
    asyncio.run(lsp._settled(server, {root}))
    assert results[-1].findings == run_lint(root, LintOptions(use_cache=False)).findings


def test_a_saved_file_is_read_again_whatever_watches(make_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A save re-lints at once, with the saved file read again even when the poll (or a
    watcher's report) that the lint takes came before the save."""
    from lsprotocol import types
    from pygls.uris import from_fs_path

    from slicegen import lsp

    root = make_tree("python")
    _age(root)
    results = _recorded(monkeypatch)
    server = _server(own_watch=True, watched={root: None})
    lsp.lint_root(server, root)
    lsp._poll(server, root)
    rel = next(p for p in _sources(root) if "/domain/" in p and p.endswith("event_v1.py"))
    crud = "\n\nclass AccountCreatedV1:\n    pass\n"
    (root / rel).write_text((root / rel).read_text() + crud, encoding="utf-8")
    doc = types.TextDocumentIdentifier(uri=from_fs_path(str(root / rel)) or "")
    lsp.did_save(server, types.DidSaveTextDocumentParams(text_document=doc))
    assert results[-1].relinted
    assert results[-1].findings == run_lint(root, LintOptions(use_cache=False)).findings
    lsp._poll(server, root)
    doc = next(root.glob("design_docs/*/event-storming.md"))
    empty = "<!-- slicegen:begin slices -->\n<!-- slicegen:end slices -->\n"
    doc.write_text(empty, encoding="utf-8")  # its markers, no slice: other findings
    saved = types.TextDocumentIdentifier(uri=from_fs_path(str(doc)) or "")
    lsp.did_save(server, types.DidSaveTextDocumentParams(text_document=saved))
    full = run_lint(root, LintOptions(use_cache=False)).findings
    assert results[-1].findings == full and full != results[-2].findings


def test_a_relint_recomputes_only_the_edited_domains_parts(make_tree) -> None:  # type: ignore[no-untyped-def]
    """The workspace rules' per-domain answers (:mod:`slicegen.lint.rules.parts`) of the
    domains an edit did not touch are the earlier run's, the edited domain's are new."""
    from slicegen.lint.rules.parts import STORE

    root = make_tree("python")
    _age(root)
    first = run_lint(root)
    assert first.state is not None
    before = dict(first.state.memo[STORE]["answers"])
    rel = next(p for p in _sources(root) if p.endswith("event_v1.py"))
    edited = next(r for r in first.state.roots if rel.startswith(r + "/"))
    text = (root / rel).read_text(encoding="utf-8") + "\n\nclass AccountCreatedV1:\n    pass\n"
    result = run_lint(root, LintOptions(overlay={rel: text}, previous=first.state))
    assert result.relinted and result.state is not None
    after = result.state.memo[STORE]["answers"]
    assert {name for name, _ in after} >= {"event mentions", "evidence", "SG404"}
    assert len({part for _, part in after}) > 2  # domains and the rest
    workspace = {"event mentions", "evidence", "domain events", "SG404"}  # SG101, SG404's
    for key, answer in after.items():
        if key[0] not in workspace:
            continue
        if key[1] == edited:
            assert answer[0] is not before[key][0], key  # computed again
        else:
            assert answer is before[key], key  # the earlier run's
    full = run_lint(root, LintOptions(overlay={rel: text}, use_cache=False))
    assert result.findings == full.findings


def test_a_relint_rechecks_the_kept_boundary_records(make_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The SG5xx check is not read over the tree again after an edit: the findings stand while
    the edited file's record is the same, else the kept records are checked with its new one."""
    from slicegen.lint import boundary_rules

    root = make_tree("python")
    _age(root)
    first = run_lint(root)
    assert first.state is not None and first.state.boundary_records is not None
    gathered: list[object] = []
    real = boundary_rules.gather
    monkeypatch.setattr(
        boundary_rules, "gather", lambda *a, **k: gathered.append(a) or real(*a, **k)
    )
    rel = "src/shop/accounts/domain/activate_account/event_v1.py"
    text = (root / rel).read_text(encoding="utf-8")
    internal = "from shop.profiles.domain.establish_profile.event_v1 import Thing\n"
    for edit in ("\n" + text, internal + text, internal + text + "\nx = 1\n"):
        delta = run_lint(root, LintOptions(overlay={rel: edit}, previous=first.state))
        assert delta.relinted and delta.state is not None
        assert gathered == []  # no file but the edited one was read for the SG5xx check
        full = run_lint(root, LintOptions(overlay={rel: edit}, use_cache=False))
        gathered.clear()
        assert delta.findings == full.findings
        first = delta
    assert any(f.code.startswith("SG5") and f.path == rel for f in first.findings)
    assert first.state.boundary_records.files[rel].uses  # type: ignore[union-attr]


@pytest.mark.parametrize("in_buffer", [True, False], ids=["buffer", "saved"])
def test_an_edit_that_closes_a_domain_cycle_equals_a_full_run(make_tree, in_buffer: bool) -> None:  # type: ignore[no-untyped-def]
    """Findings about two files at once (SG503's cycle, drawn from every domain edge) come and
    go with an edit of one of them."""
    internal = "from shop.{}.domain.{}.event_v1 import Thing\n"
    back = "src/shop/profiles/domain/establish_profile/command_v1.py"
    extra = {back: internal.format("accounts", "activate_account")}
    root = make_tree("python", extra)
    _age(root)
    state = run_lint(root).state
    rel = "src/shop/accounts/domain/activate_account/event_v1.py"
    text = (root / rel).read_text(encoding="utf-8")
    forth = internal.format("profiles", "establish_profile")
    for edit in (forth + text, "\n" + forth + text, "\n" + text, text):
        overlay = {rel: edit} if in_buffer else {}
        if not in_buffer:
            (root / rel).write_text(edit, encoding="utf-8")
        delta = run_lint(root, LintOptions(overlay=overlay, previous=state))
        full = run_lint(root, LintOptions(overlay=overlay, use_cache=False))
        assert delta.relinted
        assert delta.findings == full.findings
        cycle = any(f.code == "SG503" for f in full.findings)
        assert cycle == (forth in edit)
        state = delta.state


@pytest.mark.parametrize("kept", [True, False], ids=["records-kept", "no-records"])
def test_an_edit_only_the_boundary_check_sees_equals_a_full_run(make_tree, kept: bool) -> None:  # type: ignore[no-untyped-def]
    """A function body that starts using another domain's database variable leaves the file's
    model record as it was, but not its boundary record (SG506), also when the last run kept
    no boundary records (its check ran in a worker process)."""
    from dataclasses import replace

    rel = "src/shop/accounts/infrastructure/store.py"
    body = "import os\n\n\ndef url() -> str:\n    return {}\n"
    root = make_tree("python", {rel: body.format('""')})
    _age(root)
    first = run_lint(root).state
    assert first is not None
    # a first edit in the editor: the buffer is parsed, the file on disk was not worth it
    state = run_lint(root, LintOptions(overlay={rel: body.format('"a"')}, previous=first)).state
    assert state is not None
    if not kept:
        state = replace(state, boundary_records=None)
    overlay = {rel: body.format('os.environ["SHOP_PROFILES_DATABASE_URL"]')}
    delta = run_lint(root, LintOptions(overlay=overlay, previous=state))
    full = run_lint(root, LintOptions(overlay=overlay, use_cache=False))
    assert delta.relinted
    assert any(f.code == "SG506" and f.path == rel for f in full.findings)
    assert delta.findings == full.findings


def test_boundary_records_made_after_a_run_that_kept_none(make_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A run whose SG5xx check ran in a worker keeps no per-file records; the language server
    makes them while idle (:func:`with_boundary_records`), and the next re-lint reads no other
    file for the check and equals a full run."""
    from dataclasses import replace

    from slicegen.lint import boundary_rules
    from slicegen.lint.delta import with_boundary_records

    root = make_tree("python")
    _age(root)
    first = run_lint(root).state
    assert first is not None and first.boundaries is not None
    bare = replace(first, boundary_records=None)
    state = with_boundary_records(bare)
    assert state.boundary_records is not None and state.boundaries == first.boundaries
    gathered: list[object] = []
    real = boundary_rules.gather
    monkeypatch.setattr(
        boundary_rules, "gather", lambda *a, **k: gathered.append(a) or real(*a, **k)
    )
    rel = "src/shop/accounts/domain/activate_account/event_v1.py"
    text = "from shop.profiles.domain.establish_profile.event_v1 import Thing\n" + (
        root / rel
    ).read_text(encoding="utf-8")
    delta = run_lint(root, LintOptions(overlay={rel: text}, previous=state))
    assert delta.relinted and gathered == []
    assert (
        delta.findings == run_lint(root, LintOptions(overlay={rel: text}, use_cache=False)).findings
    )
    # a file changed since the run: its findings may differ, so no records are kept
    (root / rel).write_text(text, encoding="utf-8")
    assert with_boundary_records(bare).boundary_records is None


@pytest.mark.parametrize("which", ["generated-python"])
def test_a_relint_holding_one_domains_records_equals_a_full_run(
    workspaces: dict[str, Path], scratch: Path, which: str
) -> None:
    """An event's field renamed: a re-lint from a state holding only that domain's records
    (and the rest's: :func:`slicegen.lint.delta.sealed`) reads no other and prints a full
    run's output, suppressions included (SG002 on a suppression elsewhere)."""
    from slicegen.lint.delta import sealed
    from slicegen.lint.rules.parts import root_of

    root = _copy(workspaces[which], scratch)
    python = which.endswith("python")
    sources = _sources(root)
    state = run_lint(root).state
    assert state is not None
    event = next(p for p in sources if "event" in p.rsplit("/", 1)[-1] and root_of(p, state.roots))
    owner = root_of(event, state.roots)
    assert owner is not None
    elsewhere = next(p for p in sources if root_of(p, state.roots) not in (None, owner))
    (root / elsewhere).write_text(_edit("suppress", (root / elsewhere).read_text(), python, ""))
    _age(root)
    state = run_lint(root).state
    assert state is not None
    (root / event).write_text(_edit("rename_field", (root / event).read_text(), python, ""))
    delta = run_lint(root, LintOptions(previous=sealed(state, owner)))
    full = run_lint(root, LintOptions(use_cache=False))
    assert delta.relinted
    assert any(f.code == "SG002" and f.path == elsewhere for f in full.findings)
    assert delta.findings == full.findings
    assert _output(delta) == _output(full)


def _settle(root: Path, rel: str, step: int) -> None:
    """Date a file just saved back (a different time each step): its stats are then trusted
    by the next re-lint, as a file saved a while ago."""
    old = time.time() - 30 + step
    os.utime(root / rel, (old, old))


@EXAMPLES
@given(which=TREES, steps=EDIT_STEPS)
def test_a_relint_holding_the_edited_domains_records_equals_a_full_run(
    workspaces: dict[str, Path],
    scratch: Path,
    which: str,
    steps: list[tuple[int, str, bool]],
) -> None:
    """The edits of :func:`test_relint_equals_a_full_run`, each re-linted from a state holding
    only the records of the edited file's domain and of the files in no domain standing alone
    (:func:`slicegen.lint.delta.sealed`, what a fresh process restores): it reads no other
    record (:class:`slicegen.lint.rules.parts.WholeTreeRead`: a full run would be needed) and
    prints a full ``--no-cache`` run's output. The one edit that must read other domains'
    records is :func:`test_an_edit_of_evidence_another_domain_asks_reads_its_records`'s."""
    from slicegen.lint.delta import sealed
    from slicegen.lint.rules.parts import root_of

    root = _copy(workspaces[which], scratch)
    python = which.endswith("python")
    state = run_lint(root).state
    assert state is not None
    sources = [p for p in _sources(root) if root_of(p, state.roots)]
    sources += [p for p in sources if "event" in p.rsplit("/", 1)[-1]] * 3
    overlay: dict[str, str] = {}
    for step, (index, kind, in_buffer) in enumerate(steps):
        rel = sources[index % len(sources)]
        owner = root_of(rel, state.roots)
        assert owner is not None
        _make_edit(root, overlay, rel, kind, in_buffer, python)
        if not in_buffer:
            _settle(root, rel, step)
        options = LintOptions(overlay=dict(overlay), previous=sealed(state, owner))
        delta = run_lint(root, options)  # a WholeTreeRead fails the test
        full = run_lint(root, LintOptions(overlay=dict(overlay), use_cache=False))
        assert delta.relinted, (rel, kind)
        assert delta.findings == full.findings, (rel, kind, in_buffer)
        assert _output(delta) == _output(full)
        state = run_lint(root, LintOptions(overlay=dict(overlay), previous=state)).state
        assert state is not None


def test_an_edit_of_evidence_another_domain_asks_reads_its_records(
    make_tree,  # type: ignore[no-untyped-def]
) -> None:
    """Where a sealed re-lint must read another domain's records: an edit that makes a class
    a base class (``class Special(Moved)``) when another domain defines a class of that name,
    whose answers were judged by it (a base class is no event: its CRUD name is no longer
    flagged there). An edit making a base of a name no other domain has reads none."""
    from slicegen.lint.delta import sealed
    from slicegen.lint.rules.parts import WholeTreeRead

    event = "class ThingUpdated(DomainEvent):\n    pass\n"
    files = {
        "src/shop/accounts/events/thing_updated.py": event,
        "src/shop/profiles/events/thing_updated.py": event,
    }
    root = make_tree("python", files)
    _age(root)
    state = run_lint(root).state
    assert state is not None and {"src/shop/accounts", "src/shop/profiles"} <= state.roots
    rel, other = (f"src/shop/{d}/events/thing_updated.py" for d in ("accounts", "profiles"))
    based = {rel: event + "\n\nclass Special(ThingUpdated):\n    pass\n"}
    full = run_lint(root, LintOptions(overlay=based, use_cache=False))
    assert other not in {f.path for f in full.findings if f.code == "SG101"}
    assert other in {f.path for f in state.findings if f.code == "SG101"}
    with pytest.raises(WholeTreeRead):  # profiles' ThingUpdated: no event now
        run_lint(root, LintOptions(overlay=based, previous=sealed(state, "src/shop/accounts")))
    local = {rel: event + "\n\nclass Local:\n    pass\n\n\nclass Special(Local):\n    pass\n"}
    delta = run_lint(root, LintOptions(overlay=local, previous=sealed(state, "src/shop/accounts")))
    assert delta.relinted
    assert delta.findings == run_lint(root, LintOptions(overlay=local, use_cache=False)).findings


def test_the_server_lets_go_of_an_evicted_workspaces_poll(make_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A workspace whose state the server no longer keeps (beyond ``MAX_STATES``) keeps no
    poll either: the poll holds that state too."""
    from slicegen import lsp

    root = make_tree("python")
    _age(root)
    server = _server(own_watch=True, watched={root: None})
    lsp.lint_root(server, root)
    lsp._poll(server, root)
    assert root in server.polled
    state = server.states[root]
    for n in range(lsp.MAX_STATES):
        lsp._keep_state(server, Path(f"/elsewhere/{n}"), state)
    assert root not in server.states and root not in server.polled


def test_a_code_actions_command_that_takes_too_long_is_stopped(make_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A command run for a code action that does not end in time is killed, and the editor
    is told so in one line (the server never waits on it for ever)."""
    from slicegen import lsp

    root = make_tree("python")
    told: list[str] = []
    server = _server(window_show_message=lambda params: told.append(params.message))
    monkeypatch.setattr(lsp, "COMMAND_SECONDS", 0.01)  # less than Python takes to start
    answer = lsp.run_command(server, str(root), "storm")
    assert answer["ok"] is False and "was stopped" in told[-1] and "\n" not in told[-1]

"""``remove-slice`` for the python stack: the reverse of ``add-slice``; stored events still load.

The slice's folder and its tests are removed (a file the user changed since slicegen generated it
is kept, unless forced); its registrations in the domain's modules (router, public API, state)
are removed on the syntax tree, keeping everything else and its comments. Each event module moves
to the domain's ``retired/`` package and stays registered in the router with an evolver that
leaves the state unchanged, so the events already stored still load. An old event that
``rename-event`` retired with an upcaster to one of these events is re-pointed at the moved module
and stays registered, so both type strings still load.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from slicegen import manifest
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import refusals
from slicegen.stacks.python import edits
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.reader import read_slice
from slicegen.stacks.python.registration import routes_call
from slicegen.stacks.python.restart import restarted_tests
from slicegen.stacks.python.slice_files import Renderer

if TYPE_CHECKING:
    import libcst as cst

RETIRED = "retired"
RETIRED_INIT = '''"""Events of removed slices, kept so that the events already stored still load.

Each module here is the event of a slice ``slicegen remove-slice`` removed; the router registers
it with :func:`unchanged`, so replaying a stream that holds it leaves the state as it was. Retire
one for good once no stored stream holds it (migrate or archive those streams): delete its module
and its lines in ``router.py``.
"""

from typing import TypeVar

S = TypeVar("S")


def unchanged(state: S, event: object) -> S:
    """The evolver of a retired event: the state stays as it was."""
    return state
'''


def remove_slice(cs: ChangeSet, ctx: StackContext, domain: str, name: str, force: bool) -> None:
    """Plan the removal of slice ``name`` of ``domain`` (see the module docstring)."""
    paths = PyPaths.of(ctx, domain)
    folder = paths.slice_dir(name)
    if not cs.exists(paths.slice_file(name, "command_v1")):
        raise refusals.no_slice(domain, name, f"{folder}/command_v1.py")
    info = read_slice(cs, paths, name)
    recorded = {e.event_name for e in info.events} if info else set()
    for event in sorted(recorded):
        if cs.exists(paths.fact_file(event)):  # published: its publisher goes with the slice
            refuse_if_consumed(cs, paths, event, f"slice '{name}' publishes fact '{event}', which")
    _refuse_if_followed(cs, paths, name, recorded)
    restarted = restarted_tests(cs, Renderer(ctx.root, paths), paths, name)
    generated = manifest.read(cs)
    prefix = paths.module(f"domain.{name}")
    flag = _state_flag(cs.read(paths.slice_file(name, "event_v1")) or "")
    events = _files(cs, folder, "event_v")
    router = paths.module_file("router")
    orphans = orphaned_modules(cs.read(router) or "", {prefix}, paths.module("projections"))
    files = [*_files(cs, folder), *_files(cs, paths.tests_dir(name))]
    files += [paths.read_model_file(m.rsplit(".", 1)[1]) for m in sorted(orphans)]
    upcasts = _repoint_upcasts(cs, paths, name, prefix)
    retired: list[tuple[str, str]] = []  # (module, class) of each retired event
    for rel in events:
        stem = rel.rsplit("/", 1)[1].removesuffix(".py")
        module = f"{name}_{stem}"
        text = cs.read(rel) or ""
        cs.add(paths.module_file(f"{RETIRED}/{module}"), text)
        retired.append((paths.module(f"{RETIRED}.{module}"), _event_class(text)))
    for rel in files:
        content = cs.read(rel)
        if content is None:  # removed already (a policy of the slice, by apply --prune)
            continue
        if rel not in events and manifest.user_changed(generated, rel, content) and not force:
            manifest.note_kept(cs, rel)
            continue
        cs.remove(rel)
    if retired and not cs.exists(paths.module_file(f"{RETIRED}/__init__")):
        cs.add(paths.module_file(f"{RETIRED}/__init__"), RETIRED_INIT)
    gone = {prefix, *orphans}
    for module in ("router", "__init__", "state"):
        path = paths.module_file(module)
        if cs.exists(path):
            cs.edit(path, lambda text: drop_references(text, gone, name, flag))
    if retired:
        steps: list[edits.TreeEdit] = [
            edits.add_import(paths.module(RETIRED), "unchanged", paths.app)
        ]
        for module, cls in retired:
            steps.append(edits.add_import(module, cls, paths.app))
            call = routes_call("evolve", [cls, "unchanged"])
            steps.append(edits.add_statement(call, key=("ROUTES.evolve", cls)))
        cs.edit(router, edits.apply(*steps, *upcasts, fast=False))
    for path, text in restarted.items():
        cs.edit(path, _replaced_by(text))


def _replaced_by(text: str) -> Callable[[str], str]:
    return lambda _old: text


def _repoint_upcasts(cs: ChangeSet, paths: PyPaths, name: str, prefix: str) -> list[edits.TreeEdit]:
    """The retired old events (``rename-event``) whose upcasters import the event modules of
    slice ``name``: their imports re-pointed at where those modules move in ``retired/``, and the
    router edits that register their upcasters again (removing the slice drops them)."""
    import ast

    source = re.compile(rf"^from {re.escape(prefix)}\.(event_v\d+) import ", re.MULTILINE)
    moved = rf"from {paths.module(RETIRED)}.{name}_\1 import "
    steps: list[edits.TreeEdit] = []
    for rel in _files(cs, f"{paths.package_dir()}/{RETIRED}", ""):
        text = cs.read(rel) or ""
        if not rel.endswith(".py") or not source.search(text):
            continue
        cs.edit(rel, lambda t: source.sub(moved, t))
        tree = ast.parse(text)
        functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        new_cls = next(
            (
                a.name
                for n in tree.body
                if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith(prefix + ".")
                for a in n.names
            ),
            None,
        )
        if not functions or new_cls is None:
            continue
        module = paths.module(f"{RETIRED}.{rel.rsplit('/', 1)[1].removesuffix('.py')}")
        old_cls, upcaster = _event_class(text), functions[0].name
        steps.append(edits.add_import(module, old_cls, paths.app))
        steps.append(edits.add_import(module, upcaster, paths.app))
        call = routes_call("upcast", [old_cls, new_cls, upcaster])
        steps.append(edits.add_statement(call, key=("ROUTES.upcast", old_cls, new_cls, upcaster)))
    return steps


def _files(cs: ChangeSet, folder: str, stem: str = "") -> list[str]:
    """The files below ``folder``, or its ``.py`` files whose name starts with ``stem``."""
    found = cs.files_under(folder)
    if not stem:
        return found
    return [f for f in found if f.rsplit("/", 1)[1].startswith(stem) and f.endswith(".py")]


def _event_class(source: str) -> str:
    import ast

    classes = [n.name for n in ast.parse(source).body if isinstance(n, ast.ClassDef)]
    if not classes:
        raise SlicegenError("an event module of the slice defines no class: restore it first")
    return classes[0]


def _refuse_if_followed(cs: ChangeSet, paths: PyPaths, name: str, events: set[str]) -> None:
    """An error naming the ``remove-policy`` to run first if another slice's policy follows an
    event of slice ``name`` (removing the slice would leave that policy importing nothing)."""
    folder = paths.slice_dir(name)
    places = (paths.package_dir(), folder, f"{paths.module(f'domain.{name}')}.", ".py")
    refusals.if_followed(cs, paths.domain, name, places, events)


def refuse_if_consumed(cs: ChangeSet, paths: PyPaths, event: str, what: str = "") -> None:
    """An error naming the ``remove-policy`` to run first if another domain uses ``event``'s
    fact."""
    fact = paths.fact_file(event)
    fact_module = paths.fact_module(event)
    users = [
        rel
        for rel in cs.files_under(paths.domains_dir)
        if rel.endswith(".py")
        and not rel.startswith(f"{paths.package_dir()}/")
        and rel != fact
        and fact_module in (cs.read(rel) or "")
    ]
    place = re.compile(r"/(\w+)/domain/(\w+)/[^/]+$")  # in the folder of its command's slice
    refusals.if_consumed(users, place, ".py", what, paths.domain, event)


def _state_flag(event_source: str) -> str | None:
    """The state flag ``add-slice`` added: the v1 event's name (``account_opened``)."""
    import ast

    for node in ast.parse(event_source).body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.value, ast.Constant):
                    value = item.value.value
                    if isinstance(value, str) and value.endswith(":v1"):
                        return value.removesuffix(":v1")
    return None


def _under(module: str, prefixes: set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def orphaned_modules(router: str, gone: set[str], under: str) -> set[str]:
    """The modules below ``under`` (read models) that only the statements using what ``gone``
    modules export import: removing those statements leaves them unused."""
    import libcst as cst

    tree = cst.parse_module(router)
    names: set[str] = set()
    for stmt in tree.body:
        module = _from_module(tree, stmt)
        if module is not None and _under(module, gone):
            names |= _imported(stmt)
    dropped = [s for s in tree.body if _uses(s, names) and _is_removable(s, "")]
    kept = tree.with_changes(body=[s for s in tree.body if s not in dropped])
    used = _used(kept)
    orphans = set()
    for stmt in tree.body:
        module = _from_module(tree, stmt)
        if module is None or not _under(module, {under}) or _imported(stmt) & used:
            continue
        if any(_uses(d, _imported(stmt)) for d in dropped):
            orphans.add(module)
    return orphans


def drop_references(source: str, gone: set[str], function: str, flag: str | None) -> str:
    """``source`` without what refers to the modules ``gone`` (and those below them): their
    imports, the top-level statements using what they export, the public function ``function``
    and the ``__all__`` entries of all these, and the state field ``flag``; the imports this
    leaves unused go too. Blank lines before a removed statement stay with the next one."""
    import libcst as cst

    tree = cst.parse_module(source)
    names: set[str] = set()
    for stmt in tree.body:
        module = _from_module(tree, stmt)
        if module is not None and _under(module, gone):
            names |= _imported(stmt)
    used_before = _used(tree)

    def dropped(stmt: cst.BaseStatement) -> bool:
        module = _from_module(tree, stmt)
        if module is not None:
            return _under(module, gone)
        return (_uses(stmt, names) and _is_removable(stmt, function)) or (
            isinstance(stmt, cst.FunctionDef) and stmt.name.value == function
        )

    kept = _keep(list(tree.body), dropped)
    kept = [_without_all_entries(_without_field(s, flag), {function, *names}) for s in kept]
    unused = used_before - _used(tree.with_changes(body=kept))
    final = _keep(kept, lambda s: _only_imports(tree, s, unused))
    result = tree.with_changes(body=final)
    return source if result.deep_equals(tree) else result.code


def _keep(
    body: list[cst.BaseStatement], dropped: Callable[[cst.BaseStatement], bool]
) -> list[cst.BaseStatement]:
    """``body`` without the ``dropped`` statements; the blank lines before a dropped statement
    go to the next kept one, if it has fewer."""
    kept: list[cst.BaseStatement] = []
    carried: Sequence[cst.EmptyLine] = ()
    for stmt in body:
        lines: Sequence[cst.EmptyLine] = getattr(stmt, "leading_lines", ())
        if dropped(stmt):
            if len(lines) > len(carried):
                carried = lines
            continue
        if len(carried) > len(lines):
            stmt = stmt.with_changes(leading_lines=carried)
        carried = ()
        kept.append(stmt)
    return kept


def _from_module(tree: cst.Module, stmt: cst.CSTNode) -> str | None:
    import libcst as cst

    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        node = stmt.body[0]
        if isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
            return tree.code_for_node(node.module)
    return None


def _imported(stmt: cst.CSTNode) -> set[str]:
    import libcst as cst

    names: set[str] = set()
    for node in _walk(stmt):
        if isinstance(node, cst.ImportAlias):
            local = node.asname.name if node.asname else node.name
            if isinstance(local, cst.Name):
                names.add(local.value)
    return names


def _walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    out = [node]
    for child in node.children:
        out.extend(_walk(child))
    return out


def _names_in(node: cst.CSTNode) -> set[str]:
    import libcst as cst

    return {n.value for n in _walk(node) if isinstance(n, cst.Name)}


def _uses(stmt: cst.CSTNode, names: set[str]) -> bool:
    return bool(names & _names_in(stmt))


def _is_removable(stmt: cst.CSTNode, function: str) -> bool:
    """A registration statement (a call, an assignment), or the slice's public function."""
    import libcst as cst

    if isinstance(stmt, cst.SimpleStatementLine):
        return not any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)
    return isinstance(stmt, cst.FunctionDef) and stmt.name.value == function


def _used(tree: cst.Module) -> set[str]:
    """Names used outside import statements."""
    import libcst as cst

    used: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
        ):
            continue
        used |= _names_in(stmt)
        used |= _all_entries(stmt)
    return used


def _all_entries(stmt: cst.CSTNode) -> set[str]:
    import libcst as cst

    return {
        n.evaluated_value
        for n in _walk(stmt)
        if isinstance(n, cst.SimpleString) and isinstance(n.evaluated_value, str)
    }


def _only_imports(tree: cst.Module, stmt: cst.CSTNode, unused: set[str]) -> bool:
    """A ``from`` import all of whose names became unused by the removal."""
    import libcst as cst

    if _from_module(tree, stmt) is None:
        return False
    names = _imported(stmt)
    return bool(names) and names <= unused and not isinstance(stmt, cst.FunctionDef)


def _without_all_entries(stmt: cst.BaseStatement, names: set[str]) -> cst.BaseStatement:
    """``__all__ = [...]`` without ``names``, written as ``add-slice`` writes it."""
    import libcst as cst

    from slicegen.stacks.python.edits import all_statement

    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return stmt
    assign = stmt.body[0]
    if not (
        isinstance(assign, cst.Assign)
        and _names_in(assign.targets[0]) == {"__all__"}
        and isinstance(assign.value, cst.List)
    ):
        return stmt
    values = [
        e.value.evaluated_value
        for e in assign.value.elements
        if isinstance(e.value, cst.SimpleString) and isinstance(e.value.evaluated_value, str)
    ]
    if len(values) != len(assign.value.elements) or not set(values) & names:
        return stmt
    line = all_statement([v for v in values if v not in names])
    return cst.parse_statement(line).with_changes(leading_lines=stmt.leading_lines)


def _without_field(stmt: cst.BaseStatement, flag: str | None) -> cst.BaseStatement:
    """A class without its ``flag: bool = False`` field."""
    import libcst as cst

    if flag is None or not isinstance(stmt, cst.ClassDef):
        return stmt
    inner: Sequence[cst.BaseStatement] = stmt.body.body  # type: ignore[assignment]
    kept = [
        s
        for s in inner
        if not (
            isinstance(s, cst.SimpleStatementLine)
            and len(s.body) == 1
            and isinstance(s.body[0], cst.AnnAssign)
            and _names_in(s.body[0].target) == {flag}
        )
    ]
    if len(kept) == len(inner):
        return stmt
    return stmt.with_changes(body=stmt.body.with_changes(body=kept))


def domain_places(
    cs: ChangeSet, ctx: StackContext, domain: str
) -> tuple[list[str], bool, list[str]]:
    """What ``remove-domain`` needs: the domain's slices, whether it has retired events, and
    the folders and files ``new-domain`` wrote."""
    paths = PyPaths.of(ctx, domain)
    if not cs.exists(paths.module_file("__init__")):
        raise SlicegenError(
            f"there is no domain '{domain}' ({paths.package_dir()}/__init__.py is missing): "
            "check the name"
        )
    slices = sorted({f.split("/")[-2] for f in _files(cs, paths.domain_slices_dir(), "command_v")})
    retired = _files(cs, f"{paths.package_dir()}/{RETIRED}", "")
    folders = [paths.package_dir(), paths.tests_dir(), ctx.config.storming_doc(domain)]
    return slices, bool(retired), folders

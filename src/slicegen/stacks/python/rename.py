"""``rename-event`` and ``rename-command`` for the python stack, by libcst edits.

A rename is a set of word rules (``AccountOpened`` + version -> ``AccountCreated`` + version,
``account_opened`` -> ``account_created``, ...) applied to the names, dotted module paths and
string literals of the domain's modules and tests, and to the file and folder names; comments and
everything else stay as they were. Imports of modules outside the domain (shared facts, other
domains) are left alone, and so are the names they bring in. A renamed event keeps loading: the
router maps each old type string to the new class (an alias), so stored events still replay.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from slicegen import manifest, naming
from slicegen.change_set import ChangeSet
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import refusals
from slicegen.stacks.python import edits
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.registration import routes_call
from slicegen.stacks.python.remove import RETIRED, RETIRED_INIT
from slicegen.stacks.word_rules import FACT_TOPIC, Rule, apply_rules

if TYPE_CHECKING:
    import libcst as cst


def rename_source(source: str, rules: list[Rule], inside: tuple[str, ...], app: str) -> str:
    """``source`` with ``rules`` applied to its names, module paths and strings; imports of
    modules not under one of ``inside`` (and the names they import) are kept as they are."""
    import libcst as cst

    tree = cst.parse_module(source)
    foreign: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for node in stmt.body:
                if isinstance(node, cst.ImportFrom) and node.module is not None:
                    module = tree.code_for_node(node.module)
                    if not module.startswith(inside) and not isinstance(node.names, cst.ImportStar):
                        for alias in node.names:
                            local = alias.asname.name if alias.asname else alias.name
                            if isinstance(local, cst.Name):
                                foreign.add(local.value)

    class Renamer(cst.CSTTransformer):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            module = tree.code_for_node(node.module) if node.module is not None else ""
            return module.startswith(inside)

        def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
            if original.value in foreign:
                return updated
            return updated.with_changes(value=apply_rules(updated.value, rules))

        def leave_SimpleString(
            self, original: cst.SimpleString, updated: cst.SimpleString
        ) -> cst.SimpleString:
            if FACT_TOPIC in updated.value:  # a published topic: its consumers know it by name
                return updated
            return updated.with_changes(value=apply_rules(updated.value, rules))

        def leave_FormattedStringText(
            self, original: cst.FormattedStringText, updated: cst.FormattedStringText
        ) -> cst.FormattedStringText:
            return updated.with_changes(value=apply_rules(updated.value, rules))

    renamed = tree.visit(Renamer())
    return _tidied(tree, renamed, app)


def _tidied(before: cst.Module, after: cst.Module, app: str) -> str:
    """``after`` with the imports the rename changed put back in isort's order (and wrapped),
    and a changed ``__all__`` sorted again, as ``add-slice`` writes them."""
    import libcst as cst

    from slicegen.stacks.python.edits import all_statement

    moved: list[tuple[str, str]] = []
    body: list[cst.BaseStatement] = []
    carried: Sequence[cst.EmptyLine] = ()
    for old, new in zip(before.body, after.body, strict=True):
        line = new if isinstance(new, cst.SimpleStatementLine) else None
        node = line.body[0] if line is not None and len(line.body) == 1 else None
        changed = not old.deep_equals(new)
        if (
            changed
            and isinstance(node, cst.ImportFrom)
            and node.module is not None
            and not node.relative
            and not isinstance(node.names, cst.ImportStar)
        ):
            module = after.code_for_node(node.module)
            for alias in node.names:
                entry = after.code_for_node(alias.name)
                if alias.asname is not None:
                    entry += f" as {after.code_for_node(alias.asname.name)}"
                moved.append((module, entry))
            if len(new.leading_lines) > len(carried):
                carried = new.leading_lines
            continue
        if changed and isinstance(node, cst.Assign) and isinstance(node.value, cst.List):
            target = after.code_for_node(node.targets[0].target)
            values = [e.value for e in node.value.elements]
            if target == "__all__" and all(isinstance(v, cst.SimpleString) for v in values):
                names = [str(v.evaluated_value) for v in values]  # type: ignore[attr-defined]
                sorted_all = cst.parse_statement(all_statement(names))
                new = sorted_all.with_changes(leading_lines=new.leading_lines)
        kept: cst.BaseStatement = new
        if len(carried) > len(getattr(kept, "leading_lines", ())):
            kept = kept.with_changes(leading_lines=carried)
        carried = ()
        body.append(kept)
    tree = after.with_changes(body=body)
    if not moved:
        return tree.code
    steps = [
        edits.add_import(m, e.partition(" as ")[0], app, e.partition(" as ")[2] or None)
        for m, e in moved
    ]
    return edits.apply(*steps, fast=False)(tree.code)


def rename_files(
    cs: ChangeSet, folders: list[str], rules: list[Rule], inside: tuple[str, ...], app: str
) -> int:
    """Apply ``rules`` to the python files below ``folders`` (contents and paths); the count of
    files changed. A renamed file's new path must be free."""
    changed = 0
    generated = manifest.read(cs)
    for rel in sorted({f for folder in folders for f in cs.files_under(folder)}):
        if not rel.endswith(".py"):
            continue
        text = cs.read(rel) or ""
        new_text = rename_source(text, rules, inside, app)
        head, _, name = rel.rpartition("/")
        new_rel = "/".join(apply_rules(part, rules) for part in [*head.split("/"), name])
        if new_rel != rel:
            if cs.exists(new_rel):
                raise refusals.file_taken(new_rel)
            cs.remove(rel)
            cs.add(new_rel, new_text, generated=not manifest.user_changed(generated, rel, text))
            changed += 1
        elif new_text != text:
            cs.edit(rel, _replaced_by(new_text))
            changed += 1
    return changed


def _replaced_by(text: str) -> Callable[[str], str]:
    return lambda _: text


def _event_slices(cs: ChangeSet, paths: PyPaths, event: str) -> dict[str, list[int]]:
    """The slices whose event modules declare ``event`` (any version): slice -> versions."""
    found: dict[str, list[int]] = {}
    stored = re.compile(rf"""["']{re.escape(event)}:v(\d+)["']""")
    for rel in cs.files_under(paths.domain_slices_dir()):
        name = rel.rsplit("/", 1)[1]
        if name.startswith("event_v") and name.endswith(".py"):
            for match in stored.finditer(cs.read(rel) or ""):
                found.setdefault(rel.split("/")[-2], []).append(int(match.group(1)))
    return found


def _verb_rule(cs: ChangeSet, paths: PyPaths, owner: str, old: str, new: str) -> list[Rule]:
    """``opened_to_`` -> ``created_to_`` (evolvers, projections), unless another slice's modules
    use the old prefix too (then the names stay, as they would clash)."""
    old_verb, new_verb = naming.event_short_name(old), naming.event_short_name(new)
    if old_verb == new_verb:
        return []
    for rel in cs.files_under(paths.domain_slices_dir()):
        parts = rel.split("/")
        if parts[-2] != owner and parts[-1].startswith(f"{old_verb}_to_"):
            return []
    return [Rule.word(f"{old_verb}_to_", f"{new_verb}_to_", prefix_only=True)]


def _phrase_rules(old: str, new: str) -> list[Rule]:
    """``account opened`` -> ``account created`` (and capitalised), for docstrings."""
    old_words, new_words = " ".join(naming.words(old)), " ".join(naming.words(new))
    return [
        Rule.word(old_words, new_words),
        Rule.word(old_words.capitalize(), new_words.capitalize()),
    ]


def rename_event(cs: ChangeSet, ctx: StackContext, domain: str, old: str, new: str) -> None:
    """Plan renaming event ``old`` of ``domain`` to ``new`` (see the module docstring)."""
    paths = PyPaths.of(ctx, domain)
    slices = _event_slices(cs, paths, old)
    if not slices:
        raise refusals.no_event(domain, old)
    if _event_slices(cs, paths, new):
        raise refusals.event_taken(domain, new)
    owner = sorted(slices)[0]
    rules = [
        Rule.pascal(naming.to_pascal(old), naming.to_pascal(new), r"V\d+"),
        Rule.pascal(naming.to_pascal(old), naming.to_pascal(new)),
        Rule.word(old, new),
        *_verb_rule(cs, paths, owner, old, new),
        *_phrase_rules(old, new),
    ]
    originals = {
        paths.slice_file(name, f"event_v{version}"): cs.read(
            paths.slice_file(name, f"event_v{version}")
        )
        or ""
        for name, versions in slices.items()
        for version in versions
    }
    inside = (paths.module(""),)
    rename_files(cs, [paths.package_dir(), paths.tests_dir()], rules, inside, paths.app)
    _rename_document(cs, ctx, domain, rules)
    _keep_old_events(cs, paths, originals, old, new)


def _keep_old_events(
    cs: ChangeSet, paths: PyPaths, originals: dict[str, str], old: str, new: str
) -> None:
    """Each old event class kept in ``retired/`` (under its old type string) with an upcaster to
    the renamed class, registered in the router: stored old events load as the new ones."""
    steps: list[edits.TreeEdit] = []
    for rel, text in sorted(originals.items()):
        stem = rel.rsplit("/", 1)[1].removesuffix(".py")  # event_v1
        version = stem.removeprefix("event_v")
        old_cls = f"{naming.to_pascal(old)}V{version}"
        new_cls = f"{naming.to_pascal(new)}V{version}"
        upcaster = f"as_{naming.to_snake(new)}_v{version}"
        module = f"{old}_v{version}"
        new_module = paths.slice_module(rel.split("/")[-2], stem)
        retired = paths.module_file(f"{RETIRED}/{module}")
        if cs.exists(retired):
            raise refusals.retired_taken(retired, old)
        function = (
            f"def {upcaster}(event: {old_cls}) -> {new_cls}:\n"
            f'    """A stored {old_cls} read as the event it was renamed to."""\n'
            f"    return {new_cls}(**event.model_dump())\n"
        )
        kept = edits.apply(
            edits.add_import(new_module, new_cls, paths.app),
            edits.add_function(function, upcaster),
            fast=False,
        )(_retired_docstring(text, old_cls, new_cls))
        cs.add(retired, kept)
        steps.append(edits.add_import(paths.module(f"{RETIRED}.{module}"), old_cls, paths.app))
        steps.append(edits.add_import(paths.module(f"{RETIRED}.{module}"), upcaster, paths.app))
        call = routes_call("upcast", [old_cls, new_cls, upcaster])
        steps.append(edits.add_statement(call, key=("ROUTES.upcast", old_cls, new_cls, upcaster)))
    if not cs.exists(paths.module_file(f"{RETIRED}/__init__")):
        cs.add(paths.module_file(f"{RETIRED}/__init__"), RETIRED_INIT)
    cs.edit(paths.module_file("router"), edits.apply(*steps, fast=False))


def _retired_docstring(text: str, old_cls: str, new_cls: str) -> str:
    """The old event module, its one-line docstring saying why it is kept."""
    first, _, rest = text.partition("\n")
    if first.startswith('"""') and first.endswith('"""') and len(first) > 6:
        return f'"""{old_cls}, renamed {new_cls}: kept so that stored events load."""\n{rest}'
    return text


def rename_command(cs: ChangeSet, ctx: StackContext, domain: str, old: str, new: str) -> None:
    """Plan renaming command (slice) ``old`` of ``domain`` to ``new``: its folder, classes,
    handler, public function and tests; commands are not stored, so no alias is needed."""
    paths = PyPaths.of(ctx, domain)
    if not cs.exists(paths.slice_file(old, "command_v1")):
        raise refusals.no_slice(domain, old, f"{paths.slice_dir(old)}/command_v1.py")
    if cs.files_under(paths.slice_dir(new)):
        raise refusals.slice_taken(domain, new)
    rules = [
        Rule.pascal(naming.to_pascal(old), naming.to_pascal(new), r"V\d+"),
        Rule.word(old, new),
        *_phrase_rules(old, new),
    ]
    inside = (paths.module(""),)
    rename_files(cs, [paths.package_dir(), paths.tests_dir()], rules, inside, paths.app)
    _rename_document(cs, ctx, domain, rules)


def _rename_document(cs: ChangeSet, ctx: StackContext, domain: str, rules: list[Rule]) -> None:
    """The storming document's own words (its derived sections are refreshed afterwards)."""
    doc = ctx.config.storming_doc(domain)
    text = cs.read(doc)
    if text is not None and apply_rules(text, rules) != text:
        cs.edit(doc, lambda t: apply_rules(t, rules))

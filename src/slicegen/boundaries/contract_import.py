"""Importing an existing boundary contract into ``[lint.boundaries]`` (for ``init --detect``).

Reads sasa1977's ``use Boundary, deps: [...], exports: [...]`` declarations in ``lib/`` and
ArchTest's modulith calls in test files: ``define_slices(orders: "MyApp.Orders", ...)`` (or a
``@slices [...]`` attribute), ``allow_dependency(:orders, :accounts)``,
``should_not_depend_on_each_other()``, ``define_layers(web: "...", ...)`` (top first) and
``define_onion(domain: "...", ...)`` (innermost first). Text only: the calls are plain lists.
"""

from __future__ import annotations

import re
from pathlib import Path

from slicegen import naming
from slicegen.model.boundary_decl import declarations
from slicegen.model.discovery import is_test_folder
from slicegen.model.domains import SNIPPET_FOLDERS
from slicegen.safe_files import UnsafePath, read_regular, walk_down

PRUNE = frozenset({"_build", "deps", "node_modules", ".git", "cover", ".elixir_ls"})
#: ``name: "Module"``; a name starts a word (one scan per word: no rescan from each letter)
_PAIR = re.compile(r"(?<!\w)(\w+):\s*\"([^\"]+)\"")
_CALL = r"{name}\s*\(([^()]*)\)"
_ALLOW = re.compile(r"allow_dependency\(\s*:(\w+)\s*,\s*:(\w+)\s*\)")
_SLICES_ATTR = re.compile(r"@(\w+)\s+\[([^\]]*)\]")


def detect_contracts(root: Path) -> dict[str, object]:
    """The ``[lint.boundaries]`` keys that the tree's Boundary and ArchTest contracts say
    (empty when it has none): ``namespaces``, ``allow``, ``exports``, ``strict``, ``layers``."""
    namespaces: dict[str, str] = {}
    allow: dict[str, list[str]] = {}
    exports: dict[str, list[str]] = {}
    layers: list[str] = []
    strict = False
    declared: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for path, text in _sources(root):
        if path.suffix == ".ex" and "use Boundary" in text:
            declared += [(d.module, d.deps, d.exports) for d in declarations(text)]
        if path.suffix == ".exs" and "ArchTest" in text:
            found = _archtest(text)
            for name, module in found["slices"]:
                namespaces.setdefault(name, module)
            for a, b in found["allow"]:
                allow.setdefault(a, [])
                if b not in allow[a]:
                    allow[a].append(b)
            strict = strict or bool(found["strict"])
            layers = layers or [glob for _, glob in found["layers"]]
    names = {module: _name(module) for module, _, _ in declared}
    for module, deps, exported in declared:
        name = names[module]
        namespaces.setdefault(name, module)
        targets = [names[d] for d in deps if d in names and names[d] != name]
        if targets:
            allow.setdefault(name, [])
            allow[name] += [t for t in targets if t not in allow[name]]
        if exported:
            exports[name] = list(exported)
    out: dict[str, object] = {}
    if namespaces:
        out["namespaces"] = dict(sorted(namespaces.items()))
    if allow:
        out["allow"] = {k: sorted(v) for k, v in sorted(allow.items())}
    if exports:
        out["exports"] = dict(sorted(exports.items()))
    if strict:
        out["strict"] = True
    if layers:
        out["layers"] = layers
    return out


def _name(module: str) -> str:
    """A domain's name from its module: ``MyApp.Orders`` -> ``orders``."""
    return naming.to_snake(module.rsplit(".", 1)[-1])


def _archtest(text: str) -> dict[str, list[tuple[str, str]]]:
    """What one ArchTest file declares."""
    # Searched up to the last "]": an "@a [" with no "]" after it would be scanned to the end
    # again from each one, quadratic in a planted file.
    lists = _SLICES_ATTR.finditer(text, 0, text.rfind("]") + 1)
    attributes = {m.group(1): m.group(2) for m in lists}
    slices: list[tuple[str, str]] = []
    for args in re.findall(_CALL.format(name="define_slices"), text):
        reference = re.fullmatch(r"\s*@(\w+)\s*", args)
        body = attributes.get(reference.group(1), "") if reference else args
        slices += _PAIR.findall(body)
    allow = _ALLOW.findall(text)
    layers: list[tuple[str, str]] = []
    for args in re.findall(_CALL.format(name="define_layers"), text):
        layers += _PAIR.findall(args)
    for args in re.findall(_CALL.format(name="define_onion"), text):
        layers += list(reversed(_PAIR.findall(args)))  # innermost first: layers are top first
    strict = [("", "")] if "should_not_depend_on_each_other" in text else []
    return {"slices": slices, "allow": allow, "layers": layers, "strict": strict}


def _sources(root: Path) -> list[tuple[Path, str]]:
    """Each ``.ex`` and ``.exs`` file below ``root`` with its text: tool folders and top-level
    snippet folders (``demos/``, ``examples/``) pruned, a test folder's ``.exs`` only, symlinks
    not followed."""
    out: list[tuple[Path, str]] = []
    for folder, dirs, files in walk_down(root):  # a loop: folders may nest thousands deep
        top = Path(folder) == root
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in PRUNE and not d.startswith(".") and not (top and d in SNIPPET_FOLDERS)
        )
        tests = is_test_folder(Path(folder).relative_to(root).as_posix())
        for name in sorted(files):
            # a test's fixture modules `use Boundary` as the test needs (the library's own
            # tests): only the ArchTest calls of a test file are the app's contracts
            if not name.endswith(".exs" if tests else (".ex", ".exs")):
                continue
            path = Path(folder) / name
            try:
                text = read_regular(path)[0].decode("utf-8", errors="replace")
            except (OSError, UnsafePath):
                continue
            out.append((path, text))
    return out

"""Registering slices in a domain's ``router.py``, ``state.py`` and public ``__init__.py``.

Every registration is an idempotent libcst edit (see :mod:`edits`): re-running adds nothing, and
the user's comments and formatting stay as they are. A command collects its edits in one
:class:`Registrations` so that each file is parsed and printed once.
"""

from __future__ import annotations

import ast

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.naming import to_pascal
from slicegen.stacks.python import edits
from slicegen.stacks.python.paths import PyPaths, aggregate_of
from slicegen.stacks.python.pysource import annotation, call, field_imports
from slicegen.stacks.python.slice_files import SliceNames, business_function, business_imports


def domain_aggregate(cs: ChangeSet, paths: PyPaths) -> str:
    """The domain's aggregate, or an error saying to create the domain first."""
    if not cs.exists(paths.module_file("router")):
        raise SlicegenError(
            f"domain '{paths.domain}' does not exist ({paths.module_file('router')} is missing): "
            f"run 'slicegen new-domain {paths.domain}' first"
        )
    return aggregate_of(cs.read(paths.module_file("state")), paths.domain)


def routes_call(method: str, args: list[str]) -> str:
    return call(f"ROUTES.{method}", args)


class Registrations:
    """Edits of existing modules, by file, applied to the change set by :meth:`apply`."""

    def __init__(self, cs: ChangeSet) -> None:
        self._cs = cs
        self._edits: dict[str, list[edits.TreeEdit]] = {}
        self._bindings: dict[str, dict[str, tuple[str, str]]] = {}

    def add(self, path: str, *steps: edits.TreeEdit) -> None:
        self._edits.setdefault(path, []).extend(steps)

    def route(
        self, paths: PyPaths, imports: list[tuple[str, str]], method: str, args: list[str]
    ) -> None:
        """Import ``imports`` into router.py and add ``ROUTES.<method>(<args>)``.

        A name that the router already imports from another module (two slices' evolvers
        ``activated_to_state_v1``) is imported under an alias prefixed with its slice.
        """
        path = paths.module_file("router")
        bound = self._bound(path)
        local: dict[str, str] = {}
        steps = []
        for module, name in imports:
            alias = self._local_name(bound, module, name)
            local[name] = alias
            bound[alias] = (module, name)
            steps.append(
                edits.add_import(module, name, paths.app, None if alias == name else alias)
            )
        call_args = [local.get(arg, arg) for arg in args]
        key = (f"ROUTES.{method}", *call_args)
        self.add(path, *steps, edits.add_statement(routes_call(method, call_args), key=key))

    def _bound(self, path: str) -> dict[str, tuple[str, str]]:
        """Local name -> (module, name) of the router's ``from`` imports, planned ones included."""
        if path not in self._bindings:
            bound: dict[str, tuple[str, str]] = {}
            try:
                tree = ast.parse(self._cs.read(path) or "")
            except SyntaxError:
                tree = ast.Module(body=[], type_ignores=[])
            for node in tree.body:
                if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    for alias in node.names:
                        bound[alias.asname or alias.name] = (node.module, alias.name)
            self._bindings[path] = bound
        return self._bindings[path]

    @staticmethod
    def _local_name(bound: dict[str, tuple[str, str]], module: str, name: str) -> str:
        for local, origin in bound.items():
            if origin == (module, name):
                return local
        if name not in bound:
            return name
        owner = module.split(".")[-2] if "." in module else module
        prefix = to_pascal(owner) if name[:1].isupper() else owner
        candidate = f"{prefix}{name}" if name[:1].isupper() else f"{prefix}_{name}"
        return candidate

    def apply(self, cs: ChangeSet) -> None:
        for path, steps in self._edits.items():
            cs.edit(path, edits.apply(*steps))
        self._edits.clear()


def register_slice(reg: Registrations, n: SliceNames) -> None:
    """The slice's handler and evolver in the router, its flag in the state."""
    reg.route(
        n.paths,
        [(n.module(f"command_{n.v}"), n.command_class), (n.module(n.handler), n.handler)],
        "handle",
        [n.command_class, n.handler],
    )
    reg.route(
        n.paths,
        [(n.module(f"event_{n.v}"), n.event_class), (n.module(n.evolver), n.evolver)],
        "evolve",
        [n.event_class, n.evolver],
    )
    state = n.paths.module_file("state")
    reg.add(state, edits.add_class_field(n.state_class, f"{n.flag}: bool = False", n.flag))


def register_projection(
    reg: Registrations, n: SliceNames, read_model: str, read_model_class: str
) -> None:
    name = n.projection(read_model)
    reg.route(
        n.paths,
        [
            (n.module(f"event_{n.v}"), n.event_class),
            (n.module(name), name),
            (n.paths.read_model_module(read_model), read_model_class),
        ],
        "project",
        [read_model_class, n.event_class, name],
    )
    api = n.paths.module_file("__init__")
    module = n.paths.read_model_module(read_model)
    reg.add(
        api,
        edits.add_import(module, read_model_class, n.paths.app),
        edits.add_to_all(read_model_class),
    )
    # Typed, the event's fields read back from the stored JSON as they were projected (a uuid
    # as a UUID, not a str); optional, as the record may start from another event.
    reg.add(
        n.paths.read_model_file(read_model),
        *(edits.add_import(m, name, n.paths.app) for m, name in field_imports(n.fields)),
        *(
            edits.add_class_field(
                read_model_class,
                f"{spec.name}: {annotation(spec.type).removesuffix(' | None')} | None = None",
                spec.name,
            )
            for spec in n.fields
        ),
    )


def add_business_function(cs: ChangeSet, reg: Registrations, n: SliceNames) -> None:
    """The slice's function in the domain's public API (unless it has one already)."""
    path = n.paths.module_file("__init__")
    if defines_function(cs.read(path) or "", n.command):
        return
    steps = [edits.add_import(m, name, n.paths.app) for m, name in business_imports(n)]
    reg.add(
        path,
        *steps,
        edits.add_function(business_function(n), n.command),
        edits.add_to_all(n.command),
    )


def top_functions(source: str, name: str) -> list[ast.FunctionDef]:
    """The top-level definitions of function ``name`` in ``source`` (none if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name]


def defines_function(source: str, name: str) -> bool:
    """True if ``source`` defines the top-level function ``name``."""
    return bool(top_functions(source, name))

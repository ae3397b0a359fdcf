"""Registering slices in a domain's ``router.py``, ``state.py`` and public ``__init__.py``.

Every registration is an idempotent libcst edit (see :mod:`edits`): re-running adds nothing, and
the user's comments and formatting stay as they are.
"""

from __future__ import annotations

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.stacks.python import edits
from slicegen.stacks.python.paths import PyPaths, aggregate_of
from slicegen.stacks.python.pysource import call
from slicegen.stacks.python.slice_files import SliceNames, business_function, business_imports


def domain_aggregate(cs: ChangeSet, paths: PyPaths) -> str:
    """The domain's aggregate, or an error saying to create the domain first."""
    if not cs.exists(paths.module_file("router")):
        raise SlicegenError(
            f"domain '{paths.domain}' does not exist ({paths.module_file('router')} is missing): "
            f"run 'slicegen new-domain {paths.domain}' first"
        )
    return aggregate_of(cs.read(paths.module_file("state")), paths.domain)


def register(cs: ChangeSet, paths: PyPaths, imports: list[tuple[str, str]], call_code: str) -> None:
    """Import ``imports`` into router.py and add the ``ROUTES...`` statement ``call_code``."""
    path = paths.module_file("router")
    steps = [edits.add_import(module, name, paths.app, path) for module, name in imports]
    cs.edit(path, edits.chain(*steps, edits.add_statement(call_code, path)))


def routes_call(method: str, args: list[str]) -> str:
    return call(f"ROUTES.{method}", args)


def register_slice(cs: ChangeSet, n: SliceNames) -> None:
    """The slice's handler and evolver in the router, its flag in the state."""
    register(
        cs,
        n.paths,
        [(n.module(f"command_{n.v}"), n.command_class), (n.module(n.handler), n.handler)],
        routes_call("handle", [n.command_class, n.handler]),
    )
    register(
        cs,
        n.paths,
        [(n.module(f"event_{n.v}"), n.event_class), (n.module(n.evolver), n.evolver)],
        routes_call("evolve", [n.event_class, n.evolver]),
    )
    state = n.paths.module_file("state")
    cs.edit(state, edits.add_class_field(n.state_class, f"{n.flag}: bool = False", n.flag, state))


def register_projection(
    cs: ChangeSet, n: SliceNames, read_model: str, read_model_class: str
) -> None:
    name = n.projection(read_model)
    register(
        cs,
        n.paths,
        [
            (n.module(f"event_{n.v}"), n.event_class),
            (n.module(name), name),
            (n.paths.read_model_module(read_model), read_model_class),
        ],
        routes_call("project", [f"{read_model_class}()", n.event_class, name]),
    )


def add_business_function(cs: ChangeSet, n: SliceNames) -> None:
    """The slice's function in the domain's public API."""
    path = n.paths.module_file("__init__")
    if _defines_function(cs.read(path) or "", n.command):
        return
    steps = [edits.add_import(m, name, n.paths.app, path) for m, name in business_imports(n)]
    cs.edit(
        path,
        edits.chain(
            *steps,
            edits.add_function(business_function(n), n.command, path),
            edits.add_to_all(n.command, path),
        ),
    )


def _defines_function(source: str, name: str) -> bool:
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(isinstance(node, ast.FunctionDef) and node.name == name for node in tree.body)

"""Resolving the import data readers record into absolute module names."""

from __future__ import annotations

from slicegen.model.workspace import ImportRef, WorkspaceModel


def python_targets(model: WorkspaceModel, path: str, ref: ImportRef) -> list[str]:
    """Absolute dotted names an import refers to: the module, and ``module.name`` per name.

    ``from ..accounts import x`` in ``shop/profiles/app.py`` -> ``shop.accounts``,
    ``shop.accounts.x``.
    """
    module = ref.module
    if ref.level:
        own = model.python_modules.get(path, "")
        package = own if path.endswith("__init__.py") else own.rpartition(".")[0]
        parts = package.split(".") if package else []
        keep = len(parts) - (ref.level - 1)
        base = ".".join(parts[: max(keep, 0)])
        module = f"{base}.{module}" if base and module else (base or module)
    if ref.kind == "from":
        return [module, *(f"{module}.{n}" for n in ref.names if n != "*")]
    return [module]


def elixir_targets(ref: ImportRef) -> list[str]:
    """The module an Elixir reference names (aliases already expanded by the reader)."""
    return [ref.module]

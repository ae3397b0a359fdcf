"""The one list of stacks: each name, its conventions and (imported on demand) its scaffolder.

A new stack is a package ``slicegen.stacks.<name>`` with a ``conventions`` module (``CONVENTIONS``)
and a ``scaffolder`` module (``SCAFFOLDER``), and one more name in :data:`StackName`.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from slicegen.stacks.conventions import Conventions

#: The stacks slicegen knows, in the order help texts list them (the first is the default).
StackName = Literal["python", "elixir"]
STACK_NAMES: tuple[StackName, ...] = get_args(StackName)


def is_stack(name: object) -> bool:
    """Whether ``name`` is one of :data:`STACK_NAMES`."""
    return name in STACK_NAMES


def spelled() -> str:
    """The stacks as a help text or an error message lists them: ``'python' or 'elixir'``."""
    quoted = [f"'{name}'" for name in STACK_NAMES]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


@cache
def conventions(name: str) -> Conventions:
    """The conventions of the stack ``name`` (a KeyError for an unknown stack); remembered, as
    the boundary check asks once per file."""
    if not is_stack(name):
        raise KeyError(name)
    module = importlib.import_module(f"slicegen.stacks.{name}.conventions")
    found: Conventions = module.CONVENTIONS
    return found


@cache
def source_suffixes() -> dict[str, StackName]:
    """Every stack's source suffix, with the stack whose files have it."""
    return {suffix: name for name in STACK_NAMES for suffix in conventions(name).source_suffixes}


def language_of(path: str) -> StackName | None:
    """The stack whose source files end like ``path``, or None."""
    dot = path.rfind(".")
    return source_suffixes().get(path[dot:]) if dot >= 0 else None

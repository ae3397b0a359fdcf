"""Where the python stack's files go, and the names of the things in them.

The folders come from the stack's :data:`~slicegen.stacks.python.conventions.CONVENTIONS`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slicegen import naming
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.python.conventions import CONVENTIONS


@dataclass(frozen=True)
class PyPaths:
    """Paths (relative to the workspace root) and module names of one domain."""

    app: str
    domain: str
    domains_dir: str
    facts_dir: str

    @classmethod
    def of(cls, ctx: StackContext, domain: str) -> PyPaths:
        return cls(
            app=ctx.config.require_scaffold()[1],
            domain=domain,
            domains_dir=ctx.config.resolved_domains_dir().rstrip("/"),
            facts_dir=ctx.config.resolved_facts_dir().rstrip("/"),
        )

    # files -----------------------------------------------------------------------------------
    def package_dir(self) -> str:
        return CONVENTIONS.domain_code(self.domains_dir, self.app, self.domain)

    def module_file(self, name: str) -> str:
        return f"{self.package_dir()}/{name}{CONVENTIONS.ext}"

    def domain_slices_dir(self) -> str:
        return CONVENTIONS.slices_dir(self.domains_dir, self.app, self.domain)

    def slice_dir(self, slice_name: str) -> str:
        return f"{self.domain_slices_dir()}/{slice_name}"

    def slice_file(self, slice_name: str, stem: str) -> str:
        return CONVENTIONS.slice_file(self.domains_dir, self.app, self.domain, slice_name, stem)

    def read_model_file(self, read_model: str) -> str:
        return f"{self.package_dir()}/projections/{read_model}{CONVENTIONS.ext}"

    def tests_dir(self, slice_name: str | None = None) -> str:
        base = f"tests/{self.domain}"
        return f"{base}/{slice_name}" if slice_name else base

    def fact_dir(self) -> str:
        return f"{self.facts_dir}/{self.domain}"

    def fact_file(self, event: str, version: int = 1) -> str:
        return f"{self.fact_dir()}/{CONVENTIONS.fact_file_name(event, version)}"

    # modules ---------------------------------------------------------------------------------
    def _module(self, path: str) -> str:
        rel = path.removesuffix(CONVENTIONS.ext)
        if rel.startswith("src/"):
            rel = rel[len("src/") :]
        return rel.replace("/", ".")

    def package(self) -> str:
        return self._module(self.package_dir())

    def package_import(self) -> tuple[str, str]:
        """``from shop import accounts`` as (module, name)."""
        parent, _, name = self.package().rpartition(".")
        return parent, name

    def module(self, name: str) -> str:
        return f"{self.package()}.{name}"

    def slice_module(self, slice_name: str, stem: str) -> str:
        return self._module(self.slice_file(slice_name, stem))

    def read_model_module(self, read_model: str) -> str:
        return self._module(self.read_model_file(read_model))

    def fact_module(self, event: str, version: int = 1) -> str:
        return self._module(self.fact_file(event, version))

    def shared(self, name: str) -> str:
        return f"{self.app}.shared.{name}"


def aggregate_of(state_source: str | None, domain: str) -> str:
    """The aggregate's snake name, from the ``class <Aggregate>State`` in state.py."""
    if state_source:
        match = re.search(r"^class (\w+)State\(", state_source, re.MULTILINE)
        if match:
            return naming.to_snake(match.group(1))
    return domain

"""Where a domain's code lives, by the conventions of its stack (for the code-structure tree).

The tree in the storming document is drawn from the design model and these conventions (the file
names of ``CONVENTIONS.md``), not from a directory listing: so ``new-domain`` can write a document
that ``slicegen storm --check`` already finds current, and the tree changes only with the design.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slicegen.config import Config, find_config, validated
from slicegen.stacks import artifacts, registry
from slicegen.stacks.conventions import Conventions


@dataclass(frozen=True)
class Layout:
    """A workspace's stack, app and the folders its domains and facts live in."""

    stack: str
    app: str
    domains_dir: str
    facts_dir: str

    @classmethod
    def of(cls, config: Config) -> Layout:
        stack, app = config.require_scaffold()
        return cls(
            stack,
            app,
            config.resolved_domains_dir().rstrip("/"),
            config.resolved_facts_dir().rstrip("/"),
        )

    @classmethod
    def default(cls, stack: str, app: str, workspace_root: Path | None = None) -> Layout:
        """The layout of the workspace at ``workspace_root`` if configured, else the default."""
        if workspace_root is not None:
            found = find_config(workspace_root) if workspace_root.exists() else None
            if found is not None and found[1].stack == stack and found[1].app == app:
                return cls.of(found[1])
        config = validated({"stack": stack, "app": app})
        return cls.of(config)

    @property
    def conventions(self) -> Conventions:
        """The file conventions of the layout's stack."""
        return registry.conventions(self.stack)

    @property
    def ext(self) -> str:
        return self.conventions.ext

    def domain_root(self, domain: str) -> str:
        """The folder the domain's tree is drawn from."""
        return self.conventions.drawn_root(self.domains_dir, self.app, domain)

    def facts_root(self, domain: str) -> str:
        return f"{self.facts_dir}/{domain}/"

    def fact_file(self, event: str) -> str:
        return self.conventions.fact_file_name(event)

    def command_file(self, domain: str, command: str, version: int = 1) -> str:
        """Where a slice's command module is (relative to the workspace root)."""
        stem = artifacts.command_stem(version)
        return self.conventions.slice_file(self.domains_dir, self.app, domain, command, stem)

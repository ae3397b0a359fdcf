"""Where a domain's code lives, by the conventions of its stack (for the code-structure tree).

The tree in the storming document is drawn from the design model and these conventions (the file
names of ``CONVENTIONS.md``), not from a directory listing: so ``new-domain`` can write a document
that ``slicegen storm --check`` already finds current, and the tree changes only with the design.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slicegen.config import Config, find_config


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
        config = Config.model_validate({"stack": stack, "app": app})
        return cls.of(config)

    @property
    def ext(self) -> str:
        return ".py" if self.stack == "python" else ".ex"

    def domain_root(self, domain: str) -> str:
        """The folder the domain's tree is drawn from."""
        if self.stack == "python":
            return f"{self.domains_dir}/{domain}/"
        return f"{self.domains_dir}/{self.app}_{domain}/lib/"

    def facts_root(self, domain: str) -> str:
        return f"{self.facts_dir}/{domain}/"

    def fact_file(self, event: str) -> str:
        return f"{event}_fact_v1.py" if self.stack == "python" else f"{event}_fact.ex"

    def command_file(self, domain: str, command: str, version: int = 1) -> str:
        """Where a slice's command module is (relative to the workspace root)."""
        if self.stack == "python":
            return f"{self.domains_dir}/{domain}/domain/{command}/command_v{version}.py"
        code = f"{self.domains_dir}/{self.app}_{domain}/lib/{self.app}_{domain}"
        return f"{code}/domain/{command}/command_v{version}.ex"

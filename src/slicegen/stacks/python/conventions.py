"""The python stack's layout: ``src/<app>/<domain>/`` packages, facts in ``<app>/shared/facts``."""

from __future__ import annotations

from slicegen import naming
from slicegen.stacks.conventions import Conventions


class PythonConventions(Conventions):
    """Files of the python stack (see ``CONVENTIONS.md``, "Python stack")."""

    name = "python"
    source_suffixes = (".py",)

    def default_domains_dir(self, app: str) -> str:
        return f"src/{app}"

    def default_facts_dir(self, app: str) -> str:
        return f"src/{app}/shared/facts"

    def storming_doc(self, domains_dir: str, app: str, domain: str) -> str:
        return f"design_docs/{domain}/event-storming.md"

    def domain_code(self, domains_dir: str, app: str, domain: str) -> str:
        return f"{domains_dir}/{domain}"

    def drawn_root(self, domains_dir: str, app: str, domain: str) -> str:
        return f"{domains_dir}/{domain}/"

    def drawn_prefix(self, app: str, domain: str) -> str:
        return ""

    def domain_modules(self, app: str, domain: str, aggregate: str) -> list[tuple[str, str]]:
        return [
            ("__init__.py", "public API (the only module other domains import)"),
            ("app.py", "the domain's application: dispatch(command)"),
            ("router.py", "command -> handler, evolvers (internal)"),
            ("state.py", f"{naming.to_pascal(aggregate)}State, the aggregate's state"),
        ]

    def fact_file_name(self, event: str, version: int = 1) -> str:
        return f"{event}_fact_v{version}{self.ext}"

    def upcaster_subject(self, event: str) -> str:
        return event


CONVENTIONS = PythonConventions()

"""The elixir stack's layout: an umbrella, one ``apps/<app>_<domain>`` app per domain."""

from __future__ import annotations

from slicegen import naming
from slicegen.stacks.conventions import Conventions


class ElixirConventions(Conventions):
    """Files of the elixir stack (see ``CONVENTIONS.md``, "Elixir stack")."""

    name = "elixir"
    source_suffixes = (".ex", ".exs")

    def default_domains_dir(self, app: str) -> str:
        return "apps"

    def default_facts_dir(self, app: str) -> str:
        return f"apps/{app}_shared/lib/{app}_shared"

    def storming_doc(self, domains_dir: str, app: str, domain: str) -> str:
        return f"{domains_dir}/{app}_{domain}/design_docs/event-storming.md"

    def domain_code(self, domains_dir: str, app: str, domain: str) -> str:
        return f"{domains_dir}/{app}_{domain}/lib/{app}_{domain}"

    def drawn_root(self, domains_dir: str, app: str, domain: str) -> str:
        return f"{domains_dir}/{app}_{domain}/lib/"

    def drawn_prefix(self, app: str, domain: str) -> str:
        return f"{app}_{domain}/"

    def domain_modules(self, app: str, domain: str, aggregate: str) -> list[tuple[str, str]]:
        base = self.drawn_prefix(app, domain)
        return [
            (f"{app}_{domain}.ex", f"{naming.to_pascal(f'{app}_{domain}')}, public API"),
            *(
                (base + name, note)
                for name, note in (
                    ("application.ex", "supervision tree"),
                    ("commanded_app.ex", "CommandedApp: the one dispatch path"),
                    ("router.ex", "command -> aggregate (internal)"),
                    ("event_type_mapper.ex", "type strings <-> event modules"),
                    ("domain_api.ex", "DomainAPI, registered for discovery"),
                    ("repo.ex", "Ecto repository of the read models"),
                    (f"shared/{aggregate}.ex", f"{naming.to_pascal(aggregate)}, the aggregate"),
                )
            ),
        ]

    def fact_file_name(self, event: str, version: int = 1) -> str:
        return f"{event}_fact{self.ext}"  # facts are not versioned in their file name

    def upcaster_subject(self, event: str) -> str:
        return "event"

    def subscriber_file(self, fact_event: str) -> str | None:
        return f"integration/{fact_event}_fact_subscriber.ex"


CONVENTIONS = ElixirConventions()

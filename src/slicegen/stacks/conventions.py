"""What a stack declares once about its files: suffixes, default folders and where things go.

Each stack's ``conventions`` module holds one :class:`Conventions`; :mod:`slicegen.stacks.registry`
lists them. The scaffolders, the readers of a tree and the storming document's drawing all take
their paths from here, so a layout changes in one place. Imports nothing heavy: the lint and
``storm`` paths use it on every run.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class Conventions(ABC):
    """One stack's naming and placement of files (paths relative to the workspace root)."""

    #: The stack's name, as in ``slicegen.toml`` (``stack = "python"``).
    name: str
    #: The suffixes of its source files (the first is the one slicegen writes).
    source_suffixes: tuple[str, ...]

    @property
    def ext(self) -> str:
        """The suffix of the source files slicegen writes (``.py``, ``.ex``)."""
        return self.source_suffixes[0]

    @abstractmethod
    def default_domains_dir(self, app: str) -> str:
        """Where domains live when the config does not say (``src/<app>``, ``apps``)."""

    @abstractmethod
    def default_facts_dir(self, app: str) -> str:
        """Where the published facts live when the config does not say."""

    @abstractmethod
    def storming_doc(self, domains_dir: str, app: str, domain: str) -> str:
        """A domain's event-storming document when no ``design-docs-dir`` is set."""

    @abstractmethod
    def domain_code(self, domains_dir: str, app: str, domain: str) -> str:
        """The folder that holds a domain's ``domain/`` (slices) folder."""

    @abstractmethod
    def drawn_root(self, domains_dir: str, app: str, domain: str) -> str:
        """The folder a domain's code-structure tree is drawn from (ends with '/')."""

    @abstractmethod
    def drawn_prefix(self, app: str, domain: str) -> str:
        """:meth:`domain_code` relative to :meth:`drawn_root` ('' or ending with '/')."""

    @abstractmethod
    def domain_modules(self, app: str, domain: str, aggregate: str) -> list[tuple[str, str]]:
        """A domain's own modules, relative to :meth:`drawn_root`, each with what it is."""

    @abstractmethod
    def fact_file_name(self, event: str, version: int = 1) -> str:
        """The file name of a published fact (in the facts folder of its domain)."""

    @abstractmethod
    def upcaster_subject(self, event: str) -> str:
        """The word an upcaster's file name gives the event it upcasts."""

    def subscriber_file(self, fact_event: str) -> str | None:
        """A domain's subscriber of another domain's fact, relative to :meth:`domain_code`,
        or None when the stack subscribes without one."""
        return None

    def slices_dir(self, domains_dir: str, app: str, domain: str) -> str:
        """The folder that holds a domain's slices."""
        return f"{self.domain_code(domains_dir, app, domain)}/domain"

    def slice_file(self, domains_dir: str, app: str, domain: str, slice_: str, stem: str) -> str:
        """The file ``stem`` (e.g. ``command_v1``) of the slice ``slice_`` of a domain."""
        return f"{self.slices_dir(domains_dir, app, domain)}/{slice_}/{stem}{self.ext}"

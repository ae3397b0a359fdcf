"""Modulith boundaries (SG501-SG506): which domain uses which, and whether it may.

Pure core: :func:`check` over per-file :class:`FileDependencies` records and a :class:`DomainMap`.
:func:`run` discovers the domains, reads the files (with caches) and checks them. Nothing here
imports pydantic at import time: the config types are only annotations.
"""

from __future__ import annotations

from slicegen.boundaries.check import check
from slicegen.boundaries.collect import collect, domain_files, extract, run
from slicegen.boundaries.records import DataUse, FileDependencies, ModuleUse, Violation
from slicegen.boundaries.rules import RULES, BoundaryRule
from slicegen.model.domains import Domain, DomainMap, discover

__all__ = [
    "RULES",
    "BoundaryRule",
    "DataUse",
    "Domain",
    "DomainMap",
    "FileDependencies",
    "ModuleUse",
    "Violation",
    "check",
    "collect",
    "discover",
    "domain_files",
    "extract",
    "run",
]

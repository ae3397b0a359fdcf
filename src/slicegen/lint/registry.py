"""The rules: a plain list. A new rule or family is a module added here."""

from __future__ import annotations

from slicegen.lint.boundary_rules import LINT_RULES as BOUNDARY_RULES
from slicegen.lint.rule import Rule
from slicegen.lint.rules.docs import missing_storming_doc, storming_doc_drift
from slicegen.lint.rules.integration import (
    direct_router_dispatch,
    domain_event_leak,
    fact_placement,
    generic_topic,
    unknown_event_type,
    unmapped_policy_field,
)
from slicegen.lint.rules.names import (
    command_not_imperative,
    crud_command,
    crud_event,
    event_not_past_tense,
    event_type_string,
)
from slicegen.lint.rules.run import parse_error, suppression_without_reason, unused_suppression
from slicegen.lint.rules.structure import (
    file_module_mismatch,
    grouped_modules,
    incomplete_slice,
    misplaced_policy,
    policy_name,
    projection_name,
    slice_outside_domain_dir,
    stray_file,
    technical_folder,
)
from slicegen.lint.rules.versions import (
    event_contract,
    orphan_version,
    unregistered_retired_event,
    unversioned_file,
    version_mismatch,
    versioned_slice_dir,
)

RULES: list[Rule] = [
    parse_error,
    unused_suppression,
    suppression_without_reason,
    crud_event,
    crud_command,
    event_not_past_tense,
    command_not_imperative,
    event_type_string,
    unversioned_file,
    versioned_slice_dir,
    version_mismatch,
    orphan_version,
    event_contract,
    unregistered_retired_event,
    slice_outside_domain_dir,
    incomplete_slice,
    projection_name,
    policy_name,
    misplaced_policy,
    grouped_modules,
    file_module_mismatch,
    technical_folder,
    stray_file,
    direct_router_dispatch,
    generic_topic,
    fact_placement,
    domain_event_leak,
    unknown_event_type,
    unmapped_policy_field,
    *BOUNDARY_RULES,
    missing_storming_doc,
    storming_doc_drift,
]


def by_code() -> dict[str, Rule]:
    return {rule.CODE: rule for rule in RULES}


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by code (``SG101``, any case) or name (``crud-event``)."""
    wanted = code_or_name.strip()
    for rule in RULES:
        if wanted.upper() == rule.CODE or wanted.lower() == rule.NAME:
            return rule
    return None

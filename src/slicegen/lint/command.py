"""The ``lint``, ``rules`` and ``rule`` commands: run, filter by baseline, render, exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from slicegen.colour import use_colour
from slicegen.config import BoundariesConfig
from slicegen.errors import EXIT_FINDINGS, EXIT_OK, SlicegenError
from slicegen.lint import baseline as baseline_file
from slicegen.lint.engine import LintOptions, locate, run_lint
from slicegen.lint.fast import remember
from slicegen.lint.output import FORMATS, Report
from slicegen.lint.output.sarif import summary_of
from slicegen.lint.output.text import statistics as statistics_text
from slicegen.lint.registry import RULES, find_rule
from slicegen.model.domains import discover
from slicegen.transaction import recover_pending


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for v in values or [] for part in v.split(",") if part.strip()]


def lint(
    path: Path,
    output_format: str = "text",
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    statistics: bool = False,
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    use_cache: bool = True,
    stream: TextIO | None = None,
    parse_all: bool = False,
    since: str | None = None,
) -> int:
    """Run ``slicegen lint``; returns the exit code."""
    out = stream or sys.stdout
    if output_format not in FORMATS:
        raise SlicegenError(
            f"--format {output_format!r} is not supported: use one of {', '.join(FORMATS)}"
        )
    if not path.exists():
        raise SlicegenError(f"{path} does not exist: give a folder or file to lint")
    if since is not None:  # a commit, not a moving name: the run cache keys on it
        from slicegen.contracts.history import resolve

        since = resolve(locate(path)[0], since)
    options = LintOptions(
        select=_split(select) if select else None,
        ignore=_split(ignore),
        use_cache=use_cache,
        parse_all=parse_all,
        since=since,
    )
    root, config = locate(path)
    recover_pending(root)  # never judge a tree a killed slicegen run left half-written
    result = run_lint(path, options)
    if config is not None and config.lint.boundaries != BoundariesConfig():
        for warning in discover(root, config).warnings:  # contract entries matching nothing
            sys.stderr.write(f"warning: {warning}\n")
    findings = result.findings
    if write_baseline is not None:
        baseline_file.write(write_baseline, findings)
        out.write(f"Wrote {len(findings)} findings to {write_baseline}.\n")
        return EXIT_OK
    if baseline is not None:
        findings = baseline_file.new_findings(findings, baseline_file.read(baseline))
    report = Report(
        result.root,
        findings,
        result.rules,
        result.files_checked,
        color=output_format == "text" and use_colour(out),
    )
    if statistics and output_format == "text":
        out.write(statistics_text(report))
        return EXIT_FINDINGS if findings else EXIT_OK
    text = FORMATS[output_format](report)
    out.write(text)
    code = EXIT_FINDINGS if findings else EXIT_OK
    if use_cache and not (select or ignore or baseline or parse_all or since):
        remember(result.probe, path, output_format, report.color, text, code)
    return code


def watch_lint(
    path: Path,
    output_format: str = "text",
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    use_cache: bool = True,
) -> int:
    """``slicegen lint --watch``: see :mod:`slicegen.lint.watch`."""
    from slicegen.lint.watch import watch

    if output_format != "text":
        raise SlicegenError(
            f"--watch prints text, not {output_format!r}: drop --format, or lint once with it"
        )
    if not path.exists():
        raise SlicegenError(f"{path} does not exist: give a folder or file to lint")
    recover_pending(locate(path)[0])
    options = LintOptions(
        select=_split(select) if select else None, ignore=_split(ignore), use_cache=use_cache
    )
    return watch(path, options)


def rules_table() -> str:
    """``slicegen rules``: code, name and summary of every rule."""
    width = max(len(r.NAME) for r in RULES)
    return "".join(f"{r.CODE}  {r.NAME:<{width}}  {summary_of(r)}\n" for r in RULES)


def rule_text(code: str) -> str:
    """``slicegen rule CODE``: the rule's explanation."""
    rule = find_rule(code)
    if rule is None:
        raise SlicegenError(f"no rule '{code}': run 'slicegen rules' for the list")
    return f"# {rule.NAME} ({rule.CODE})\n\nMessage: {rule.MESSAGE}\n\n{rule.EXPLANATION}"

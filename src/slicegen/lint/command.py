"""The ``lint``, ``rules`` and ``rule`` commands: run, filter by baseline, render, exit code."""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TextIO

from slicegen.colour import use_colour
from slicegen.config import BoundariesConfig
from slicegen.errors import EXIT_FINDINGS, EXIT_OK, SlicegenError
from slicegen.lint import baseline as baseline_file
from slicegen.lint.delta import LintState
from slicegen.lint.engine import LintOptions, LintResult, locate, run_lint
from slicegen.lint.fast import Selection, Side, remember, replay_file, selection_of
from slicegen.lint.finding import Finding
from slicegen.lint.output import FORMATS, Report
from slicegen.lint.output.printable import printable
from slicegen.lint.output.sarif import summary_of
from slicegen.lint.output.text import statistics as statistics_text
from slicegen.lint.registry import RULES, find_rule
from slicegen.model.domains import discover
from slicegen.transaction import recover_pending


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for v in values or [] for part in v.split(",") if part.strip()]


P = ParamSpec("P")

#: Set by the entry point when the process ends right after the command
#: (:func:`slicegen.entry.end`): the run's result is kept here, never freed object by object.
ENDING: list[object] | None = None


def _collector_paused(command: Callable[P, int]) -> Callable[P, int]:
    """``command`` with the cyclic garbage collector paused until its objects are freed.

    :func:`run_lint` pauses it for the run; were it enabled again there, the first allocation
    after would make it scan every object of the model the result still holds (~0.09 s on a
    13,543-file tree). Once ``command`` returns, its result is freed by reference counting
    (the model holds no cycles worth collecting), and only then is the collector enabled."""

    @functools.wraps(command)
    def paused(*args: P.args, **kwargs: P.kwargs) -> int:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return command(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_collector_paused
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
    relative_to: Path | None = None,
    grow: bool = False,
    previous: LintState | None = None,
    kept: list[LintResult] | None = None,
) -> int:
    """Run ``slicegen lint``; returns the exit code. Paths are printed relative to
    ``relative_to`` (the command line's current folder), else to the workspace root. A caller
    that keeps the run's state (the lint server) gives the last one as ``previous`` and gets
    the run's result appended to ``kept``."""
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
        previous=previous,
    )
    root, config = locate(path)
    recover_pending(root)  # never judge a tree a killed slicegen run left half-written
    result = run_lint(path, options)
    if ENDING is not None:
        ENDING.append(result)
    if kept is not None:
        kept.append(result)
    for folder, why in result.unlisted.items():
        sys.stderr.write(
            f"warning: {printable(folder)}: folder not linted ({why}): move it, or exclude it "
            "with [lint] exclude\n"
        )
    if config is not None and config.lint.boundaries != BoundariesConfig():
        for warning in discover(root, config).warnings:  # contract entries matching nothing
            sys.stderr.write(f"warning: {printable(warning)}\n")
    findings = result.findings
    judged = _judged(path, result.root, result.enabled)
    for named in (baseline, write_baseline):
        if named is not None:
            baseline_file.check_place(named, result.root)
    if write_baseline is not None:
        return _write_baseline(write_baseline, findings, judged, grow, out)
    if baseline is not None:
        tolerated = baseline_file.read(baseline)
        findings = baseline_file.new_findings(findings, tolerated)
        gone = sum(baseline_file.stale(result.findings, tolerated, judged).values())
        if gone:
            entries = "entry no longer occurs" if gone == 1 else "entries no longer occur"
            sys.stderr.write(
                f"{gone} baseline {entries}: run 'slicegen lint --baseline {baseline} "
                f"--write-baseline {baseline}' to drop them\n"
            )
    shown_root = result.root
    root_paths: tuple[str, ...] = ()
    if relative_to is not None:
        root_paths = tuple(f.path for f in findings)
        findings = [f._replace(path=_shown(result.root, f.path, relative_to)) for f in findings]
        shown_root = relative_to
    report = Report(
        shown_root,
        findings,
        result.rules,
        result.files_checked,
        color=output_format == "text" and use_colour(out),
        root_paths=root_paths,
    )
    if statistics and output_format == "text":
        out.write(statistics_text(report))
        return EXIT_FINDINGS if findings else EXIT_OK
    text = FORMATS[output_format](report)
    out.write(text)
    code = EXIT_FINDINGS if findings else EXIT_OK
    if use_cache and not (baseline or parse_all or since):
        selection = selection_of(select, ignore)
        side = _side(result, selection)
        remember(result.probe, path, output_format, report.color, text, code, selection, side)
    return code


def _side(result: LintResult, selection: Selection | None) -> Side | None:
    """What lets a later run answer an edit no rule can see (:mod:`slicegen.lint.persist`)."""
    probe = result.probe
    if probe is None or probe.key is None or selection is None:
        return None
    from slicegen.lint.persist import keep, kept

    if result.state is None:  # an unchanged tree's findings: what the last run kept, if any
        return kept(probe, replay_file(selection))
    try:
        return keep(result.state, probe, replay_file(selection))
    except (OSError, ValueError):  # never fails the run: the next edit runs in full
        return None


def watch_lint(
    path: Path,
    output_format: str = "text",
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    use_cache: bool = True,
) -> int:
    """``slicegen lint --watch``: see :mod:`slicegen.lint.watch`."""
    from slicegen.lint.watch import outward_link, watch

    if output_format != "text":
        raise SlicegenError(
            f"--watch prints text, not {output_format!r}: drop --format, or lint once with it"
        )
    if not path.exists():
        raise SlicegenError(f"{path} does not exist: give a folder or file to lint")
    root = locate(path)[0]
    if (link := outward_link(root)) is not None:
        raise SlicegenError(
            f"--watch: {link[0]} is a symlink to {link[1]}, outside {root}, and the file "
            "watcher would watch all of it: remove the link, or lint without --watch"
        )
    recover_pending(root)
    options = LintOptions(
        select=_split(select) if select else None, ignore=_split(ignore), use_cache=use_cache
    )
    return watch(path, options)


def _judged(path: Path, root: Path, enabled: set[str]) -> baseline_file.Judged:
    """Whether a baseline entry is one this run judged: an enabled rule, inside ``path``."""
    resolved = path.resolve()
    scope = resolved.relative_to(root).as_posix() if resolved != root else ""

    def judged(entry: baseline_file.Key) -> bool:
        code, where, _ = entry
        inside = not scope or where == scope or where.startswith(scope + "/")
        return code in enabled and inside

    return judged


def _write_baseline(
    target: Path,
    findings: list[Finding],
    judged: baseline_file.Judged,
    grow: bool,
    out: TextIO,
) -> int:
    """Write the baseline: the findings if it is new or ``grow``, else the old one shrunk."""
    current = baseline_file.counts(findings)
    if grow or not (target.exists() or target.is_symlink()):
        old = baseline_file.read(target) if grow and target.exists() else Counter()
        entries = Counter({k: n for k, n in old.items() if not judged(k)}) + current
        baseline_file.write(target, entries)
        out.write(f"Wrote {sum(entries.values())} findings to {target}.\n")
        return EXIT_OK
    old = baseline_file.read(target)
    entries = baseline_file.shrunk(findings, old, judged)
    baseline_file.write(target, entries)
    dropped = sum(old.values()) - sum(entries.values())
    new = len(baseline_file.new_findings(findings, old))
    out.write(f"Wrote {sum(entries.values())} findings to {target} ({dropped} fixed, dropped).\n")
    if new:
        out.write(
            f"{new} new {'finding was' if new == 1 else 'findings were'} not added: fix them, "
            "or add them with --grow.\n"
        )
        return EXIT_FINDINGS
    return EXIT_OK


def _shown(root: Path, path: str, here: Path) -> str:
    """``path`` (relative to ``root``) relative to ``here``, '/'-separated, so it is clickable
    where the command was run."""
    try:
        return Path(os.path.relpath(root / path, here)).as_posix()
    except ValueError:  # another drive (Windows): the absolute path
        return (root / path).as_posix()


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

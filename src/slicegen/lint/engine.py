"""One lint run: settings -> enabled rules -> model (cached) -> findings -> suppressions.

Baseline filtering and output are the caller's (:mod:`slicegen.lint.command`).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slicegen import __version__
from slicegen.boundaries.records import Violation
from slicegen.config import Config, LintConfig, find_config, project_root
from slicegen.constants import CACHE_DIR
from slicegen.contracts.lock import LOCK_FILE
from slicegen.errors import SlicegenError
from slicegen.lint.boundary_rules import RECORDS, config_file_name, undeclared
from slicegen.lint.cache import LintCache, fingerprint
from slicegen.lint.delta import LintState, delta_roots, finish, relint, rules_store, suppressed_in
from slicegen.lint.fast import TreeProbe, stat_of, tree_key, walked
from slicegen.lint.finding import Finding
from slicegen.lint.registry import RULES
from slicegen.lint.rule import Rule, RuleContext, reads_of
from slicegen.lint.rules import parts
from slicegen.lint.selection import SLICE_RULES, enabled_codes
from slicegen.lint.words import Words
from slicegen.model.discovery import Tree, infer_layout, walk
from slicegen.model.load import (
    POOL_THRESHOLD,
    finish_load,
    idle_cores,
    plan_reads,
    read_buffer,
)
from slicegen.own_code import code_key
from slicegen.safe_files import own_folder

if TYPE_CHECKING:  # concurrent.futures (and the logging it imports) only when a pool runs
    from concurrent.futures import Future

    from slicegen.boundaries.collect import Records, Scan


@dataclass
class LintOptions:
    """What the command line may override."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    use_cache: bool = True
    workers: int | None = None
    parse_all: bool = False  # parse every source file (syntax errors everywhere; slower)
    since: str | None = None  # a commit: SG205 compares event shapes with it, not the lock
    #: unsaved editor buffers, by path relative to the workspace root: read instead of the disk
    overlay: dict[str, str] = field(default_factory=dict)
    #: an earlier run's state (``LintResult.state``): re-lint only what changed since, when safe
    previous: LintState | None = None
    #: the paths (relative to the root) a file watcher reported changed, created or deleted
    #: since ``previous``: the re-lint looks at those only (None: it stats the whole tree)
    disk_changes: frozenset[str] | None = None


@dataclass
class LintResult:
    root: Path
    findings: list[Finding]
    files_checked: int
    enabled: set[str]
    rules: list[Rule]
    cached_run: bool = False
    parsed: int = 0
    probe: TreeProbe | None = None  # how to tell, before any import, that the tree is unchanged
    state: LintState | None = None  # what a later run re-lints an edit from (not after a replay)
    relinted: bool = False  # answered from ``options.previous``, re-linting only what changed
    unlisted: dict[str, str] = field(default_factory=dict)  # folders not walked, and why


def locate(path: Path) -> tuple[Path, Config | None]:
    """The workspace root and config for ``path``: the config's folder, else the repository's
    root above ``path`` (so a subfolder gives the findings its files have in the whole tree),
    else ``path`` itself."""
    start = path.resolve()
    folder = start if start.is_dir() else start.parent
    found = find_config(folder)
    if found is None:
        return project_root(folder), None
    return found[0].parent, found[1]


def refuse_unbounded(root: Path) -> None:
    """A clear error when ``root``, where lint found no config, is the filesystem's root or the
    home folder: walking every file below (system folders, every project, mounted drives) is
    never what was meant. tach refuses any folder without its config; ruff walks it all."""
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no home folder known
        home = None
    what = "the filesystem root" if root == Path(root.anchor) else "the home folder"
    if root == Path(root.anchor) or root == home:
        raise SlicegenError(
            f"{root} is {what} and no slicegen.toml or [tool.slicegen] was found there: lint a "
            "project's folder, or add a slicegen.toml there to lint all of it"
        )


def run_lint(path: Path, options: LintOptions | None = None) -> LintResult:
    """Lint the workspace holding ``path``; findings outside ``path`` are left out.

    The cyclic garbage collector is paused meanwhile (and so in the read pool's forked workers):
    a run makes hundreds of thousands of small objects and no cycles worth collecting early,
    and each collection would scan them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_lint(path, options)
    finally:
        if enabled:
            gc.enable()


def _run_lint(path: Path, options: LintOptions | None) -> LintResult:
    options = options or LintOptions()
    root, config = locate(path)
    if config is None:
        refuse_unbounded(root)
    lint = config.lint if config is not None else LintConfig()
    select = options.select if options.select is not None else lint.select
    enabled = enabled_codes(
        RULES,
        select,
        [*lint.extend_select, *options.extend_select],
        [*lint.ignore, *options.ignore],
    )
    if not lint.slice_layout:  # the one place a tree without slices silences the slice rules
        enabled -= SLICE_RULES
    rules = [r for r in RULES if r.CODE in enabled]
    reads = reads_of(rules)  # what the loader parses for them
    names = {r.CODE: r.NAME for r in RULES}
    settings = fingerprint(
        config.as_json() if config else "",
        sorted(enabled),
        options.parse_all,
        options.since or "",
        options.use_cache,
    )
    scope = path.resolve().relative_to(root).as_posix() if path.resolve() != root else ""
    if options.previous is not None:
        state = relint(
            options.previous, root, settings, options.overlay, names, options.disk_changes
        )
        if state is not None:
            found = _within(state.findings, scope)
            return LintResult(
                root, found, len(state.model.files), enabled, rules, state=state, relinted=True
            )
    # the cache folder is made before the walk, so its folder stats already count it; one that
    # is a symlink or someone else's is not used (a planted one could send the writes elsewhere)
    use_cache = options.use_cache and own_folder(root / CACHE_DIR)
    # each selection keeps its own last run (as its replay file): a hook's --select run or a
    # watch does not take the full run's place, so neither redoes the other's work
    slot = fingerprint(sorted(enabled), options.parse_all, options.since or "")[:16]
    cache = LintCache(root, slot) if use_cache else None
    # a replay that found only a few files edited hands its walk on (no folder changed), and
    # the SG5xx violations when the edited files' boundary records are the ones they were
    handed = walked(str(root), list(lint.exclude), lint.respect_gitignore)
    tree = handed.tree if handed is not None else walk(root, lint.exclude, lint.respect_gitignore)
    judged = None
    if handed is not None and use_cache and not options.overlay:
        judged = _violations(handed.violations)
    layout = infer_layout(tree, config)
    # files besides the sources that findings depend on: storming documents, the event lock;
    # their stats are taken before anything is read (the cache key and the re-lint's state)
    read = [*layout.storming_docs.values(), LOCK_FILE]
    docs = sorted(stat_of(str(root / d)) for d in read)
    key = ""
    probe: TreeProbe | None = None
    if cache is not None:
        key = fingerprint(
            __version__,
            code_key(),
            config.as_json() if config else "",
            sorted(enabled),
            sorted(r.value for r in reads),
            options.parse_all,
            options.since or "",
            sorted(options.overlay.items()),
            tree.files,
            tree.dirs,
            sorted(tree.stats.items()),
            docs,
        )
        probe = TreeProbe(
            str(root),
            list(lint.exclude),
            lint.respect_gitignore,
            [str(root / d) for d in read],
            tree_key(tree, docs),
            config is not None,
            fingerprint(settings, code_key()),
            [rel for rel in tree.files if rel not in tree.stats],
        )
        # a caller that re-lints from a state (the server, --watch) needs a new one: no replay
        cached = cache.run_findings(key) if options.previous is None else None
        if cached is not None:
            return LintResult(
                root,
                _within(cached, scope),
                len(tree.stats),
                enabled,
                rules,
                cached_run=True,
                probe=probe,
                unlisted=tree.unlisted,
            )
    words = cache.words() if cache is not None else Words()
    warm = not words.known and bool(enabled & NAMING_RULES)
    plan = plan_reads(
        root,
        config,
        store=cache,
        reads=reads,
        parse_all=options.parse_all or bool(lint.boundaries.layers),
        tree=tree,
        layout=layout,
        workers=options.workers,
    )
    for rel, text in options.overlay.items():  # never stored: the store keys on the disk's stat
        if rel in tree.stats:
            plan.jobs = [job for job in plan.jobs if job[0] != rel]
            plan.files[rel] = read_buffer(rel, text.encode("utf-8"))
    boundaries: Future[list[Violation]] | None = None
    scan: Scan | None = None
    if judged is None and any(c.startswith("SG5") for c in enabled):
        if len(plan.jobs) >= len(plan.files):
            # the readers read most files anyway (in a pool or here): they make the boundary
            # records from the same bytes, so no file is read twice
            scan = _boundary_scan(root, config, tree, use_cache)
        else:
            boundaries = _start_boundaries(
                root, config, tree, enabled, options.workers, use_cache, options.overlay
            )
    if warm and not plan.pooled:
        # load the inflection tables while the files are read (started after any fork)
        threading.Thread(target=_warm_inflection, daemon=True).start()
    # with a pool, this process loads the inflection tables while it waits for the workers
    loaded = finish_load(plan, scan=scan, while_reading=_warm_inflection if warm else None)
    ctx = RuleContext(loaded.model, config, lint, words)
    ctx.memo["use_cache"] = use_cache  # the boundary check honours --no-cache too
    ctx.memo["contracts_since"] = options.since
    ctx.memo["read_buffer"] = options.overlay.get
    ctx.memo["buffers"] = options.overlay  # the boundary rules read them too
    if cache is not None:  # SG602 keeps its per-domain answers there
        ctx.memo["lint_cache"] = rules_store(cache, options.overlay)
    if judged is not None:
        ctx.memo["boundaries"] = judged
    elif boundaries is not None:
        with contextlib.suppress(Exception):  # a worker that failed: the rules run here instead
            ctx.memo["boundaries"] = boundaries.result()
    elif scan is not None:
        records = _boundaries_from(root, config, tree, scan, loaded.boundary, options.overlay)
        ctx.memo[RECORDS] = records
        ctx.memo["boundaries"] = records.check()
    singulars = _singulars() if "SG602" in enabled else None
    if singulars is not None:  # the drift check names aggregates after singular domain names
        singulars.update(words.singulars())
    ctx.memo[parts.STORE] = {}  # the rules' per-domain answers, for the re-lints to reuse
    memo = {**ctx.memo, "lint_cache": cache}  # what a re-lint's rule contexts start with
    raw: dict[str, list[Finding]] = {}
    for rule in rules:
        raw[rule.CODE] = [f.named(rule.NAME) for f in rule.check(ctx)]
    if singulars is not None:
        words.learn_singulars(singulars)
    suppressed = suppressed_in(loaded.model.files.values())
    findings = finish(raw, suppressed, enabled, lint, names)
    if cache is not None:
        cache.prune(set(tree.stats))
        # a run with an editor's unsaved buffers is repeated by no one: the last run's slot
        # and the rules' memos stay those of the files on disk (the command line's next run)
        cache.save(None if options.overlay else key, findings)
        cache.save_words(words)
    memo.pop("boundaries", None)
    memo.pop(RECORDS, None)
    state = LintState(
        root=root,
        key=settings,
        config=config,
        lint=lint,
        rules=rules,
        enabled=enabled,
        reads=reads,
        parse_all=options.parse_all or bool(lint.boundaries.layers),
        tree=tree,
        layout=layout,
        docs=docs,
        disk=dict(tree.stats),
        taken_ns=tree.started_ns,
        overlay=dict(options.overlay),  # source files and storming documents
        model=loaded.model,
        raw=raw,
        findings=findings,
        memo=memo,
        words=words,
        boundaries=ctx.memo.get("boundaries"),
        boundary_records=ctx.memo.get(RECORDS),
        roots=delta_roots(layout),
        boundary_stamps=handed.stamps if handed is not None and judged is not None else {},
        suppressed=suppressed,
    )
    return LintResult(
        root,
        _within(findings, scope),
        len(loaded.model.files),
        enabled,
        rules,
        parsed=loaded.parsed,
        probe=probe,
        state=state,
        unlisted=tree.unlisted,
    )


NAMING_RULES = {"SG101", "SG103", "SG104", "SG303"}


def _violations(pickled: bytes | None) -> list[Violation] | None:
    """The SG5xx violations a replay handed on (pickled by :func:`slicegen.lint.persist.keep`,
    signed with the replay record)."""
    if not pickled:
        return None
    import pickle

    found = pickle.loads(pickled)
    return found if isinstance(found, list) else None


def _start_boundaries(
    root: Path,
    config: Config | None,
    tree: Tree,
    enabled: set[str],
    workers: int | None,
    use_cache: bool = True,
    buffers: dict[str, str] | None = None,
) -> Future[list[Violation]] | None:
    """On a large tree with a free core, run the SG5xx boundary check in a worker process
    while the files are parsed (it reads the files itself; same arguments as
    :func:`slicegen.lint.boundary_rules.violations_for` gives it)."""
    count = workers if workers is not None else idle_cores()
    if (
        count <= 1
        or len(tree.stats) < POOL_THRESHOLD
        or not any(c.startswith("SG5") for c in enabled)
    ):
        return None
    from concurrent.futures import ProcessPoolExecutor

    from slicegen.boundaries.collect import run

    config, config_path = boundary_config(root, config, tree)
    pool = ProcessPoolExecutor(max_workers=1)
    future = pool.submit(
        run,
        root,
        config,
        paths=tree.files,
        config_path=config_path,
        use_cache=use_cache,
        buffers=buffers,
    )
    pool.shutdown(wait=False)
    return future


def boundary_config(root: Path, config: Config | None, tree: Tree) -> tuple[Config, str]:
    """The config the boundary check runs with, and the config file's name."""
    if config is None:  # a python app is not declared: its packages need evidence to be domains
        layout = infer_layout(tree, config)
        config = undeclared(layout.stack, layout.app)
    return config, config_file_name(root)


def _boundary_scan(root: Path, config: Config | None, tree: Tree, use_cache: bool) -> Scan:
    """What the file readers need to make the boundary records of the files they read."""
    from slicegen.boundaries.collect import Scan, reads_everything
    from slicegen.model.domains import discover

    settings, _ = boundary_config(root, config, tree)
    domains = discover(root, settings)
    everywhere = reads_everything(settings, domains)
    layers = bool(settings.lint.boundaries.layers) or everywhere
    return Scan(domains, layers=layers, use_cache=use_cache, everywhere=everywhere)


def _boundaries_from(
    root: Path,
    config: Config | None,
    tree: Tree,
    scan: Scan,
    provided: dict[str, list[Any]],
    buffers: dict[str, str] | None = None,
) -> Records:
    """The SG5xx records, from those the readers made (files they did not read, e.g.
    unreadable ones, are read here), with the same arguments as :func:`_start_boundaries`."""
    from slicegen.boundaries.collect import gather

    settings, config_path = boundary_config(root, config, tree)
    return gather(
        root,
        settings,
        paths=tree.files,
        config_path=config_path,
        use_cache=scan.use_cache,
        provided=provided,
        buffers=buffers,
    )


def _singulars() -> dict[str, str] | None:
    try:
        from slicegen.design.extract import KNOWN_SINGULARS
    except ImportError:  # the storm package is optional to the engine
        return None
    return KNOWN_SINGULARS


def _warm_inflection() -> None:
    """Load the inflection tables ahead of the naming rules (which report any failure)."""
    from slicegen import naming

    with contextlib.suppress(Exception):
        naming.is_past_participle("initialized")
        naming.past_participle("create")


def _within(findings: list[Finding], scope: str) -> list[Finding]:
    if not scope:
        return findings
    return [f for f in findings if f.path == scope or f.path.startswith(scope + "/")]

"""How long do building the workspace model and running the lint rules take, in process?

These run on every lint that is not replayed (cold, and warm after an edit). Loads the
``benchmarks/lint_speed.py`` trees (built in ``--dir`` when missing), then prints the median
thread CPU time of ``build_model`` and of the rules' ``check`` (the SG5xx boundary rules and the
SG602 drift check, measured elsewhere, left out), with the slowest rules. Before each run the
per-name caches are emptied, as a new process has them.
Run: ``python benchmarks/model_speed.py [--dir PATH] [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from slicegen import naming
from slicegen.config import LintConfig
from slicegen.lint.engine import locate
from slicegen.lint.registry import RULES
from slicegen.lint.rule import RuleContext
from slicegen.lint.words import Words
from slicegen.model import build, discovery
from slicegen.model.build import build_model
from slicegen.model.load import load_model

sys.path.insert(0, str(Path(__file__).parent))
from lint_speed import build_elixir, build_python

SKIPPED = ("SG5", "SG602")


def empty_name_caches() -> None:
    """Empty the bounded per-name caches (the unbounded ones hold inflection verdicts, which the
    lint cache keeps between runs anyway)."""
    modules: tuple[ModuleType, ...] = (naming, discovery, build)
    for module in modules:
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if info is not None and info().maxsize is not None:
                value.cache_clear()


def measure(root: Path, repeat: int, collect: bool) -> None:
    root, config = locate(root)
    lint = config.lint if config is not None else LintConfig()
    loaded = load_model(root, config)
    words = Words()
    rules = [r for r in RULES if not r.CODE.startswith(SKIPPED)]
    builds: list[float] = []
    checks: list[float] = []
    per_rule: dict[str, list[float]] = {r.CODE: [] for r in rules}
    for _ in range(repeat + 1):  # the first run fills the inflection verdicts
        empty_name_caches()
        if not collect:
            gc.disable()
        start = time.thread_time()
        model = build_model(loaded.tree, loaded.layout, loaded.model.files)
        builds.append(time.thread_time() - start)
        ctx = RuleContext(model, config, lint, words)
        total = 0.0
        for rule in rules:
            start = time.thread_time()
            list(rule.check(ctx))
            spent = time.thread_time() - start
            per_rule[rule.CODE].append(spent)
            total += spent
        checks.append(total)
        gc.enable()
    ms = lambda values: statistics.median(values[1:]) * 1000  # noqa: E731
    slow = sorted(per_rule, key=lambda c: ms(per_rule[c]), reverse=True)[:6]
    print(f"  build_model {ms(builds):6.1f} ms   rules {ms(checks):6.1f} ms  ({len(rules)} rules)")
    print("  slowest rules: " + ", ".join(f"{c} {ms(per_rule[c]):.1f}" for c in slow))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="Where the trees are (kept).")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-gc", action="store_true", help="Collect no garbage while timing.")
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="slicegen-bench-"))
    for name, make in (("python", build_python), ("elixir", build_elixir)):
        root = base / name
        count = make(root)
        print(f"{name} tree: {count} source files ({root})")
        measure(root, args.repeat, not args.no_gc)


if __name__ == "__main__":
    main()

"""Modulith boundaries: slicegen against tach and import-linter on one generated Python tree.

Builds ``src/shop/`` with DOMAINS domains (default 40) of FILES files each, plus a shared kernel;
every domain may use the public roots of the next two (``allow``); violations are planted
deterministically: internals of an allowed domain, the public root of an undeclared one, internals
of an undeclared one, some of them inside functions. The same contract is declared for the three
tools (slicegen ``[lint.boundaries]``, tach modules/depends_on/interfaces, import-linter forbidden
contracts with direct imports only); the script checks that they flag the same (file, line) pairs
and prints cold (no tool cache) and warm (after a run that filled the caches) times, medians of
--runs runs of each tool's command line in a subprocess.

Usage: ``.venv/bin/python benchmarks/boundaries.py [--domains 40] [--files 80] [--runs 5]
[--keep DIR]``. Wall and CPU times are both printed: on a loaded machine the wall times are noisy,
and tach uses several threads, so its CPU time can exceed its wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
SLICES_FILES = ("command_v1", "event_v1", "handler_v1", "evolver_v1", "projection_v1")
Pair = tuple[str, int]


def domain(i: int) -> str:
    return f"d{i:02d}"


def allowed(i: int, count: int) -> list[int]:
    return [j for j in (i + 1, i + 2) if j < count]


def build_tree(root: Path, count: int, files: int, seed: int = 7) -> set[Pair]:
    """Write the tree; return the (file, line) pairs that are planted violations."""
    rng = random.Random(seed)
    planted: set[Pair] = set()
    src = root / "src" / "shop"
    _write(src / "__init__.py", '"""The shop modulith."""\n')
    _write(src / "shared" / "__init__.py", "")
    _write(src / "shared" / "kernel.py", _KERNEL)
    slices = max(1, files // len(SLICES_FILES))
    for i in range(count):
        name = domain(i)
        base = src / name
        public = [f"api_{s:02d}" for s in range(slices)]
        init = [
            f'"""Public API of the {name} domain."""',
            "",
            "from __future__ import annotations",
            "",
        ]
        for s in range(slices):
            init.append(f"from shop.{name}.domain.s{s:02d}.handler_v1 import handle as _h{s:02d}")
        init.append("")
        for s, fn in enumerate(public):
            init += [
                "",
                f"def {fn}(payload: dict[str, object]) -> list[object]:",
                f"    return _h{s:02d}(payload)",
                "",
            ]
        _write(base / "__init__.py", "\n".join(init))
        _write(base / "domain" / "__init__.py", "")
        for s in range(slices):
            folder = base / "domain" / f"s{s:02d}"
            _write(folder / "__init__.py", "")
            for kind in SLICES_FILES:
                rel = f"src/shop/{name}/domain/s{s:02d}/{kind}.py"
                lines = _module_text(kind, name, s)
                extra = _cross_imports(rng, i, count, slices, kind)
                for text, bad, in_function in extra:
                    if in_function:
                        lines += [
                            "",
                            "",
                            "def _late() -> object:",
                            f"    {text}",
                            "    return None",
                        ]
                        lineno = len(lines) - 1
                    else:
                        lines.insert(4, text)
                        lineno = 5
                        planted = {(f, ln + 1 if f == rel and ln >= 5 else ln) for f, ln in planted}
                    if bad:
                        planted.add((rel, lineno))
                _write(root / rel, "\n".join(lines) + "\n")
    return planted


def _cross_imports(
    rng: random.Random, i: int, count: int, slices: int, kind: str
) -> list[tuple[str, bool, bool]]:
    """(import text, is a violation, inside a function) for one file."""
    out: list[tuple[str, bool, bool]] = []
    ok = allowed(i, count)
    if kind == "handler_v1" and ok:
        out.append((f"from shop.{domain(rng.choice(ok))} import api_00", False, False))
    roll = rng.random()
    others = [j for j in range(i + 3, count)]  # forward only: no cycles, so no SG503
    s = rng.randrange(slices)
    if roll < 0.03 and ok:  # internals of an allowed domain
        out.append(
            (
                f"from shop.{domain(rng.choice(ok))}.domain.s{s:02d}.event_v1 import EventV1",
                True,
                False,
            )
        )
    elif roll < 0.06 and others:  # public root of an undeclared domain
        out.append((f"from shop.{domain(rng.choice(others))} import api_00", True, False))
    elif roll < 0.08 and others:  # internals of an undeclared domain, inside a function
        out.append(
            (
                f"from shop.{domain(rng.choice(others))}.domain.s{s:02d}.command_v1 "
                "import CommandV1",
                True,
                True,
            )
        )
    return out


_KERNEL = '''"""Shared kernel: base classes every domain may use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    type: str
    data: dict[str, object]
'''


def _module_text(kind: str, name: str, s: int) -> list[str]:
    head = [
        f'"""{kind} of slice s{s:02d} in {name}."""',
        "",
        "from __future__ import annotations",
        "",
    ]
    head += [
        "import datetime",
        "from dataclasses import dataclass",
        "",
        "from shop.shared.kernel import Event",
    ]
    if kind == "command_v1":
        body = [
            "",
            "",
            "@dataclass(frozen=True)",
            "class CommandV1:",
            "    id: str",
            "    at: datetime.datetime",
        ]
    elif kind == "event_v1":
        body = [
            "",
            "",
            "@dataclass(frozen=True)",
            "class EventV1:",
            "    id: str",
            '    event_type = "thing_done:v1"',
        ]
    elif kind == "handler_v1":
        body = [
            "",
            "from .command_v1 import CommandV1",
            "from .event_v1 import EventV1",
            "",
            "",
            "def handle(payload: dict[str, object]) -> list[object]:",
            "    command = CommandV1(str(payload['id']), datetime.datetime.now())",
            "    if not command.id:",
            "        return []",
            "    return [EventV1(command.id), Event('thing_done:v1', dict(payload))]",
        ]
    elif kind == "evolver_v1":
        body = [
            "",
            "from . import event_v1",
            "",
            "",
            "def evolve(state: dict[str, object], event: event_v1.EventV1) -> dict[str, object]:",
            "    return {**state, 'id': event.id}",
        ]
    else:
        body = [
            "",
            "from ..s00 import event_v1 as first",
            "",
            "",
            "def project(rows: list[object], event: first.EventV1) -> list[object]:",
            "    return [*rows, event.id]",
        ]
    return head + body


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- the contract, declared three times ---------------------------------------------------------


def write_configs(root: Path, count: int) -> None:
    allow = ", ".join(
        f"{domain(i)} = [{', '.join(repr(domain(j)) for j in allowed(i, count))}]".replace("'", '"')
        for i in range(count)
    )
    _write(
        root / "slicegen.toml",
        f'stack = "python"\napp = "shop"\n\n[lint.boundaries]\nallow = {{ {allow} }}\n',
    )
    tach = ['source_roots = ["src"]', "exact = false", ""]
    for i in range(count):
        deps = ", ".join(f'"shop.{domain(j)}"' for j in allowed(i, count))
        tach += ["[[modules]]", f'path = "shop.{domain(i)}"', f"depends_on = [{deps}]", ""]
    tach += ["[[modules]]", 'path = "shop.shared"', "depends_on = []", "utility = true", ""]
    domains = ", ".join(f'"shop.{domain(i)}"' for i in range(count))
    tach += ["[[interfaces]]", 'expose = ["api_.*"]', f"from = [{domains}]", ""]
    _write(root / "tach.toml", "\n".join(tach))
    linter = ["[importlinter]", "root_package = shop", ""]
    for i in range(count):
        ok = allowed(i, count)
        forbidden = [f"shop.{domain(j)}" for j in range(count) if j != i and j not in ok]
        forbidden += [f"shop.{domain(j)}.**" for j in ok]
        linter += [
            f"[importlinter:contract:{domain(i)}]",
            f"name = {domain(i)} uses only the public roots of its allowed domains",
            "type = forbidden",
            f"source_modules = shop.{domain(i)}",
            "forbidden_modules =",
            *[f"    {m}" for m in forbidden],
            "allow_indirect_imports = true",
            "",
        ]
    _write(root / ".importlinter", "\n".join(linter))


# --- running and parsing ------------------------------------------------------------------------


@dataclass
class Timing:
    wall: float
    cpu: float


def _timed(argv: list[str], cwd: Path, pythonpath: str | None = None) -> tuple[Timing, str]:
    """Run a command; its wall time, its CPU time (user + system, children included), output."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu), proc.stdout + proc.stderr


def run_slicegen(root: Path, cache: bool) -> tuple[Timing, set[Pair]]:
    flags = [] if cache else ["--no-cache"]
    timing, out = _timed([sys.executable, "-m", "slicegen.boundaries", str(root), *flags], root)
    pairs = set()
    for line in out.splitlines():
        match = re.match(r"(\S+?):(\d+):\d+: SG50[1-6] ", line)
        if match:
            pairs.add((match.group(1), int(match.group(2))))
    return timing, pairs


def run_tach(root: Path, cache: bool) -> tuple[Timing, set[Pair]]:
    del cache  # tach check keeps no cache between runs
    timing, out = _timed([str(BIN / "tach"), "check", "--output", "json"], root)
    pairs: set[Pair] = set()
    data = json.JSONDecoder().raw_decode(out[out.index("[") :])[0] if "[" in out else []
    for item in _walk(data):
        if isinstance(item, dict) and "file_path" in item and "line_number" in item:
            pairs.add((str(item["file_path"]), int(item["line_number"])))
    return timing, pairs


def _walk(data: object) -> list[object]:
    found: list[object] = [data]
    if isinstance(data, dict):
        for value in data.values():
            found += _walk(value)
    elif isinstance(data, list):
        for value in data:
            found += _walk(value)
    return found


def run_import_linter(root: Path, cache: bool) -> tuple[Timing, set[Pair]]:
    argv = [str(BIN / "lint-imports"), "--no-logo"] + ([] if cache else ["--no-cache"])
    timing, out = _timed(argv, root, pythonpath=str(root / "src"))
    pairs: set[Pair] = set()
    for match in re.finditer(r"^\s*-?\s*(shop\.[\w.]+) -> (shop\.[\w.]+) \(([^)]*)\)", out, re.M):
        module = match.group(1)
        for line in re.findall(r"l\.(\d+)", match.group(3)):
            pairs.add((_module_file(root, module), int(line)))
    return timing, pairs


def _module_file(root: Path, module: str) -> str:
    rel = "src/" + module.replace(".", "/")
    return rel + "/__init__.py" if (root / rel).is_dir() else rel + ".py"


def clear_caches(root: Path) -> None:
    for name in (".slicegen_cache", ".import_linter_cache", ".tach"):
        shutil.rmtree(root / name, ignore_errors=True)


TOOLS: dict[str, Callable[[Path, bool], tuple[Timing, set[Pair]]]] = {
    "slicegen": run_slicegen,
    "tach": run_tach,
    "import-linter": run_import_linter,
}


def measure(root: Path, runs: int) -> dict[str, tuple[list[Timing], list[Timing], set[Pair]]]:
    """Per tool: cold timings (no cache), warm timings (after a run that filled the cache), and
    the findings; the tools take turns within each round so that load affects them alike."""
    results: dict[str, tuple[list[Timing], list[Timing], set[Pair]]] = {
        name: ([], [], set()) for name in TOOLS
    }
    for _ in range(runs):
        for name, tool in TOOLS.items():
            colds, warms, _ = results[name]
            clear_caches(root)
            cold, pairs = tool(root, False)
            tool(root, True)  # fills the cache a warm run reads
            warm, warm_pairs = tool(root, True)
            if warm_pairs != pairs:
                raise SystemExit(f"{name}: the warm run disagrees with the cold one")
            colds.append(cold)
            warms.append(warm)
            results[name] = (colds, warms, pairs)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--domains", type=int, default=40)
    parser.add_argument("--files", type=int, default=80, help="slice files per domain")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the tree here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="slicegen-bench-"))
    if root.exists():
        shutil.rmtree(root)
    planted = build_tree(root, args.domains, args.files)
    write_configs(root, args.domains)
    count = sum(1 for _ in (root / "src").rglob("*.py"))
    print(f"tree: {root}")
    print(f"  {args.domains} domains, {count} Python files, {len(planted)} planted violations")
    load_before = os.getloadavg()[0]
    results = measure(root, args.runs)
    load_after = os.getloadavg()[0]

    med = statistics.median
    print(f"\nmedian of {args.runs} runs; load average {load_before:.1f} -> {load_after:.1f}")
    print(f"{'tool':<15}{'cold wall':>10}{'cold cpu':>10}{'warm wall':>10}{'warm cpu':>10}")
    figures: dict[str, tuple[float, float, float, float]] = {}
    for name, (colds, warms, _) in results.items():
        row = (
            med(t.wall for t in colds),
            med(t.cpu for t in colds),
            med(t.wall for t in warms),
            med(t.cpu for t in warms),
        )
        figures[name] = row
        print(f"{name:<15}" + "".join(f"{x:>9.3f}s" for x in row))

    reference = results["slicegen"][2]
    agree = True
    for name, (_, _, pairs) in results.items():
        missing, extra = planted - pairs, pairs - planted
        ok = not missing and not extra
        agree = agree and pairs == reference
        print(f"{name}: {len(pairs)} findings, " + ("= planted" if ok else "DISAGREES"))
        for pair in sorted(missing)[:3]:
            print(f"    missed {pair[0]}:{pair[1]}")
        for pair in sorted(extra)[:3]:
            print(f"    extra  {pair[0]}:{pair[1]}")
    print("all three tools agree" if agree else "the tools DISAGREE (see above)")

    s, t, i = figures["slicegen"], figures["tach"], figures["import-linter"]
    print("\nratios, wall (cpu):")
    pairs_of_figures = [
        ("cold / tach cold", s[0] / t[0], s[1] / t[1], "<= 1.0"),
        ("cold / import-linter cold", s[0] / i[0], s[1] / i[1], "< 1.0"),
        ("warm / tach warm", s[2] / t[2], s[3] / t[3], "< 1.0"),
        ("warm / import-linter warm", s[2] / i[2], s[3] / i[3], "< 1.0"),
    ]
    for label, wall, cpu, target in pairs_of_figures:
        print(f"  slicegen {label:<26} {wall:.2f}x ({cpu:.2f}x)  target {target}")
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

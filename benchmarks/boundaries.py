"""Modulith boundaries: slicegen against tach and import-linter on one generated Python tree.

Builds ``src/shop/`` with DOMAINS domains (default 40) of FILES files each, plus a shared kernel;
every domain may use the public roots of the next two (``allow``); violations are planted
deterministically: internals of an allowed domain, the public root of an undeclared one, internals
of an undeclared one, some of them inside functions. The same contract is declared for the three
tools (slicegen ``[lint.boundaries]``, tach modules/depends_on/interfaces, import-linter forbidden
contracts with direct imports only); the script checks that they flag the same (file, line) pairs
and prints cold (no tool cache) and warm (second run, caches kept) wall times, each the median of
RUNS runs of the tool's command line in a subprocess.

Usage: ``.venv/bin/python benchmarks/boundaries.py [--domains 40] [--files 80] [--runs 3] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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
        init = ['"""Public API of the {} domain."""'.format(name), "", "from __future__ import annotations", ""]
        for s in range(slices):
            init.append(f"from shop.{name}.domain.s{s:02d}.handler_v1 import handle as _h{s:02d}")
        init.append("")
        for s, fn in enumerate(public):
            init += ["", f"def {fn}(payload: dict[str, object]) -> list[object]:", f"    return _h{s:02d}(payload)", ""]
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
                        lines += ["", "", "def _late() -> object:", f"    {text}", "    return None"]
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
        out.append((f"from shop.{domain(rng.choice(ok))}.domain.s{s:02d}.event_v1 import EventV1", True, False))
    elif roll < 0.06 and others:  # public root of an undeclared domain
        out.append((f"from shop.{domain(rng.choice(others))} import api_00", True, False))
    elif roll < 0.08 and others:  # internals of an undeclared domain, inside a function
        out.append((f"from shop.{domain(rng.choice(others))}.domain.s{s:02d}.command_v1 import CommandV1", True, True))
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
    head = [f'"""{kind} of slice s{s:02d} in {name}."""', "", "from __future__ import annotations", ""]
    head += ["import datetime", "from dataclasses import dataclass", "", "from shop.shared.kernel import Event"]
    if kind == "command_v1":
        body = ["", "", "@dataclass(frozen=True)", "class CommandV1:", "    id: str", "    at: datetime.datetime"]
    elif kind == "event_v1":
        body = ["", "", "@dataclass(frozen=True)", "class EventV1:", "    id: str", '    event_type = "thing_done:v1"']
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
        body = ["", "from . import event_v1", "", "", "def evolve(state: dict[str, object], event: event_v1.EventV1) -> dict[str, object]:", "    return {**state, 'id': event.id}"]
    else:
        body = ["", "from ..s00 import event_v1 as first", "", "", "def project(rows: list[object], event: first.EventV1) -> list[object]:", "    return [*rows, event.id]"]
    return head + body


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- the contract, declared three times ---------------------------------------------------------


def write_configs(root: Path, count: int) -> None:
    allow = ", ".join(
        f'{domain(i)} = [{", ".join(repr(domain(j)) for j in allowed(i, count))}]'.replace("'", '"')
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


def run_slicegen(root: Path, cache: bool) -> tuple[float, set[Pair]]:
    argv = [sys.executable, "-m", "slicegen.boundaries", str(root)] + ([] if cache else ["--no-cache"])
    elapsed, out = _timed(argv, root)
    pairs = set()
    for line in out.splitlines():
        match = re.match(r"(\S+?):(\d+):\d+: SG50[1-6] ", line)
        if match:
            pairs.add((match.group(1), int(match.group(2))))
    return elapsed, pairs


def run_tach(root: Path) -> tuple[float, set[Pair]]:
    elapsed, out = _timed([str(BIN / "tach"), "check", "--output", "json"], root)
    pairs: set[Pair] = set()
    data = json.JSONDecoder().raw_decode(out[out.index("[") :])[0] if "[" in out else []
    for item in _walk(data):
        if isinstance(item, dict) and "file_path" in item and "line_number" in item:
            pairs.add((str(item["file_path"]), int(item["line_number"])))
    return elapsed, pairs


def _walk(data: object) -> list[object]:
    found: list[object] = [data]
    if isinstance(data, dict):
        for value in data.values():
            found += _walk(value)
    elif isinstance(data, list):
        for value in data:
            found += _walk(value)
    return found


def run_import_linter(root: Path, cache: bool) -> tuple[float, set[Pair]]:
    argv = [str(BIN / "lint-imports"), "--no-logo"] + ([] if cache else ["--no-cache"])
    elapsed, out = _timed(argv, root, env_path=str(root / "src"))
    pairs: set[Pair] = set()
    for match in re.finditer(r"^\s*-?\s*(shop\.[\w.]+) -> (shop\.[\w.]+) \(([^)]*)\)", out, re.M):
        module = match.group(1)
        for line in re.findall(r"l\.(\d+)", match.group(3)):
            pairs.add((_module_file(root, module), int(line)))
    return elapsed, pairs


def _module_file(root: Path, module: str) -> str:
    rel = "src/" + module.replace(".", "/")
    return rel + "/__init__.py" if (root / rel).is_dir() else rel + ".py"


def _timed(argv: list[str], cwd: Path, env_path: str | None = None) -> tuple[float, str]:
    import os

    env = dict(os.environ)
    if env_path:
        env["PYTHONPATH"] = env_path
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, proc.stdout + proc.stderr


def clear_caches(root: Path) -> None:
    for name in (".slicegen_cache", ".import_linter_cache", ".tach"):
        shutil.rmtree(root / name, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=40)
    parser.add_argument("--files", type=int, default=80, help="slice files per domain")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the tree here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="slicegen-bench-"))
    if root.exists():
        shutil.rmtree(root)
    planted = build_tree(root, args.domains, args.files)
    write_configs(root, args.domains)
    count = sum(1 for _ in (root / "src").rglob("*.py"))
    print(f"tree: {root} ({args.domains} domains, {count} Python files, {len(planted)} planted violations)")

    tools = {
        "slicegen": (lambda: run_slicegen(root, False), lambda: run_slicegen(root, True)),
        "tach": (lambda: run_tach(root), lambda: run_tach(root)),
        "import-linter": (lambda: run_import_linter(root, False), lambda: run_import_linter(root, True)),
    }
    results: dict[str, tuple[float, float, set[Pair]]] = {}
    for name, (cold, warm) in tools.items():
        colds, warms, pairs = [], [], set()
        for _ in range(args.runs):
            clear_caches(root)
            seconds, pairs = cold()
            colds.append(seconds)
            if name == "slicegen":  # the warm run needs the cache a cached run writes
                warm()
            elif name == "import-linter":
                warm()
            seconds, warm_pairs = warm()
            warms.append(seconds)
            assert warm_pairs == pairs, f"{name}: warm and cold runs disagree"
        results[name] = (statistics.median(colds), statistics.median(warms), pairs)

    print(f"\n{'tool':<15}{'cold (s)':>10}{'warm (s)':>10}{'findings':>10}")
    for name, (cold_s, warm_s, pairs) in results.items():
        print(f"{name:<15}{cold_s:>10.3f}{warm_s:>10.3f}{len(pairs):>10}")
    reference = results["slicegen"][2]
    agree = True
    for name, (_, _, pairs) in results.items():
        missing, extra = planted - pairs, pairs - planted
        status = "agrees with the planted violations" if not missing and not extra else "DISAGREES"
        agree = agree and pairs == reference
        print(f"{name}: {status} (missed {len(missing)}, extra {len(extra)})")
        for pair in sorted(missing)[:3]:
            print(f"    missed {pair[0]}:{pair[1]}")
        for pair in sorted(extra)[:3]:
            print(f"    extra  {pair[0]}:{pair[1]}")
    print("all three tools agree" if agree else "the tools DISAGREE (see above)")
    s_cold, s_warm, _ = results["slicegen"]
    t_cold, t_warm, _ = results["tach"]
    i_cold, i_warm, _ = results["import-linter"]
    print(f"\nslicegen cold / tach cold = {s_cold / t_cold:.2f}x (target <= 1.0x)")
    print(f"slicegen cold / import-linter cold = {s_cold / i_cold:.2f}x (target < 1.0x)")
    print(f"slicegen warm / tach warm = {s_warm / t_warm:.2f}x, / import-linter warm = {s_warm / i_warm:.2f}x (target < 1.0x)")
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

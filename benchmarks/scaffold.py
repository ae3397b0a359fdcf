"""Benchmark: ``slicegen add-slice`` (one projection) beside ``copier copy`` of a 3-file template.

Both run in the same process tree, interleaved, so that they share the machine's load:

- cli: a fresh process per run (``python -m slicegen add-slice ...`` vs ``copier copy ...``),
  what a user waits for;
- in-process: the library call with its modules already imported
  (``execute(add_slice(...))`` vs ``copier.run_copy(...)``), the work itself;
- plan only: add-slice's change set built and planned (templates, libcst edits, statuses) but
  not written, to tell slicegen's planning from the journaled, fsynced atomic write;
- import floors: a fresh process that only imports (nothing, libcst, slicegen's CLI and scaffolding
  modules), to tell what the command line pays before doing any work.

Prints the median of each and the ratio (target: add-slice <= 0.7x copier), and first
``new-domain`` beside ``copier copy`` in CPU time and peak memory (target: 0.7x, < 60 MiB).

    python benchmarks/scaffold.py [--runs 7] [--new-domain-only]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from slicegen.change_set import ChangeSet

COPIER_YML = "_templates_suffix: .jinja\nname:\n  type: str\n  default: shop\n"


def make_copier_template(root: Path) -> Path:
    template = root / "three_files"
    template.mkdir()
    (template / "copier.yml").write_text(COPIER_YML)
    for index in range(1, 4):
        (template / f"file{index}.py.jinja").write_text(f'"""File {index} of {{{{ name }}}}."""\n')
    return template


def make_workspace(root: Path) -> Path:
    """A python workspace with one domain of three slices: every run starts from a copy of it."""
    workspace = root / "base"
    workspace.mkdir()
    for args in (
        ("init", "--stack", "python", "--app", "shop"),
        ("new-domain", "accounts"),
        (
            "add-slice",
            "accounts",
            "open_account",
            "--field",
            "email:str",
            "--projection",
            "summary",
        ),
        ("add-slice", "accounts", "verify_account", "--field", "code:str"),
        ("add-slice", "accounts", "suspend_account", "--field", "reason:str"),
    ):
        subprocess.run(
            [sys.executable, "-m", "slicegen", *args],
            cwd=workspace,
            check=True,
            capture_output=True,
        )
    return workspace


def fresh_copy(base: Path, name: str) -> Path:
    target = base.parent / name
    shutil.copytree(base, target)
    return target


def timed(action: Callable[..., object], *args: object, **kwargs: object) -> float:
    """Seconds ``action(*args, **kwargs)`` takes."""
    start = time.perf_counter()
    action(*args, **kwargs)
    return time.perf_counter() - start


def plan_only(root: Path, build: Callable[[ChangeSet], None]) -> None:
    """Build and plan the change set (templates, libcst edits, statuses) without writing it."""
    changes = ChangeSet(root)
    build(changes)
    changes.plan()


SLICE = [
    "add-slice",
    "accounts",
    "register_member",
    "--field",
    "email:str",
    "--field",
    "joined:date",
    "--projection",
    "summary",
]
LIB_SLICE = ("accounts", "register_member", None, ["email:str", "joined:date"], ["summary"])


def run(cmd: list[str], cwd: Path) -> None:
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=os.environ.copy())


def cpu_and_peak(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """CPU seconds (user + system) and peak resident MiB of ``cmd``, measured by GNU time.

    A child forked from this (large) process would report this process's peak as its own
    (Linux keeps the high-water mark across exec), so a small process starts it instead.
    """
    with tempfile.NamedTemporaryFile("r") as report:
        timer = ["/usr/bin/time", "-f", "%U %S %M", "-o", report.name]
        subprocess.run([*timer, *cmd], cwd=cwd, check=True, capture_output=True)
        user, system, kib = report.read().split()[-3:]
    return float(user) + float(system), int(kib) / 1024


#: new-domain's names: one lemminflect's table settles, a real word its table lacks, an invented
#: one (the last two answered by slicegen's regular-inflection rules)
NEW_DOMAINS = ("accounts", "widgets", "florbs")


def new_domain_figures(root: Path, template: Path, runs: int, copier_cli: str) -> None:
    """``new-domain`` (a name the word table settles, one it does not hold, an invented word)
    beside ``copier copy`` of the 3-file template: CPU time and peak memory of each process."""
    base = root / "nd_base"
    base.mkdir()
    run([sys.executable, "-m", "slicegen", "init", "--stack", "python", "--app", "shop"], base)
    cpu: dict[str, list[float]] = {name: [] for name in (*NEW_DOMAINS, "copier")}
    peak: dict[str, list[float]] = {k: [] for k in cpu}
    for i in range(runs):
        for name in NEW_DOMAINS:
            ws = fresh_copy(base, f"nd_{name}{i}")
            seconds, mib = cpu_and_peak([sys.executable, "-m", "slicegen", "new-domain", name], ws)
            cpu[name].append(seconds)
            peak[name].append(mib)
        copy = [copier_cli, "copy", "--defaults", "--quiet", str(template), str(root / f"nd{i}")]
        seconds, mib = cpu_and_peak(copy, root)
        cpu["copier"].append(seconds)
        peak["copier"].append(mib)
    theirs = statistics.median(cpu["copier"])
    for name in NEW_DOMAINS:
        ours = statistics.median(cpu[name])
        ratio = ours / theirs
        print(
            f"new-domain {name:<9} CPU {ours * 1000:6.0f} ms, peak {max(peak[name]):5.1f} MiB | "
            f"copier copy (3 files) CPU {theirs * 1000:6.0f} ms, peak "
            f"{max(peak['copier']):5.1f} MiB | ratio {ratio:.2f} "
            f"({'meets' if ratio <= 0.7 else 'misses'} 0.7x; "
            f"{'meets' if max(peak[name]) < 60 else 'misses'} < 60 MiB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--new-domain-only", action="store_true", help="only the new-domain rows")
    options = parser.parse_args()
    runs = options.runs

    import copier

    from slicegen.execute import execute
    from slicegen.scaffold.commands import add_slice
    from slicegen.workspace import find_workspace

    copier_cli = str(Path(sys.executable).with_name("copier"))
    with tempfile.TemporaryDirectory(prefix="slicegen-bench-") as tmp:
        root = Path(tmp)
        template = make_copier_template(root)
        new_domain_figures(root, template, runs, copier_cli)
        if options.new_domain_only:
            return
        workspace = make_workspace(root)
        # warm both in-process paths (imports, template caches) before timing
        warm = find_workspace(fresh_copy(workspace, "warm_ws"))
        execute(
            warm.root,
            add_slice(warm, "accounts", "warm_up", None, ["email:str"], ["summary"]),
            out=io.StringIO(),
        )
        copier.run_copy(str(template), root / "warm", defaults=True, quiet=True)

        floors = {
            "python": "pass",
            "import libcst": "import libcst",
            "import cli+scaffold": "import slicegen.cli, slicegen.scaffold.commands",
        }
        keys = ("cli", "cli_copier", "lib", "lib_copier", "plan", *floors)
        timings: dict[str, list[float]] = {k: [] for k in keys}
        for i in range(runs):
            cli_ws = fresh_copy(workspace, f"cli_ws{i}")
            lib_ws = find_workspace(fresh_copy(workspace, f"lib_ws{i}"))
            cli_copy = [
                copier_cli,
                "copy",
                "--defaults",
                "--quiet",
                str(template),
                str(root / f"cli{i}"),
            ]
            timings["cli"].append(timed(run, [sys.executable, "-m", "slicegen", *SLICE], cli_ws))
            timings["cli_copier"].append(timed(run, cli_copy, root))
            build = add_slice(lib_ws, *LIB_SLICE)
            timings["lib"].append(timed(execute, lib_ws.root, build, out=io.StringIO()))
            timings["lib_copier"].append(
                timed(copier.run_copy, str(template), root / f"lib{i}", defaults=True, quiet=True)
            )
            planned = add_slice(find_workspace(fresh_copy(workspace, f"plan_ws{i}")), *LIB_SLICE)
            timings["plan"].append(timed(plan_only, lib_ws.root.parent / f"plan_ws{i}", planned))
            for label, code in floors.items():
                timings[label].append(timed(run, [sys.executable, "-c", code], root))

    median = {k: statistics.median(v) for k, v in timings.items()}
    print(f"runs per figure: {runs} (median)")
    figures = (
        ("cli", "cli", "cli_copier"),
        ("in-process", "lib", "lib_copier"),
        ("plan only", "plan", "lib_copier"),
    )
    for mode, ours, theirs in figures:
        ratio = median[ours] / median[theirs]
        verdict = "meets" if ratio <= 0.7 else "misses"
        print(
            f"{mode:>10}: add-slice + 1 projection {median[ours] * 1000:7.1f} ms | "
            f"copier copy (3 files) {median[theirs] * 1000:7.1f} ms | "
            f"ratio {ratio:.2f} ({verdict} the 0.7x target)"
        )
    print(
        "import floors (fresh process): "
        + ", ".join(f"{label} {median[label] * 1000:.1f} ms" for label in floors)
    )


if __name__ == "__main__":
    main()

"""Lint real trees and count the findings per rule, optionally against earlier outputs.

Runs ``slicegen lint --format json --no-cache`` on each folder (already on disk: this script
fetches and builds nothing) and prints one table per tree, rule -> findings, then the totals.
With ``--compare DIR`` it reads ``DIR/<folder name>.json`` (an earlier run's JSON output) and
prints before -> after per rule; ``--save DIR`` writes this run's outputs there in the same form.
``--elixir-parser`` also checks slicegen's Elixir reader against Elixir's own parser
(``Code.string_to_quoted``, needs ``elixir`` on the PATH) on every ``.ex``/``.exs`` of the trees
and lists the files on which they disagree.

Usage: ``.venv/bin/python benchmarks/corpus_lint.py TREE... [--compare DIR] [--save DIR]
[--elixir-parser] [--findings CODE]`` (``--findings`` prints each finding of those codes).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent
Finding = dict[str, object]

#: Reads file paths on stdin, prints "ok" or "error" per path (Elixir's own parser).
_ELIXIR_CHECK = """
IO.stream(:stdio, :line)
|> Enum.each(fn line ->
  path = String.trim_trailing(line, "\\n")
  verdict =
    case File.read!(path) |> Code.string_to_quoted(file: path) do
      {:ok, _} -> "ok"
      {:error, _} -> "error"
    end
  IO.puts(verdict <> " " <> path)
end)
"""


def lint(tree: Path, parse_all: bool = False) -> list[Finding]:
    """The findings of ``slicegen lint`` on one tree."""
    extra = ["--parse-all"] if parse_all else []
    run = subprocess.run(
        [str(BIN / "slicegen"), "lint", "--format", "json", "--no-cache", *extra, str(tree)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1) or (run.returncode and not run.stdout.strip()):
        # a crash exits 1 too (Python's traceback), with no JSON: not "no findings"
        sys.exit(f"slicegen lint failed on {tree}: {run.stderr.strip()}")
    findings: list[Finding] = json.loads(run.stdout or "[]")
    return findings


def per_rule(findings: list[Finding]) -> Counter[str]:
    return Counter(str(f["code"]) for f in findings)


def table(name: str, after: Counter[str], before: Counter[str] | None) -> str:
    """One tree's counts, before -> after when there is a before."""
    lines = [f"== {name}"]
    for code in sorted(set(after) | set(before or ())):
        if before is None:
            lines.append(f"  {code}  {after[code]:5d}")
        else:
            lines.append(f"  {code}  {before[code]:5d} -> {after[code]:5d}")
    total = f"{sum(after.values()):5d}"
    if before is not None:
        total = f"{sum(before.values()):5d} -> {total}"
    lines.append(f"  total  {total}")
    return "\n".join(lines)


def elixir_disagreements(tree: Path, findings: list[Finding]) -> list[str]:
    """Files where Elixir's parser and slicegen's SG001 disagree (``--parse-all`` findings)."""
    elixir = shutil.which("elixir")
    if elixir is None:
        sys.exit("--elixir-parser needs elixir on the PATH")
    files = sorted(p for p in tree.rglob("*") if p.suffix in (".ex", ".exs") and p.is_file())
    run = subprocess.run(
        [elixir, "-e", _ELIXIR_CHECK],
        input="".join(f"{p}\n" for p in files),
        capture_output=True,
        text=True,
        check=True,
    )
    rejected = {
        Path(line.split(" ", 1)[1]).resolve()
        for line in run.stdout.splitlines()
        if line.startswith("error ")
    }
    # slicegen prints paths relative to the working directory it ran in (this one)
    flagged = {Path(str(f["path"])).resolve() for f in findings if f["code"] == "SG001"}
    # an EEx template (``defmodule <%= @app %>.Router do``) is not reported, by design
    templates = {p for p in rejected - flagged if b"<%" in p.read_bytes()}
    out = [f"  SG001 on valid Elixir: {p}" for p in sorted(flagged - rejected)]
    out += [
        f"  invalid Elixir read without SG001: {p}" for p in sorted(rejected - flagged - templates)
    ]
    head = f"  {len(files)} Elixir files, {len(rejected)} rejected by Elixir"
    return [head + (f" ({len(templates)} EEx templates)" if templates else ""), *out]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--compare", type=Path, help="folder of earlier <name>.json outputs")
    parser.add_argument("--save", type=Path, help="write this run's <name>.json outputs here")
    parser.add_argument("--elixir-parser", action="store_true")
    parser.add_argument("--findings", nargs="*", default=[], help="print findings of these codes")
    args = parser.parse_args()
    totals: Counter[str] = Counter()
    before_totals: Counter[str] = Counter()
    for tree in args.trees:
        name = tree.resolve().name
        findings = lint(tree)
        after = per_rule(findings)
        before = None
        if args.compare is not None:
            earlier = args.compare / f"{name}.json"
            before = per_rule(json.loads(earlier.read_text() or "[]")) if earlier.exists() else None
            before_totals.update(before or {})
        totals.update(after)
        print(table(name, after, before))
        for f in findings:
            if f["code"] in args.findings or "all" in args.findings:
                print(f"    {f['code']} {f['path']}:{f['line']} {f['message']}")
        if args.save is not None:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.json").write_text(json.dumps(findings, indent=2) + "\n")
        if args.elixir_parser:
            print("\n".join(elixir_disagreements(tree, lint(tree, parse_all=True))))
    print(table("all trees", totals, before_totals if args.compare is not None else None))


if __name__ == "__main__":
    main()

"""How fast is ``slicegen lint``? Cold and warm, beside ``ruff check --select N``.

Builds two synthetic workspaces in a temporary folder (or ``--dir``):

- python: 20 domains, 2,000 slices (command, event, handler, evolver, and a projection in every
  fourth slice; ~30-60 lines each, as slicegen generates them) plus 3,000 ordinary modules of
  realistic size (~150-250 lines: imports, dataclasses, functions, docstrings) in the domains;
- elixir: the same shape as an umbrella of Commanded apps.

Then prints, for each tree, the best of ``--repeat`` runs of: slicegen cold (no cache), slicegen
warm (cache from the previous run), slicegen after editing one file, and, for the Python tree,
``ruff check --select N --no-cache`` and ruff with its cache. Files per second are reported for
both. Floor rows (``benchmarks/python_floor.py``) show what Python itself costs on the same tree:
starting the interpreter, a plain ``os.scandir`` walk that stats every source file (the replay
does less: it re-stats the paths it stored, half of them in a forked child), and ``ast.parse`` of
the slice files in two processes (the least a cold run does that reports syntax errors in the
files the rules read).
With ``--tree PATH`` (repeatable) it builds nothing and measures existing trees instead (a real
repository such as saleor): slicegen cold beside ``ruff check --select N --no-cache``, CPU and
wall, with the ratio (target: at most 2x); ``--cold`` adds the synthetic python tree (built in
``--dir`` unless it is there already) to those rows, so both ratios come from one run.
Run: ``python benchmarks/lint_speed.py [--repeat 3] [--dir PATH] [--tree PATH]... [--cold]``.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from slicegen.naming import singular

DOMAINS = [
    "accounts",
    "profiles",
    "billing",
    "orders",
    "shipping",
    "inventory",
    "catalog",
    "reviews",
    "payments",
    "invoices",
    "carts",
    "coupons",
    "loyalty",
    "support",
    "refunds",
    "warehouses",
    "suppliers",
    "pricing",
    "search",
    "notifications",
]
VERBS = [
    ("register", "registered"),
    ("activate", "activated"),
    ("suspend", "suspended"),
    ("approve", "approved"),
    ("reject", "rejected"),
    ("schedule", "scheduled"),
    ("confirm", "confirmed"),
    ("cancel", "cancelled"),
    ("archive", "archived"),
    ("assign", "assigned"),
]
NOUNS = ["item", "entry", "request", "ticket", "batch", "claim", "order", "slot", "plan", "note"]


def pascal(snake: str) -> str:
    return "".join(w.capitalize() for w in snake.split("_"))


def slice_names(i: int) -> tuple[str, str, str]:
    verb, done = VERBS[i % len(VERBS)]
    noun = f"{NOUNS[(i // len(VERBS)) % len(NOUNS)]}{i // (len(VERBS) * len(NOUNS))}"
    return f"{verb}_{noun}", f"{noun}_{done}", done


def py_slice(app: str, domain: str, i: int) -> dict[str, str]:
    command, event, short = slice_names(i)
    base = f"src/{app}/{domain}/domain/{command}"
    cls, ev = pascal(command), pascal(event)
    files = {
        f"{base}/__init__.py": "",
        f"{base}/command_v1.py": f'''"""The {command} command, version 1."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class {cls}V1(BaseModel):
    """Ask the {domain} domain to {command.replace("_", " ")}."""

    model_config = ConfigDict(frozen=True)

    {domain[:-1]}_id: UUID
    reference: str = Field(min_length=1, max_length=200)
    note: str | None = None
    quantity: int = 1
    requested_at: datetime
''',
        f"{base}/event_v1.py": f'''"""The {event} event, version 1."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class {ev}V1(BaseModel):
    """The {domain[:-1]} was {short}."""

    model_config = ConfigDict(frozen=True)
    event_type: ClassVar[str] = "{event}:v1"

    {domain[:-1]}_id: UUID
    reference: str
    note: str | None = None
    quantity: int = 1
    occurred_at: datetime
''',
        f"{base}/maybe_{command}_v1.py": f'''"""Decide whether to {command.replace("_", " ")}."""

from __future__ import annotations

from {app}.{domain}.domain.{command}.command_v1 import {cls}V1
from {app}.{domain}.domain.{command}.event_v1 import {ev}V1
from {app}.{domain}.state import State
from {app}.shared.messages import DomainError


def maybe_{command}_v1(state: State, command: {cls}V1) -> list[{ev}V1]:
    """Return the events of {command}, or raise a DomainError."""
    if state.closed:
        raise DomainError("the {domain[:-1]} is closed")
    if command.quantity <= 0:
        raise DomainError("quantity must be positive")
    return [
        {ev}V1(
            {domain[:-1]}_id=command.{domain[:-1]}_id,
            reference=command.reference,
            note=command.note,
            quantity=command.quantity,
            occurred_at=command.requested_at,
        )
    ]
''',
        f"{base}/{short}_to_state_v1.py": f'''"""Apply {event} to the {domain[:-1]} state."""

from __future__ import annotations

from {app}.{domain}.domain.{command}.event_v1 import {ev}V1
from {app}.{domain}.state import State


def {short}_to_state_v1(state: State, event: {ev}V1) -> State:
    """The state after the event."""
    return state.model_copy(update={{"version": state.version + 1, "last": event.reference}})
''',
    }
    if i % 4 == 0:
        files[f"{base}/{short}_to_summary_v1.py"] = f'''"""Project {event} into the summary."""

from __future__ import annotations

from {app}.{domain}.domain.{command}.event_v1 import {ev}V1


def {short}_to_summary_v1(summary: dict[str, int], event: {ev}V1) -> dict[str, int]:
    """Count the event in the summary."""
    out = dict(summary)
    out[event.reference] = out.get(event.reference, 0) + event.quantity
    return out
'''
    return files


def py_module(app: str, domain: str, i: int) -> str:
    funcs = []
    for j in range(12):
        funcs.append(f'''

def compute_{j}(records: list[Record], threshold: float = {j}.5) -> dict[str, float]:
    """Aggregate the records above ``threshold`` by key (step {j})."""
    totals: dict[str, float] = defaultdict(float)
    for record in records:
        if record.amount > threshold and not record.archived:
            totals[record.key] += record.amount * {j + 1}
        elif record.tags and "{domain}" in record.tags:
            totals[record.key] -= math.sqrt(abs(record.amount))
    return {{key: round(value, 2) for key, value in sorted(totals.items())}}
''')
    return f'''"""Read-side helpers for the {domain} domain (module {i})."""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from {app}.{domain}.state import State

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Record:
    """One row of the {domain} read model."""

    key: str
    amount: float
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    tags: tuple[str, ...] = ()
    archived: bool = False


class Repository{i}:
    """An in-memory repository of records."""

    def __init__(self) -> None:
        self._rows: dict[str, Record] = {{}}

    def add(self, record: Record) -> None:
        LOG.debug("adding %s", record.key)
        self._rows[record.key] = record

    def find(self, key: str) -> Record | None:
        return self._rows.get(key)

    def all(self) -> list[Record]:
        return sorted(self._rows.values(), key=lambda r: (r.created_at, r.key))

    def state(self) -> State:
        return State()
{"".join(funcs)}'''


def build_python(root: Path, scale: float = 1.0) -> int:
    """The python tree (13,543 files; ``scale`` times as many slices and modules)."""
    app = "shop"
    files: dict[str, str] = {
        "slicegen.toml": f'stack = "python"\napp = "{app}"\n',
        f"src/{app}/__init__.py": "",
        f"src/{app}/shared/__init__.py": "",
        f"src/{app}/shared/messages.py": "class DomainError(Exception):\n    pass\n",
    }
    per_domain = int(2000 * scale) // len(DOMAINS)
    modules = int(3000 * scale) // len(DOMAINS)
    for d in DOMAINS:
        ours: dict[str, str] = {
            f"src/{app}/{d}/__init__.py": "",
            f"src/{app}/{d}/state.py": "class State:\n    closed = False\n    version = 0\n",
            f"design_docs/{d}/event-storming.md": f"# {d}\n",
        }
        for i in range(per_domain):
            ours.update(py_slice(app, d, i))
        for i in range(modules):
            ours[f"src/{app}/{d}/read_models/module_{i}.py"] = py_module(app, d, i)
        # the state class is named after the aggregate, as `slicegen new-domain` names it
        state = f"{pascal(singular(d))}State"
        files.update({rel: re.sub(r"\bState\b", state, text) for rel, text in ours.items()})
    return write(root, files)


def ex_slice(app: str, domain: str, i: int) -> dict[str, str]:
    command, event, short = slice_names(i)
    mod = f"{pascal(app)}{pascal(domain)}"
    base = f"apps/{app}_{domain}/lib/{app}_{domain}/domain/{command}"
    ns = f"{mod}.Domain.{pascal(command)}"
    return {
        f"{base}/command_v1.ex": f"""defmodule {ns}.CommandV1 do
  @moduledoc "Ask the {domain} domain to {command.replace("_", " ")}."
  @enforce_keys [:id, :reference]
  defstruct [:id, :reference, :note, quantity: 1, requested_at: nil]

  @type t :: %__MODULE__{{id: String.t(), reference: String.t(), quantity: integer()}}

  def new(attrs) when is_map(attrs) do
    struct!(__MODULE__, attrs)
  end
end
""",
        f"{base}/event_v1.ex": f'''defmodule {ns}.EventV1 do
  @moduledoc "The {domain} item was {short}."
  @derive Jason.Encoder
  defstruct [:id, :reference, :note, quantity: 1, occurred_at: nil]

  def event_type, do: "{event}:v1"
end
''',
        f"{base}/maybe_{command}_v1.ex": f"""defmodule {ns}.{pascal(f"maybe_{command}_v1")} do
  @moduledoc "Decide whether to {command.replace("_", " ")}."
  alias {ns}.{{CommandV1, EventV1}}

  def execute(%{{closed: true}}, %CommandV1{{}}), do: {{:error, :closed}}

  def execute(_state, %CommandV1{{quantity: q}}) when q <= 0, do: {{:error, :bad_quantity}}

  def execute(_state, %CommandV1{{}} = command) do
    %EventV1{{
      id: command.id,
      reference: command.reference,
      note: command.note,
      quantity: command.quantity,
      occurred_at: command.requested_at
    }}
  end
end
""",
        f"{base}/{short}_to_state_v1.ex": f"""defmodule {ns}.{pascal(f"{short}_to_state_v1")} do
  @moduledoc "Apply {event} to the state."
  alias {ns}.EventV1

  def apply(state, %EventV1{{reference: reference}}) do
    %{{state | version: state.version + 1, last: reference}}
  end
end
""",
    }


def ex_module(app: str, domain: str, i: int) -> str:
    mod = f"{pascal(app)}{pascal(domain)}"
    funs = "".join(
        f"""
  @doc "Aggregate the records above the threshold (step {j})."
  def compute_{j}(records, threshold \\\\ {j}.5) do
    records
    |> Enum.filter(fn r -> r.amount > threshold and not r.archived end)
    |> Enum.group_by(& &1.key, & &1.amount)
    |> Map.new(fn {{key, amounts}} -> {{key, Float.round(Enum.sum(amounts) * {j + 1}, 2)}} end)
  end
"""
        for j in range(10)
    )
    return f"""defmodule {mod}.ReadModels.Module{i} do
  @moduledoc "Read-side helpers for the {domain} domain (module {i})."
  require Logger
  alias {mod}.Repo

  defstruct [:key, :amount, tags: [], archived: false]

  def all, do: Repo.all(__MODULE__)

  def find(key) do
    Logger.debug("finding #{{key}}")
    Repo.get(__MODULE__, key)
  end
{funs}end
"""


def build_elixir(root: Path) -> int:
    app = "reckon"
    files: dict[str, str] = {
        "slicegen.toml": f'stack = "elixir"\napp = "{app}"\n',
        "mix.exs": "defmodule Reckon.Umbrella.MixProject do\n  use Mix.Project\nend\n",
    }
    per_domain = 2000 // len(DOMAINS)
    modules = 3000 // len(DOMAINS)
    for d in DOMAINS:
        files[f"apps/{app}_{d}/design_docs/event-storming.md"] = f"# {d}\n"
        files[f"apps/{app}_{d}/mix.exs"] = (
            f"defmodule {pascal(app)}{pascal(d)}.MixProject do\n  use Mix.Project\nend\n"
        )
        files[f"apps/{app}_{d}/lib/{app}_{d}.ex"] = f"defmodule {pascal(app)}{pascal(d)} do\nend\n"
        for i in range(per_domain):
            files.update(ex_slice(app, d, i))
        for i in range(modules):
            files[f"apps/{app}_{d}/lib/{app}_{d}/read_models/module_{i}.ex"] = ex_module(app, d, i)
    return write(root, files)


def write(root: Path, files: dict[str, str]) -> int:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sum(1 for rel in files if rel.endswith((".py", ".ex")))


def refresh_docs(root: Path) -> None:
    """Bring the storming documents up to date, as a team using `slicegen storm` keeps them,
    so that the drift check (SG602) compares real documents."""
    storm = [str(Path(sys.executable).parent / "slicegen"), "storm"]
    done = subprocess.run(storm, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"  (slicegen storm failed: {done.stderr.strip()[:200]})")


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the command and its children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(repeat: int, setup: object, cmd: list[str], cwd: Path) -> tuple[float, float]:
    """The (wall, cpu) of the fastest of ``repeat`` runs (the machine may be shared)."""
    times = []
    for _ in range(repeat):
        if callable(setup):
            setup()
        times.append(timed(cmd, cwd))
    return min(times)


def measure(root: Path, files: int, repeat: int, ruff: bool, edit: Path, extra: list[str]) -> None:
    bindir = Path(sys.executable).parent
    slicegen = [str(bindir / "slicegen"), "lint", ".", "--format", "json", *extra]
    cache = root / ".slicegen_cache"

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def touch_edit() -> None:
        text = edit.read_text(encoding="utf-8")
        edit.write_text(
            text + "\n# edited\n" if not text.endswith("# edited\n") else text[:-10],
            encoding="utf-8",
        )

    rows = [
        ("slicegen cold (no cache)", best(repeat, None, [*slicegen, "--no-cache"], root)),
        ("slicegen cold (empty cache)", best(repeat, clear, slicegen, root)),
    ]
    timed(slicegen, root)
    rows.append(("slicegen warm (cache)", best(repeat, None, slicegen, root)))
    rows.append(("slicegen warm, one file edited", best(repeat, touch_edit, slicegen, root)))
    for selection in (["--select", "SG5"], ["--ignore", "SG602"]):
        timed([*slicegen, *selection], root)  # remembers this selection's output
        label = f"slicegen warm {' '.join(selection)}"
        rows.append((label, best(repeat, None, [*slicegen, *selection], root)))
    if ruff:
        rcmd = [str(bindir / "ruff"), "check", "--select", "N", "--exit-zero", "-q", "."]
        rows.append(
            ("ruff --select N cold (--no-cache)", best(repeat, None, [*rcmd, "--no-cache"], root))
        )
        timed(rcmd, root)
        rows.append(("ruff --select N warm (cache)", best(repeat, None, rcmd, root)))
    floor = [sys.executable, str(Path(__file__).with_name("python_floor.py"))]
    rows.append(("floor: python -c pass", best(repeat, None, [sys.executable, "-c", "pass"], root)))
    rows.append(
        ("ref: python scandir walk + stat", best(repeat, None, [*floor, "walk", "."], root))
    )
    if ruff:
        rows.append(
            (
                "floor: python ast.parse slices, 2 procs",
                best(repeat, None, [*floor, "parse", "."], root),
            )
        )
    for name, (seconds, cpu) in rows:
        print(f"  {name:<40} {seconds:7.3f} s  cpu {cpu:7.3f} s  {files / seconds:9.0f} files/s")
    if ruff:
        values = dict(rows)
        ruff_cold, ruff_warm = (
            values["ruff --select N cold (--no-cache)"][0],
            values["ruff --select N warm (cache)"][0],
        )
        print(
            f"  reference ratios (wall): python scandir walk+stat / ruff warm = "
            f"{values['ref: python scandir walk + stat'][0] / ruff_warm:.2f}x; "
            f"python ast.parse of slices / ruff cold = "
            f"{values['floor: python ast.parse slices, 2 procs'][0] / ruff_cold:.2f}x"
        )
        for label, index in (("wall", 0), ("cpu", 1)):
            cold = (
                values["slicegen cold (no cache)"][index]
                / values["ruff --select N cold (--no-cache)"][index]
            )
            warm = (
                values["slicegen warm (cache)"][index]
                / values["ruff --select N warm (cache)"][index]
            )
            selected = ", ".join(
                f"{name.removeprefix('slicegen warm ')} = "
                f"{values[name][index] / values['ruff --select N warm (cache)'][index]:.2f}x"
                for name in values
                if name.startswith("slicegen warm --")
            )
            print(
                f"  {label} ratio cold slicegen/ruff = {cold:.2f}x (target <= 1.0x); "
                f"warm = {warm:.2f}x (target <= 0.5x); warm {selected}"
            )


def measure_cold(root: Path, repeat: int, extra: list[str]) -> None:
    """slicegen cold beside ruff cold on an existing tree, runs interleaved, best of each; and
    the CPU floor: Python walking the tree, reading and ``ast.parse``-ing the slice files (those
    in ``domain/`` folders, which slicegen parses to report their syntax errors) in one process."""
    bindir = Path(sys.executable).parent
    slicegen = [str(bindir / "slicegen"), "lint", ".", "--format", "json", "--no-cache", *extra]
    ruff = [str(bindir / "ruff"), "check", "--select", "N", "--exit-zero", "-q", "--no-cache", "."]
    floor = [sys.executable, str(Path(__file__).with_name("python_floor.py")), "parse-one", "."]
    ours, theirs, least = [], [], []
    for _ in range(repeat):
        ours.append(timed(slicegen, root))
        theirs.append(timed(ruff, root))
        least.append(timed(floor, root))
    files = sum(1 for p in root.rglob("*.py") if ".git" not in p.parts)
    print(f"{root}: {files} .py files (best of {repeat}, runs interleaved)")
    for label, index in (("wall", 0), ("cpu", 1)):
        mine, peer = min(t[index] for t in ours), min(t[index] for t in theirs)
        print(
            f"  {label}: slicegen cold {mine:6.3f} s | ruff --select N --no-cache {peer:6.3f} s"
            f" | ratio {mine / peer:.2f}x ({'meets' if mine / peer <= 2 else 'misses'} 2x)"
        )
    base, peer = min(t[1] for t in least), min(t[1] for t in theirs)
    print(
        f"  cpu floor: python walk + read + ast.parse of the slice files, one process {base:6.3f} s"
        f" ({base / peer:.2f}x ruff); 2x ruff leaves {2 * peer - base:6.3f} s for the rest"
    )


def _synthetic_python(folder: Path | None) -> Path:
    """The synthetic python tree in ``folder`` (built there when it is not), else a new one in
    a temporary folder (left for the next run to reuse)."""
    root = (folder or Path(tempfile.mkdtemp(prefix="slicegen-bench-"))) / "python"
    if not (root / "slicegen.toml").exists():
        build_python(root)
        refresh_docs(root)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="Build the trees here (kept).")
    parser.add_argument(
        "--slicegen-args", default="", help="Extra arguments for slicegen lint ('--ignore SG602')."
    )
    parser.add_argument(
        "--tree", type=Path, action="append", default=[], help="Measure this tree (no build)."
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="Only the cold rows beside ruff: the --tree trees and the synthetic python tree.",
    )
    args = parser.parse_args()
    if args.tree or args.cold:
        trees = [tree.resolve() for tree in args.tree]
        if args.cold:
            trees.append(_synthetic_python(args.dir))
        for tree in trees:
            measure_cold(tree, args.repeat, args.slicegen_args.split())
        return
    base = args.dir or Path(tempfile.mkdtemp(prefix="slicegen-bench-"))
    try:
        py_root = base / "python"
        extra = args.slicegen_args.split()
        n = build_python(py_root)
        refresh_docs(py_root)
        print(f"python tree: {n} source files ({py_root})")
        measure(
            py_root,
            n,
            args.repeat,
            True,
            py_root / "src/shop/accounts/read_models/module_0.py",
            extra,
        )
        ex_root = base / "elixir"
        n = build_elixir(ex_root)
        refresh_docs(ex_root)
        print(f"elixir tree: {n} source files ({ex_root})")
        measure(
            ex_root,
            n,
            args.repeat,
            False,
            ex_root / "apps/reckon_accounts/lib/reckon_accounts/read_models/module_0.ex",
            extra,
        )
    finally:
        if args.dir is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

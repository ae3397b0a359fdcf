"""The generated python runtime on SQLite and PostgreSQL, beside the library's plain Application.

Generates a project (accounts with a projected slice and a fact, profiles with a policy on it),
then, in a subprocess with the project on the path, for each database:

- commands/s through the public API (``accounts.initialize_account``: handler, event, read model)
  and through a slice without a read model (``profiles.establish_profile``), each storing an
  event (a refusal stores nothing, so the benchmark stops on one), beside an ``eventsourcing``
  ``Application`` saving one new aggregate event per command, in the same run and database
  (target: within 1.5x), timed in alternating chunks of 50 so that both sides share the load;
- policy latency, fact to command: ``activate_account`` stores the fact, ``profiles`` (started
  in the same process) processes it; the median of the extra time over the plain dispatch;
- projection catch-up: events/s of a first start projecting 100k stored events;
- start time with 100k events stored (and how many notifications the start read).

PostgreSQL runs on a private server (``initdb``/``pg_ctl``); without its binaries that part is
skipped. Usage: ``python benchmarks/python_runtime.py [--events 100000] [--commands 2000]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.python_stack.postgres import postgres_server  # noqa: E402

COMMANDS = [
    "init --stack python --app shop",
    "new-domain accounts",
    "new-domain profiles --aggregate profile",
    "add-slice accounts initialize_account --field email:str --projection summary",
    "add-slice accounts activate_account --field email:str",
    "add-slice profiles establish_profile --field email:str",
    "add-slice profiles note_profile --field note:str",
    "add-policy profiles establish_profile --on accounts:account_activated --with-fact",
]

SCRIPT = r"""
import json
import statistics
import sys
import time
from uuid import uuid4

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from shop import accounts, profiles
from shop.shared.event_store import persistence_settings

URL, COMMANDS, EVENTS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


class Account(Aggregate):
    def __init__(self, email: str) -> None:
        self.email = email


class Plain(Application):
    name = "plain"


def rates(runs, n, chunk=50):
    # commands/s of each of runs, timed in alternating chunks so that they share the load
    took = dict.fromkeys(runs, 0.0)
    for start in range(0, n, chunk):
        for name, run in runs.items():
            started = time.perf_counter()
            for i in range(start, min(start + chunk, n)):
                assert run(i) != "refused"
            took[name] += time.perf_counter() - started
    return {name: n / seconds for name, seconds in took.items()}


def stored(outcome):  # a refusal stores nothing, so it must not be timed
    return outcome if isinstance(outcome, list) and outcome else "refused"


out = {}
settings = persistence_settings(URL)
# the library's own factories, not the generated project's subclasses of them
settings["PERSISTENCE_MODULE"] = {
    "sqlite": "eventsourcing.sqlite", "postgresql": "eventsourcing.postgres"
}[URL.split(":", 1)[0]]
plain = Plain(env=settings)
accounts.start(URL)
profiles.start(URL)
runs = {
    "plain_cmd_s": lambda i: plain.save(Account(email=f"{i}@x")),
    "api_projected_cmd_s": lambda i: stored(accounts.initialize_account(uuid4(), email=f"{i}@x")),
    # starts a profile; no read model
    "api_plain_slice_cmd_s": lambda i: stored(profiles.establish_profile(uuid4(), email=f"{i}@x")),
}
rates(runs, 100)  # warm up every side
out.update(rates(runs, COMMANDS))

# policy latency: activate (stores the fact) -> profiles establishes in the same process
ids = [uuid4() for _ in range(200)]
for i in ids:
    accounts.initialize_account(i, email="p@x")
with_policy, without = [], []
for i in ids:
    started = time.perf_counter()
    accounts.activate_account(i, email="p@x")
    with_policy.append(time.perf_counter() - started)
    assert profiles.state(i).profile_established
profiles.stop()
for i in [uuid4() for _ in range(200)]:
    accounts.initialize_account(i, email="p@x")
    started = time.perf_counter()
    accounts.activate_account(i, email="p@x")
    without.append(time.perf_counter() - started)
out["policy_latency_ms"] = 1000 * (statistics.median(with_policy) - statistics.median(without))
out["activate_with_policy_ms"] = 1000 * statistics.median(with_policy)
accounts.stop()
plain.close()
print(json.dumps(out))
"""

FILL = r"""
import json
import sys
import time
from datetime import UTC, datetime
from uuid import uuid4

from shop import accounts
from shop.accounts.domain.initialize_account.event_v1 import AccountInitializedV1
from shop.shared.event_store import Recorded

URL, EVENTS = sys.argv[1], int(sys.argv[2])
application = accounts.start(URL)
now = datetime.now(UTC)
batch = 1000
stored = application.process_recorder.max_notification_id() or 0
while stored < EVENTS:
    records = []
    for _ in range(batch):
        aggregate_id = uuid4()
        event = AccountInitializedV1(aggregate_id=aggregate_id, email="f@x")
        records.append(Recorded(aggregate_id, 1, event, uuid4(), now, uuid4()))
    application.events.put(records)
    stored += batch
accounts.stop()
started = time.perf_counter()
application = accounts.start(URL)  # the first start projects everything stored
took = time.perf_counter() - started
projected = application.stats["events_projected"]
accounts.stop()
print(json.dumps({"catch_up_events_s": projected / took, "projected": projected}))
"""

RESTART = r"""
import json
import sys
import time

started = time.perf_counter()
from shop import accounts

application = accounts.start(sys.argv[1])
took = time.perf_counter() - started
print(json.dumps({"start_s": took, "read": application.stats["notifications_read"],
                  "loaded": application.stats["events_loaded"],
                  "stored": application.process_recorder.max_notification_id()}))
accounts.stop()
"""


def generate(where: Path) -> Path:
    project = where / "shop"
    project.mkdir()
    for command in COMMANDS:
        subprocess.run(
            [sys.executable, "-m", "slicegen", *command.split()],
            cwd=project,
            check=True,
            capture_output=True,
        )
    return project


def run(project: Path, script: str, *args: str) -> dict[str, float]:
    path = project.parent / "bench_script.py"
    path.write_text(textwrap.dedent(script), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(path), *args],
        cwd=project.parent,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(project: Path, url: str, commands: int, events: int) -> dict[str, float]:
    figures = run(project, SCRIPT, url, str(commands), str(events))
    figures.update(run(project, FILL, url, str(events)))
    figures.update(run(project, RESTART, url))
    figures["ratio_plain_over_api"] = figures["plain_cmd_s"] / figures["api_projected_cmd_s"]
    figures["ratio_plain_over_plain_slice"] = (
        figures["plain_cmd_s"] / figures["api_plain_slice_cmd_s"]
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--commands", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp))
        results = {
            "sqlite": measure(project, f"sqlite:///{tmp}/bench.sqlite3", args.commands, args.events)
        }
        servers = postgres_server()
        server = next(servers)
        try:
            if server is not None:
                results["postgres"] = measure(
                    project, server.new_database(), args.commands, args.events
                )
        finally:
            servers.close()
    for backend, figures in results.items():
        print(f"[{backend}]")
        for key, value in figures.items():
            print(f"  {key:28} {value:12.2f}")


if __name__ == "__main__":
    main()

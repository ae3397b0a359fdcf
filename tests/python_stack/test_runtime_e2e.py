"""The generated runtime as its users run it: scripts in subprocesses, on SQLite and PostgreSQL.

One project (init, three domains, slices, a fact, two policies following it) is generated once;
each test runs scripts against a fresh database: a fact stored while its consumer was down, a
SIGKILL between the event's commit and the fact's processing, three domains in one database, a
restart over many stored events (counted, never timed), the consumer runner in its own process,
and v1 events read back after ``add-version``.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.python_stack.postgres import PostgresServer, postgres_server
from tests.python_stack.support import clean_env, invoke
from tests.python_stack.support import ok as ok_subprocess

COMMANDS = [
    line.split()
    for line in (
        "new-domain accounts",
        "new-domain profiles --aggregate profile",
        "new-domain billing --aggregate ledger",
        "add-slice accounts initialize_account --field email:str --projection summary",
        "add-slice accounts activate_account --field email:str",
        "add-projection accounts activate_account summary",
        "add-slice accounts refer_account --field referrer:uuid --field fee:decimal? "
        "--field at:datetime --projection summary",
        "add-slice profiles establish_profile --field email:str",
        "add-slice billing open_ledger --field email:str",
        "add-fact accounts account_activated",
        "add-policy profiles establish_profile --on accounts:account_activated",
        "add-policy billing open_ledger --on accounts:account_activated",
    )
]

PRELUDE = """
import json
import os
import sys
from uuid import UUID

from shop import accounts, billing, profiles

URL = sys.argv[1]
ID = UUID(int=7)


def events_of(domain, aggregate_id):
    return list(domain.start(URL).records(aggregate_id))
"""

OPEN_ACCOUNT = """
accounts.start(URL)
assert isinstance(accounts.initialize_account(ID, email="a@example.com"), list)
assert isinstance(accounts.activate_account(ID, email="a@example.com"), list)
accounts.stop()
"""

REPORT_PROFILE = """
application = profiles.start(URL)
print(json.dumps({
    "established": profiles.state(ID).profile_established,
    "events": len(events_of(profiles, ID)),
    "facts_processed": application.stats["facts_processed"],
}))
profiles.stop()
"""


def run_script(project: Path, body: str, url: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``PRELUDE + body`` with the project's ``src`` on the path, in its own process."""
    path = project.parent / f"script_{uuid.uuid4().hex}.py"
    path.write_text(textwrap.dedent(PRELUDE) + textwrap.dedent(body), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(path), url],
        cwd=project.parent,
        capture_output=True,
        text=True,
        env=clean_env(PYTHONPATH=str(project / "src"), **env),
        check=False,
        timeout=600,
    )


def ok(project: Path, body: str, url: str, **env: str) -> str:
    done = run_script(project, body, url, **env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def last_json(out: str) -> dict[str, object]:
    import json

    line = out.strip().splitlines()[-1]
    value = json.loads(line)
    assert isinstance(value, dict)
    return value


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runtime_e2e") / "shop"
    root.mkdir()
    ok_subprocess(root, "init", "--stack", "python", "--app", "shop")
    for command in COMMANDS:
        invoke(root, *command)
    return root


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer | None]:
    yield from postgres_server()


@pytest.fixture(params=["sqlite", "postgres"])
def database(
    request: pytest.FixtureRequest, tmp_path: Path, server: PostgresServer | None
) -> Callable[[], str]:
    """A function giving the URL of a fresh database of the parametrised kind."""
    if request.param == "sqlite":
        return lambda: f"sqlite:///{tmp_path / f'db_{uuid.uuid4().hex}.sqlite3'}"
    if server is None:
        pytest.skip("PostgreSQL server binaries are absent (SLICEGEN_REQUIRE_POSTGRES unset)")
    return server.new_database


def test_a_fact_stored_while_the_consumer_is_down_is_processed_when_it_starts(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    ok(project, OPEN_ACCOUNT, url)
    first = last_json(ok(project, REPORT_PROFILE, url))
    assert first == {"established": True, "events": 1, "facts_processed": 1}
    again = last_json(ok(project, REPORT_PROFILE, url))
    assert again == {"established": True, "events": 1, "facts_processed": 0}


def test_read_models_change_in_the_transaction_of_their_events(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    body = """
    from shop.shared.views import ViewStore

    application = accounts.start(URL)
    assert isinstance(accounts.initialize_account(ID, email="a@example.com"), list)
    summary = accounts.read_model(accounts.Summary, ID)
    recorder = application.process_recorder
    first = {
        "seen": summary.events_seen if summary else None,
        "tracked": recorder.max_tracking_id(application.views_tracking),
        "stored": recorder.max_notification_id(),
    }

    def broken(self, cursor, rows, tracking):
        raise RuntimeError("the read model cannot be written")

    ViewStore._write = broken
    try:
        accounts.activate_account(ID, email="b@example.com")
    except RuntimeError:
        failed = True
    else:
        failed = False
    print(json.dumps({**first, "failed": failed, "events": len(events_of(accounts, ID)),
                      "read": application.stats["notifications_read"]}))
    """
    counts = last_json(ok(project, body, url))
    # the view is current without any catch-up (nothing read from the log), and a view that
    # cannot be written takes the command's event down with it
    assert counts == {
        "seen": 1,
        "tracked": counts["stored"],
        "stored": counts["stored"],
        "failed": True,
        "events": 1,
        "read": 0,
    }
    assert isinstance(counts["stored"], int) and counts["stored"] >= 1


TELEMETRY = """
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

exported = InMemorySpanExporter()
tracing = TracerProvider()
tracing.add_span_processor(SimpleSpanProcessor(exported))
trace.set_tracer_provider(tracing)
reader = InMemoryMetricReader()
metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))


def report():
    counted = {}
    for resource in reader.get_metrics_data().resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    kind = point.attributes["kind"]
                    counted[kind] = counted.get(kind, 0) + point.value
    spans = [(s.name, format(s.context.trace_id, "032x")) for s in exported.get_finished_spans()]
    print(json.dumps({"spans": spans, "counted": counted}))
"""


def test_a_policy_span_joins_the_trace_of_the_command_in_another_process(
    project: Path, database: Callable[[], str]
) -> None:
    pytest.importorskip("opentelemetry.sdk")
    url = database()
    publish = TELEMETRY + OPEN_ACCOUNT + "report()\n"
    consume = TELEMETRY + "profiles.start(URL)\nprofiles.stop()\nreport()\n"
    published = last_json(ok(project, publish, url))
    consumed = last_json(ok(project, consume, url))
    dispatched = [trace for name, trace in published["spans"] if name == "accounts.dispatch"]
    handled = [name for name, _ in published["spans"] if name == "accounts.handle"]
    assert len(dispatched) == 2 and len(set(dispatched)) == 2 and len(handled) == 2
    policies = [trace for name, trace in consumed["spans"] if name == "profiles.policy"]
    # the activation's trace id travelled inside the fact to the consumer's process
    assert policies == [dispatched[-1]]
    assert published["counted"] == {"command": 2}
    assert consumed["counted"] == {"fact": 1}


def test_followers_read_and_write_nothing_for_events_they_do_not_follow(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    body = """
    accounts.start(URL)
    followers = [profiles.start(URL), billing.start(URL)]
    for n in range(1, 6):  # no fact: nothing for the policies of profiles and billing
        accounts.initialize_account(UUID(int=n), email="a@example.com")
    print(json.dumps({
        "positions": [f.process_recorder.max_tracking_id("accounts") for f in followers],
        "read": sum(f.stats["notifications_read"] for f in followers),
    }))
    """
    assert last_json(ok(project, body, url)) == {"positions": [None, None], "read": 0}


def test_a_policy_failure_never_reaches_the_publishers_caller(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    failing = """
    from shop.profiles.router import ROUTES

    def broken(fact):
        raise RuntimeError("the profile service is down")

    ROUTES.policies[:] = [(fact_type, broken) for fact_type, _ in ROUTES.policies]
    profiles.start(URL)
    accounts.start(URL)
    assert isinstance(accounts.initialize_account(ID, email="a@example.com"), list)
    outcome = accounts.activate_account(ID, email="a@example.com")
    assert isinstance(outcome, list), outcome
    assert not profiles.state(ID).profile_established
    """
    done = run_script(project, failing, url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the profile service is down" in done.stderr
    assert last_json(ok(project, REPORT_PROFILE, url))["events"] == 1


def test_sigkill_between_the_commit_and_the_fact_then_a_restart_establishes_once(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    killed = """
    import signal
    from shop.shared.application import DomainApplication

    react = DomainApplication._react_page

    def die(self, leader, page, last):
        if page:  # the fact is committed with the account's event; die before processing it
            os.kill(os.getpid(), signal.SIGKILL)
        react(self, leader, page, last)

    DomainApplication._react_page = die
    profiles.start(URL)
    accounts.start(URL)
    accounts.initialize_account(ID, email="a@example.com")
    accounts.activate_account(ID, email="a@example.com")
    print("not reached")
    """
    done = run_script(project, killed, url)
    assert done.returncode == -signal.SIGKILL
    assert "not reached" not in done.stdout
    committed = """
    profiles.start(URL)
    print(len(events_of(accounts, ID)), profiles.state(ID).profile_established)
    """
    assert ok(project, committed, url).split() == ["2", "True"]
    assert last_json(ok(project, REPORT_PROFILE, url)) == {
        "established": True,
        "events": 1,
        "facts_processed": 0,
    }


def test_three_domains_share_one_database_and_one_correlation_id(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    body = """
    for domain in (accounts, profiles, billing):
        domain.start(URL)
    assert isinstance(accounts.initialize_account(ID, email="a@example.com"), list)
    assert isinstance(accounts.activate_account(ID, email="a@example.com"), list)
    for domain in (accounts, profiles, billing):
        domain.stop()
    for domain in (billing, profiles, accounts):
        domain.start(URL)
    activated = events_of(accounts, ID)[-1]
    established = events_of(profiles, ID)
    opened = events_of(billing, ID)
    assert len(established) == 1 and len(opened) == 1
    for caused in (established[0], opened[0]):
        assert caused.correlation_id == activated.correlation_id
        assert caused.causation_id is not None and caused.causation_id != activated.id
        assert caused.occurred_at.tzinfo is not None
    summary = accounts.read_model(accounts.Summary, ID)
    assert summary is not None and summary.events_seen == 2
    assert summary.model_dump()["email"] == "a@example.com"
    print("ok")
    """
    assert ok(project, body, url).strip().endswith("ok")
    tables = _tables(project, url)
    for name in ("accounts_events", "profiles_events", "billing_events", "accounts_summary"):
        assert name in tables, tables
    assert "stored_events" not in tables


def _tables(project: Path, url: str) -> set[str]:
    body = """
    application = accounts.start(URL)
    with application.factory.datastore.transaction(commit=False) as cursor:
        if URL.startswith("sqlite"):
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            cursor.execute("SELECT table_name AS name FROM information_schema.tables")
        print(json.dumps({"tables": [row["name"] for row in cursor.fetchall()]}))
    """
    tables = last_json(ok(project, body, url))["tables"]
    assert isinstance(tables, list)
    return {str(name) for name in tables}


STORED = 300


def test_a_restart_reads_nothing_already_processed_however_many_events(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    fill = f"""
    for domain in (accounts, profiles, billing):
        domain.start(URL)
    for n in range(1, {STORED} + 1):
        accounts.initialize_account(UUID(int=n), email=f"{{n}}@example.com")
        accounts.activate_account(UUID(int=n), email=f"{{n}}@example.com")
    """
    ok(project, fill, url)
    restart = """
    started = [domain.start(URL) for domain in (accounts, profiles, billing)]
    summary = accounts.read_model(accounts.Summary, UUID(int=5))
    assert summary is not None and summary.events_seen == 2
    assert profiles.state(UUID(int=5)).profile_established
    print(json.dumps({"read": sum(a.stats["notifications_read"] for a in started),
                      "projected": sum(a.stats["events_projected"] for a in started),
                      "facts": sum(a.stats["facts_processed"] for a in started),
                      "loaded": sum(a.stats["events_loaded"] for a in started),
                      "views": accounts.start().read_model_size(accounts.Summary)}))
    """
    counts = last_json(ok(project, restart, url))
    # only profile 5's one event is loaded (for its state); nothing is replayed or re-projected
    assert counts == {"read": 0, "projected": 0, "facts": 0, "loaded": 1, "views": STORED}
    rebuilt = subprocess.run(
        [sys.executable, "-m", "shop.shared.runtime", "rebuild", "accounts"],
        cwd=project.parent,
        capture_output=True,
        text=True,
        env=clean_env(PYTHONPATH=str(project / "src"), SHOP_ACCOUNTS_DATABASE_URL=url),
        check=False,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.strip() == f"accounts: {2 * STORED} events projected"
    assert last_json(ok(project, restart, url))["views"] == STORED


TURNS = """
import pathlib
import time

from shop.shared.messages import DomainError

OTHER = UUID(int=8)
TURNS = pathlib.Path(os.environ["TURNS"])


def turn(done, then):  # a bounded wait for the other process's turn, not a timing assertion
    (TURNS / done).touch()
    for _ in range(1200):
        if (TURNS / then).exists():
            return
        time.sleep(0.05)
    raise SystemExit(f"no {then}")
"""

FIRST_WRITER = """
application = accounts.start(URL)
assert isinstance(accounts.initialize_account(ID, email="a1@example.com"), list)
turn("a1", "b1")  # the other process activates ID (version 2) and initializes OTHER
assert isinstance(accounts.activate_account(ID, email="a2@example.com"), list)
assert isinstance(accounts.activate_account(OTHER, email="a3@example.com"), list)
summary = accounts.read_model(accounts.Summary, ID)
print(json.dumps({
    "conflicts": application.stats["conflicts"],
    "versions": [r.originator_version for r in application.records(ID)],
    "emails": [r.message.email for r in application.records(ID)],
    "other": [r.originator_version for r in application.records(OTHER)],
    "seen": summary.events_seen,
    "email": summary.email,
}))
"""

SECOND_WRITER = """
turn("b0", "a1")
application = accounts.start(URL)
assert isinstance(accounts.initialize_account(ID, email="dup@example.com"), DomainError)
assert isinstance(accounts.activate_account(ID, email="b1@example.com"), list)
assert isinstance(accounts.initialize_account(OTHER, email="o@example.com"), list)
print(json.dumps({"conflicts": application.stats["conflicts"]}))
(TURNS / "b1").touch()
"""


def test_two_processes_on_one_aggregate_never_lose_an_update(
    project: Path, database: Callable[[], str], tmp_path: Path
) -> None:
    """Each process decides on the state it remembers; the store's versions settle who wins."""
    url = database()
    scripts = []
    for name, body in (("first", FIRST_WRITER), ("second", SECOND_WRITER)):
        path = tmp_path / f"{name}.py"
        path.write_text(
            textwrap.dedent(PRELUDE) + textwrap.dedent(TURNS) + textwrap.dedent(body),
            encoding="utf-8",
        )
        scripts.append(path)
    env = clean_env(PYTHONPATH=str(project / "src"), TURNS=str(tmp_path))
    running = [
        subprocess.Popen(
            [sys.executable, str(path), url],
            cwd=project.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in scripts
    ]
    (first_out, first_err), (second_out, second_err) = (p.communicate(600) for p in running)
    assert running[0].returncode == 0, first_out + first_err
    assert running[1].returncode == 0, second_out + second_err
    first, second = last_json(first_out), last_json(second_out)
    # the second process's duplicate initialize conflicted at version 1, then was refused
    assert second["conflicts"] == 1
    # the first process's remembered version 1 was stale: one conflict, then a fresh read
    assert first["conflicts"] == 1
    assert first["versions"] == [1, 2, 3]
    assert first["emails"] == ["a1@example.com", "b1@example.com", "a2@example.com"]
    # OTHER was never seen by the first process: the refusal was checked against the store
    assert first["other"] == [1, 2]
    assert (first["seen"], first["email"]) == (3, "a2@example.com")


MANY = 100_000

FILL_DIRECTLY = f"""
from datetime import UTC, datetime
from uuid import uuid4

from shop.accounts.domain.initialize_account.event_v1 import AccountInitializedV1
from shop.shared.event_store import Recorded

application = accounts.start(URL)
now = datetime.now(UTC)
for _ in range({MANY} // 1000):  # stored without the application, so none is projected yet
    records = []
    for _ in range(1000):
        aggregate_id = uuid4()
        event = AccountInitializedV1(aggregate_id=aggregate_id, email="f@example.com")
        records.append(Recorded(aggregate_id, 1, event, uuid4(), now, uuid4()))
    application.events.put(records)
accounts.stop()
"""

START = """
application = accounts.start(URL)
print(json.dumps({key: application.stats[key]
                  for key in ("notifications_read", "events_projected", "events_loaded")}))
"""


def test_a_start_over_100k_stored_events_does_work_only_for_what_is_new(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    ok(project, FILL_DIRECTLY, url)
    first = last_json(ok(project, START, url))
    assert first == {"notifications_read": MANY, "events_projected": MANY, "events_loaded": 0}
    again = last_json(ok(project, START, url))
    assert again == {"notifications_read": 0, "events_projected": 0, "events_loaded": 0}


def test_the_runner_processes_facts_stored_by_another_process(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    env = clean_env(
        PYTHONPATH=str(project / "src"),
        SHOP_ACCOUNTS_DATABASE_URL=url,
        SHOP_PROFILES_DATABASE_URL=url,
    )
    runner = subprocess.Popen(
        [sys.executable, "-m", "shop.shared.runtime", "run", "profiles", "--interval", "0.1"],
        cwd=project.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ok(project, OPEN_ACCOUNT, url)
        wait = """
        import time
        profiles.start(URL)
        for _ in range(600):  # a bounded wait for the runner, not a timing assertion
            if profiles.state(ID).profile_established:
                break
            time.sleep(0.05)
        print(profiles.state(ID).profile_established)
        """
        assert ok(project, wait, url).strip() == "True"
    finally:
        runner.send_signal(signal.SIGTERM)
        _, err = runner.communicate(timeout=60)
    assert runner.returncode == 0, err
    assert last_json(ok(project, REPORT_PROFILE, url))["events"] == 1


def test_v1_events_read_back_after_add_version(
    project: Path, database: Callable[[], str], tmp_path: Path
) -> None:
    url = database()
    copy = tmp_path / "versioned" / "shop"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
    ok(copy, OPEN_ACCOUNT, url)
    invoke(copy, "add-version", "accounts", "initialize_account", "--field", "plan:str")
    body = """
    accounts.start(URL)
    assert accounts.state(ID).account_initialized
    assert [e.message.event_type for e in events_of(accounts, ID)] == [
        "account_initialized:v1", "account_activated:v1"
    ]
    summary = accounts.read_model(accounts.Summary, ID)
    assert summary is not None and summary.events_seen == 2
    print("ok")
    """
    assert ok(copy, body, url).strip() == "ok"


def test_a_read_model_reads_back_its_events_field_types_in_another_process(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    write = """
    from datetime import UTC, datetime
    from decimal import Decimal

    accounts.start(URL)
    assert isinstance(accounts.initialize_account(ID, email="a@example.com"), list)
    at = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    done = accounts.refer_account(ID, referrer=UUID(int=9), fee=Decimal("1.25"), at=at)
    assert isinstance(done, list)
    """
    ok(project, write, url)
    read = """
    accounts.start(URL)
    summary = accounts.read_model(accounts.Summary, ID)
    shown = ("referrer", "fee", "at", "email")
    print(json.dumps({k: [type(v).__name__, str(v)] for k, v in summary if k in shown}))
    """
    # read back from the table by a fresh process: the types the events had, not JSON's strings
    assert last_json(ok(project, read, url)) == {
        "email": ["str", "a@example.com"],
        "referrer": ["UUID", "00000000-0000-0000-0000-000000000009"],
        "fee": ["Decimal", "1.25"],
        "at": ["datetime", "2024-01-02 03:04:05+00:00"],
    }


def test_an_event_field_added_by_hand_reads_back_typed_once_the_read_model_declares_it(
    project: Path, database: Callable[[], str], tmp_path: Path
) -> None:
    """An optional field added to an event by hand (a compatible change) reaches the read model
    undeclared, in its JSON form; declared afterwards, the rows already stored read back typed."""
    url = database()
    copy = tmp_path / "hand" / "shop"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
    event = copy / "src/shop/accounts/domain/refer_account/event_v1.py"
    text = event.read_text(encoding="utf-8")
    event.write_text(text + "    channel: UUID | None = UUID(int=5)\n", encoding="utf-8")
    write = """
    from datetime import UTC, datetime

    accounts.start(URL)
    assert isinstance(accounts.initialize_account(ID, email="a@example.com"), list)
    at = datetime(2024, 1, 2, tzinfo=UTC)
    assert isinstance(accounts.refer_account(ID, referrer=UUID(int=9), at=at), list)
    """
    ok(copy, write, url)
    read = """
    accounts.start(URL)
    summary = accounts.read_model(accounts.Summary, ID)
    print(json.dumps({k: type(v).__name__ for k, v in summary if k in ("channel", "referrer")}))
    """
    assert last_json(ok(copy, read, url)) == {"channel": "str", "referrer": "UUID"}
    model = copy / "src/shop/accounts/projections/summary.py"
    text = model.read_text(encoding="utf-8")
    model.write_text(text + "    channel: UUID | None = None\n", encoding="utf-8")
    assert last_json(ok(copy, read, url)) == {"channel": "UUID", "referrer": "UUID"}

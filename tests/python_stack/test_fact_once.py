"""A fact followed across domains causes its policy's events once, on SQLite and PostgreSQL.

The follower stores the events its policy causes and the fact's tracking record in one
transaction (the ``eventsourcing`` library's process recorder): a process killed after the
events are written and before the tracking record leaves neither, and the restart processes the
fact once; two processes that both found the fact untracked race to store it, and the store's
uniqueness settles it (one conflict, then the loser finds the tracking record). Each scenario
runs the generated project in subprocesses, as ``test_runtime_e2e`` does.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from tests.python_stack.support import clean_env
from tests.python_stack.test_runtime_e2e import (
    OPEN_ACCOUNT,
    PRELUDE,
    REPORT_PROFILE,
    TURNS,
    database,
    last_json,
    ok,
    project,
    run_script,
    server,
)

__all__ = ["database", "project", "server"]  # the fixtures, shared with test_runtime_e2e

#: Patches a recorder method on both stores' process recorders (the SQLite class, and the
#: PostgreSQL one when psycopg is installed).
PATCH = """
from eventsourcing.sqlite import SQLiteProcessRecorder

RECORDERS = [SQLiteProcessRecorder]
try:
    from eventsourcing.postgres import PostgresProcessRecorder
except ImportError:
    pass
else:
    RECORDERS.append(PostgresProcessRecorder)


def patch(name, wrap):
    for cls in RECORDERS:
        setattr(cls, name, wrap(getattr(cls, name)))
"""

#: Dies inside the follower's transaction: the policy's events are written, the fact's
#: tracking record (the leader is "accounts") is not yet, nothing is committed.
KILLED_BEFORE_TRACKING = """
import signal


def die_before_tracking(insert):
    def wrapped(self, *args, **kwargs):
        tracking = kwargs.get("tracking", args[-1])
        if tracking.application_name == "accounts":
            os.kill(os.getpid(), signal.SIGKILL)
        return insert(self, *args, **kwargs)

    return wrapped


patch("_insert_tracking", die_before_tracking)
profiles.start(URL)
print("not reached")
"""

#: Both processes find the fact untracked before either stores anything (a bounded wait for
#: the other at the first check only), then both decide and store.
RACER = """
NAME = sys.argv[2]
OTHER_NAME = "second" if NAME == "first" else "first"
checked = []


def meet_after_the_first_check(has_tracking_id):
    def wrapped(self, application_name, notification_id):
        found = has_tracking_id(self, application_name, notification_id)
        if application_name == "accounts" and not checked:
            checked.append(found)
            turn(NAME, OTHER_NAME)
        return found

    return wrapped


patch("has_tracking_id", meet_after_the_first_check)
application = profiles.start(URL)
print(json.dumps({
    "checked": checked,
    "conflicts": application.stats["conflicts"],
    "facts_processed": application.stats["facts_processed"],
}))
profiles.stop()
"""


def test_a_kill_between_the_policys_events_and_the_tracking_record_then_a_restart_processes_once(
    project: Path, database: Callable[[], str]
) -> None:
    url = database()
    ok(project, OPEN_ACCOUNT, url)
    done = run_script(project, PATCH + KILLED_BEFORE_TRACKING, url)
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    assert "not reached" not in done.stdout
    # the killed transaction left nothing: the restart processes the fact, once, and its
    # policy's command is carried out (not refused as a repeat of events already stored)
    restart = run_script(
        project, "import logging\nlogging.basicConfig(level=logging.INFO)\n" + REPORT_PROFILE, url
    )
    assert restart.returncode == 0, restart.stdout + restart.stderr
    assert "policy refused" not in restart.stderr
    assert last_json(restart.stdout) == {"established": True, "events": 1, "facts_processed": 1}
    assert last_json(ok(project, REPORT_PROFILE, url))["facts_processed"] == 0


def test_two_processes_processing_one_fact_at_once_store_its_policys_events_once(
    project: Path, database: Callable[[], str], tmp_path: Path
) -> None:
    url = database()
    ok(project, OPEN_ACCOUNT, url)
    script = tmp_path / "racer.py"
    body = PRELUDE + TURNS + PATCH + RACER
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    env = clean_env(PYTHONPATH=str(project / "src"), TURNS=str(tmp_path))
    running = [
        subprocess.Popen(
            [sys.executable, str(script), url, name],
            cwd=project.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    outs = [p.communicate(timeout=600) for p in running]
    for process, (out, err) in zip(running, outs, strict=True):
        assert process.returncode == 0, out + err
    reports = [last_json(out) for out, _ in outs]
    # both found the fact untracked; one stored it, the other conflicted and then found it stored
    assert [r["checked"] for r in reports] == [[False], [False]]
    assert sorted(r["conflicts"] for r in reports) == [0, 1]
    assert last_json(ok(project, REPORT_PROFILE, url)) == {
        "established": True,
        "events": 1,
        "facts_processed": 0,
    }

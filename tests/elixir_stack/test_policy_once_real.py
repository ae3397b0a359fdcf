"""A fact policy's command recorded once per fact, against real Commanded and EventStore on
PostgreSQL: the three ways a fact comes twice (delivered again after 150 later facts; a node
stopped after the command and before the fact's acknowledgement; two handlers, in one node or in
two nodes, handed it at the same instant). Each recorded the command twice on the 100-event
window that `PolicyOnce` kept before its check moved into the aggregate's process.

Skipped unless ``SLICEGEN_COMMANDED_RIG`` names a mix project built offline in a scratch folder
(never committed): app ``:reckon_profiles``, Commanded 1.4.8, EventStore 1.4.8 and
commanded_eventstore_adapter 1.4.1 compiled, and configured (``config/config.exs``) as the
generated profiles domain configures them for ``--event-store eventstore``, with a reachable
PostgreSQL. The test puts the generated modules in its ``lib/gen`` and compiles them with
warnings as errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.elixir_stack.support import ok, require_elixir, run_tool

RIG = "SLICEGEN_COMMANDED_RIG"
SCRIPT = Path(__file__).parent / "elixir" / "policy_once_real.exs"
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("init", "--stack", "elixir", "--app", "reckon", "--event-store", "eventstore", "."),
    ("new-domain", "accounts"),
    ("add-slice", "accounts", "open_account", "-f", "email:str"),
    ("new-domain", "profiles"),
    ("add-slice", "profiles", "establish_profile"),
    ("add-slice", "profiles", "tag_profile", "-f", "email:str?"),
    ("add-policy", "profiles", "tag_profile", "--on", "accounts:account_opened", "--with-fact"),
)


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rig with the generated profiles domain (and the shared app's modules) compiled in."""
    folder = os.environ.get(RIG)
    if not folder:
        pytest.skip(f"{RIG} does not name a mix project with real Commanded built")
    require_elixir()
    rig = Path(folder)
    tree = tmp_path_factory.mktemp("policy_once_real")
    for args in COMMANDS:
        ok(tree, *args)
    gen = rig / "lib" / "gen"
    shutil.rmtree(gen, ignore_errors=True)
    for app, skip in (
        ("reckon_profiles", {"application.ex", "repo.ex", "domain_api.ex"}),
        ("reckon_shared", {"application.ex"}),
    ):
        lib = tree / "apps" / app / "lib"
        for source in (lib / app).rglob("*.ex"):
            if source.name not in skip and "integration" not in source.parts:
                target = gen / source.relative_to(lib)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    shutil.copyfile(SCRIPT, rig / SCRIPT.name)
    for args in (
        ["mix", "compile", "--warnings-as-errors"],
        ["mix", "event_store.create", "-e", "ReckonProfiles.EventStore"],
        ["mix", "event_store.init", "-e", "ReckonProfiles.EventStore"],
    ):
        done = run_tool(args, rig)
        assert done.returncode == 0, done.stdout + done.stderr
    return rig


def run(rig: Path, *args: str) -> str:
    done = run_tool(["mix", "run", SCRIPT.name, *args], rig)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def profile(rig: Path) -> str:
    """A new profile (its aggregate started), for one scenario."""
    profile_id = str(uuid.uuid4())
    run(rig, "establish", profile_id)
    return profile_id


def recorded(out: str) -> Counter[int]:
    """How many facts had their command recorded how many times."""
    return Counter(
        int(line.split()[2]) for line in out.splitlines() if line.startswith("recorded ")
    )


def test_a_fact_delivered_again_after_150_later_facts_is_recorded_once(rig: Path) -> None:
    assert recorded(run(rig, "later", profile(rig), "150")) == {1: 1}


@pytest.mark.parametrize("later", [0, 150])
def test_a_node_restarted_before_the_acknowledgement_records_the_fact_once(
    rig: Path, later: int
) -> None:
    """The aggregate's process starts afresh: its first check reads the stream whole."""
    assert recorded(run(rig, "restart", profile(rig), str(later))) == {1: 1}


def test_four_handlers_handed_each_fact_at_once_record_it_once(rig: Path) -> None:
    assert recorded(run(rig, "race", profile(rig), "20")) == {1: 20}


def test_two_nodes_handed_the_same_facts_at_once_record_each_once(
    rig: Path, tmp_path: Path
) -> None:
    """Two BEAM nodes (each its own aggregate process, local registry) on one event store: the
    one that appends second is told `wrong_expected_version`, reads the other's events and runs
    `before_execute` again."""
    profile_id, go = profile(rig), tmp_path / "go"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    nodes = [
        subprocess.Popen(
            ["mix", "run", SCRIPT.name, "node", profile_id, str(go), "30"],
            cwd=rig,
            env={**env, "MIX_ENV": "dev"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 300
    while len(list(tmp_path.glob("go.*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # both started and waiting: then both deliver at once
    go.touch()
    for node in nodes:
        out = node.communicate(timeout=300)[0]
        assert node.returncode == 0 and "delivered" in out, out
    assert recorded(run(rig, "count", profile_id, "30")) == {1: 30}

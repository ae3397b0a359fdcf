"""SG402 judges the pub/sub topics of the product: not tests, not the eventsourcing library's
stored topics (object paths) or names that only hold the word ``topic``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import lint_json
from .trees import recorded_event, write

PY = "src/shop/accounts"


def test_only_real_topics_outside_tests_are_judged(make_tree: Callable[..., Path]) -> None:
    code = (
        'MAPPER_TOPIC = "MAPPER_TOPIC"\n'
        'stored = StoredEvent(topic="topic1")\n'
        'factory = Factory(topic="eventsourcing.sqlite:Factory")\n'
        'bus.publish("accounts:events")\n'
    )
    root = make_tree("python", {f"{PY}/bus.py": code, "tests/accounts/test_bus.py": code})
    _, found = lint_json(root, select=["SG402"])
    assert [(f["path"], f["line"], f["names"][0]) for f in found] == [
        (f"{PY}/bus.py", 4, "accounts:events")
    ]


HEX = "defmodule Kit.MixProject do\n  def project, do: [\n    package: package()\n  ]\nend\n"
APP = "defmodule Shop.MixProject do\n  def project, do: [app: :shop]\nend\n"
#: A library's own acknowledgement topic, held in a module attribute.
ACK = (
    "defmodule {mod}.Acks do\n"
    '  @ack_topic "ack_event"\n'
    "  def ack(app, id), do: PubSub.broadcast(app, @ack_topic, {{:ack, id}})\n"
    "  def listen(app), do: PubSub.subscribe(app, @ack_topic)\n"
    "end\n"
)


def test_a_hex_packages_own_topics_are_not_judged(tmp_path: Path) -> None:
    """A Hex package (``package:`` in its mix.exs) publishes no domain's facts: its internal
    topics are not SG402; the same code in an application (or an umbrella app) is."""
    for name, mix, expected in (("kit", HEX, []), ("shop", APP, ["ack_event"])):
        root = tmp_path / name
        mod = name.capitalize()
        event = recorded_event(f"{mod}.AckSent")
        write(root, {"mix.exs": mix, f"lib/{name}/acks.ex": ACK.format(mod=mod)})
        write(root, {f"lib/{name}/ack_sent.ex": event})
        _, found = lint_json(root, select=["SG402"])
        assert [f["names"][0] for f in found] == expected, name
    umbrella = tmp_path / "umbrella"
    write(
        umbrella,
        {
            "mix.exs": APP,
            "apps/kit/mix.exs": HEX,
            "apps/kit/lib/kit/acks.ex": ACK.format(mod="Kit"),
            "apps/shop/mix.exs": APP,
            "apps/shop/lib/shop/acks.ex": ACK.format(mod="Shop"),
            "apps/shop/lib/shop/ack_sent.ex": recorded_event("Shop.AckSent"),
        },
    )
    _, found = lint_json(umbrella, select=["SG402"])
    assert [(f["path"], f["names"][0]) for f in found] == [
        ("apps/shop/lib/shop/acks.ex", "ack_event")
    ]

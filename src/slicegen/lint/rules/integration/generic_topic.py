"""SG402 generic-topic."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.index import files_with
from slicegen.lint.rules.mentions import TOPIC, events_of
from slicegen.model.discovery import is_test
from slicegen.model.domains import is_library
from slicegen.model.reads import ALL

CODE = "SG402"
NAME = "generic-topic"
MESSAGE = "topic '{topic}' is not '<domain>:facts:<event_name>': publish one topic per fact"
READS = ALL  # whether the tree records events: they may be defined in any parsed file
SCOPE = Scope.WORKSPACE  # a tree's topics are judged once any file records an event
EXPLANATION = """\
## What it does
Flags a pub/sub topic (a string passed to `subscribe`/`publish`/`broadcast`, a `topic=` argument, a
`TOPIC`/`@topic` constant) that is not `<source_domain>:facts:<event_name>` with a known domain.
Code is judged only in a tree that records events: topics carry its domains' facts. In
a tree with no event and no fact (livebook's `"sidebar"`, a LiveView chat's `"chat"`, a rate
limiter's `"ratelimit"`, a load-testing tool's MQTT example `"hello/locust"`), a topic tells a user
interface, a cache or a test target that something changed; there is no fact to publish one per
topic. Tests are not judged; in Python, a `topic=` or
`*_TOPIC` string with no `:` (`"topic1"`) or that is an object path
(`"eventsourcing.cipher:AESCipher"`, the `eventsourcing` library's stored topics) is not a pub/sub
topic, and a Python module in no domain (esphome's MQTT
`client.publish("esphome/discover")`) publishes no domain's facts, and a keyword argument of a
pub/sub call is one only when it names where (`topic=`, `channel=`, `subject=`, `routing_key=`):
wagtail's `revision.publish(log_action="wagtail.publish.scheduled")` passes none. A Hex package's
own topics (a library such as Commanded broadcasting `@ack_topic "ack_event"` to itself) carry no
domain's facts: not judged. A string with whitespace in it (`Subscription.subscribe(person, item,
"you were on this episode")`, a reason given to a function that happens to be called `subscribe`) is
prose, not a topic, and a string ending in `:` (`@topic_prefix "sequin:trace:"`) is a prefix an id
is joined to. In Elixir the topic is the call's first argument when that is a string
(`Endpoint.broadcast(topic, event, payload)`), else its second, after the server
(`Phoenix.PubSub.subscribe(MyApp.PubSub, topic)`); a later string is an event name or a payload
(`Phoenix.Channel.Server.broadcast(pubsub, topic, "deactivated", %{})`), never a topic.

## Why is this bad?
Generic topics (`"accounts:events"`, `"domain:updates"`) make every subscriber receive and filter
everything, and hide which facts a domain depends on. One topic per fact makes dependencies
explicit and lets consumers subscribe only to what they need.

## Example
```elixir
Phoenix.PubSub.subscribe(:ex_esdb_pubsub, "accounts:events")
```

## Use instead
```elixir
Phoenix.PubSub.subscribe(:ex_esdb_pubsub, "accounts:facts:account_activated")
```
"""


def _in_library(ctx: RuleContext, path: str) -> bool:
    """Whether ``path`` is the code of a Mix project published as a Hex package."""
    if not path.endswith((".ex", ".exs")):
        return False
    parts = path.split("/")
    project = "/".join(parts[: parts.index("lib")]) if "lib" in parts[:-1] else ""
    libraries: dict[str, bool] = ctx.memo.setdefault("hex packages", {})
    if project not in libraries:
        libraries[project] = is_library(ctx.model.root / project)
    return libraries[project]


def _in_no_domain(ctx: RuleContext, path: str) -> bool:
    """Whether ``path`` is a Python module of no domain: it has no domain's facts to publish
    (esphome's MQTT ``client.publish("esphome/discover")``, a documentation snippet)."""
    return path.endswith(".py") and ctx.model.domain_of(path) is None


def _without_events(ctx: RuleContext) -> bool:
    """Whether the tree records no event and no fact: it has no facts to publish (livebook's
    ``"sidebar"``: a user interface told that something changed; locust's MQTT example
    publishing ``"hello/locust"``: a load test's messages)."""
    if "records events" not in ctx.memo:
        events = bool(events_of(ctx)) or any(a.kind == "fact" for a in ctx.model.artifacts)
        ctx.memo["records events"] = events
    return not ctx.memo["records events"]


def check(ctx: RuleContext) -> Iterator[Finding]:
    domains = {d.name for d in ctx.model.domains}
    for path, info in files_with(ctx, "strings"):
        if is_test(path) or _in_library(ctx, path) or _in_no_domain(ctx, path):
            continue
        if _without_events(ctx):
            return
        for s in info.strings:
            if s.role != "topic" or _prose(s.value) or s.value.endswith(":"):
                continue  # a sentence, or a prefix an id is joined to (@topic_prefix "x:trace:")
            match = TOPIC.fullmatch(s.value)
            if match and (not domains or match.group("domain") in domains):
                continue
            reason = (
                f"'{match.group('domain')}' is not a domain"
                if match
                else "it is not '<domain>:facts:<event_name>'"
            )
            yield finding(
                CODE,
                f"topic '{s.value}' is generic: {reason}; publish one topic per fact "
                "(e.g. 'accounts:facts:account_activated')",
                path,
                s.line,
                s.col,
                s.value,
            )


def _prose(value: str) -> bool:
    """Whether a string is a sentence rather than a topic name (topics hold no whitespace)."""
    return any(ch.isspace() for ch in value.strip())

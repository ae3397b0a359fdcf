"""The boundary rules' codes, names and explanations, as data for the lint registry.

Each explanation has ruff's sections (What it does / Why is this bad? / Example / Use instead);
``slicegen rule CODE``, the docs and SARIF metadata read this one text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BoundaryRule:
    """A rule's code, kebab-case name, one-line summary, explanation and message shape."""

    code: str
    name: str
    summary: str
    explanation: str
    message: str = ""


RULES: tuple[BoundaryRule, ...] = (
    BoundaryRule(
        "SG501",
        "internal-access",
        "code in one domain using another domain's internals",
        """\
## What it does
Flags code in one domain that imports, aliases or calls anything below another domain's public
root: in Python anything but `shop.accounts` itself (`shop.accounts.domain...`,
`shop.accounts.app`), in Elixir anything but `ReckonAccounts` (`ReckonAccounts.Domain...`).

## Why is this bad?
A domain's internals change with it. Code that reaches into them couples two bounded contexts so
that neither can change alone, and the boundary erodes one import at a time.

## Example
```python
# src/shop/orders/domain/place_order/maybe_place_order_v1.py
from shop.accounts.domain.open_account.event_v1 import AccountOpenedV1
```
```elixir
alias ReckonAccounts.Domain.OpenAccount.EventV1
```

## Use instead
Call the other domain's public API (`shop.accounts.open_account(...)`,
`ReckonAccounts.open_account(...)`), after declaring the dependency in `[lint.boundaries] allow`,
or subscribe to the fact it publishes (`shop.shared.facts.accounts...`).
""",
        (
            "'{import}' in domain '{importer}' uses {module}, which is internal to '{imported}'; "
            "use its public API '{root}' or subscribe to one of its facts"
        ),
    ),
    BoundaryRule(
        "SG502",
        "undeclared-dependency",
        "code in one domain using another domain's public root without an allowed dependency",
        """\
## What it does
Flags use of another domain's public API (`shop.accounts`, `ReckonAccounts`) when the importing
domain does not list it in `[lint.boundaries] allow`. A dependency its code declares counts too:
`use Boundary, deps: [...]` in its root module, and, for an umbrella app taken whole as a domain,
`{:accounts, in_umbrella: true}` in its `mix.exs` (not one kept `only:` for some environments).

## Why is this bad?
The dependency graph between domains is architecture. If any domain may call any other, the graph
grows unseen; declaring each dependency keeps it explicit and reviewed in version control.

## Example
```python
# src/shop/orders/app.py, with no allow entry for orders
import shop.accounts
```

## Use instead
```toml
[lint.boundaries]
allow = { orders = ["accounts"] }
```
or decouple the domains: publish a fact in one and subscribe to it in the other.
""",
        (
            "'{import}' in domain '{importer}' uses {root} of domain '{imported}', an undeclared "
            "dependency; declare it in [lint.boundaries] allow or subscribe to one of its facts"
        ),
    ),
    BoundaryRule(
        "SG503",
        "domain-cycle",
        "a cycle between domains, through allowed dependencies included",
        """\
## What it does
Finds cycles in the graph of domain dependencies, made of the declared `allow` entries and the
dependencies the code actually has. Each cycle is reported once, with its full chain
(`accounts -> orders -> accounts`) and where each step comes from.

## Why is this bad?
Two domains that depend on each other cannot be understood, tested, deployed or split apart
alone: they are one domain in two folders.

## Example
```toml
[lint.boundaries]
allow = { orders = ["accounts"], accounts = ["orders"] }
```

## Use instead
Keep one direction of the dependency and turn the other into a fact: `orders` calls
`accounts`, and `accounts` publishes `account_closed` that `orders` subscribes to. Or merge the
two domains.
""",
        (
            "domains form a cycle {chain} ({evidence}); break it by publishing a fact on one "
            "side and subscribing to it on the other, or merge them"
        ),
    ),
    BoundaryRule(
        "SG504",
        "not-independent",
        "in strict mode, any use of another domain at all",
        """\
## What it does
With `[lint.boundaries] strict = true`, flags every use of another domain, its public API
included. (In strict mode this rule replaces SG501 and SG502.)

## Why is this bad?
Some domains must be fully independent (plugins, or a core that others extend): a direct call
between them, even through the public API, ties their releases and their failures together.

## Example
```python
# strict = true
from shop.accounts import open_account
```

## Use instead
Communicate only through facts: publish `shop.shared.facts.accounts.account_opened_fact_v1`
from one domain and subscribe to it in the other.
""",
        (
            "'{import}' in domain '{importer}' uses {module} of domain '{imported}', but "
            "[lint.boundaries] strict forbids any cross-domain use; publish a fact and subscribe "
            "to it instead"
        ),
    ),
    BoundaryRule(
        "SG505",
        "layer-direction",
        "a declared layer inside a domain using a layer above it",
        """\
## What it does
With `[lint.boundaries] layers = ["web", "domain", "repo"]` (top first), flags code in one layer
of a domain that uses a layer above it, e.g. `shop.orders.repo` importing `shop.orders.web`. The
layer of a module is its first segment below the domain root.

## Why is this bad?
Dependencies should point down: the web layer knows the domain, the domain knows the repo. An
upward dependency makes the lower layer impossible to reuse or test without the one above.

## Example
```python
# src/shop/orders/repo/orders.py
from shop.orders.web.serializers import OrderJson
```

## Use instead
Move the shared code down into the lower layer, or invert the dependency: let the upper layer
pass a function in, or publish an event.
""",
        (
            "'{import}' in layer '{lower}' of domain '{domain}' uses {module} in layer '{upper}' "
            "above it; move the code down or invert the dependency"
        ),
    ),
    BoundaryRule(
        "SG506",
        "foreign-data",
        "a domain using another domain's repo, tables or database variable",
        """\
## What it does
Flags a domain that uses another domain's data directly: its repo module (`ReckonAccounts.Repo`,
`shop.accounts.repo`), its database environment variable (`SHOP_ACCOUNTS_DATABASE_URL`), or its
tables in a migration or schema (`create table(:accounts_users)`, `alter table(...)`,
`references(...)`, `execute "..."`, `schema "..."`). A table belongs to the domain whose name
prefixes it, or to the one that lists it in `[lint.boundaries] tables`.

## Why is this bad?
Each domain owns its database. Reading or migrating another domain's tables bypasses its
invariants and makes its schema impossible to change.

## Example
```elixir
# apps/reckon_orders/priv/repo/migrations/20240101_add_orders.exs
alter table(:accounts_users) do
  add :order_count, :integer
end
```

## Use instead
Keep a read model of what you need in your own tables, fed by the other domain's facts, or call
its public API.
""",
        (
            "'{text}' in domain '{importer}' uses the repo, table or database variable {name} of "
            "domain '{owner}'; call its public API or subscribe to its facts instead"
        ),
    ),
    BoundaryRule(
        "SG507",
        "uncovered-module",
        "a module that [lint.boundaries] covered names but that belongs to no domain",
        """\
## What it does
With `[lint.boundaries] covered = ["MyApp.**"]` (ArchTest's `all_modules_covered_by`), flags
each file whose module matches one of the globs but belongs to no domain: not in a domain's
folder, not its root file, not below a domain's module namespace, and not shared.

## Why is this bad?
A module outside every domain is outside every contract: nothing checks what it uses or who
uses it, and code drifts there to escape the boundaries.

## Example
```toml
[lint.boundaries]
namespaces = { orders = "MyApp.Orders", accounts = "MyApp.Accounts" }
covered = ["MyApp.**"]
```
```elixir
# lib/my_app/helpers.ex
defmodule MyApp.Helpers do
```

## Use instead
Move the module into the domain that owns it (`MyApp.Orders.Helpers`), declare a domain for it,
or list it in `[lint.boundaries] shared` if every domain may use it.
""",
        (
            "module {module} is in no domain, but [lint.boundaries] covered says every such "
            "module must be; move it into a domain or declare its domain"
        ),
    ),
)

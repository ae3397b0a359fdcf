"""The Elixir relevance prefilter: a file it rules out is one whose full record could not have
changed the SG5xx findings, on generated umbrellas and on randomly perturbed ones."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest

from slicegen.boundaries.check import check
from slicegen.boundaries.collect import Scan, collect, extract, run
from slicegen.boundaries.records import FileDependencies
from slicegen.boundaries.relevance import Relevance
from slicegen.config import Config, read_config_file
from slicegen.model.domains import Domain, DomainMap, discover
from slicegen.naming import to_pascal
from tests.boundaries.conftest import write

APP = "reckon"
DOMAINS = ("accounts", "orders", "orders_archive", "inventory")
#: Lines put into a module body; {O} is another domain's Pascal name, {o} its snake name.
SNIPPETS = (
    "alias Reckon{O}.Repo",
    "alias Reckon{O}.Domain, as: D\n  def d(x), do: D.Thing.new(x)",
    "alias Reckon{O}.{{Repo, Domain.Thing}}",
    "alias Reckon{O}, as: Other\n  def o(x), do: Other.Domain.Repo.get(x)",
    "def r(x), do: Reckon{O}.open(x)",
    "def s, do: %Reckon{O}.Domain.Thing{{}}",
    "def e(x), do: Elixir.Reckon{O}.Repo.all(x)",
    "use Reckon{O}.Handler, application: Reckon{O}.App",
    'def u, do: System.get_env("RECKON_{OU}_DATABASE_URL")',
    'def q, do: execute("UPDATE reckon_{o}_items SET n = 1")',
    "def t, do: table(:{o}_things)",
    "def i, do: unique_index(:{o}_things, [:a])",
    'def j, do: index("{o}_lines", [:a])',
    "def f, do: references(:{OU}_x)",
    "def c, do: constraint(:{o}_things, :positive)",
    'schema "{o}_rows" do\n  end',
    "def g, do: table(:stock_levels)",
    "# only a comment names Reckon{O}",
    'def m, do: "Reckon{O}"',
    "use ReckonShared.Accounts.AccountOpenedFact",
    "def n, do: __MODULE__.Helper.run()",
    "defmodule Nested do\n    def n, do: Reckon{O}.Repo.all()\n  end",
)
CONFIGS = {
    "plain": "",
    "tables": '[lint.boundaries.tables]\ninventory = ["stock_*"]\n',
    "allow": '[lint.boundaries]\nallow = {{ orders = ["accounts"], accounts = ["orders"] }}\n',
    "strict": "[lint.boundaries]\nstrict = true\n",
    "layers": '[lint.boundaries]\nlayers = ["web", "domain", "read_models"]\n',
}


def _module(name: str, body: str) -> str:
    return f"defmodule {name} do\n  {body}\nend\n"


def generated(app: str = APP) -> dict[str, str]:
    """A small umbrella shaped like the lint benchmark's: slices, read models, a migration."""
    files: dict[str, str] = {"mix.exs": "defmodule Reckon.Umbrella.MixProject do\nend\n"}
    for d in (*DOMAINS, "shared"):
        mod = f"{to_pascal(app)}{to_pascal(d)}"
        base = f"apps/{app}_{d}"
        files[f"{base}/mix.exs"] = f"defmodule {mod}.MixProject do\n  use Mix.Project\nend\n"
        files[f"{base}/lib/{app}_{d}.ex"] = f"defmodule {mod} do\nend\n"
        for i in range(3):
            ns = f"{mod}.Domain.Register{i}"
            files[f"{base}/lib/{app}_{d}/domain/register_{i}/maybe_register_v1.ex"] = _module(
                f"{ns}.MaybeRegisterV1",
                f"alias {ns}.{{CommandV1, EventV1}}\n"
                "  def execute(_state, %CommandV1{} = c), do: %EventV1{id: c.id}",
            )
            files[f"{base}/lib/{app}_{d}/read_models/module_{i}.ex"] = _module(
                f"{mod}.ReadModels.Module{i}",
                f"alias {mod}.Repo\n  def all, do: Repo.all(__MODULE__)",
            )
        files[f"{base}/priv/repo/migrations/20240101000000_create.exs"] = _module(
            f"{mod}.Repo.Migrations.Create",
            f'def change do\n    create table(:{d}_items)\n    execute "SELECT 1 FROM {d}_items"\n'
            "  end",
        )
    files["apps/reckon_shared/lib/reckon_shared/accounts/account_opened_fact.ex"] = _module(
        "ReckonShared.Accounts.AccountOpenedFact", "defstruct [:email]"
    )
    return files


def _snippet(template: str, other: str) -> str:
    return template.format(O=to_pascal(other), o=other, OU=other.upper())


def _tree(root: Path, files: dict[str, str], settings: str) -> tuple[Config, DomainMap]:
    write(root, files)
    toml = f'stack = "elixir"\napp = "{APP}"\n\n{settings}'
    (root / "slicegen.toml").write_text(toml, encoding="utf-8")
    config = read_config_file(root / "slicegen.toml")
    assert config is not None
    return config, discover(root, config)


def _foreign(record: FileDependencies, own: Domain, domains: DomainMap) -> bool:
    """Whether a record names another domain's module, database variable or table."""
    owners = [domains.of_module(u.target) for u in record.uses]
    owners += [domains.owner_of_env(d.name) for d in record.data if d.kind == "env"]
    owners += [domains.owner_of_table(d.name) for d in record.data if d.kind == "table"]
    return any(o is not None and o != own for o in owners)


def assert_prefilter_is_sound(root: Path, config: Config, domains: DomainMap) -> int:
    """Same findings with and without the prefilter (by collect, run and Scan entries); kept
    files keep their full record; ruled-out files' full records name nothing foreign (and,
    with layers, nothing is ruled out). Returns how many files were ruled out."""
    layers = bool(config.lint.boundaries.layers)
    full = collect(root, domains, use_cache=False)
    filtered = collect(root, domains, use_cache=False, relevance=Relevance(domains, layers=layers))
    settings = config.lint.boundaries
    expected = check(full, settings, domains)
    assert check(filtered, settings, domains) == expected
    assert run(root, config, use_cache=False) == expected
    ruled_out = 0
    for whole, kept in zip(full, filtered, strict=True):
        assert whole.path == kept.path
        own = domains.of_path(whole.path)
        assert own is not None
        if kept == whole:
            continue
        ruled_out += 1
        assert kept == FileDependencies(whole.path, "elixir", "")
        assert not layers and not _foreign(whole, own, domains), whole.path
        text = (root / whole.path).read_text(encoding="utf-8")
        assert extract(whole.path, text, domains) == whole
    scan = Scan(domains, layers=layers, use_cache=False)
    provided: dict[str, list[object]] = {}
    for record in full:
        raw = (root / record.path).read_bytes()
        stat = os.stat(root / record.path)
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        entry = scan.entry(record.path, raw, stat.st_size, stat.st_mtime_ns, digest)
        assert entry is not None
        provided[record.path] = entry
    paths = [r.path for r in full]
    assert run(root, config, paths=paths, provided=provided, use_cache=False) == expected
    return ruled_out


@pytest.mark.parametrize("settings", sorted(CONFIGS))
def test_every_snippet_in_every_domain(tmp_path: Path, settings: str) -> None:
    files = generated()
    for index, template in enumerate(SNIPPETS):
        for d in DOMAINS:
            other = DOMAINS[(DOMAINS.index(d) + 1 + index) % len(DOMAINS)]
            mod = f"Reckon{to_pascal(d)}"
            rel = f"apps/{APP}_{d}/lib/{APP}_{d}/web/snippet_{index}.ex"
            files[rel] = _module(f"{mod}.Web.Snippet{index}", _snippet(template, other))
    files["apps/reckon_orders/lib/reckon_orders/sneaky.ex"] = _module(
        "ReckonAccounts.Sneaky", "def x, do: __MODULE__.Repo.all()"
    )
    files["apps/reckon_orders/lib/reckon_orders/domain/upward.ex"] = _module(
        "ReckonOrders.Domain.Upward", "alias ReckonOrders.Web.Snippet0"
    )
    config, domains = _tree(tmp_path, files, CONFIGS[settings].format())
    ruled_out = assert_prefilter_is_sound(tmp_path, config, domains)
    expected = check(collect(tmp_path, domains, use_cache=False), config.lint.boundaries, domains)
    assert {v.code for v in expected} >= ({"SG505"} if settings == "layers" else {"SG506"})
    # one namespace, as ArchTest's slices: ReckonAccounts.Sneaky's own Repo, wherever it lies
    assert not any(v.path.endswith("sneaky.ex") for v in expected)
    assert (ruled_out == 0) == (settings == "layers")


@pytest.mark.parametrize("seed", range(16))
def test_randomly_perturbed_trees(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    files = generated()
    sources = sorted(r for r in files if r.endswith((".ex", ".exs")) and "/lib/" in r)
    for rel in rng.sample(sources, 6):
        d = rel.split("/")[1].removeprefix(f"{APP}_")
        other = rng.choice([x for x in (*DOMAINS, "shared") if x != d])
        snippet = _snippet(rng.choice(SNIPPETS), other)
        lines = files[rel].splitlines(keepends=True)
        at = rng.randrange(1, len(lines))  # after the defmodule line, before its end
        files[rel] = "".join([*lines[:at], f"  {snippet}\n", *lines[at:]])
    settings = rng.choice(sorted(CONFIGS))
    config, domains = _tree(tmp_path, files, CONFIGS[settings].format())
    ruled_out = assert_prefilter_is_sound(tmp_path, config, domains)
    assert (ruled_out == 0) == (settings == "layers")


def test_what_the_prefilter_keeps(tmp_path: Path) -> None:
    _, domains = _tree(tmp_path, generated(), "")
    relevance = Relevance(domains, layers=False)
    orders = domains.by_name("orders")
    assert orders is not None
    assert not relevance.elixir("alias ReckonOrders.Repo\ndef execute(s, c), do: s\n", orders)
    assert relevance.elixir("alias ReckonOrdersArchive.Repo\n", orders)  # a longer name
    assert relevance.elixir("alias ReckonInventory\n", orders)
    assert relevance.elixir('x = "RECKON_ORDERS_DATABASE_URL"\n', orders)
    assert relevance.elixir("create table(:inventory_items)\n", orders)
    assert relevance.elixir("create table(:Inventory_Items)\n", orders)
    assert not relevance.elixir("create table(:orders_items)\n", orders)
    assert not relevance.elixir("alias ReckonInventory\n", None)
    assert Relevance(domains, layers=True).elixir("x = 1\n", orders)

"""Where the elixir stack's files go, and the module names they define.

One :class:`DomainNames` per (app, domain) pair gives every path and module name the templates and
the source edits need, so that the layout of ``CONVENTIONS.md`` ("Elixir stack") is spelt out in
exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from slicegen import naming
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.elixir.conventions import CONVENTIONS


@dataclass(frozen=True)
class SharedNames:
    """The umbrella's shared facts app: ``apps/<app>_shared``."""

    app: str
    apps_dir: str

    @property
    def otp_app(self) -> str:
        return f"{self.app}_shared"

    @property
    def module(self) -> str:
        return naming.to_pascal(self.otp_app)

    @property
    def app_dir(self) -> str:
        return f"{self.apps_dir}/{self.otp_app}"

    def fact_file(self, facts_dir: str, source_domain: str, event: str) -> str:
        return f"{facts_dir}/{source_domain}/{CONVENTIONS.fact_file_name(event)}"

    def fact_module(self, source_domain: str, event: str) -> str:
        return f"{self.module}.{naming.to_pascal(source_domain)}.{naming.to_pascal(event)}Fact"

    @property
    def facts_registry_file(self) -> str:
        return f"{self.app_dir}/lib/{self.otp_app}/facts.ex"

    def fact_test_file(self, source_domain: str, event: str) -> str:
        return f"{self.app_dir}/test/{self.otp_app}/{source_domain}/{event}_fact_test.exs"


@dataclass(frozen=True)
class DomainNames:
    """Paths and module names of one domain app, ``apps/<app>_<domain>``."""

    app: str
    domain: str
    apps_dir: str

    @classmethod
    def of(cls, ctx: StackContext, domain: str) -> DomainNames:
        return cls(ctx.config.require_scaffold()[1], domain, ctx.config.resolved_domains_dir())

    @property
    def otp_app(self) -> str:
        return f"{self.app}_{self.domain}"

    @property
    def module(self) -> str:
        return naming.to_pascal(self.otp_app)

    @property
    def app_dir(self) -> str:
        return f"{self.apps_dir}/{self.otp_app}"

    @property
    def lib_dir(self) -> str:
        return CONVENTIONS.domain_code(self.apps_dir, self.app, self.domain)

    @property
    def test_dir(self) -> str:
        return f"{self.app_dir}/test/{self.otp_app}"

    @property
    def public_api(self) -> str:
        return f"{self.app_dir}/lib/{self.otp_app}.ex"

    @property
    def application(self) -> str:
        return f"{self.lib_dir}/application.ex"

    @property
    def router(self) -> str:
        return f"{self.lib_dir}/router.ex"

    @property
    def type_mapper(self) -> str:
        return f"{self.lib_dir}/event_type_mapper.ex"

    @property
    def fixtures(self) -> str:
        return f"{self.test_dir.rsplit('/', 1)[0]}/support/fixtures.ex"

    @property
    def config(self) -> str:
        return f"{self.app_dir}/config/config.exs"

    def aggregate_file(self, aggregate: str) -> str:
        return f"{self.lib_dir}/shared/{aggregate}.ex"

    def aggregate_module(self, aggregate: str) -> str:
        return f"{self.module}.Shared.{naming.to_pascal(aggregate)}"

    @property
    def domain_dir(self) -> str:
        """The literal ``domain/`` folder that holds the slices."""
        return CONVENTIONS.slices_dir(self.apps_dir, self.app, self.domain)

    def slice_dir(self, slice_name: str) -> str:
        return f"{self.domain_dir}/{slice_name}"

    def slice_module(self, slice_name: str) -> str:
        return f"{self.module}.Domain.{naming.to_pascal(slice_name)}"

    def slice_test_dir(self, slice_name: str) -> str:
        return f"{self.test_dir}/{slice_name}"

    def slice_file(self, slice_name: str, stem: str) -> str:
        """``initialize_account``, ``command_v1`` -> ``.../initialize_account/command_v1.ex``."""
        return CONVENTIONS.slice_file(self.apps_dir, self.app, self.domain, slice_name, stem)

    def slice_test(self, slice_name: str, stem: str) -> str:
        return f"{self.slice_test_dir(slice_name)}/{stem}_test.exs"

    def slice_member(self, slice_name: str, stem: str) -> str:
        """The module a slice file defines: ``command_v1`` -> ``...InitializeAccount.CommandV1``."""
        return f"{self.slice_module(slice_name)}.{naming.to_pascal(stem)}"

    def read_model_file(self, read_model: str) -> str:
        return f"{self.lib_dir}/projections/{read_model}.ex"

    def read_model_module(self, read_model: str) -> str:
        return f"{self.module}.Projections.{naming.to_pascal(read_model)}"

    @property
    def migrations_dir(self) -> str:
        return f"{self.app_dir}/priv/repo/migrations"

    def migration_module(self, name: str) -> str:
        return f"{self.module}.Repo.Migrations.{naming.to_pascal(name)}"

    @property
    def policy_once_file(self) -> str:
        return f"{self.lib_dir}/policy_once.ex"

    @property
    def policy_once_module(self) -> str:
        return f"{self.module}.PolicyOnce"

    @property
    def fact_log_file(self) -> str:
        return f"{self.lib_dir}/fact_log.ex"

    @property
    def fact_log_module(self) -> str:
        return f"{self.module}.FactLog"

    def subscriber_file(self, fact_event: str) -> str:
        return f"{self.lib_dir}/integration/{fact_event}_fact_subscriber.ex"

    def subscriber_module(self, fact_event: str) -> str:
        return f"{self.module}.Integration.{naming.to_pascal(fact_event)}FactSubscriber"

    def subscriber_test(self, fact_event: str) -> str:
        return f"{self.test_dir}/integration/{fact_event}_fact_subscriber_test.exs"

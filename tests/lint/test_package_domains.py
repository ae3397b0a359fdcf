"""Boundary domains (model.domains.discover): a package of an app nobody configured is a
domain only with evidence (RULES.md: "this folder is a domain: configured, or recognised with
evidence, never from a folder name alone"): a public API in its ``__init__.py``, a ``domain/``
layer or slice-named files. A layered app's packages (``models.py``, ``service.py``,
``views.py``) reaching into each other are no boundary findings. Trees written here."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from slicegen.lint.command import lint

from .conftest import lint_json
from .trees import Files, write

LAYERED: Files = {
    "pyproject.toml": "[project]\nname = 'desk'\n",
    "src/desk/__init__.py": "",
    "src/desk/tag/__init__.py": "",
    "src/desk/tag/models.py": "class Tag: ...\n",
    "src/desk/tag/service.py": "from desk.incident.models import Incident\n",
    "src/desk/incident/__init__.py": "",
    "src/desk/incident/models.py": "class Incident: ...\n",
    "src/desk/incident/views.py": "from desk.tag.models import Tag\nfrom desk.tag import service\n",
}


def _codes(root: Path) -> list[tuple[str, str]]:
    _, found = lint_json(root)
    return [(f["code"], f["path"]) for f in found]


def test_a_layered_apps_packages_are_no_domains(tmp_path: Path) -> None:
    write(tmp_path, LAYERED)
    assert _codes(tmp_path) == []


def test_a_package_with_a_public_api_is_a_domain(tmp_path: Path) -> None:
    """Both packages re-export their API: the deep imports between them are SG501."""
    write(
        tmp_path,
        {
            **LAYERED,
            "src/desk/tag/__init__.py": "from .models import Tag\n\n__all__ = ['Tag']\n",
            "src/desk/incident/__init__.py": "from desk.incident.models import Incident\n",
        },
    )
    codes = _codes(tmp_path)
    assert ("SG501", "src/desk/incident/views.py") in codes
    assert ("SG501", "src/desk/tag/service.py") in codes


def test_a_package_holding_slices_is_a_domain(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **LAYERED,
            "src/desk/tag/commands/__init__.py": "",
            "src/desk/tag/commands/attach_tag.py": "class AttachTag: ...\n",
            "src/desk/incident/domain/__init__.py": "",
        },
    )
    codes = _codes(tmp_path)
    assert ("SG501", "src/desk/incident/views.py") in codes


def test_a_configured_app_declares_its_packages(tmp_path: Path) -> None:
    """``app`` in slicegen.toml: the app's packages are its domains, evidence or not."""
    write(tmp_path, {**LAYERED, "slicegen.toml": 'stack = "python"\napp = "desk"\n'})
    codes = _codes(tmp_path)
    assert ("SG501", "src/desk/incident/views.py") in codes


@pytest.mark.usefixtures("private_cache")
def test_an_api_written_into_an_empty_init_is_seen_by_a_cached_run(tmp_path: Path) -> None:
    """The boundary check's stored result depends on the ``__init__.py`` texts it judged."""
    write(tmp_path, LAYERED)

    def cached() -> list[str]:
        out = io.StringIO()
        lint(tmp_path, "json", stream=out, use_cache=True)
        return sorted({f["code"] for f in json.loads(out.getvalue())})

    assert cached() == []
    assert cached() == []  # from the cache
    for package, api in (("tag", "from .models import Tag\n"), ("incident", "__all__ = []\n")):
        init = tmp_path / f"src/desk/{package}/__init__.py"
        init.write_text(api)
        stat = init.stat()  # in the same clock tick as the run before: move it on
        os.utime(init, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert "SG501" in cached()


ELIXIR: Files = {
    "mix.exs": "defmodule Kit.MixProject do\n  use Mix.Project\nend\n",
    "lib/kit/orders.ex": "defmodule Kit.Orders do\n  def place, do: :ok\nend\n",
    "lib/kit/orders/order.ex": (
        "defmodule Kit.Orders.Order do\n  alias Kit.Billing.Invoice\n  def new, do: Invoice\nend\n"
    ),
    "lib/kit/billing.ex": "defmodule Kit.Billing do\n  def bill, do: :ok\nend\n",
    "lib/kit/billing/invoice.ex": "defmodule Kit.Billing.Invoice do\n  defstruct [:id]\nend\n",
}


@pytest.mark.usefixtures("private_cache")
def test_a_package_declared_in_an_edited_mix_exs_is_seen_by_a_cached_run(tmp_path: Path) -> None:
    """A Hex package has no domains: the stored boundary result depends on ``mix.exs``."""
    write(tmp_path, ELIXIR)

    def cached() -> list[str]:
        out = io.StringIO()
        lint(tmp_path, "json", stream=out, use_cache=True, select=["SG5"])
        return sorted({f["code"] for f in json.loads(out.getvalue())})

    assert cached() == ["SG501"]
    assert cached() == ["SG501"]  # from the cache
    mix = tmp_path / "mix.exs"
    mix.write_text(
        "defmodule Kit.MixProject do\n  use Mix.Project\n\n  def project do\n"
        "    [app: :kit,\n     package: package()]\n  end\nend\n"
    )
    stat = mix.stat()  # in the same clock tick as the run before: move it on
    os.utime(mix, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert cached() == []

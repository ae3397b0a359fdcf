"""The documentation site builds without warnings, and its generated pages are current."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ecosystem.doc_blocks import DOCS

ROOT = DOCS.parent


def _gen_docs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="install the 'docs' extra to build the site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr
    for page in (
        "index.html",
        "tutorials/python/index.html",
        "rules/index.html",
        "configuration/index.html",
        "lint-output.schema.json",
    ):
        assert (tmp_path / "site" / page).is_file(), page


def test_generated_reference_pages_are_current() -> None:
    gen = _gen_docs()
    pages = gen.pages()
    assert {p.name for p in pages} == {"configuration.md", "rules.md"}
    for path, expected in pages.items():
        assert path.read_text(encoding="utf-8") == expected, (
            f"{path.relative_to(ROOT)} is stale: run 'python scripts/gen_docs.py'"
        )


def test_configuration_reference_covers_every_key() -> None:
    from pydantic import BaseModel

    from slicegen.config_schema import Config

    text = (DOCS / "configuration.md").read_text(encoding="utf-8")

    def keys(model: type[BaseModel]) -> list[str]:
        out = []
        for name, field in model.model_fields.items():
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                out += keys(annotation)
            else:
                out.append(field.alias or name.replace("_", "-"))
        return out

    for key in keys(Config):
        assert f"| `{key}` |" in text, key


def test_rule_reference_has_every_rule_and_its_explanation() -> None:
    from slicegen.lint.registry import RULES

    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (SG\d{3})$", text, re.M)
    assert headings == sorted(rule.CODE for rule in RULES)
    for rule in RULES:
        first = next(ln for ln in rule.EXPLANATION.splitlines() if ln and not ln.startswith("#"))
        assert first in text, rule.CODE


def test_check_mode_reports_a_stale_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen = _gen_docs()
    stale = tmp_path / "configuration.md"
    stale.write_text("old\n")
    monkeypatch.setattr(gen, "pages", lambda: {stale: "new\n"})
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert stale.read_text() == "old\n"
    assert gen.main([]) == 0
    assert stale.read_text() == "new\n"
    assert gen.main(["--check"]) == 0


def test_every_docs_page_is_in_the_nav() -> None:
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())

    def pages(nav: object) -> list[str]:
        if isinstance(nav, str):
            return [nav]
        if isinstance(nav, list):
            return [p for item in nav for p in pages(item)]
        if isinstance(nav, dict):
            return [p for value in nav.values() for p in pages(value)]
        return []

    listed = set(pages(config["nav"]))
    owned = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    examples = {p for p in owned if p.startswith("examples/")}  # linked from their own pages
    assert owned - examples <= listed
    assert all((DOCS / page).is_file() for page in listed)

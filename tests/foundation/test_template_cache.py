"""Compiled templates are cached per user, never where a workspace could plant them."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from slicegen import template_cache, templates


def test_a_render_fills_the_user_cache_and_a_second_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(template_cache.NO_CACHE_ENV, raising=False)
    templates._environment.cache_clear()
    first = templates.render("common/design_docs_readme.md.j2", app="shop")
    cached = list((tmp_path / "cache" / "slicegen").glob("jinja-*/*.cache"))
    assert cached
    templates._environment.cache_clear()
    assert templates.render("common/design_docs_readme.md.j2", app="shop") == first
    templates._environment.cache_clear()


def test_no_cache_when_disabled_or_the_folder_is_writable_by_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates._environment.cache_clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv(template_cache.NO_CACHE_ENV, "1")
    assert template_cache.bytecode_cache(templates.environment()) is None
    monkeypatch.delenv(template_cache.NO_CACHE_ENV)
    assert template_cache.bytecode_cache(templates.environment()) is not None
    folder = next((tmp_path / "slicegen").glob("jinja-*"))
    folder.chmod(0o777)
    assert template_cache.bytecode_cache(templates.environment()) is None
    templates._environment.cache_clear()


def test_a_cache_that_cannot_be_written_does_not_fail_a_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: object, bucket: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(template_cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", full_disk)
    templates._environment.cache_clear()
    try:
        assert "shop" in templates.render("common/design_docs_readme.md.j2", app="shop")
    finally:
        templates._environment.cache_clear()


def test_environments_that_compile_differently_never_share_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(template_cache.NO_CACHE_ENV, raising=False)
    plain = jinja2.Environment(trim_blocks=True)
    template_cache.bytecode_cache(plain)
    template_cache.bytecode_cache(jinja2.Environment(trim_blocks=False))
    template_cache.bytecode_cache(jinja2.Environment(trim_blocks=True))
    assert len(list((tmp_path / "slicegen").glob("jinja-*"))) == 2

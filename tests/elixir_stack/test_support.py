"""The Elixir toolchain requirement: skipped without elixir, failing when CI demands it."""

from __future__ import annotations

import pytest

from tests.elixir_stack import support


def test_missing_elixir_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support.shutil, "which", lambda name: None)
    monkeypatch.delenv(support.REQUIRE_ELIXIR, raising=False)
    with pytest.raises(pytest.skip.Exception):
        support.require_elixir()


def test_missing_elixir_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support.shutil, "which", lambda name: None)
    monkeypatch.setenv(support.REQUIRE_ELIXIR, "1")
    with pytest.raises(pytest.fail.Exception, match="SLICEGEN_REQUIRE_ELIXIR=1"):
        support.require_elixir()


def test_present_elixir_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support.shutil, "which", lambda name: f"/opt/bin/{name}")
    assert support.require_elixir() == ("/opt/bin/elixir", "/opt/bin/mix")

"""What a stranger's tree can plant where slicegen looks for its configuration, and folders
nested deeper than the system lets a path reach. Each case failed before its fix."""

from __future__ import annotations

import os

import pytest

from tests.reliability.test_hostile_trees import Site, site

__all__ = ["site"]  # the fixture, shared with the other hostile-tree tests


@pytest.mark.parametrize("planted", ["fifo", "folder", "symlink"])
def test_a_config_that_is_no_regular_file_is_an_error_whatever_it_is(
    site: Site, planted: str
) -> None:
    """A symlinked ``slicegen.toml`` was an error, a FIFO or a folder of that name was passed
    over: lint then ran with the configuration of a folder above, or none."""
    config = site.root / "slicegen.toml"
    config.unlink()
    if planted == "fifo":
        os.mkfifo(config)
    elif planted == "folder":
        config.mkdir()
    else:
        config.symlink_to(site.sentinel / "keep.txt")
    code, findings, err = site.lint()
    assert code == 2 and findings is None
    assert err.startswith(f"error: {config}: cannot be read (is a ")
    assert len(err.strip().splitlines()) == 1

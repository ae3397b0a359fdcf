"""The workspace configuration: discovery, defaults and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from slicegen.config import find_config, read_config_file
from slicegen.errors import SlicegenError
from slicegen.workspace import find_workspace


def test_defaults_follow_the_spec_layouts(tmp_path: Path) -> None:
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    assert config.resolved_domains_dir() == "src/shop"
    assert config.resolved_facts_dir() == "src/shop/shared/facts"
    assert config.storming_doc("accounts") == "design_docs/accounts/event-storming.md"
    assert config.lint.select == ["SG"]
    assert config.lint.all_crud_verbs() == ("create", "update", "delete")


def test_elixir_defaults(tmp_path: Path) -> None:
    (tmp_path / "slicegen.toml").write_text('stack = "elixir"\napp = "reckon"\n')
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    assert config.resolved_facts_dir() == "apps/reckon_shared/lib/reckon_shared"
    assert config.storming_doc("accounts") == "apps/reckon_accounts/design_docs/event-storming.md"


def test_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    deep = tmp_path / "src" / "shop" / "accounts"
    deep.mkdir(parents=True)
    ws = find_workspace(deep)
    assert ws.root == tmp_path.resolve()
    assert ws.config.app == "shop"


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.slicegen]\nstack = "elixir"\napp = "reckon"\n'
        '[tool.slicegen.lint]\nextend-crud-verbs = ["Modify"]\n'
    )
    found = find_config(tmp_path)
    assert found is not None
    assert found[1].stack == "elixir"
    assert found[1].lint.all_crud_verbs()[-1] == "modify"


def test_pyproject_without_table_is_not_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert read_config_file(tmp_path / "pyproject.toml") is None


def test_slicegen_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.slicegen]\nstack = "elixir"\n')
    (tmp_path / "slicegen.toml").write_text('stack = "python"\n')
    found = find_config(tmp_path)
    assert found is not None and found[1].stack == "python"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('stack = "java"\n', ["'stack'", "'java'", "python", "elixir"]),
        ('colour = "red"\n', ["unknown key 'colour'", "stack", "app"]),
        ('[lint]\nselct = ["SG1"]\n', ["unknown key 'lint.selct'", "select"]),
        ('[lint.boundaries]\nstrict = "very"\n', ["'lint.boundaries.strict'", "'very'"]),
        ('app = "My App"\n', ["'app'", "snake_case", "'My App'"]),
        ('[lint]\nextend-crud-verbs = ["two words"]\n', ["extend-crud-verbs", "one ASCII word"]),
        ("stack = \n", ["not valid TOML"]),
    ],
)
def test_bad_config_is_one_line_naming_file_key_value(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = tmp_path / "slicegen.toml"
    path.write_text(text)
    with pytest.raises(SlicegenError) as info:
        read_config_file(path)
    message = info.value.message
    assert "\n" not in message
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def test_pyproject_errors_name_the_tool_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.slicegen]\nstak = "python"\n')
    with pytest.raises(SlicegenError, match=r"unknown key 'tool\.slicegen\.stak'"):
        read_config_file(path)


def test_no_workspace_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SlicegenError, match="slicegen init"):
        find_workspace(tmp_path)


def test_scaffolding_needs_stack_and_app(tmp_path: Path) -> None:
    (tmp_path / "slicegen.toml").write_text("[lint]\nignore = []\n")
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    with pytest.raises(SlicegenError, match="stack"):
        config.require_scaffold()

"""The read plan works out each folder once (``read_mode``'s ``places``): every file's read mode
is the one the per-file rule gives, in domains, nested domains, facts and technical folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slicegen.config import find_config
from slicegen.model.discovery import (
    GROUPED_STEMS,
    TECHNICAL_FOLDERS,
    Layout,
    infer_layout,
    kind_from_stem,
    split_file_version,
    walk,
)
from slicegen.model.load import (
    NO_PARSE,
    PARSE,
    SIFTED,
    TRIGGERED,
    Place,
    Triggers,
    _domain_of,
    domain_index,
    read_mode,
)
from slicegen.model.reads import ALL
from slicegen.stacks.artifacts import EVENT_FOLDER, slice_named_kind

ACC = "src/shop/accounts"
EXTRA = {
    f"{ACC}/helpers.py": "x = 1\n",
    f"{ACC}/read_models/module_0.py": "x = 1\n",
    f"{ACC}/read_models/deep/more.py": "import shop.billing\n",
    f"{ACC}/domain/register/command.py": "class Register: ...\n",
    f"{ACC}/domain/register/notes.py": "x = 1\n",
    f"{ACC}/events/opened.py": "x = 1\n",
    f"{ACC}/events/readme.txt": "x\n",
    f"{ACC}/handlers/on_opened.py": "x = 1\n",
    f"{ACC}/close_account/close_account_command.py": "x = 1\n",
    f"{ACC}/close_account/util.py": "x = 1\n",
    f"{ACC}/commands_v2.py": "x = 1\n",
    "src/shop/facts/account_opened.py": "x = 1\n",
    "src/shop/facts/deep/other.py": "x = 1\n",
    "scripts/tool.py": "import shop.accounts\n",
    "top.py": "x = 1\n",
}


def _reference(rel: str, layout: Layout, triggers: Triggers) -> tuple[int, tuple[bytes, ...]]:
    """The read mode as the per-file rule worked it out before folders were kept."""
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    dom, nested = _domain_of(rel, layout, domain_index(layout))
    needles = triggers.outside if dom is None else triggers.inside.get(dom.root, ())
    defines = bool(layout.facts_dir and rel.startswith(layout.facts_dir + "/"))
    if not defines and dom is not None:
        inner = rel[len(dom.root) + 1 :].split("/")
        defines = (
            len(inner) == 1
            or "domain" in inner[:-1]
            or any(p in TECHNICAL_FOLDERS for p in inner[:-1])
            or (rel.endswith(".py") and EVENT_FOLDER in inner[:-1])
            or kind_from_stem(stem) is not None
            or (len(inner) > 1 and slice_named_kind(inner[-2], stem) is not None)
            or split_file_version(stem)[0] in GROUPED_STEMS
        )
    if triggers.definitions and defines:
        return PARSE, ()
    if not needles:
        return NO_PARSE, ()
    return (SIFTED if rel.endswith(".py") and not nested else TRIGGERED), needles


def test_each_folder_worked_out_once_reads_as_each_file_alone(
    make_tree: Callable[..., Path],
) -> None:
    root = make_tree("python", EXTRA)
    found = find_config(root)
    config = found[1] if found is not None else None
    tree = walk(root, [], True)
    layout = infer_layout(tree, config)
    triggers = Triggers.of(ALL, layout)
    places: dict[str, Place] = {}
    roots = domain_index(layout)
    modes = {rel: read_mode(rel, layout, triggers, roots, places) for rel in sorted(tree.stats)}
    assert modes == {rel: _reference(rel, layout, triggers) for rel in sorted(tree.stats)}
    assert len(places) < len(modes)  # files of one folder share its place
    assert {m for m, _ in modes.values()} >= {PARSE, SIFTED}
    assert layout.facts_dir and any(rel.startswith(layout.facts_dir + "/") for rel in modes)

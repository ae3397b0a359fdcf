"""Reading code blocks out of the Markdown docs, so tests run exactly what the docs show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```\s*$", re.S | re.M)


@dataclass(frozen=True)
class Block:
    lang: str
    body: str
    line: int  # 1-based line of the opening fence


def blocks(path: Path, *langs: str) -> list[Block]:
    """The fenced code blocks of ``path`` whose language is one of ``langs`` (all if none)."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        lang = match["lang"]
        if not langs or lang in langs:
            found.append(Block(lang, match["body"], text.count("\n", 0, match.start()) + 1))
    return found


def _joined(lines: list[str]) -> list[str]:
    """Join backslash-continued lines."""
    out: list[str] = []
    pending = ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending.rstrip())
    return out


def shell_commands(path: Path) -> list[tuple[int, str]]:
    """Every shell command of a doc, in order, with the line of its block.

    In ```console blocks a command is a line starting with ``$ `` (continuation lines follow it;
    other lines are the output shown to the reader); in ```bash blocks every line that is not a
    comment or blank is a command.
    """
    commands = []
    for block in blocks(path, "console", "bash"):
        lines = block.body.splitlines()
        if block.lang == "console":
            raw: list[str] = []
            continuing = False
            for line in lines:
                if line.startswith("$ "):
                    raw.append(line[2:])
                    continuing = line.rstrip().endswith("\\")
                elif continuing:
                    raw.append(line)
                    continuing = line.rstrip().endswith("\\")
            cmds = _joined(raw)
        else:
            cmds = _joined([ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")])
        commands += [(block.line, cmd.strip()) for cmd in cmds if cmd.strip()]
    return commands

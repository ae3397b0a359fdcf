"""SG001 parse-error."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.index import files_with
from slicegen.model.reads import ALL

CODE = "SG001"
NAME = "parse-error"
MESSAGE = "{path} could not be checked: {reason}"
READS = ALL  # reports the syntax errors of every file any rule may read
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Reports a source file that could not be read or parsed: unreadable (permissions), a symlink
(lint follows no symlink), a FIFO, device or socket, larger than the 2 MiB lint reads of a file,
binary, not UTF-8, nested too deeply for the parser, or with a syntax error. The run goes on
with the other files.

Every source file is read, so unreadable, binary and non-UTF-8 files are always reported. To
stay fast, a file is parsed only when a selected rule may need what is in it (each rule declares
what it reads): slices, facts, technical folders, artifact-named files, a domain's top-level
modules, and any file that mentions dispatch, topics, type strings or another domain (a Python
file only when its text can hold what is read there: a class, a type string or topic, a dispatch
or pub/sub call, another domain's name; and a word such as `event_type`, `publish` or `dispatch`
counts only where the reader can record what it stands for, a call or an `event_type` target,
not a keyword argument `event_type=Kind.X`, `is_published` or `dispatcher`).
`slicegen lint --parse-all` parses every file, so that a syntax error anywhere is reported.
An Elixir file whose syntax error lies on a line holding an EEx tag (`defmodule <%= @app %>.Router
do`) is a template a generator renders, not Elixir to fix: it is not reported.

## Why is this bad?
Nothing in such a file can be checked, so every other rule is silent about it; a broken file in a
domain may also hide a slice or a dispatch call.

## Example
```python
class AccountInitializedV1(Event)   # missing ':'
```

## Use instead
```python
class AccountInitializedV1(Event):
```
or exclude the file (`[lint] exclude = ["legacy/**"]`) if it is not source code.
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    for path, info in files_with(ctx, "error"):
        if info.error is not None:
            yield finding(
                CODE,
                f"{path} could not be checked: {info.error}",
                path,
                info.error_line,
                info.error_col,
                path,
            )

"""SG308 technical-folder."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL
from slicegen.stacks.artifacts import TECHNICAL_FOLDERS

CODE = "SG308"
NAME = "technical-folder"
MESSAGE = "folder '{folder}/' in domain '{domain}' groups code by technical layer: use slices"
READS = ALL  # what a file is comes from its code: any file a rule parses
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a folder inside a domain named after a technical layer: `commands/`, `events/`,
`handlers/`, `command_handlers/`, `event_handlers/`, `policies/`, `evolvers/`, `services/`,
`controllers/`, `models/`. A folder named after an artifact kind is flagged only when it holds
such an artifact (a struct in `commands/`, not only validators; not Django's management
commands, `class Command(BaseCommand)` programs in `<app>/management/commands/`).

## Why is this bad?
Technical folders slice the code horizontally: one business operation is spread over five
folders and every feature touches all of them. Vertical slices keep an operation together.

## Example
```
lib/reckon_accounts/commands/initialize_account.ex
lib/reckon_accounts/events/account_initialized.ex
```

## Use instead
```
lib/reckon_accounts/domain/initialize_account/command_v1.ex
lib/reckon_accounts/domain/initialize_account/event_v1.ex
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    holding = {a.path.rsplit("/", 1)[0] for a in ctx.model.artifacts}
    declared = ctx.config is not None and ctx.config.declares_domains
    for dom in ctx.model.domains:
        # a domain found in a tree nobody configured, whose code shows no operation at all,
        # has none to move into slices: its models/ or services/ is how the app is written
        shows = declared or bool(dom.slices or dom.artifacts)
        for folder in dom.technical_folders:
            name = folder.rsplit("/", 1)[-1]
            if TECHNICAL_FOLDERS.get(name) is not None and folder not in holding:
                continue  # e.g. validators in commands/: no command in it, nothing misplaced
            if not shows:
                continue
            yield finding(
                CODE,
                f"folder '{name}/' in domain '{dom.name}' groups code by technical layer: move "
                f"each operation into its slice under {dom.root}/domain/<slice>/",
                folder,
                1,
                1,
                name,
            )

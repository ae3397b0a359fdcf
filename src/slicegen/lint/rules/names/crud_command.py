"""SG102 crud-command."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.mentions import commands_of
from slicegen.model.reads import ALL

CODE = "SG102"
NAME = "crud-command"
MESSAGE = "{what} '{name}' starts with the CRUD verb '{verb}': use a business verb, e.g. {ideas}"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.WORKSPACE  # names are judged once per tree, with evidence from every file
#: Off unless selected by its full code: the guideline's own slices include `create_profile/`.
OPT_IN = True
EXPLANATION = """\
## What it does
Flags a command or slice named with a bare CRUD verb: `create_`, `update_`, `delete_` (and the
verbs added with `[lint] extend-crud-verbs`). Opt-in: on only when `SG102` itself is selected
(`extend-select = ["SG102"]`), since the guideline's own examples include `create_profile/`.

## Why is this bad?
A slice is one business operation. `update_profile` hides which operation it is (renaming?
changing the picture? hiding the profile?) and invites one slice that does everything.

## Example
```
src/shop/profiles/domain/update_profile/command_v1.py
```

## Use instead
```
src/shop/profiles/domain/rename_profile/command_v1.py
src/shop/profiles/domain/personalize_profile/command_v1.py
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    verbs = ctx.crud_verbs
    verdicts: dict[str, tuple[str, str] | None] = {}  # per name: the verb and the ideas
    for m in commands_of(ctx):
        if m.name in verdicts:
            verdict = verdicts[m.name]
        else:
            verdict = verdicts[m.name] = _verdict(m.name, verbs)
        if verdict is None:
            continue
        verb, ideas = verdict
        yield finding(
            CODE,
            f"{m.what} '{m.shown}' starts with the CRUD verb '{verb}': name the business "
            f"operation, e.g. {ideas or 'a business verb'}",
            m.path,
            m.line,
            m.col,
            m.name,
        )


def _verdict(name: str, verbs: tuple[str, ...]) -> tuple[str, str] | None:
    verb = naming.crud_verb_in_command(name, verbs)
    if verb is None:
        return None
    return verb, ", ".join(f"'{s}'" for s in naming.suggest_command_names(name, verbs)[:3])

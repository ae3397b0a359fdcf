"""Render a bundled copier template with jinja directly: copier's files, without importing copier.

Importing copier costs about half a second and 40 MiB (questionary, prompt_toolkit, pydantic),
more than the rest of ``new-domain``. slicegen's own templates use a small part of copier's
questionnaire: ``str`` questions, defaults rendered from earlier answers, ``when: false``
(computed values kept out of the answers file), ``_templates_suffix``, ``_answers_file`` and
``_envops``. :func:`render_bundled` renders exactly that, the way copier does (paths and files
through a sandboxed jinja environment, the remembered answers in questionnaire order), and
returns None for a template that uses anything else, which is then left to copier.
Workspace overrides always go through copier (``slicegen.copier_render``).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import yaml

#: The copier settings this renderer follows; a template with any other ``_`` key goes to copier.
_SETTINGS = frozenset({"_min_copier_version", "_templates_suffix", "_answers_file", "_envops"})

#: The question keys it follows (``when`` only as ``false``).
_QUESTION_KEYS = frozenset({"type", "help", "default", "when"})

#: What copier never copies from a template (its default ``_exclude``).
_EXCLUDED = frozenset({"copier.yml", "copier.yaml", ".git", ".DS_Store", ".svn", "__pycache__"})


def render_bundled(
    template: Path, answers: dict[str, str], workspace: Path | None = None
) -> dict[str, str] | None:
    """The template's files (relative POSIX path -> text) as copier renders them with
    ``answers`` (for ``workspace``), or None if the template needs more of copier than this
    renders."""
    config = yaml.safe_load((template / "copier.yml").read_text(encoding="utf-8"))
    if not isinstance(config, dict) or not _plain(config):
        return None
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from slicegen.template_cache import bytecode_cache

    env = SandboxedEnvironment(
        loader=FileSystemLoader(template),
        undefined=StrictUndefined,
        **config.get("_envops", {}),
    )
    env.bytecode_cache = bytecode_cache(env, workspace)  # compiled once per user
    suffix = str(config.get("_templates_suffix", ".jinja"))
    questions = {name: q for name, q in config.items() if not name.startswith("_")}
    # copier remembers the answers given, in the order given (a question without one has none)
    remembered = {
        name: value
        for name, value in answers.items()
        if name in questions and questions[name].get("when", True) is not False
    }
    conf = {
        "answers_file": config.get("_answers_file", ".copier-answers.yml"),
        "src_path": str(template),
    }
    values: dict[str, Any] = {}
    for name, question in questions.items():
        if name in answers:
            values[name] = answers[name]
        elif "default" not in question:
            return None  # copier would ask, or fail: its own message
        else:
            default = env.from_string(str(question["default"]))
            values[name] = default.render(**values, _copier_conf=conf)
    context = {
        **values,
        "_copier_answers": {"_src_path": str(template), **remembered},
        "_copier_conf": conf,
    }
    files: dict[str, str] = {}
    for path in sorted(template.rglob("*")):
        rel = path.relative_to(template)
        if not path.is_file() or _EXCLUDED.intersection(rel.parts):
            continue
        target = "/".join(env.from_string(part).render(**context) for part in rel.parts)
        if path.name.endswith(suffix):
            files[target.removesuffix(suffix)] = env.get_template(rel.as_posix()).render(context)
        else:
            files[target] = path.read_text(encoding="utf-8")
    return {rel: files[rel] for rel in sorted(files, key=PurePosixPath)}


def _plain(config: dict[str, Any]) -> bool:
    """Whether every setting and question of ``config`` is one this module renders like copier."""
    for name, value in config.items():
        if name.startswith("_"):
            if name not in _SETTINGS:
                return False
            continue
        if not isinstance(value, dict) or not _QUESTION_KEYS.issuperset(value):
            return False
        if value.get("type", "str") != "str" or value.get("when", False) is not False:
            return False
    return True

"""Output formats: each module renders findings as one string."""

from __future__ import annotations

from collections.abc import Callable

from slicegen.lint.output import github, json_format, junit, sarif, text
from slicegen.lint.output.context import Report

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}

__all__ = ["FORMATS", "Report"]

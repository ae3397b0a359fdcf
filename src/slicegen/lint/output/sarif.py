"""``--format sarif``: SARIF 2.1.0, rule metadata from each rule's explanation."""

from __future__ import annotations

import json
from urllib.parse import quote

from slicegen import __version__
from slicegen.lint.output.context import Report
from slicegen.lint.rule import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def summary_of(rule: Rule) -> str:
    """The first sentence of a rule's 'What it does' section."""
    body = rule.EXPLANATION.split("## What it does", 1)[-1].strip().split("\n\n", 1)[0]
    sentence = " ".join(body.split()).split(". ", 1)[0].rstrip(".")
    return sentence + "."


def _rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.CODE,
        "name": rule.NAME,
        "shortDescription": {"text": summary_of(rule)},
        "fullDescription": {"text": rule.EXPLANATION},
        "help": {"text": rule.EXPLANATION, "markdown": rule.EXPLANATION},
        "defaultConfiguration": {"level": "error"},
    }


def render(report: Report) -> str:
    rules = sorted(report.rules, key=lambda r: r.CODE)
    index = {r.CODE: i for i, r in enumerate(rules)}
    results = []
    for n, f in enumerate(report.findings):
        key_path = report.root_paths[n] if report.root_paths else f.path
        result: dict[str, object] = {
            "ruleId": f.code,
            "level": "error",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(f.path), "uriBaseId": "SRCROOT"},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
            "partialFingerprints": {"slicegen/v1": "|".join([f.code, key_path, *f.names])},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    root_uri = report.root.resolve().as_uri().rstrip("/") + "/"
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "slicegen",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/slicegen/",
                        "rules": [_rule(r) for r in rules],
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": root_uri}},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"

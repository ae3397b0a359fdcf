"""``--format junit``: one test case per finding (or one passing case), for CI test reports."""

from __future__ import annotations

from slicegen.lint.output.context import Report
from slicegen.lint.output.printable import printable


def render(report: Report) -> str:
    import xml.etree.ElementTree as ET  # only for this format (its import costs ~5 ms)

    suites = ET.Element("testsuites", name="slicegen lint")
    n = len(report.findings)
    suite = ET.SubElement(
        suites, "testsuite", name="slicegen", tests=str(max(n, 1)), failures=str(n), errors="0"
    )
    if not report.findings:
        ET.SubElement(suite, "testcase", name="slicegen lint", classname="slicegen")
    for found in report.findings:  # XML 1.0 has no way to write most control characters
        f = found._replace(path=printable(found.path), message=printable(found.message))
        case = ET.SubElement(
            suite,
            "testcase",
            name=f"{f.code} {f.path}:{f.line}:{f.column}",
            classname=f.path.replace("/", "."),
            file=f.path,
            line=str(f.line),
        )
        failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
        failure.text = f"{f.path}:{f.line}:{f.column}: {f.code} ({f.name}) {f.message}"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"

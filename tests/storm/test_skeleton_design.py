"""new-domain's storming skeleton is rendered from a stand-in design (no pydantic): it must render
what the design model renders for the same empty domain."""

from __future__ import annotations

import keyword
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.design.layout import Layout
from slicegen.design.model import DesignModel, DomainDesign
from slicegen.storm.document import derived_blocks
from slicegen.storm.skeleton import new_design
from slicegen.storm.summary import summarize
from tests.conftest import loaded_by

#: Names new-domain accepts: no Python keyword (``as``, ``class``) nor Elixir reserved word.
NAMES = st.from_regex(r"[a-z][a-z0-9]{0,8}(_[a-z0-9]{1,6}){0,2}", fullmatch=True).filter(
    lambda n: (
        not keyword.iskeyword(n)
        and n not in {"and", "or", "not", "if", "in", "is", "do", "end", "fn", "nil", "when"}
    )
)


@settings(max_examples=150, deadline=None)
@given(NAMES, NAMES, st.sampled_from(["python", "elixir"]), st.booleans())
def test_the_stand_in_renders_what_the_design_model_renders(
    domain: str, aggregate: str, stack: str, mermaid: bool
) -> None:
    model = DesignModel(domains={domain: DomainDesign(aggregate=aggregate)})
    stand_in = new_design(domain, aggregate)
    layout = Layout.default(stack, "shop")
    assert derived_blocks(stand_in, domain, layout, mermaid) == derived_blocks(
        model, domain, layout, mermaid
    )
    assert summarize(stand_in, domain) == summarize(model, domain)


def test_new_domain_imports_no_pydantic(tmp_path: Path) -> None:
    init = [sys.executable, "-m", "slicegen", "init", "--stack", "elixir", "--app", "shop"]
    subprocess.run(init, cwd=tmp_path, capture_output=True, check=True)
    assert loaded_by(["new-domain", "orders"], tmp_path, ("pydantic",)) == []
    doc = next(tmp_path.rglob("event-storming.md")).read_text(encoding="utf-8")
    assert "(no slices yet" in doc and "aggregate order" in doc

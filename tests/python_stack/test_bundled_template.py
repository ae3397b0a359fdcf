"""The built-in domain template rendered by jinja directly gives copier's files, byte for byte,
and ``new-domain`` does not import copier for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen import __version__
from slicegen.bundled_template import render_bundled
from slicegen.copier_render import render_copier
from slicegen.template_cache import NO_CACHE_ENV
from slicegen.templates import builtin_templates_dir

DOMAIN = builtin_templates_dir() / "python/domain"

names = st.from_regex(r"[a-z][a-z0-9]{0,6}(_[a-z][a-z0-9]{0,5}){0,2}", fullmatch=True)


@settings(deadline=None, max_examples=15)
@given(app=names, domain=names, aggregate=names, reorder=st.booleans())
def test_bundled_domain_renders_as_copier_does(
    app: str, domain: str, aggregate: str, reorder: bool
) -> None:
    answers = {
        "app": app,
        "domain": domain,
        "aggregate": aggregate,
        "package": f"{app}.{domain}",
        "template_source": "slicegen:python/domain",
        "slicegen_version": "1.2.3" if reorder else "",
    }
    if reorder:  # copier remembers the answers in the order given
        answers = dict(reversed(answers.items()))
    fast = render_bundled(DOMAIN, answers)
    assert fast is not None
    slow = render_copier(DOMAIN, answers, trust=False)
    assert list(fast) == list(slow)
    assert fast == slow


def test_a_template_using_more_of_copier_is_left_to_copier(tmp_path: Path) -> None:
    (tmp_path / "copier.yml").write_text("_tasks: [echo hi]\nname:\n  type: str\n")
    assert render_bundled(tmp_path, {"name": "x"}) is None
    (tmp_path / "copier.yml").write_text("name:\n  type: int\n")
    assert render_bundled(tmp_path, {"name": "1"}) is None
    (tmp_path / "copier.yml").write_text('name:\n  type: str\n  when: "{{ true }}"\n')
    assert render_bundled(tmp_path, {"name": "x"}) is None
    (tmp_path / "copier.yml").write_text("name:\n  type: str\nother:\n  type: str\n")
    assert render_bundled(tmp_path, {"name": "x"}) is None  # unanswered, no default


def test_new_domain_does_not_import_copier(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "slicegen"]
    subprocess.run([*run, "init", "--stack", "python", "--app", "shop"], cwd=tmp_path, check=True)
    code = (
        "import sys\n"
        "from slicegen.entry import main\n"
        "sys.argv = ['slicegen', 'new-domain', 'accounts']\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print('copier' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.split()[-1] == "False"
    assert (
        (tmp_path / "src/shop/accounts/.copier-answers.yml")
        .read_text()
        .endswith(f"_commit: {__version__}\napp: shop\ndomain: accounts\naggregate: account\n")
    )


def test_the_compiled_template_is_cached_per_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    answers = {"app": "shop", "domain": "accounts", "aggregate": "account"}
    first = render_bundled(DOMAIN, answers)
    cached = list((tmp_path / "cache" / "slicegen").glob("jinja-*/*.cache"))
    assert first is not None and cached
    assert render_bundled(DOMAIN, answers) == first  # read back from the cache
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    assert render_bundled(DOMAIN, answers) == first

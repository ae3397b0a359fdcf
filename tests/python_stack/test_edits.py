"""The libcst source edits: idempotent, isort-ordered, keeping the user's comments."""

from __future__ import annotations

from slicegen.stacks.python import edits

ROUTER = '''"""Routes."""

# routing of the accounts domain
from shop.accounts.state import AccountState  # the aggregate
from shop.shared.routing import Routes

ROUTES = Routes(AccountState())
# hand-written: keep this
'''


def apply(source: str, *steps: edits.TreeEdit) -> str:
    return edits.apply(*steps)(source)


def test_imports_land_in_isort_order_and_comments_stay() -> None:
    out = apply(
        ROUTER,
        edits.add_import("shop.accounts.domain.open_account.command_v1", "OpenAccountV1", "shop"),
        edits.add_import("uuid", "UUID", "shop"),
        edits.add_statement("ROUTES.handle(OpenAccountV1, maybe_open_account_v1)"),
    )
    lines = out.splitlines()
    assert lines.index("from uuid import UUID") < lines.index(
        "from shop.accounts.domain.open_account.command_v1 import OpenAccountV1"
    )
    assert lines.index(
        "from shop.accounts.domain.open_account.command_v1 import OpenAccountV1"
    ) < lines.index("from shop.accounts.state import AccountState  # the aggregate")
    assert "# routing of the accounts domain" in out
    assert "# hand-written: keep this" in out
    assert (
        "ROUTES = Routes(AccountState())\nROUTES.handle(OpenAccountV1, maybe_open_account_v1)\n"
        in out
    )


def test_every_edit_is_idempotent() -> None:
    steps = (
        edits.add_import("shop.accounts.domain.open_account.command_v1", "OpenAccountV1", "shop"),
        edits.add_statement("ROUTES.handle(OpenAccountV1, maybe_open_account_v1)"),
        edits.add_function("def opened() -> None:\n    pass\n", "opened"),
    )
    once = apply(ROUTER, *steps)
    assert apply(once, *steps) == once
    assert once.count("ROUTES.handle(") == 1


def test_a_reformatted_registration_is_still_recognised() -> None:
    source = ROUTER + "ROUTES.handle(\n    OpenAccountV1,\n    maybe_open_account_v1,\n)\n"
    out = apply(source, edits.add_statement("ROUTES.handle(OpenAccountV1, maybe_open_account_v1)"))
    assert out == source


def test_names_merge_into_an_existing_import() -> None:
    source = '"""API."""\n\nfrom shop.accounts.app import read_model, start\n'
    out = apply(source, edits.add_import("shop.accounts.app", "dispatch", "shop"))
    assert "from shop.accounts.app import dispatch, read_model, start\n" in out


def test_an_alias_is_kept_apart_from_the_plain_name() -> None:
    source = '"""R."""\n\nfrom shop.a.domain.x.done_to_state_v1 import done_to_state_v1\n'
    step = edits.add_import("shop.a.domain.y.done_to_state_v1", "done_to_state_v1", "shop", "y_d")
    out = apply(source, step)
    assert "import done_to_state_v1 as y_d" in out
    assert apply(out, step) == out


def test_state_fields_go_after_the_docstring_once() -> None:
    source = '"""S."""\n\n\nclass AccountState(State):\n    """Immutable."""\n'
    step = edits.add_class_field("AccountState", "opened: bool = False", "opened")
    out = apply(source, step)
    assert '    """Immutable."""\n\n    opened: bool = False\n' in out
    assert apply(out, step) == out


def test_all_gets_the_new_name_sorted() -> None:
    source = '"""API."""\n\n__all__ = ["start", "stop"]  # public\n'
    out = apply(source, edits.add_to_all("open_account"))
    assert '__all__ = ["open_account", "start", "stop"]' in out


def test_a_function_the_user_changed_is_not_replaced() -> None:
    generated = "def f() -> int:\n    return 1\n"
    source = '"""M."""\n\n\ndef f() -> int:\n    return 2  # mine\n'
    step = edits.replace_function_if_pristine("f", generated, "def f() -> int:\n    return 3\n")
    assert apply(source, step) == source
    pristine = '"""M."""\n\n\n' + generated
    assert "return 3" in apply(pristine, step)


OLD_FUNCTION = (
    'def pay(x: int) -> int:\n    """Pay."""\n    command = PayV1(x=x)\n    return run(command)\n'
)
NEW_FUNCTION = (
    'def pay(x: int) -> int:\n    """Pay."""\n    command = PayV2(x=x)\n    return run(command)\n'
)


def test_a_function_with_comments_is_replaced_and_keeps_them() -> None:
    source = (
        "# above\n"
        'def pay(x: int) -> int:\n    """Pay."""\n    # the one way in\n'
        "    command = PayV1(x=x)\n\n    return run(command)\n"
    )
    out = apply(source, edits.replace_function_if_pristine("pay", OLD_FUNCTION, NEW_FUNCTION))
    assert out == source.replace("PayV1", "PayV2")


def test_a_comment_that_cannot_be_kept_refuses_and_other_code_is_left() -> None:
    import pytest

    from slicegen.errors import SlicegenError

    inline = OLD_FUNCTION.replace("PayV1(x=x)", "PayV1(x=x)  # why")
    with pytest.raises(SlicegenError, match=r"holds a comment .*\(# why\)"):
        apply(inline, edits.replace_function_if_pristine("pay", OLD_FUNCTION, NEW_FUNCTION))
    changed = OLD_FUNCTION.replace("run(command)", "run(command, 1)")
    step = edits.replace_function_if_pristine("pay", OLD_FUNCTION, NEW_FUNCTION)
    assert apply(changed, step) == changed

"""Deriving a v2 module from a hand-edited v1 (``slicegen.stacks.python.derive``)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from slicegen.errors import SlicegenError
from slicegen.stacks.python.derive import Derivation, derive
from tests.python_stack.conftest import Run
from tests.python_stack.support import tree_hash

RENAMES = Derivation(
    {
        "PayV1": "PayV2",
        "PaidV1": "PaidV2",
        "maybe_pay_v1": "maybe_pay_v2",
        "a.command_v1": "a.command_v2",
    },
    {"PaidV2": ["currency=command.currency"]},
)


def _derived(source: str) -> str:
    return derive(textwrap.dedent(source), RENAMES)


def test_names_modules_and_docstrings_move_to_v2_and_the_new_field_is_passed_on() -> None:
    out = _derived(
        '''\
        """Decide on PayV1."""

        from a.command_v1 import PayV1


        def maybe_pay_v1(state: S, command: PayV1) -> list[PaidV1] | E:
            # my rule
            if command.amount > 10:
                return E(reason="too much")
            return [PaidV1(amount=command.amount)]
        '''
    )
    assert out == textwrap.dedent(
        '''\
        """Decide on PayV2."""

        from a.command_v2 import PayV2


        def maybe_pay_v2(state: S, command: PayV2) -> list[PaidV2] | E:
            # my rule
            if command.amount > 10:
                return E(reason="too much")
            return [PaidV2(amount=command.amount, currency=command.currency)]
        '''
    )


def test_a_call_too_long_for_one_line_is_exploded() -> None:
    out = _derived(
        """\
        def maybe_pay_v1(state, command):
            event = PaidV1(aggregate_id=command.aggregate_id, amount=command.amount, note=command.n)
            return [event]
        """
    )
    assert out == textwrap.dedent(
        """\
        def maybe_pay_v2(state, command):
            event = PaidV2(
                aggregate_id=command.aggregate_id,
                amount=command.amount,
                note=command.n,
                currency=command.currency,
            )
            return [event]
        """
    )


def test_a_comment_inside_the_call_or_no_call_refuses() -> None:
    with pytest.raises(SlicegenError, match="a call of PaidV2 holds a comment"):
        _derived(
            """\
            def maybe_pay_v1(state, command):
                return [PaidV1(
                    amount=command.amount,  # cents
                )]
            """
        )
    with pytest.raises(SlicegenError, match="it builds no PaidV2"):
        _derived("def maybe_pay_v1(state, command):\n    return make(command)\n")


def test_add_version_refuses_in_one_line_and_writes_nothing(workspace: Path, sg: Run) -> None:
    assert sg(workspace, "add-slice", "accounts", "pay_fee", "--field", "amount:int").exit_code == 0
    handler = workspace / "src/shop/accounts/domain/pay_fee/maybe_pay_fee_v1.py"
    text = handler.read_text()
    assert "amount=command.amount" in text
    handler.write_text(
        text.replace("amount=command.amount)", "amount=command.amount,  # cents\n    )")
    )
    before = tree_hash(workspace)
    done = sg(workspace, "add-version", "accounts", "pay_fee", "--field", "currency:str")
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1
    assert "cannot carry its rules into maybe_pay_fee_v2 (a call of FeePaidV2 holds a comment)" in (
        done.stderr
    )
    assert tree_hash(workspace) == before

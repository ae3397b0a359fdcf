"""The python stack: pydantic slices wired to the ``eventsourcing`` library.

- ``scaffolder``: the :class:`~slicegen.scaffold.stack.Stack` entry point, routing each command;
- ``project`` (init), ``domain`` (new-domain, via copier), ``slice`` (add-slice, add-projection),
  ``integration`` (add-fact, add-policy), ``version`` (add-version): one module per command;
- ``slice_files``: the files of one slice version, rendered from ``templates/python/``;
- ``registration`` and ``edits``: idempotent libcst edits of router, state and public API;
- ``reader``: reading generated slices back; ``paths``: where files go; ``pysource``: fields,
  sample values and isort-ordered imports, so generated code passes ruff and mypy as written.
"""

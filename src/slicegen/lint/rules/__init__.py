"""The rules, one module per rule, in one folder per family (see :mod:`slicegen.lint.registry`)."""

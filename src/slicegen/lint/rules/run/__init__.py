"""SG0xx: the run itself (files that could not be checked, suppressions that did nothing)."""

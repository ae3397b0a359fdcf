"""Event contracts: the stored shape of every event type, locked in ``events.lock.toml``.

:mod:`.shape` reads an event file's shapes (both stacks), :mod:`.compare` tells a compatible
change from a breaking one, :mod:`.lock` reads, merges and writes the lock file, and
:mod:`.history` reads the shapes at a git revision (``slicegen lint --since REF``).
"""

"""``remove-slice`` of the slice that starts the aggregate: the other slices' integration tests
start the aggregate with its command, so they move to the domain's next starting slice, or (none
left) test the refusal only. A test the user changed is left as it is, with a note."""

from __future__ import annotations

from slicegen.change_set import ChangeSet
from slicegen.stacks.python import slice_files as files
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.preconditions import slice_starts, start_names
from slicegen.stacks.python.reader import slices_of
from slicegen.stacks.python.registration import domain_aggregate
from slicegen.stacks.python.slice_files import Renderer, SliceNames
from slicegen.stacks.python.version import slice_projections


def restarted_tests(cs: ChangeSet, r: Renderer, paths: PyPaths, name: str) -> dict[str, str]:
    """Each integration test that starts the aggregate with slice ``name``'s command, and its
    text starting it without (read before the slice's removal is planned)."""
    aggregate = domain_aggregate(cs, paths)
    out: dict[str, str] = {}
    for info in slices_of(cs, paths):
        before = start_names(cs, paths, aggregate, info.name)
        if info.name == name or before is None or before.command != name:
            continue
        starts = slice_starts(cs, paths, info.name)
        n = SliceNames.of(paths, aggregate, info, info.commands[-1], starts)
        path = files.integration_test_path(n)
        current = cs.read(path)
        after = start_names(cs, paths, aggregate, info.name, name)
        for read_models in (slice_projections(cs, n), []):
            if current == files.integration_test(r, n, read_models, before)[1]:
                out[path] = files.integration_test(r, n, read_models, after)[1]
                break
        else:
            if current is not None:
                cs.note(f"{path} starts the {aggregate} with '{name}': start it another way")
    return out

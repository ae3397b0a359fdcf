"""``python -m slicegen.boundaries [PATH] [--no-cache]``: check the boundaries of a workspace.

Prints one finding per line; exit 1 when there are findings, 2 on a configuration error. When the
workspace's config sits in PATH and nothing changed since the last run, the stored result is
printed without reading the config or any file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from slicegen.boundaries import result_cache
from slicegen.boundaries.records import Violation
from slicegen.errors import EXIT_FINDINGS, EXIT_OK, SlicegenError


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    start = Path(args[0]) if args else Path.cwd()
    use_cache = "--no-cache" not in argv
    hit = result_cache.lookup_for_start(start.resolve()) if use_cache else None
    if hit is not None:
        return _print(hit[1])

    from slicegen.boundaries.collect import run
    from slicegen.workspace import find_workspace

    try:
        workspace = find_workspace(start)
    except SlicegenError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    violations = run(
        workspace.root,
        workspace.config,
        use_cache=use_cache,
        config_path=workspace.config_path.relative_to(workspace.root).as_posix(),
        result_key=result_cache.config_key(workspace.config_path),
    )
    return _print(violations)


def _print(violations: list[Violation]) -> int:
    sys.stdout.write("".join(f"{v}\n" for v in violations))
    return EXIT_FINDINGS if violations else EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

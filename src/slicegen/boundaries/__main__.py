"""``python -m slicegen.boundaries [PATH] [--no-cache]``: check the boundaries of a workspace.

Prints one finding per line; exit 1 when there are findings, 2 on a configuration error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from slicegen.errors import EXIT_FINDINGS, EXIT_OK, SlicegenError


def main(argv: list[str]) -> int:
    from slicegen.boundaries.collect import run
    from slicegen.workspace import find_workspace

    args = [a for a in argv if not a.startswith("--")]
    try:
        workspace = find_workspace(Path(args[0]) if args else None)
    except SlicegenError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    config_path = workspace.config_path.relative_to(workspace.root).as_posix()
    violations = run(
        workspace.root,
        workspace.config,
        use_cache="--no-cache" not in argv,
        config_path=config_path,
    )
    for violation in violations:
        print(violation)
    return EXIT_FINDINGS if violations else EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

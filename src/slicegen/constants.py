"""Names that the lint replay (:mod:`slicegen.lint.fast`, which imports next to nothing) shares
with the rest of slicegen, defined once here; this module imports nothing."""

#: slicegen's cache folder inside a workspace (lint shards, replay, boundary results).
CACHE_DIR = ".slicegen_cache"
CONFIG_FILE = "slicegen.toml"
#: The committed record of every event type's stored shape (:mod:`slicegen.contracts.lock`).
LOCK_FILE = "events.lock.toml"
#: What slicegen generated, with each file's text (:mod:`slicegen.manifest`).
MANIFEST_FILE = ".slicegen/manifest.json"
#: The files slicegen writes for itself, which grow with the tree (~270 bytes an event type,
#: ~2.5 KB a generated file): they may be larger than the other files it reads.
OWN_FILES = (LOCK_FILE, MANIFEST_FILE)
OWN_FILE_MAX_BYTES = 256 * 1024 * 1024
#: The most bytes of the event lock read, in any form: reading it costs ~8 bytes of memory and
#: ~0.2 s a byte of it (16 MiB: some 60,000 event types, 4x a 100,000-file tree's; 130 MB, 4 s).
LOCK_MAX_BYTES = 16 * 1024 * 1024
PYPROJECT = "pyproject.toml"
#: The config files the config search looks for in each folder, in the order it tries them.
CONFIG_NAMES = (CONFIG_FILE, PYPROJECT)
#: What marks a repository's root: lint without a config lints from the nearest one up that
#: also holds a project file (a stray ``.git`` in a home or temporary folder is not a project).
VCS_MARKERS = (".git", ".hg")
PROJECT_FILES = ("mix.exs", "pyproject.toml", "setup.py", "setup.cfg")
#: ``slicegen lint --format`` values.
OUTPUT_FORMATS = ("text", "json", "sarif", "github", "junit")

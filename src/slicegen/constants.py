"""Names that the lint replay (:mod:`slicegen.lint.fast`, which imports next to nothing) shares
with the rest of slicegen, defined once here; this module imports nothing."""

#: slicegen's cache folder inside a workspace (lint shards, replay, boundary results).
CACHE_DIR = ".slicegen_cache"
CONFIG_FILE = "slicegen.toml"
PYPROJECT = "pyproject.toml"
#: The config files the config search looks for in each folder, in the order it tries them.
CONFIG_NAMES = (CONFIG_FILE, PYPROJECT)
#: What marks a repository's root: lint without a config lints from the nearest one up that
#: also holds a project file (a stray ``.git`` in a home or temporary folder is not a project).
VCS_MARKERS = (".git", ".hg")
PROJECT_FILES = ("mix.exs", "pyproject.toml", "setup.py", "setup.cfg")
#: ``slicegen lint --format`` values.
OUTPUT_FORMATS = ("text", "json", "sarif", "github", "junit")

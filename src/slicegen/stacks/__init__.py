"""Target stacks: each sub-package plans the files of one language (see scaffold.stack.Stack)."""

"""Per-stack readers: source bytes in, a :class:`~slicegen.model.workspace.FileInfo` out."""

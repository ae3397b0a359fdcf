"""The workspace model: what a tree on disk holds (domains, slices, artifacts, facts, topics).

Readers (one per stack) turn each file into a :class:`~slicegen.model.workspace.FileInfo`;
:mod:`slicegen.model.discovery` walks the tree and finds where the domains are;
:mod:`slicegen.model.build` assembles the :class:`~slicegen.model.workspace.WorkspaceModel` that
lint rules, the storming document and the scaffolder all read.
"""

"""The event-storming document of each domain: written, kept current, checked, exported.

- :mod:`.skeleton`: the document ``new-domain`` writes (already current for the empty domain);
- :mod:`.render`: the derived sections (ASCII diagram, optional Mermaid, code tree, slices);
- :mod:`.summary`: the hidden design summary and the session notes of what changed;
- :mod:`.document`: regenerating a document, keeping everything outside the markers;
- :mod:`.drift`: :func:`~.drift.find_drift`, used by ``storm --check`` and lint rule SG602;
- :mod:`.command`: the ``slicegen storm`` command (refresh, ``--check``, ``--export``).

The design model they all render, and how it is read from a workspace, is :mod:`slicegen.design`
(which does not import this package).
"""

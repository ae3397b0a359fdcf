"""Design as code: the design model of a workspace (domains, slices, events, policies, facts).

:mod:`slicegen.design.model` is the schema (YAML on disk), :mod:`slicegen.design.from_workspace`
builds it from existing code, and :mod:`slicegen.design.apply` plans what a model adds to a tree.
"""

"""Design as code: the design model of a workspace (domains, slices, events, policies, facts).

:mod:`slicegen.design.model` is the schema (YAML on disk), :mod:`slicegen.design.from_workspace`
builds it from existing code, with :mod:`.extract` (fields, docstrings, aggregates and policy
sources the workspace model lacks) and :mod:`.layout` (where a stack's files live). The storming
document (:mod:`slicegen.storm`) renders this model; :mod:`slicegen.scaffold.apply` plans what a
model adds to a tree. This package imports neither.
"""

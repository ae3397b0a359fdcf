"""slicegen: scaffold, document and lint event-sourced vertical-slice moduliths."""

__version__ = "0.1.0"

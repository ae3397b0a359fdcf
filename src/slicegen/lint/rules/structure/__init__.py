"""SG3xx: slice structure."""

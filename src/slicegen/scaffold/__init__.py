"""Scaffolding: the requests users make and the stack-independent commands that plan them."""

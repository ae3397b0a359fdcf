"""The python stack."""

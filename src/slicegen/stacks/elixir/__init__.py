"""The elixir stack."""

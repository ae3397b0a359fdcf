"""SG4xx: dispatch and integration between domains."""

"""The event-storming document: its skeleton, its derived sections, and the drift check."""

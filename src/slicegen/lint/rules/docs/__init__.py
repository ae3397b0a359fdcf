"""SG6xx: design documents."""

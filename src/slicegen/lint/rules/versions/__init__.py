"""SG2xx: versions in file names, not in folders, and every version handled."""

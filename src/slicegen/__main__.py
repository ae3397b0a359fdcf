"""``python -m slicegen``."""

from slicegen.entry import main

main()

"""``python -m backend.sandbox``: serve the platform sandbox."""

from backend.sandbox.server import main

main()

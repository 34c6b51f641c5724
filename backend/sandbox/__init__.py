"""The platform sandbox: plays marketplaces, messaging, ads, analytics and social APIs.

Start it with ``python -m backend.sandbox`` (or ``spio sandbox``); build it in-process
with :func:`backend.sandbox.server.create_app`.
"""

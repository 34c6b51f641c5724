"""Seeded, deterministic data the sandbox serves: a pure function of the seed (and time).

Everything is generated lazily and cached per seed, so a server starts instantly and
two servers with the same seed answer identically.
"""

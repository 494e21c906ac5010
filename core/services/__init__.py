"""Writes of the local network's work: one module per area, functions named ``<noun>_<verb>``."""

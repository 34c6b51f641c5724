"""Catalog sync (``workflow: catalog_sync``): changed products from the PIM to every
platform with their images (``images``), listings (``listings``, ``writer``) and the
pure field rules (``rules``)."""

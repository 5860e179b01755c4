"""Loaders of what lives in `models/`: lexicons, registries, country names, person names, curation."""

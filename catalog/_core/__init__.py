"""Internal machinery of the catalog: schema, vocabularies, readers and checks.

Nothing here is public API; import from :mod:`catalog` instead.
"""

"""Search for atomkb: search records, one filter language, embedded and Meilisearch backends.

Light to import: the backends are imported from their own modules (``indexer.embedded``,
``indexer.meili``); nothing heavy is imported here.
"""

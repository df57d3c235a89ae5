"""The local SQLite store the UI reads from: catalog, slots, places, keys, outbox."""

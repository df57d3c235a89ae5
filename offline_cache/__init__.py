"""The local SQLite store the UI reads from: catalog, slots, places, keys, sync state, outbox.

The UI never waits for the network: it reads only from here, and a citizen's action is
written here (the outbox) before the screen says it is done. The sync worker fills the
catalog and drains the outbox. Modules:

* :mod:`offline_cache.db` — ``open_cache(path)`` (WAL, synchronous=FULL, migrations; the
  catalog and the outbox in two files, a damaged one replaced with ``recover=True``) and
  ``write_transaction``; the one-connection-per-thread rule is explained there;
* :mod:`offline_cache.health` — a full disk or a damaged file said once, for the log, the admin
  screen and the heartbeat;
* :mod:`offline_cache.migrations` — versioned schema (``PRAGMA user_version``), ``SchemaTooNew``;
* :mod:`offline_cache.catalog` — the sync worker's bulk writes and sync state;
* :mod:`offline_cache.from_api` — Sync API v1 answers (catalog, slots, keys) applied atomically;
* :mod:`offline_cache.places` — place search as you type, and the UI's reads;
* :mod:`offline_cache.outbox` — durable citizen actions, retries, erasure of personal data;
* :mod:`kiosk.devtools.sample_town` — a generated town for benchmarks and tests.

Only ``outbox_personal`` (in the outbox's own file) ever holds personal data, and only until
the server answered.
"""

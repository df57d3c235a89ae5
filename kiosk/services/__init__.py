"""Services the screens call: they read the offline cache, write the outbox and ask the central
API from worker threads, and hand results back to the UI thread as events (DESIGN.md, data flow)."""

"""The ticket printer: tickets as documents, ESC/POS rendering, backends, status, worker, simulated twin.

The UI builds a :class:`~kiosk.printing.document.Ticket` and hands it to the
:class:`~drivers.printer.worker.PrintWorker`; results come back as ``kiosk.events``.
"""

"""« J'ai un rendez-vous »: check-in at the counter (scan or reference), and what it came to."""

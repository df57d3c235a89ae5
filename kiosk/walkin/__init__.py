"""« Je n'ai pas de rendez-vous »: a queue number without appointment, on a counter terminal."""

"""Queue numbers at the counter: the terminal's block of offline numbers, its memory of the
numbers it gave today, and the queue ticket it prints (issue 12)."""

"""Printing for every feature: the ticket document model and the one service screens print through."""

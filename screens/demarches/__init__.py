"""« Faire une démarche »: the list, « Avant de commencer », the pages, the summary, the receipt."""

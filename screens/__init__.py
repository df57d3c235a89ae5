"""One module per screen, one screen class each; the touch toolkit is in ``screens.widgets``."""

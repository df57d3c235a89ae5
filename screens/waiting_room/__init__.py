"""The waiting-room display's screen (``[terminal] profile = "display"``)."""

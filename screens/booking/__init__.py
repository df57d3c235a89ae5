"""screens/booking."""

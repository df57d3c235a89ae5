"""screens/tracking."""

"""screens/admin."""

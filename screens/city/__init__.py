"""screens/city."""

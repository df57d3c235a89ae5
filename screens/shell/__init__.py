"""screens/shell."""

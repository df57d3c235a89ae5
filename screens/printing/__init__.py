"""screens/printing."""

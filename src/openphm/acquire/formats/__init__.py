"""Generic file-format readers; importing this package registers them."""

"""SQLite database backend of Waspada: Django's, with a fast and bounded wait for the write lock."""

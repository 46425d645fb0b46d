"""Qt widgets. They read and write annotations only through app.core (via session.Session)."""

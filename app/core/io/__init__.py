"""One module per file format; each turns a file into records or records into a file."""

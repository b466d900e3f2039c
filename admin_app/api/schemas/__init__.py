"""One schema per resource: what the API reads, writes and documents."""

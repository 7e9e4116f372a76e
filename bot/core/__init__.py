"""Per-update plumbing: the handler wrapper, conversations, update processing, logging."""

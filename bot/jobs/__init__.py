"""What the JobQueue runs: reminder sweep and sender, ledger prune, undo purge, expiry."""

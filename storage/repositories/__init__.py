"""Repositories: every read and write of user data is scoped by the owner's user id."""

"""Errors raised by the pure domain layer."""

# Said whenever an id from a button or a command names nothing of this user's (deleted, or forged).
NOT_FOUND = "That item no longer exists. Nothing was changed."


class DomainError(ValueError):
    """A broken rule the user can fix; ``str(error)`` is the plain-text message shown to them."""

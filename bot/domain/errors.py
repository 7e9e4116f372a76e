"""Errors raised by the pure domain layer."""


class DomainError(ValueError):
    """A broken rule the user can fix; ``str(error)`` is the plain-text message shown to them."""

"""Erasing a user's whole account, exactly as confirmed."""

from __future__ import annotations

from storage.repositories.account import AccountFootprint
from storage.uow import UnitOfWork


def footprint_counts(footprint: AccountFootprint) -> list[int]:
    """The counts a confirmation shows: skills, sessions, evidence."""
    return [footprint.skills, footprint.sessions, footprint.evidence]


async def erase_account(
    uow: UnitOfWork, user_id: int, confirmed: object
) -> tuple[bool, AccountFootprint]:
    """Erase every row the user owns and commit, if it is still what they confirmed.

    Returns (True, what was erased); or, when something was saved after the question was
    shown, (False, what there is now) with nothing erased, to confirm again.
    """
    # The lock keeps a /log from another instance out between the count and the delete.
    await uow.users.lock(user_id)
    footprint = await uow.account.footprint(user_id)
    if footprint_counts(footprint) != confirmed:
        return False, footprint
    # ON DELETE CASCADE takes every row the user owns, conversations included.
    await uow.users.delete(user_id)
    await uow.commit()
    return True, footprint

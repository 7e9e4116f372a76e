"""/goals: set goals with buttons or one message; the card, /stats and /streak show them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import Skill, User
from tests.chat import ChatUser, callback_data
from tests.seed import seed_sessions, seed_skills
from tests.support import SARAH, TODAY, UnitOfWorkFactory

# TODAY is Wednesday 25 Nov 2026; Sarah's zone is UTC, so her weeks start on Monday 23 Nov.
MONDAY = TODAY - timedelta(days=2)


async def _skill_goals(uow_factory: UnitOfWorkFactory, skill_id: int) -> tuple[object, ...]:
    async with uow_factory() as uow:
        row = (
            await uow.session.execute(
                select(
                    Skill.weekly_goal_minutes,
                    Skill.weekly_goal_sessions,
                    Skill.weekly_goal_days,
                    Skill.daily_goal_minutes,
                ).where(Skill.id == skill_id)
            )
        ).one()
        return tuple(row)


async def test_one_message_sets_a_skills_goal_and_shows_its_progress(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_skills(uow_factory, "React", "Chess")
    await seed_sessions(uow_factory, SARAH, [(ids["React"], MONDAY, 30), (ids["React"], TODAY, 20)])
    await sarah.send("/goals react 4x week")
    text = sarah.last_text()
    assert text.startswith("🎯 Goal set: React, 4 sessions a week.")
    assert "This week: Mon 23 Nov – Sun 29 Nov — weeks start on Monday" in text
    assert "🎯 React: 2 of 4 sessions this week" in text
    assert await _skill_goals(uow_factory, ids["React"]) == (None, 4, None, None)
    assert await _skill_goals(uow_factory, ids["Chess"]) == (None, None, None, None)


async def test_bad_goal_messages_change_nothing(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_skills(uow_factory, "React")
    await sarah.send("/goals react 9 days a week")
    assert "A week has 7 days" in sarah.last_text()
    await sarah.send("/goals piano 3x week")
    assert "You have no active skill called “piano”" in sarah.last_text()
    await sarah.send("/goals react lots")
    assert "I couldn't read a goal in that." in sarah.last_text()
    assert await _skill_goals(uow_factory, ids["React"]) == (None, None, None, None)


async def test_buttons_set_toggle_and_clear_goals(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_skills(uow_factory, "React")
    await sarah.send("/goals")
    assert "No goals yet." in sarah.last_text()
    assert all(len(d.encode()) <= 64 for d in callback_data(sarah.last_message()))
    await sarah.tap("React")
    assert sarah.last_text().startswith("🎯 React\nNo goal yet.")
    await sarah.tap("3d")
    assert sarah.answers()[-1] == "Goal saved."
    assert "• 3 days a week — 0 of 3 days this week" in sarah.last_text()
    await sarah.tap("20min")
    assert await _skill_goals(uow_factory, ids["React"]) == (None, None, 3, 20)
    await sarah.tap("• 3d")  # tapping the current target removes it
    assert await _skill_goals(uow_factory, ids["React"]) == (None, None, None, 20)
    await sarah.tap("🗑 Remove all")
    assert await _skill_goals(uow_factory, ids["React"]) == (None, None, None, None)
    assert "No goals yet." in sarah.last_text()
    await sarah.tap("🌐 All skills")
    await sarah.tap("5×")
    async with uow_factory() as uow:
        user = await uow.session.get(User, SARAH)
        assert user is not None and user.weekly_goal_sessions == 5
    await sarah.tap("« Back")
    assert "🎯 All skills: 0 of 5 sessions this week" in sarah.last_text()


async def test_forged_goal_buttons_change_nothing(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_skills(uow_factory, "React")
    await mallory.send("/goals")
    await mallory.tap_data(f"gl:s:{ids['React']}:s:4")
    assert await _skill_goals(uow_factory, ids["React"]) == (None, None, None, None)
    await mallory.tap_data("gl:s:1:s:99999")
    assert await _skill_goals(uow_factory, ids["React"]) == (None, None, None, None)


async def test_week_start_can_be_chosen_and_every_week_follows_it(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "React")
    await sarah.send("/goals")
    await sarah.tap("📅 Week starts: Monday")
    assert "In your time zone (UTC) weeks usually start on Monday." in sarah.last_text()
    await sarah.tap("Sunday")
    assert sarah.answers()[-1] == "Week start saved."
    assert "This week: Sun 22 Nov – Sat 28 Nov — weeks start on Sunday." in sarah.last_text()
    await sarah.tap("📅 Week starts: Sunday")
    await sarah.tap("As my time zone")
    assert "weeks start on Monday (as usual in your time zone)" in sarah.last_text()


async def test_the_saved_session_card_shows_the_goal(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_skills(uow_factory, "React")
    await seed_sessions(uow_factory, SARAH, [(ids["React"], MONDAY, 30)])
    await sarah.send("/goals react 4x week")
    await sarah.send("/goals 3h week")
    await sarah.send("/quick")
    await sarah.tap("React 30m")
    text = sarah.last_text()
    assert "🎯 React: 2 of 4 sessions this week" in text
    assert "🎯 All skills: 1 h of 3 h this week" in text


async def test_a_quick_log_card_shows_a_goal_of_the_skill_alone_or_overall_alone(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    # The save tells the card whether any goal exists: each kind alone must be seen.
    await seed_skills(uow_factory, "React", "Go")
    await sarah.send("/goals react 4x week")
    await sarah.send("/quick")
    await sarah.tap("React 30m")
    assert "🎯 React: 1 of 4 sessions this week" in sarah.last_text()
    await sarah.send("/quick")
    await sarah.tap("Go 30m")
    assert "🎯" not in sarah.last_text()
    await sarah.send("/goals 3h week")
    await sarah.send("/quick")
    await sarah.tap("Go 15m")
    assert "🎯 All skills: 1 h 15 min of 3 h this week" in sarah.last_text()
    assert "🎯 Go" not in sarah.last_text()


async def test_stats_and_progress_show_goals_and_follow_the_week_start(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    ids = await seed_skills(uow_factory, "React")
    sunday = MONDAY - timedelta(days=1)
    await seed_sessions(uow_factory, SARAH, [(ids["React"], sunday, 30), (ids["React"], TODAY, 20)])
    await sarah.send("/goals react 2x week")
    await sarah.send("/stats")
    text = sarah.last_text()
    assert "🎯 React: 1 of 2 sessions this week" in text
    assert "this week (Mon 23 Nov – today)" in text
    assert "Total: 20 min over 1 session" in text
    await sarah.send("/progress react")
    assert "🎯 React: 1 of 2 sessions this week" in sarah.texts()[-2] + sarah.last_text()
    # With weeks starting on Sunday, Sunday's session joins this week.
    await sarah.send("/goals")
    await sarah.tap("📅 Week starts: Monday")
    await sarah.tap("Sunday")
    await sarah.send("/stats")
    text = sarah.last_text()
    assert "this week (Sun 22 Nov – today)" in text
    assert "Total: 50 min over 2 sessions" in text
    assert "🎯 React: 2 of 2 sessions this week ✅" in text

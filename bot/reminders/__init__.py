"""Scheduled reminders and weekly summaries: the sweep, delivery, and message rendering."""

"""Notices: reminders of what is due and word of what happened to a person's work.

`events` creates the notices of a write inside that write's transaction; `reminders`
creates the calendar's (due soon, overdue) whenever `send_reminders` runs; `delivery`
e-mails what is pending; `texts` says each notice in words. Every notice has a key, and
a person gets one notice per key, so creating them again is harmless.
"""

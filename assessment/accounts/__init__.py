"""Signing in: the password step, the second factor, and the idle session."""

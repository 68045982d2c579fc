"""Data quality: validation rules between figures, season-aware ranges, follow-ups.

`rules` and `ranges` are pure (Decimal tables in, outcomes out); `checks` loads the
tables they need from the database and is what the entry page, the import and the
validation run call; `followups` writes the marks that keep a value flagged.
"""

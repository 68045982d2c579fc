"""Background jobs: what they make (`work`), how they are queued (`queue`), the Celery
tasks (`tasks`) and the archive's manifest (`manifest`, pure)."""

"""Backup and restore: one dated archive with SHA-256 sums; restore checks them and
goes only into an empty database. On PostgreSQL the demo is backed up, restored into
a new database, and every table's row count and checksum compared."""

from __future__ import annotations

import io
import secrets
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assessment import backups

SQLITE = "django.db.backends.sqlite3"


def sqlite_db(path: Path, rows: int = 3) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE figure (id INTEGER PRIMARY KEY, value TEXT)")
        db.executemany(
            "INSERT INTO figure (value) VALUES (?)", [(f"{n}.5",) for n in range(rows)]
        )
    return {"ENGINE": SQLITE, "NAME": str(path)}


def media(root: Path) -> Path:
    (root / "evidence" / "2021").mkdir(parents=True)
    (root / "evidence" / "2021" / "a.pdf").write_bytes(b"%PDF-1.4 evidence")
    (root / "evidence" / "2021" / "b.png").write_bytes(b"\x89PNG image")
    return root


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file()
    }


def make_backup(tmp_path: Path):
    import datetime

    db = sqlite_db(tmp_path / "source.sqlite3")
    root = media(tmp_path / "media")
    now = datetime.datetime(2022, 1, 31, 23, 30, 5)
    return db, root, backups.backup(db, root, tmp_path / "out", now)


def test_backup_writes_one_dated_archive_with_checksums(tmp_path):
    _db, _root, result = make_backup(tmp_path)
    assert result.archive.name == "backup-20220131-233005.tar.gz"
    assert result.files == 2
    sidecar = result.archive.with_name(result.archive.name + ".sha256")
    assert sidecar.read_text() == f"{result.checksum}  {result.archive.name}\n"
    with tarfile.open(result.archive) as tar:
        names = set(tar.getnames())
    assert names == {
        "database.sqlite3",
        "media/evidence/2021/a.pdf",
        "media/evidence/2021/b.png",
        "manifest.json",
    }
    assert not list((tmp_path / "out").glob("*.partial"))


def test_sqlite_round_trip(tmp_path):
    db, root, result = make_backup(tmp_path)
    target = {"ENGINE": SQLITE, "NAME": str(tmp_path / "restored.sqlite3")}
    backups.restore(result.archive, target, tmp_path / "restored-media")
    with sqlite3.connect(target["NAME"]) as restored:
        assert restored.execute("SELECT id, value FROM figure").fetchall() == [
            (1, "0.5"),
            (2, "1.5"),
            (3, "2.5"),
        ]
    assert files_of(tmp_path / "restored-media") == files_of(root)


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    _db, _root, result = make_backup(tmp_path)
    target = sqlite_db(tmp_path / "busy.sqlite3", rows=1)
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(result.archive, target, tmp_path / "m")
    with sqlite3.connect(target["NAME"]) as busy:
        assert busy.execute("SELECT count(*) FROM figure").fetchone() == (1,)


def test_restore_refuses_media_that_is_not_empty(tmp_path):
    _db, _root, result = make_backup(tmp_path)
    target = {"ENGINE": SQLITE, "NAME": str(tmp_path / "new.sqlite3")}
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(result.archive, target, media(tmp_path / "other-media"))


def test_restore_refuses_an_archive_that_does_not_match_its_checksum(tmp_path):
    _db, _root, result = make_backup(tmp_path)
    data = bytearray(result.archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    result.archive.write_bytes(bytes(data))
    target = {"ENGINE": SQLITE, "NAME": str(tmp_path / "new.sqlite3")}
    with pytest.raises(backups.BackupError, match="SHA-256"):
        backups.restore(result.archive, target, tmp_path / "m")
    assert not Path(target["NAME"]).exists()


def test_restore_refuses_a_member_that_does_not_match_the_manifest(tmp_path):
    _db, _root, result = make_backup(tmp_path)
    # Rebuild the archive with one evidence file changed, and a matching .sha256.
    rebuilt = tmp_path / "forged.tar.gz"
    with tarfile.open(result.archive) as source, tarfile.open(rebuilt, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith("a.pdf"):
                data = b"%PDF-1.4 forged"
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    rebuilt.with_name(rebuilt.name + ".sha256").write_text(
        f"{backups.sha256_file(rebuilt)}  {rebuilt.name}\n"
    )
    target = {"ENGINE": SQLITE, "NAME": str(tmp_path / "new.sqlite3")}
    with pytest.raises(backups.BackupError, match="a.pdf"):
        backups.restore(rebuilt, target, tmp_path / "m")


def test_restore_refuses_an_archive_without_its_checksum_file(tmp_path):
    _db, _root, result = make_backup(tmp_path)
    result.archive.with_name(result.archive.name + ".sha256").unlink()
    with pytest.raises(backups.BackupError, match="missing"):
        backups.restore(
            result.archive, {"ENGINE": SQLITE, "NAME": str(tmp_path / "n")}, tmp_path
        )


def test_the_commands_report_refusals_as_errors(tmp_path):
    with pytest.raises(CommandError, match="no such archive"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))


# PostgreSQL: the demo, backed up and restored into a new database ---------------


def table_fingerprints(dbname: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and an MD5 of all its rows, in a stable order."""
    import psycopg2

    settings = connection.settings_dict
    conn = psycopg2.connect(
        dbname=dbname,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
            tables = sorted(row[0] for row in cursor.fetchall())
            result = {}
            for table in tables:
                cursor.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' "
                    f"ORDER BY t::text), '')) FROM \"{table}\" t"
                )
                result[table] = cursor.fetchone()
            return result
    finally:
        conn.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs pg_dump")
def test_postgresql_round_trip_of_the_demo(transactional_db, settings, tmp_path):
    import psycopg2

    settings.DEBUG = True  # the demo loader's own guard
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=out)
    archive = Path(out.getvalue().split()[0])
    assert archive.exists()

    db = connection.settings_dict
    target = f"restore_check_{secrets.token_hex(4)}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        user = db["USER"] or "root"
        url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{target}"
        call_command(
            "restore",
            str(archive),
            database_url=url,
            media_root=str(tmp_path / "restored-media"),
            stdout=io.StringIO(),
        )
        original = table_fingerprints(db["NAME"])
        restored = table_fingerprints(target)
        assert original["assessment_figure"][0] > 100
        assert original["assessment_historicalfigure"][0] > 100
        assert restored == original
        assert files_of(tmp_path / "restored-media") == files_of(tmp_path / "media")
        assert files_of(tmp_path / "media")  # the demo's evidence files
        # Not twice: the restored database is no longer empty.
        with pytest.raises(CommandError, match="not empty"):
            call_command(
                "restore",
                str(archive),
                database_url=url,
                media_root=str(tmp_path / "third"),
            )
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.close()


def test_a_system_check_warns_when_pg_dump_is_missing(settings, monkeypatch):
    from assessment import checks

    settings.DATABASES = {
        "default": {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.postgresql",
        }
    }
    monkeypatch.setattr(checks.shutil, "which", lambda name: None)
    assert [m.id for m in checks.backup_tools(None)] == ["assessment.W003"]
    monkeypatch.setattr(checks.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert checks.backup_tools(None) == []

"""Backup and restore: the database and the evidence files in one dated archive.

`backup-YYYYMMDD-HHMMSS.tar.gz` holds the database (`pg_dump --format=custom` on
PostgreSQL, SQLite's online-backup API otherwise), every file under MEDIA_ROOT, and
`manifest.json` with the SHA-256 of each of them. Beside it, `<archive>.sha256` holds the
archive's own SHA-256 in `sha256sum` format, so a copy can be checked anywhere with
`sha256sum -c`. `restore` checks both before it writes anything, and restores only into
an empty database and an empty media directory.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_FILE = "database.sqlite3"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """Why a backup or restore was refused; nothing was written."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def archive_name(now: datetime.datetime) -> str:
    return f"backup-{now:%Y%m%d-%H%M%S}.tar.gz"


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: apt-get install postgresql-client"
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def dump_database(db: dict[str, Any], target_dir: Path) -> Path:
    """The database into target_dir, consistent as of one moment."""
    if db["ENGINE"] == "django.db.backends.postgresql":
        path = target_dir / PG_DUMP
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *_pg_args(db),
                "--file",
                str(path),
                str(db["NAME"]),
            ],
            _pg_env(db),
        )
        return path
    if db["ENGINE"] == "django.db.backends.sqlite3":
        path = target_dir / SQLITE_FILE
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(path))
        try:
            source.backup(target)  # the online-backup API: safe while in use
        finally:
            target.close()
            source.close()
        return path
    raise BackupError(f"unsupported database engine {db['ENGINE']}")


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(
        path
        for path in media_root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    checksum: str
    files: int


def backup(
    db: dict[str, Any],
    media_root: Path,
    output_dir: Path,
    now: datetime.datetime,
) -> BackupResult:
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / archive_name(now)
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="backup-") as tmp:
        dump = dump_database(db, Path(tmp))
        members: dict[str, str] = {dump.name: sha256_file(dump)}
        media = media_files(media_root)
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            for path in media:
                name = "media/" + path.relative_to(media_root).as_posix()
                members[name] = sha256_file(path)
                tar.add(path, arcname=name)
            manifest = {
                "format": FORMAT,
                "created": now.isoformat(),
                "engine": "postgresql" if dump.name == PG_DUMP else "sqlite",
                "database": dump.name,
                "sha256": members,
            }
            manifest_path = Path(tmp) / MANIFEST
            manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
            tar.add(manifest_path, arcname=MANIFEST)
    checksum = sha256_file(partial)
    partial.rename(archive)
    archive.with_name(archive.name + ".sha256").write_text(
        f"{checksum}  {archive.name}\n"
    )
    return BackupResult(archive=archive, checksum=checksum, files=len(media))


# Restore -------------------------------------------------------------------------


def verify_archive(archive: Path) -> None:
    """The archive's own checksum, from the .sha256 file beside it."""
    sidecar = archive.with_name(archive.name + ".sha256")
    if not sidecar.exists():
        raise BackupError(f"{sidecar.name} is missing: cannot check the archive")
    expected = sidecar.read_text().split()[0]
    if sha256_file(archive) != expected:
        raise BackupError("the archive's SHA-256 does not match its .sha256 file")


def extract(archive: Path, target_dir: Path) -> dict[str, Any]:
    """Unpack into target_dir; every member is checked against the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(target_dir, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"the archive cannot be read: {exc}") from exc
    manifest_path = target_dir / MANIFEST
    if not manifest_path.exists():
        raise BackupError("the archive has no manifest.json")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    found = {
        path.relative_to(target_dir).as_posix()
        for path in target_dir.rglob("*")
        if path.is_file()
    } - {MANIFEST}
    if found != set(manifest["sha256"]):
        raise BackupError("the archive's files do not match its manifest")
    for name, expected in manifest["sha256"].items():
        if sha256_file(target_dir / name) != expected:
            raise BackupError(f"{name} does not match its SHA-256 in the manifest")
    return manifest


def database_tables(db: dict[str, Any]) -> list[str]:
    if db["ENGINE"] == "django.db.backends.postgresql":
        import psycopg2

        connection = psycopg2.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
                return [row[0] for row in cursor.fetchall()]
        finally:
            connection.close()
    path = Path(str(db["NAME"]))
    if not path.exists():
        return []
    connection = sqlite3.connect(str(path))
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        connection.close()
    return [row[0] for row in rows]


def restore(archive: Path, db: dict[str, Any], media_root: Path) -> dict[str, Any]:
    """Restore into an empty database and media directory; refuses anything else."""
    verify_archive(archive)
    engine = (
        "postgresql" if db["ENGINE"] == "django.db.backends.postgresql" else "sqlite"
    )
    tables = database_tables(db)
    if tables:
        raise BackupError(
            f"the database {db['NAME']} is not empty ({len(tables)} tables): "
            "restore only into a new, empty database"
        )
    if media_files(media_root):
        raise BackupError(f"{media_root} is not empty: restore into an empty one")
    with tempfile.TemporaryDirectory(prefix="restore-") as tmp:
        unpacked = Path(tmp)
        manifest = extract(archive, unpacked)
        if manifest["engine"] != engine:
            raise BackupError(
                f"this is a {manifest['engine']} backup; the database is {engine}"
            )
        dump = unpacked / manifest["database"]
        if engine == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    *_pg_args(db),
                    "--dbname",
                    str(db["NAME"]),
                    str(dump),
                ],
                _pg_env(db),
            )
        else:
            source = sqlite3.connect(str(dump))
            target = sqlite3.connect(str(db["NAME"]))
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        media_dir = unpacked / "media"
        if media_dir.is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media_dir, media_root, dirs_exist_ok=True)
    connections.close_all()
    return manifest


def database_settings(url: str | None, default: dict[str, Any]) -> dict[str, Any]:
    """The configured database, or the one a --database-url names."""
    if not url:
        return default
    parsed = dj_database_url.parse(url)
    if parsed["ENGINE"] == "django.db.backends.postgresql" and not parsed.get("NAME"):
        raise BackupError(f"no database name in {urllib.parse.urlparse(url).path!r}")
    return dict(parsed)

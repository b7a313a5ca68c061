"""The instance folder, the SQLite files and the generated secret key: their owner's alone."""

import stat
from pathlib import Path

from queue_service.persistence.database import Database
from web_kernel.settings import Settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_instance_folder_database_and_secret_are_the_owners_alone(tmp_path):
    instance = tmp_path / "instance"
    settings = Settings.from_env({"FRONTDOOR_INSTANCE_PATH": str(instance)})
    database = Database(settings.database_url)
    with database.engine.begin() as connection:  # a write: the -wal and -shm exist now
        connection.exec_driver_sql("CREATE TABLE probe (x)")
    files = [instance / n for n in ("frontdoor.sqlite3", "frontdoor.sqlite3-wal", "secret_key")]
    files.append(instance / "frontdoor.sqlite3-shm")
    assert mode(instance) == 0o700
    assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    database.dispose()


def test_an_older_installs_readable_files_are_tightened(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    for name in ("frontdoor.sqlite3", "frontdoor.sqlite3-wal", "secret_key"):
        (instance / name).write_bytes(b"" if name != "secret_key" else b"0" * 64)
        (instance / name).chmod(0o644)
    settings = Settings.from_env({"FRONTDOOR_INSTANCE_PATH": str(instance)})
    Database(settings.database_url).dispose()
    assert mode(instance) == 0o700
    assert {mode(f) for f in instance.iterdir()} == {0o600}

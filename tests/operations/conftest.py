from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cases.models import Document
from firm.scoping import Actor, actor_for_user
from tests.factories import CaseFactory, ClientFactory, DocumentFactory, FirmFactory, staff_user

# The EICAR anti-virus test string (not a virus; every scanner reports it), built in two parts so that
# no scanner on a developer's machine flags this source file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
IN_CI = os.environ.get("CI") == "true" or os.environ.get("REQUIRE_SERVICES") == "1"


class Office:
    def __init__(self) -> None:
        self.firm = FirmFactory()
        self.lawyer = staff_user(self.firm, "lawyer")
        self.client = ClientFactory(firm=self.firm, assigned_lawyer=self.lawyer)
        self.case = CaseFactory(client=self.client)

    def actor(self) -> Actor:
        from firm.models import User

        return actor_for_user(User.objects.select_related("membership").get(pk=self.lawyer.pk))

    def document(self) -> Document:
        return DocumentFactory(case=self.case)


@pytest.fixture
def office(db) -> Office:
    return Office()


@pytest.fixture
def private_root(settings, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(scope="session")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real clamd (Debian's clamav-daemon) on a Unix socket, with only a local EICAR body signature."""
    binary = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)
    if binary is None:
        message = "needs clamd (apt-get install clamav-daemon)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    root = tmp_path_factory.mktemp("clamd")
    database = root / "db"
    database.mkdir()
    # .ndb body signature: name:target type (0 = any file):offset (* = anywhere):hex of the bytes.
    (database / "maplecase-eicar.ndb").write_text(f"MapleCase.Test.EICAR:0:*:{EICAR.hex()}\n")
    socket_path = root / "clamd.sock"
    config = root / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket_path}\nDatabaseDirectory {database}\nForeground yes\n"
        f"LogFile {root / 'clamd.log'}\nPidFile {root / 'clamd.pid'}\nStreamMaxLength 30M\n"
    )
    process = subprocess.Popen(
        [binary, f"--config-file={config}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"unix://{socket_path}"
    from cases.clamav import ClamdClient, ScannerError

    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                ClamdClient.from_url(url, timeout=2).ping()
                break
            except ScannerError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (root / "clamd.log").read_text() if (root / "clamd.log").exists() else ""
                    raise RuntimeError(f"clamd did not start: {process.stdout.read()!r} {log}") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

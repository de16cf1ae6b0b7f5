"""The project's own source as it was at a git ref, for a benchmark's baseline (stdlib only, so the
parse benchmark can use it without importing the app)."""

from __future__ import annotations

import subprocess
import tarfile
from io import BytesIO
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent


def extract_at(ref: str, paths: list[str], folder: Path) -> Path | None:
    """``paths`` (folders of the repository) as they were at ``ref``, extracted into ``folder``
    (``git archive``); None when git cannot give them."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, *paths], capture_output=True)
    if archive.returncode != 0:
        return None
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(folder, filter="data")
        else:  # Debian 12's 3.11.2: the same refusals, by hand, for the plain files git archives
            members = [m for m in tar.getmembers() if _plain(m)]
            tar.extractall(folder, members=members)  # noqa: S202 - every member checked above
    return folder


def _plain(member: tarfile.TarInfo) -> bool:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts:
        raise ValueError(f"git archive gave an unsafe path: {member.name}")
    return member.isfile() or member.isdir()

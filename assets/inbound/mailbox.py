"""Where mail comes in: a Maildir, an mbox file, a folder of .eml files, or one file.

One interface (`read_mail`) over the standard library's readers; IMAP would be one more
source behind it. Each message comes out as its raw bytes with where it came from."""

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RawMail:
    source: str  # the file, or "<mbox file>#<n>", or "<maildir>/<key>"
    raw: bytes


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _is_mbox(path: Path) -> bool:
    if path.suffix.lower() == ".mbox":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From " and path.suffix.lower() != ".eml"
    except OSError:
        return False


def read_mail(path: Path) -> Iterator[RawMail]:
    """Every message under `path`, in a stable order."""
    path = Path(path)
    if is_maildir(path):
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(box.keys()):
            with box.get_file(key) as handle:
                yield RawMail(f"{path}/{key}", handle.read())
        return
    if path.is_file():
        if _is_mbox(path):
            box = mailbox.mbox(path, factory=None, create=False)
            for index, key in enumerate(box.keys()):
                yield RawMail(f"{path}#{index + 1}", box.get_bytes(key))
        else:
            yield RawMail(str(path), path.read_bytes())
        return
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            if (
                child.is_dir()
                or child.suffix.lower() in (".eml", ".mbox", ".msg", "")
                or _is_mbox(child)
            ):
                yield from read_mail(child)

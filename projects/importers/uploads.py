"""The files the admin's report screens keep between requests, in the storage every app
server shares (STORAGES["uploads"]: a folder by default, HUJIN_FILES_DIR; any Django storage
backend where a deployment has one):

- an upload waiting for its confirmation: uploads/<user id>/<token>.upload, its bytes, and
  <token>.json, the name it was uploaded as, its SHA-256 and its report;
- a refused file's rows and its full list of errors: refusals/<user id>/<token>.csv, .txt;
- a file a task built for its user (counties/jobs.py): exports/<user id>/<token>.<suffix>,
  and the progress of a running task: progress/<user id>/<job id>.json.

Each is reached only through the requesting user's own id and a random token, so no user,
administrators included, reaches another's through the screens. An upload goes once it is
confirmed, or refused for good (one whose refusal offers a box to tick or headers to match
waits for that); sweep() removes whatever is older than KEPT_SECONDS.
"""

import contextlib
import datetime
import hashlib
import json
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from counties import jobs

from .refusals import RefusalFiles

KEPT_SECONDS = 24 * 3600
TOKEN = re.compile(r"[0-9a-f]{32}")
SUFFIXES = {"bad_rows": ".csv", "errors": ".txt"}


def storage():
    return storages["uploads"]


def new_token():
    return secrets.token_hex(16)


def is_token(token):
    return bool(TOKEN.fullmatch(token or ""))


@dataclass
class Upload:
    """A stored upload: whose, its token, the name it was uploaded as, its SHA-256, the
    report it was uploaded to, and the Job importing it once confirmed (None before)."""

    owner: int
    token: str
    name: str
    sha256: str
    report: str
    job: int | None = None

    @property
    def path(self):
        return "uploads/%d/%s.upload" % (self.owner, self.token)

    @property
    def head_path(self):
        return "uploads/%d/%s.json" % (self.owner, self.token)

    @classmethod
    def store(cls, user, uploaded, report):
        """Keeps an uploaded file (Django's UploadedFile), read once as it comes."""
        sweep()
        token = new_token()
        digest = hashlib.sha256()
        with tempfile.TemporaryFile() as copy:
            for chunk in uploaded.chunks():
                digest.update(chunk)
                copy.write(chunk)
            copy.seek(0)
            upload = cls(user.pk, token, uploaded.name[-255:], digest.hexdigest(), report)
            storage().save(upload.path, File(copy))
        head = {"name": upload.name, "sha256": upload.sha256, "report": report}
        storage().save(upload.head_path, ContentFile(json.dumps(head).encode("utf-8")))
        return upload

    @classmethod
    def find(cls, owner, token, report):
        """The upload `owner` stored under `token` for `report`; None when there is none (a
        token that is not one, confirmed already, swept, or another report's)."""
        if not is_token(token):
            return None
        upload = cls(owner, token, "", "", report)
        try:
            with storage().open(upload.head_path, "rb") as file:
                head = json.loads(file.read())
        except (FileNotFoundError, ValueError):
            return None
        if head.get("report") != report or not storage().exists(upload.path):
            return None
        upload.name, upload.sha256, upload.job = head["name"], head["sha256"], head.get("job")
        return upload

    def head(self):
        with storage().open(self.head_path, "rb") as file:
            return json.loads(file.read())

    def rewrite_head(self, **changes):
        head = {**self.head(), **changes}
        remove(self.head_path)
        storage().save(self.head_path, ContentFile(json.dumps(head).encode("utf-8")))

    def claim(self, job_id):
        """Marks the upload as being imported by Job `job_id` (reports.confirm)."""
        self.rewrite_head(job=job_id)
        self.job = job_id

    def unmatched(self):
        """What the upload's last refusal left unmatched (remember_unmatched): ([column
        keys], [header cells])."""
        head = self.head()
        return head.get("missing", []), head.get("unread", [])

    def remember_unmatched(self, unmatched):
        """Keeps, beside the upload, the required columns its refusal did not find and the
        header cells it did not read (ImportFailed.unmatched), for matching them once."""
        missing, unread = [], []
        for _, error in unmatched:
            missing += [c.key for c in error.missing if c.key not in missing]
            unread += [label for label in error.unread if label not in unread]
        self.rewrite_head(missing=missing, unread=unread)

    def open(self):
        """The uploaded bytes, as a seekable binary file (a context manager)."""
        return storage().open(self.path, "rb")

    def remove(self):
        remove(self.path)
        remove(self.head_path)


def refusal_path(owner, token, kind):
    return "refusals/%d/%s%s" % (owner, token, SUFFIXES[kind])


class Refusal:
    """Where an import's refusal files are written (importers.RefusalFiles, local files), and
    then kept in the shared storage under the owner's id and a token."""

    def __init__(self, user):
        self.owner, self.token = user.pk, new_token()
        self.folder = tempfile.TemporaryDirectory(prefix="hujin-refusal-")
        folder = Path(self.folder.name)
        self.files = RefusalFiles(folder / "errors.txt", folder / "bad_rows.csv")

    def keep(self):
        """Stores the files the import wrote; returns {kind: token} of those it wrote."""
        kept = {}
        try:
            for kind, local in (("errors", self.files.errors), ("bad_rows", self.files.bad_rows)):
                if local.exists():
                    with open(local, "rb") as file:
                        storage().save(refusal_path(self.owner, self.token, kind), File(file))
                    kept[kind] = self.token
        finally:
            self.folder.cleanup()
        return kept


def open_refusal(owner, token, kind):
    """A kept refusal file, open for reading; None when there is none."""
    if not is_token(token) or kind not in SUFFIXES:
        return None
    try:
        return storage().open(refusal_path(owner, token, kind), "rb")
    except FileNotFoundError:
        return None


def sweep(now=None):
    """Removes the uploads and refusal files older than KEPT_SECONDS; returns how many."""
    now = now or timezone.now()
    oldest = now - datetime.timedelta(seconds=KEPT_SECONDS)
    files = storage()
    removed = 0
    for top in ("uploads", "refusals", jobs.EXPORTS, jobs.PROGRESS):
        with contextlib.suppress(FileNotFoundError):
            owners, _ = files.listdir(top)
            for owner in owners:
                for name in files.listdir("%s/%s" % (top, owner))[1]:
                    path = "%s/%s/%s" % (top, owner, name)
                    with contextlib.suppress(FileNotFoundError):
                        if files.get_modified_time(path) < oldest:
                            files.delete(path)
                            removed += 1
    return removed


def remove(path):
    with contextlib.suppress(FileNotFoundError):
        storage().delete(path)

"""python manage.py import_articles PATH... : import article files and folders."""

import errno
import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from corpus.models import Team
from corpus.services import ImportOutcome, import_article_files

# Up to this many files, each gets a line; beyond it, a progress bar.
LIST_EACH_FILE_UP_TO = 20


def read_ahead() -> int:
    """Files parsed ahead by a worker thread while this one writes: on PostgreSQL,
    where the writes wait on the network (the benchmark shows it pays there); none on
    SQLite, which answers in-process with nothing to overlap."""
    return 4 if connection.vendor == "postgresql" else 0


@dataclass(frozen=True)
class Skipped:
    """Something in a folder that is not a file to import, and why."""

    path: str
    reason: str


def collect_files(paths: list[str]) -> tuple[list[Path], list[Skipped]]:
    """The files named, and the files inside the folders named (hidden ones left out,
    links to folders not followed); and what was skipped in the folders, with why: a
    dangling link, a link loop, a FIFO, a socket, a device, an unreadable folder."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for name in paths:
        path = Path(name)
        if not path.is_dir() or path.is_symlink():
            files.append(path)  # the importer reports a missing or odd path, in its turn
            continue
        found: list[Path] = []

        def unreadable(error: OSError) -> None:
            skipped.append(
                Skipped(display(error.filename), f"cannot read the folder: {error.strerror}")
            )

        for folder, folders, names in os.walk(path, followlinks=False, onerror=unreadable):
            kept_folders = []
            for child in sorted(folders):
                if child.startswith("."):
                    continue
                if os.path.islink(os.path.join(folder, child)):
                    skipped.append(
                        Skipped(
                            display(os.path.join(folder, child)), "a link to a folder, not followed"
                        )
                    )
                    continue
                kept_folders.append(child)
            folders[:] = kept_folders
            for child in sorted(names):
                if child.startswith("."):
                    continue
                full = os.path.join(folder, child)
                reason = _not_a_file(full)
                if reason:
                    skipped.append(Skipped(display(full), reason))
                else:
                    found.append(Path(full))
        files.extend(sorted(found))
    return files, skipped


def _not_a_file(path: str) -> str:
    """Why ``path`` (found in a folder) is not a file to import, or ""."""
    try:
        mode = os.stat(path).st_mode  # follows a link to a file
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop"
        if os.path.islink(path):
            return "a dangling symbolic link (its target does not exist)"
        return f"cannot read it: {error.strerror}"
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def display(path) -> str:
    """A path as it can be printed, whatever bytes its name holds."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class Command(BaseCommand):
    help = (
        "Import articles from .txt, .md, .html and .pdf files and folders. Each file is imported in its "
        "own transaction: a file that fails leaves the database as it was, and the others go on."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        parser.add_argument(
            "--force",
            action="store_true",
            help="parse and write files even when they have not changed since their last import",
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
        parser.add_argument(
            "--team",
            metavar="SLUG",
            help="import into this team's collection (seen by its members alone); "
            "without it, into the public corpus",
        )

    def handle(
        self,
        *args,
        paths: list[str],
        force: bool,
        no_progress: bool,
        verbosity: int,
        team: str | None = None,
        **options,
    ):
        collection = None
        if team:
            collection = Team.objects.filter(slug=team).first()
            if collection is None:
                raise CommandError(f"no team has the slug {team!r}")
        files, skipped = collect_files(paths)
        out, err = self.stdout._out, self.stderr._out
        progress = tqdm(
            total=len(files),
            desc="Importing",
            unit="file",
            file=err,
            disable=no_progress or verbosity == 0 or len(files) <= LIST_EACH_FILE_UP_TO,
            leave=False,
        )
        outcomes: list[ImportOutcome] = []
        imports = import_article_files(files, force=force, read_ahead=read_ahead(), team=collection)
        for outcome in imports:
            outcomes.append(outcome)
            progress.update()
            if outcome.status == "failed":
                tqdm.write(self.style.ERROR(f"error: {outcome.path}: {outcome.error}"), file=err)
            elif verbosity >= 2 or (verbosity == 1 and len(files) <= LIST_EACH_FILE_UP_TO):
                count = sum(outcome.paragraph_kinds.values())
                detail = f" ({count} paragraphs)" if count else ""
                tqdm.write(
                    f"{outcome.status:9} {outcome.path}: {outcome.article.title}{detail}", file=out
                )
        progress.close()
        for item in skipped:
            err.write(self.style.WARNING(f"skipped: {item.path}: {item.reason}") + "\n")
        self.print_summary(outcomes, skipped)
        failed = sum(1 for outcome in outcomes if outcome.status == "failed")
        if failed:
            raise CommandError(f"{failed} of {len(outcomes)} files failed; see the errors above")

    def print_summary(self, outcomes: list[ImportOutcome], skipped: list[Skipped]) -> None:
        statuses = Counter(outcome.status for outcome in outcomes)
        self.stdout.write(
            "Articles: "
            + ", ".join(
                f"{statuses.get(status, 0)} {status}"
                for status in ("created", "updated", "unchanged", "failed")
            )
            + (f"; {len(skipped)} skipped in the folders" if skipped else "")
        )
        changes = sum((outcome.paragraphs for outcome in outcomes), Counter())
        if changes:
            self.stdout.write(
                "Paragraphs of updated articles: "
                + ", ".join(
                    f"{changes.get(key, 0)} {key}"
                    for key in ("kept", "changed", "added", "removed")
                )
            )
        effects: dict[str, Counter] = {}
        for outcome in outcomes:
            for name, counts in outcome.effects.items():
                effects.setdefault(name, Counter()).update(counts)
        for name, counts in effects.items():
            # What builds on the text reports what the change did to it, e.g.
            # "Annotations on changed text: 12 kept, 3 moved, 1 placed fuzzily, 0 orphaned".
            self.stdout.write(
                f"{name.capitalize()} on changed text: "
                + ", ".join(f"{count} {label}" for label, count in counts.items())
            )
        kinds = sum((outcome.paragraph_kinds for outcome in outcomes), Counter())
        if kinds:
            self.stdout.write(
                f"Paragraphs written: {sum(kinds.values())} ("
                + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common())
                + ")"
            )

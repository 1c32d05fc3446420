"""python manage.py import_articles PATH... : import article files and folders."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from corpus.services import ImportOutcome, import_article_files

# Up to this many files, each gets a line; beyond it, a progress bar.
LIST_EACH_FILE_UP_TO = 20


def read_ahead() -> int:
    """Files parsed ahead by a worker thread while this one writes: on PostgreSQL,
    where the writes wait on the network (the benchmark shows it pays there); none on
    SQLite, which answers in-process with nothing to overlap."""
    return 4 if connection.vendor == "postgresql" else 0


def collect_files(paths: list[str]) -> list[Path]:
    """The files named, and the files inside the folders named (hidden ones left out)."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(
                sorted(
                    child
                    for child in path.rglob("*")
                    if child.is_file()
                    and not any(part.startswith(".") for part in child.relative_to(path).parts)
                )
            )
        else:
            files.append(path)  # a missing path is reported by the importer, in its turn
    return files


class Command(BaseCommand):
    help = (
        "Import articles from .txt and .md files and folders. Each file is imported in its "
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

    def handle(
        self, *args, paths: list[str], force: bool, no_progress: bool, verbosity: int, **options
    ):
        files = collect_files(paths)
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
        for outcome in import_article_files(files, force=force, read_ahead=read_ahead()):
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
        self.print_summary(outcomes)
        failed = sum(1 for outcome in outcomes if outcome.status == "failed")
        if failed:
            raise CommandError(f"{failed} of {len(outcomes)} files failed; see the errors above")

    def print_summary(self, outcomes: list[ImportOutcome]) -> None:
        statuses = Counter(outcome.status for outcome in outcomes)
        self.stdout.write(
            "Articles: "
            + ", ".join(
                f"{statuses.get(status, 0)} {status}"
                for status in ("created", "updated", "unchanged", "failed")
            )
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

"""Signals of the corpus, for what builds on it (annotations) without the corpus
knowing of it."""

from django.dispatch import Signal

# Sent by ``corpus.services.paragraphs.article_text_replace`` inside its transaction,
# after the new paragraphs are written and before removed ones are deleted, with
# ``change`` (a ``TextChange``). A receiver places again what it anchored to changed
# or removed paragraphs, and returns a ``collections.Counter`` of what it did (or
# None); its ``effects_name`` attribute names it in ``TextChange.effects``. An
# exception rolls the whole change back.
article_text_changed = Signal()

"""What trafilatura lets through of a page's furniture, told apart from its text.

Each rule looks at one block's shape (how long, how much of it is link text) and at
the words of the tables in ``html_rules``; none looks at a site, a file or a phrase
of one page. The rules only ever drop short blocks, so that an article's paragraph
that mentions a newsletter or a cookie is kept.
"""

from __future__ import annotations

from . import html_rules as rules
from .document import is_caption, parse_date
from .html_blocks import Block

_PUNCTUATION = ".,;:!?()[]{}\"“”‘’'«»—–-…*|/"
_QUOTE_MARKS = frozenset('"“”«»„')
_LABEL_SEPARATORS = (":", " — ", " – ", " - ", " | ", " »", "»")
_LABEL_MAX_CHARS = 40
_TERMINAL = frozenset('.!?…"”’)»')
# A block whose text is this much link text (letters and digits) is a link to elsewhere.
LINK_SHARE = 0.8
# ... and a list whose every item is at least this much link text is a list of links.
LIST_LINK_SHARE = 0.5
LINK_TEASER_MAX_WORDS = 30


def tokens(text: str) -> list[str]:
    """The words of a text, lowercased, without the punctuation around them."""
    words = (word.strip(_PUNCTUATION) for word in text.lower().split())
    return [word for word in words if word]


def _phrase_text(words: list[str]) -> str:
    return " " + " ".join(words) + " "


def _has_phrase(words: list[str], phrases) -> bool:
    """Whether one of the phrases starts at a word of the text ("sign up" is not in
    "design update"); it may end inside one ("cookie" is in "cookies")."""
    text = _phrase_text(words)
    return any(" " + phrase in text for phrase in phrases)


def label_of(text: str) -> tuple[str, str] | None:
    """The label a block opens with and the rest: "Read more: X" -> ("read more", "X").
    A parenthesis in the label is left out ("Photo (cc) : X" -> "photo")."""
    head = text[: _LABEL_MAX_CHARS + 3]
    positions = [(head.find(sep), sep) for sep in _LABEL_SEPARATORS]
    found = [(position, sep) for position, sep in positions if 0 < position <= _LABEL_MAX_CHARS]
    if not found:
        return None
    position, separator = min(found)
    label = text[:position]
    if "(" in label:
        label = label[: label.index("(")]
    return " ".join(tokens(label)), text[position + len(separator) :].strip()


def _whole_label(text: str) -> str:
    return " ".join(tokens(text))


def is_cross_link(block: Block) -> bool:
    """ "Read more: ...", "Related: ...", "Watch: ...": a pointer to another page."""
    if block.words > rules.CROSS_LINK_MAX_WORDS:
        return False
    if _whole_label(block.text) in rules.CROSS_LINK_LABELS:
        return True
    labelled = label_of(block.text)
    return labelled is not None and labelled[0] in rules.CROSS_LINK_LABELS


def is_credit(block: Block) -> bool:
    """ "Photo Source: X from Pexels", "Photo (cc): X": who made an image, no caption."""
    labelled = label_of(block.text)
    return (
        labelled is not None
        and labelled[0] in rules.CREDIT_LABELS
        and len(labelled[1].split()) <= rules.CREDIT_MAX_WORDS
    )


def is_link_teaser(block: Block) -> bool:
    """A short block that is all (or nearly all) link text: a headline that links to
    another article. A link that shows its own address cites a source: kept."""
    return (
        block.chars > 0
        and block.link_chars >= LINK_SHARE * block.chars
        and block.words <= LINK_TEASER_MAX_WORDS
        and not block.url_link
    )


def _reported_speech(text: str, words: list[str]) -> bool:
    return any(char in _QUOTE_MARKS for char in text) and any(
        word in rules.REPORTING_VERBS for word in words
    )


def _speaks_to_reader(words: list[str]) -> bool:
    return words[0] in rules.PROMPT_COMMANDS or any(word in rules.READER_ADDRESS for word in words)


def is_reader_prompt(block: Block) -> bool:
    """ "Sign up for our newsletter", "Share this article", "We want to hear what you
    think": a short block with a prompt's phrase that speaks to the reader."""
    if block.words > rules.READER_PROMPT_MAX_WORDS:
        return False
    words = tokens(block.text)
    return (
        bool(words)
        and _has_phrase(words, rules.READER_PROMPTS)
        and _speaks_to_reader(words)
        and not _reported_speech(block.text, words)
    )


def is_site_notice(block: Block) -> bool:
    """A cookie, privacy or comment-policy notice."""
    if block.words > rules.SITE_NOTICE_MAX_WORDS:
        return False
    words = tokens(block.text)
    return (
        bool(words)
        and _has_phrase(words, rules.SITE_NOTICES)
        and _speaks_to_reader(words)
        and not _reported_speech(block.text, words)
    )


def is_furniture(block: Block) -> bool:
    if block.kind == "caption":
        return False
    if block.kind != "list_item" and is_link_teaser(block):
        return True
    return (
        is_cross_link(block) or is_credit(block) or is_reader_prompt(block) or is_site_notice(block)
    )


def is_link_list(items: list[Block]) -> bool:
    """A list whose every item is mostly link text: related articles, a menu, a promo box."""
    return bool(items) and all(
        item.chars > 0 and item.link_chars >= LIST_LINK_SHARE * item.chars and not item.url_link
        for item in items
    )


def _name_like(word: str) -> bool:
    return (
        word[:1].isupper()
        or word[:1].isdigit()
        or "/" in word
        or word.lower()
        in {
            "via",
            "for",
            "from",
            "and",
            "&",
            "/",
            "de",
            "van",
            "von",
            "der",
        }
    )


def ends_with_credit(text: str) -> bool:
    """A caption that ends with its image's credit: "... in Taipei. Photo: AP",
    "... (Photograph: Jon Reed/Reuters)", "... Picture by Ann Lee"."""
    tail = text[-160:].rstrip(" .)]")
    lowered = tail.lower()
    colon, by = tail.rfind(":"), lowered.rfind(" by ")
    if colon < 0 and by < 0:
        return False
    if colon > by:
        label, credit = tail[:colon], tail[colon + 1 :]
    else:
        label, credit = tail[:by], tail[by + 4 :]
    credit_words = credit.split()
    if not 1 <= len(credit_words) <= 6 or not all(_name_like(word) for word in credit_words):
        return False
    label_words = label.lower().replace("(", " ").replace("[", " ").replace("|", " ").split()
    if label_words and label_words[-1] in {"credit", "source", "courtesy"}:
        label_words.pop()
    if not label_words or label_words[-1].strip(".,;") not in rules.CAPTION_CREDIT_WORDS:
        return False
    return len(label_words) >= 4  # a caption before the credit, not a credit alone


def looks_like_caption(text: str) -> bool:
    return len(text) <= 800 and (ends_with_credit(text) or is_caption(text))


def is_comment_furniture(block: Block) -> bool:
    """In a comment section: its headings, the widget's buttons, the names, dates and
    counters above each comment."""
    if block.kind == "heading":
        return True
    words = tokens(block.text)
    if not words or " ".join(words) in rules.COMMENT_WIDGET_LINES:
        return True
    if len(words) <= rules.COMMENT_LABEL_MAX_WORDS and block.text[-1] not in _TERMINAL:
        return True
    if len(words) <= 8 and any(char.isdigit() for char in block.text):
        if words[-1] == "ago" or {"am", "pm", "a.m", "p.m"} & set(words):
            return True
        if parse_date(block.text) is not None:
            return True
    return is_reader_prompt(block) or is_site_notice(block)

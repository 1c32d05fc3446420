"""Data tables the parser consults: words and phrases, not code.

Adding an outlet's footer phrase or a photo agency here teaches the importer a
new source without touching the parsing rules.
"""

import re

# Phrases that open an outlet's footer. From the first block that starts with one
# of them (in the second half of a document) to the reader comments, everything is
# boilerplate: share prompts, author bios, copyright, membership appeals.
FOOTER_OPENERS = (
    "note to readers:",
    "the original source of this article is",
    "copyright ©",
    "copyright (c)",
    "disclaimer:",
    "for media inquiries:",
    "become a member of",
    "articles by:",
    "comment on global research articles",
    "support independent journalism",
    "share this:",
    "sign up for our newsletter",
    "related articles",
)

# Phrases that make a single block boilerplate wherever it stands.
BOILERPLATE_PHRASES = (
    "featured image is from",
    "featured image:",
    "click the share buttons",
    "subscribe to our newsletter",
    "follow us on telegram",
    "if you are able, and if you like our content",
    *FOOTER_OPENERS,
)

# Lines of a comment widget (wpDiscuz, Disqus and the like). Blocks made only of
# such lines are boilerplate, and the blocks after them are reader comments.
COMMENT_WIDGET_LINES = frozenset(
    {
        "notify of",
        "newest most voted",
        "newest oldest most voted",
        "oldest newest most voted",
        "inline feedbacks",
        "view all comments",
        "login",
        "subscribe",
        "guest",
        "comments",
        "leave a reply",
        "leave a comment",
        "load more comments",
    }
)
COMMENT_WIDGET_MARKERS = frozenset({"notify of", "inline feedbacks", "view all comments"})

# Outlets the importer knows: what kind of writing they publish.
OUTLET_KINDS = {
    "global research": "opinion",
    "southfront": "opinion",
    "south front": "opinion",
    "new eastern outlook": "opinion",
    "reuters": "news",
    "associated press": "news",
    "al jazeera": "news",
    "the washington post": "news",
}

# Photo credits that end a caption: "(dpa)", "(AFP)", "(Reuters/John Smith)".
PHOTO_CREDITS = (
    "dpa",
    "afp",
    "ap",
    "reuters",
    "epa",
    "getty images",
    "sana",
    "tass",
    "irna",
    "sputnik",
    "ria novosti",
    "xinhua",
    "anadolu",
    "photo",
    "file photo",
)
PHOTO_CREDIT_RE = re.compile(
    r"\((?:"
    + "|".join(re.escape(credit) for credit in PHOTO_CREDITS)
    + r")(?:[/ :][^)]{0,60})?\)\s*$",
    re.IGNORECASE,
)
# Position marks in photo captions: "(C)", "(R)", "(2nd L)", "(L-R)".
PHOTO_POSITION_RE = re.compile(r"\((?:\d(?:st|nd|rd|th) )?(?:L|R|C|L-R|R-L|center|left|right)\)")

# A paragraph that ends with one of these verbs and a colon introduces a quotation.
REPORTING_VERBS = (
    "admit|admits|admitted|note|notes|noted|state|states|stated|say|says|said|write|writes|"
    "wrote|declare|declares|declared|explain|explains|explained|warn|warns|warned|conclude|"
    "concludes|concluded|claim|claims|claimed|argue|argues|argued|add|adds|added|read|reads|"
    "observe|observes|observed|report|reports|reported|continue|continues|continued|"
    "assert|asserts|asserted|acknowledge|acknowledges|acknowledged|put it|puts it"
)
QUOTE_INTRO_RE = re.compile(rf"\b(?:{REPORTING_VERBS})\s*:$", re.IGNORECASE)

# Section titles after which every block is a reference entry.
REFERENCE_HEADINGS = frozenset(
    {"references", "bibliography", "works cited", "sources", "literature", "notes and references"}
)

# Lowercase words a Title Case heading may contain.
MINOR_WORDS = frozenset(
    "a an the and or but nor of in on at to for by with from as into onto over via vs vs. "
    "between against within without about after before under upon since than through "
    "toward towards among amid its their his her".split()
)

# Labels an outlet puts above an article ("Region: Middle East").
OUTLET_LABELS = frozenset(
    {"region", "theme", "in-depth report", "topic", "topics", "category", "categories", "section"}
)

AFFILIATION_WORDS = re.compile(
    r"\b(?:University|Institute|Department|College|School of|Faculty|Centre|Center|Academy)\b"
)

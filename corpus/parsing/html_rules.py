"""Data tables the web page importer consults: words and phrases, not code.

trafilatura removes most page furniture (navigation, scripts, cookie banners,
share bars) by the page's structure. What it lets through is short blocks that
look like paragraphs; these tables describe them by their wording, so that a new
kind of leftover is taught here without touching the rules in ``html``.
"""

# ---------------------------------------------------------------- furniture

# A block that opens with one of these labels (then ":", a dash or nothing) and is
# short points to another page: a related article, a video, a gallery.
CROSS_LINK_LABELS = frozenset(
    {
        "read more",
        "read also",
        "also read",
        "read next",
        "read",
        "see also",
        "related",
        "related article",
        "related articles",
        "related stories",
        "related content",
        "recommended",
        "more on this story",
        "more on this topic",
        "you may also like",
        "you might also like",
        "further reading",
        "watch",
        "listen",
        "video",
        "gallery",
        "advertisement",
        "sponsored",
        "sponsored content",
    }
)
CROSS_LINK_MAX_WORDS = 30

# A block that opens with one of these labels and names a few words of credit
# after it is an image credit, not text: "Photo Source: X from Pexels".
CREDIT_LABELS = frozenset(
    {
        "photo",
        "photos",
        "photograph",
        "photo source",
        "photo credit",
        "photo credits",
        "photo by",
        "image",
        "images",
        "image source",
        "image credit",
        "image by",
        "picture",
        "pictures",
        "featured image",
        "cover image",
        "cover photo",
        "header image",
        "top image",
        "main image",
        "illustration",
        "credit",
        "credits",
        "foto",
    }
)
CREDIT_MAX_WORDS = 8

# Words that end a caption with its credit: "... in Taipei. Photo: AP".
CAPTION_CREDIT_WORDS = ("photo", "photograph", "picture", "image", "illustration", "credit", "foto")

# Phrases of the prompts a site addresses to its reader: newsletters, sharing,
# letters, apps, memberships. A short block with one of them that speaks to the
# reader ("you", "our"...) or opens with a command ("Share", "Sign up") is furniture.
READER_PROMPTS = (
    "sign up",
    "signup",
    "subscribe",
    "newsletter",
    "share this",
    "share on",
    "share via",
    "share the article",
    "share article",
    "follow us",
    "submit a letter",
    "submit your letter",
    "letters to the editor",
    "letter to the editor",
    "we want to hear",
    "tell us what you think",
    "download our app",
    "download the app",
    "get the app",
    "support our journalism",
    "support independent journalism",
    "become a member",
    "become a subscriber",
    "make a donation",
    "donate now",
    "click here",
    "by registering",
    "create an account",
    "create a free account",
    "already a subscriber",
    "already have an account",
    "email alerts",
    "notifications",
    "continue reading",
    "ad-blocker",
    "ad blocker",
    "adblocker",
)
READER_PROMPT_MAX_WORDS = 60

# Notices a site shows on every page: cookies, privacy, terms, the rules of its
# comment section. Longer than a prompt, but they too speak to the reader.
SITE_NOTICES = (
    "cookie",
    "privacy policy",
    "privacy notice",
    "terms of service",
    "terms of use",
    "terms and conditions",
    "all rights reserved",
    "commenting platform",
    "comment policy",
    "community guidelines",
    "community standards",
    "reserve the right to remove",
    "comments are moderated",
    "comments are closed",
    "join the conversation",
    "post a comment",
    "leave a comment",
    "log in to comment",
    "sign in to comment",
)
SITE_NOTICE_MAX_WORDS = 120

# Words by which a block speaks to its reader, or of the site as "we".
READER_ADDRESS = frozenset(
    "you your yours yourself you're you’re you've you’ve you'll you’ll "
    "we we're we’re we've we’ve we'll we’ll we'd we’d us our ours".split()
)

# Commands a prompt opens with ("Share this article", "Sign up for...").
PROMPT_COMMANDS = frozenset(
    "share sign subscribe follow click tap download submit join get read watch listen "
    "support donate register log accept manage like tweet email print save bookmark "
    "comment see discover explore find".split()
)

# Verbs of reported speech: a short block that quotes someone is text, even when
# the words quoted would make a prompt ("'We must subscribe to...,' she said").
REPORTING_VERBS = frozenset(
    "said says say told tells added adds wrote writes asked asks according argued argues "
    "explained explains insisted insists noted notes warned warns".split()
)

# Lines of a comment widget, and words that alone make a comment widget line.
COMMENT_WIDGET_LINES = frozenset(
    {
        "reply",
        "replies",
        "report",
        "report comment",
        "flag",
        "like",
        "likes",
        "share",
        "permalink",
        "edit",
        "delete",
        "log in to reply",
        "login to reply",
        "sign in to reply",
        "load more comments",
        "show more comments",
        "show more replies",
        "view replies",
        "hide replies",
        "newest",
        "oldest",
        "most voted",
        "top comments",
        "sort by",
    }
)
# A comment section line this short without sentence punctuation is the name of
# the reader who wrote the comment below it, a date or a counter, not a comment.
COMMENT_LABEL_MAX_WORDS = 3

# Whose name stands in a page's author field without being an author's.
NON_PERSON_AUTHORS = frozenset(
    {
        "admin",
        "administrator",
        "editor",
        "editors",
        "the editors",
        "editorial",
        "editorial board",
        "editorial staff",
        "guest",
        "guest author",
        "guest contributor",
        "letters",
        "letters to the editor",
        "news desk",
        "newsroom",
        "staff",
        "staff writer",
        "staff reporter",
        "web desk",
        "webmaster",
        "unknown",
        "anonymous",
    }
)

# ---------------------------------------------------------------- what kind of article

# Section names (in the URL's path, the page's section metadata or its JSON-LD
# articleSection) under which outlets publish opinion.
OPINION_SECTIONS = frozenset(
    {
        "opinion",
        "opinions",
        "comment",
        "commentisfree",
        "commentary",
        "op-ed",
        "op-eds",
        "oped",
        "opeds",
        "editorial",
        "editorials",
        "letters",
        "letters to the editor",
        "letters-to-the-editor",
        "column",
        "columns",
        "columnist",
        "columnists",
        "viewpoint",
        "viewpoints",
    }
)
NEWS_SECTIONS = frozenset({"news"})

# schema.org types (JSON-LD "@type") that say what an article is.
OPINION_TYPES = frozenset({"OpinionNewsArticle", "ReviewNewsArticle"})
NEWS_TYPES = frozenset(
    {
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BackgroundNewsArticle",
        "AskPublicNewsArticle",
    }
)
ACADEMIC_TYPES = frozenset({"ScholarlyArticle", "MedicalScholarlyArticle", "Thesis"})
ARTICLE_TYPES = OPINION_TYPES | NEWS_TYPES | ACADEMIC_TYPES | {"Article", "BlogPosting", "Report"}

# <meta name=...> of scholarly publishers (Highwire Press tags, as Google Scholar reads them).
ACADEMIC_META = frozenset(
    {
        "citation_journal_title",
        "citation_conference_title",
        "citation_dissertation_institution",
        "citation_technical_report_institution",
        "citation_arxiv_id",
    }
)
# <meta> whose content names the page's section or type.
SECTION_META = frozenset({"article:section", "dc.type", "prism.section", "section"})

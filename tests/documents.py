"""Small documents written for the tests: a saved news page, PDFs made with fpdf2 (a
two-column paper, a scan, an encrypted one, a long one) and PDFs built by hand (a
decompression bomb). Every word here is ours; the real pages in
``../shared/wild-articles`` are read by benchmarks, never copied in.

Each function returns the file's bytes; the constants next to them are the words a
test looks for in what the importer makes of them. ``active_content`` is the check
that a stored page keeps nothing that runs.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from lxml import html as lxml_html

# --------------------------------------------------------------------------- web page

NEWS_TITLE = "Moscow and Tehran weigh their next move in northern Syria"
NEWS_OUTLET = "The Levant Ledger"
NEWS_AUTHOR = "Mariam Haddad"
NEWS_DATE = "2024-03-18"
NEWS_URL = "https://levantledger.example/world/2024/03/18/moscow-tehran-northern-syria"

NEWS_BODY = [
    "Russian and Iranian officials met in Damascus on Sunday for the third time this "
    "year, as both governments try to keep their footholds in Syria while their "
    "attention and their budgets are drawn elsewhere.",
    "According to two people briefed on the talks, the delegations discussed the "
    "rotation of Russian military police near Tal Rifaat and the supply routes that "
    "Iranian-backed militias use between Deir ez-Zor and the Iraqi border.",
    "Analysts in Beirut describe a partnership of convenience rather than an alliance. "
    "Moscow wants to remain the broker between Damascus and Ankara; Tehran wants a "
    "land corridor to Lebanon that no one else controls.",
    "Neither side has published an account of the meeting. The Syrian foreign ministry "
    "said only that the talks had been held in a constructive atmosphere and that "
    "another round would follow before the summer.",
    "The two governments disagree most openly about reconstruction contracts, which "
    "Russian companies have won in the phosphate and energy sectors while Iranian "
    "firms complain that their earlier promises were never honoured.",
    "Diplomats expect the next round to take place in Tehran, where the question of "
    "Israeli air strikes on supply depots near Damascus is likely to dominate.",
]
NEWS_SUBHEADING = "A corridor to the Mediterranean"
NEWS_QUOTE = (
    "We are not allies, we are neighbours in the same burning house, and each of us "
    "keeps a hand on the door."
)
NEWS_LIST = [
    "Russian air bases at Hmeimim and the naval facility at Tartus",
    "Iranian advisers at the T4 airbase in Homs province",
    "Militia positions along the Euphrates near Al-Bukamal",
]
NEWS_CAPTION = "A Russian military police convoy on the M4 motorway near Saraqib in 2023."
NEWS_COMMENTS = [
    "The article leaves out the role of Turkey, which holds more of the north than "
    "either Russia or Iran.",
    "Good summary of the talks. I would like to read more about the phosphate contracts.",
]
# Page furniture: none of these may end up in a paragraph.
NEWS_FURNITURE = [
    "World News",
    "Middle East",
    "Subscribe",
    "This site uses cookies",
    "Accept all cookies",
    "Share on Facebook",
    "Share on X",
    "Copy link",
    "Read more: Turkey opens a new crossing",
    "Turkey opens a new crossing",
    "Iraq's parliament votes on the budget",
    "Oil prices fall after OPEC meeting",
    "Lebanon's new cabinet sworn in",
    "Related articles",
    "Manage settings",
    "All rights reserved",
    "Contact us",
    "Privacy policy",
]
# What the page's scripts would write: never an article's text.
NEWS_SCRIPT_TEXT = "Injected by a script: breaking offer for subscribers"


def active_content(page: str) -> list[str]:
    """What could run in a stored page: scripts other than JSON-LD data, frames and
    embedded objects, ``on…`` handlers, script addresses in any attribute."""
    found = []
    tree = lxml_html.document_fromstring(page)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script" and (element.get("type") or "").lower() != "application/ld+json":
            found.append(f"<script> {(element.text or '')[:40]!r}")
        if tag in {"iframe", "frame", "object", "embed", "applet"}:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            squeezed = "".join(value.split()).lower()
            handler = name.lower().startswith("on") or name.lower() == "srcdoc"
            if handler or "javascript:" in squeezed or "vbscript:" in squeezed:
                found.append(f"{name}={value!r}")
    return found


def news_page_html() -> bytes:
    """A saved news article page about Russia and Iran in Syria, with the furniture of
    a real news site around it: menu, cookie banner, share bar, scripts (one writing
    text, one ``onclick``), a teaser, a related-articles list and reader comments."""
    first, second, third, fourth, fifth, sixth = NEWS_BODY
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{NEWS_TITLE} | {NEWS_OUTLET}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta property="og:title" content="{NEWS_TITLE}">
  <meta property="og:site_name" content="{NEWS_OUTLET}">
  <meta property="og:type" content="article">
  <meta property="og:url" content="{NEWS_URL}">
  <meta name="author" content="{NEWS_AUTHOR}">
  <meta property="article:published_time" content="{NEWS_DATE}T07:30:00+00:00">
  <meta property="article:section" content="World">
  <link rel="canonical" href="{NEWS_URL}">
  <script type="application/ld+json">
  {{"@context": "https://schema.org", "@type": "NewsArticle",
    "headline": "{NEWS_TITLE}",
    "datePublished": "{NEWS_DATE}T07:30:00+00:00",
    "author": {{"@type": "Person", "name": "{NEWS_AUTHOR}"}},
    "publisher": {{"@type": "Organization", "name": "{NEWS_OUTLET}"}}}}
  </script>
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
  <script src="https://cdn.levantledger.example/bundle.js" async></script>
</head>
<body class="article-page">
  <div id="cookie-banner" class="cookie-consent" role="dialog">
    <p>This site uses cookies to improve your experience and to show you personalised ads.
       By continuing to browse you agree to our use of cookies.</p>
    <button onclick="acceptCookies()">Accept all cookies</button>
    <a href="/privacy">Manage settings</a>
  </div>
  <header class="site-header">
    <a class="logo" href="/">{NEWS_OUTLET}</a>
    <nav class="main-nav">
      <ul>
        <li><a href="/world">World News</a></li>
        <li><a href="/middle-east">Middle East</a></li>
        <li><a href="/europe">Europe</a></li>
        <li><a href="/opinion">Opinion</a></li>
        <li><a href="/subscribe" class="cta">Subscribe</a></li>
      </ul>
    </nav>
  </header>
  <main>
    <article class="story">
      <h1 class="headline">{NEWS_TITLE}</h1>
      <div class="byline">By <a rel="author" href="/authors/mariam-haddad">{NEWS_AUTHOR}</a>
        <time datetime="{NEWS_DATE}T07:30:00+00:00">18 March 2024</time></div>
      <div class="share-bar">
        <a href="https://www.facebook.com/sharer/sharer.php?u={NEWS_URL}">Share on Facebook</a>
        <a href="https://twitter.com/intent/tweet?url={NEWS_URL}">Share on X</a>
        <a href="javascript:void(copyLink())" onclick="copyLink(); return false;">Copy link</a>
      </div>
      <figure class="lead-image">
        <img src="https://cdn.levantledger.example/images/convoy-saraqib.jpg"
             alt="Armoured vehicles on a motorway" onerror="this.style.display='none'">
        <figcaption>{NEWS_CAPTION}</figcaption>
      </figure>
      <div class="story-body">
      <p>{first}</p>
      <p>{second}</p>
      <script>document.write("<p>{NEWS_SCRIPT_TEXT}</p>");</script>
      <p class="teaser"><strong>Read more:</strong>
        <a href="/world/2024/03/17/turkey-crossing">Turkey opens a new crossing</a></p>
      <p>{third}</p>
      <h2>{NEWS_SUBHEADING}</h2>
      <p>{fourth}</p>
      <blockquote><p>{NEWS_QUOTE}</p></blockquote>
      <p>The positions that matter most to the two governments, according to a report
        published this month by a research centre in Amman, are these:</p>
      <ul>
{chr(10).join(f"        <li>{item}</li>" for item in NEWS_LIST)}
      </ul>
      <p>{fifth}</p>
      <p>{sixth}</p>
      </div>
      <aside class="related">
        <h3>Related articles</h3>
        <ul>
          <li><a href="/world/2024/03/17/turkey-crossing">Turkey opens a new crossing</a></li>
          <li><a href="/world/2024/03/16/iraq-budget">Iraq's parliament votes on the budget</a></li>
          <li><a href="/business/2024/03/15/oil">Oil prices fall after OPEC meeting</a></li>
          <li><a href="/world/2024/03/14/lebanon">Lebanon's new cabinet sworn in</a></li>
        </ul>
      </aside>
    </article>
    <section id="comments" class="comments">
      <h2>Comments</h2>
      <div class="comment">
        <div class="comment-author">levant_watcher</div>
        <div class="comment-date">2 hours ago</div>
        <p>{NEWS_COMMENTS[0]}</p>
      </div>
      <div class="comment">
        <div class="comment-author">reader1987</div>
        <div class="comment-date">5 hours ago</div>
        <p>{NEWS_COMMENTS[1]}</p>
      </div>
    </section>
  </main>
  <footer class="site-footer">
    <p>&copy; 2024 {NEWS_OUTLET}. All rights reserved.</p>
    <a href="/contact">Contact us</a> <a href="/privacy">Privacy policy</a>
  </footer>
  <script>
    function copyLink() {{ navigator.clipboard.writeText(location.href); }}
    document.getElementById("cookie-banner").insertAdjacentHTML(
      "beforeend", "<p>{NEWS_SCRIPT_TEXT}</p>");
  </script>
</body>
</html>
"""
    return page.encode("utf-8")


def script_only_page_html() -> bytes:
    """A page whose text is all written by its scripts: nothing for the importer."""
    state = "Russian and Iranian officials met in Damascus. " * 30
    return (
        "<!DOCTYPE html><html><head><title>Live: the talks in Damascus</title>"
        f'<script>window.__STATE__ = {{"body": "{state}"}};</script></head>'
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<div id='root'></div><script>render(window.__STATE__)</script></body></html>"
    ).encode()


# --------------------------------------------------------------------------- PDFs

PAPER_TITLE = "Brokers and Patrons: Russia and Iran in the Syrian Conflict"
PAPER_AUTHOR = "Layla Nasser"
PAPER_RUNNING_HEADER = "Journal of Levantine Security Studies 12 (2024)"
PAPER_AFFILIATION = "Department of Politics, University of Nowhere"
PAPER_ABSTRACT = (
    "Abstract. This paper compares the interventions of Russia and Iran in the Syrian "
    "conflict since 2015. It argues that Moscow acted as a broker that sought leverage "
    "over every party, while Tehran acted as a patron that built lasting networks of "
    "armed clients, and that the difference explains their rivalry over reconstruction."
)
# The body, in reading order: (heading, paragraphs).
PAPER_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "1 Introduction",
        [
            "When Russian aircraft began striking targets in Syria in September 2015, "
            "observers in Washington and in Europe described the operation as a short "
            "campaign to save a client regime from collapse. Nearly a decade later, "
            "Russian forces remain at Hmeimim and Tartus, and Moscow has become an "
            "indispensable party to every negotiation about the future of the country.",
            "Iran had arrived earlier and more quietly. Its advisers, and the militias "
            "they recruited from Lebanon, Iraq and Afghanistan, fought on the ground for "
            "years before the first Russian aircraft landed, and their commitments were "
            "made without any public announcement or parliamentary debate in Tehran.",
            "This paper asks why two governments that fought on the same side have "
            "drifted into a quiet rivalry. It draws on published statements, on the "
            "records of the Astana talks and on interviews with diplomats in Beirut, "
            "Amman and Moscow conducted between 2019 and 2023. Section two sets out two "
            "kinds of intervention; section three tests them against the record of "
            "reconstruction; the conclusion asks what the rivalry means for the future "
            "of the country and for the people who still live in it.",
        ],
    ),
    (
        "2 Two kinds of intervention",
        [
            "The first kind of intervention is that of a broker. A broker seeks influence "
            "over all parties to a conflict at once, and its power grows with the number "
            "of parties that must pass through it. Russia kept open channels to Ankara, "
            "to the Kurdish authorities in the north east and even to Israel, whose air "
            "strikes on Iranian positions it has largely tolerated. Its military police "
            "patrolled the lines between the government and the opposition, and its "
            "officers chaired the meetings at which local truces were negotiated.",
            "The second kind is that of a patron. A patron builds armed clients whose "
            "loyalty it rewards and whose survival depends on it. Iran invested in "
            "militias, in religious institutions and in property around the shrines of "
            "Damascus, and it expects these investments to pay off in the decades of "
            "reconstruction that lie ahead. Its influence does not depend on the goodwill "
            "of the other parties, which is why it has so little interest in the "
            "negotiations that Moscow values.",
            "The two logics coexist as long as the regime needs both protectors. They "
            "collide when the fighting ends and the question becomes who will rebuild "
            "the country, who will own its ports and mines, and whose officers will "
            "command its security services. A broker needs a settlement that every "
            "party can accept; a patron needs a settlement that leaves its clients armed.",
        ],
    ),
    (
        "3 Reconstruction as a test",
        [
            "The reconstruction contracts signed since 2018 show the difference at work. "
            "Russian firms have taken the phosphate mines near Palmyra and the port of "
            "Tartus under long leases, while the Iranian projects announced in the same "
            "years, a mobile phone network and a power station among them, have mostly "
            "remained on paper. Iranian officials have complained in public that their "
            "sacrifices were not rewarded, and the complaints grew louder after every "
            "new Russian contract was announced in Damascus.",
            "The security services tell a similar story. Russian advisers have worked to "
            "rebuild a regular army under a single command, absorbing former rebels into "
            "new corps; Iranian advisers have kept their militias apart from the army "
            "and have recruited local men into units that answer to them alone. Each "
            "side regards the other's clients as a threat to the settlement it wants.",
            "Neither government has let the rivalry become open conflict. Both need the "
            "regime to survive, both face Western sanctions, and both have found it "
            "useful to present their partnership as a model for a world without Western "
            "leadership. The commitments they have made to each other are nevertheless "
            "thinner than their statements suggest.",
        ],
    ),
    (
        "4 Conclusion",
        [
            "Russia and Iran remain partners in Syria, but partners of different kinds. "
            "The broker and the patron want different things from the same victory, and "
            "the negotiations over reconstruction are where their interests part.",
            "Whether the partnership survives will depend less on the battlefield than on "
            "the money that neither of them has: the reconstruction of Syria will be paid "
            "for by others, or it will not happen at all.",
        ],
    ),
]
PAPER_HEADINGS = [heading for heading, _ in PAPER_SECTIONS]
PAPER_BODY = [text for _, paragraphs in PAPER_SECTIONS for text in paragraphs]
PAPER_REFERENCES = [
    "Allison, R. (2013). Russia and Syria: explaining alignment with a regime in crisis. "
    "International Affairs 89(4), 795-823.",
    "Juneau, T. (2020). Iran's costly intervention in Syria: a pyrrhic victory. "
    "Mediterranean Politics 25(1), 26-44.",
    "Phillips, C. (2016). The Battle for Syria: International Rivalry in the New Middle "
    "East. New Haven: Yale University Press.",
    "Vatanka, A. (2021). Iran and Russia in Syria: allies of circumstance. Middle East "
    "Journal 75(2), 201-219.",
]


def _fpdf(*, compress: bool = True):
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_compression(compress)
    pdf.set_creation_date(datetime(2024, 3, 18, tzinfo=UTC))  # the same bytes every run
    pdf.set_creator("tests/documents.py")
    pdf.set_producer("fpdf2")
    return pdf


@dataclass
class PaperLayout:
    """What the typesetting of ``two_column_pdf`` did, for the tests to check."""

    pages: int = 0
    hyphenated: list[str] = field(default_factory=list)  # words split at a line end
    across_pages: list[str] = field(default_factory=list)  # paragraphs a page break cut
    across_columns: list[str] = field(default_factory=list)  # ...and a column break


class _TwoColumns:
    """Sets text in two justified columns by hand, as a journal's typesetter does:
    words hyphenated at line ends, first lines indented, a running header (the journal,
    and the author's name, which the first page also has under the title) and a page
    number on every page."""

    MARGIN = 72.0
    GUTTER = 22.0
    SIZE = 11.0
    LEADING = 13.5
    TOP = 80.0
    FONT = "Times"  # a standard font: no font file, the same layout everywhere

    def __init__(self, pdf) -> None:
        self.pdf = pdf
        self.width = pdf.w
        self.height = pdf.h
        self.column_width = (self.width - 2 * self.MARGIN - self.GUTTER) / 2
        self.bottom = self.height - 72.0
        self.column = 0
        self.y = self.TOP
        self.column_top = self.TOP
        self.layout = PaperLayout()
        self.breaks: list[str] = []  # "page" or "column" breaks inside the paragraph

    # -- pages
    def new_page(self) -> None:
        pdf = self.pdf
        pdf.add_page()
        number = pdf.page_no()
        pdf.set_font(self.FONT, "I", 8)
        pdf.text(self.MARGIN, 44, PAPER_RUNNING_HEADER)
        pdf.text(self.width - self.MARGIN - pdf.get_string_width(PAPER_AUTHOR), 44, PAPER_AUTHOR)
        label = str(number)
        pdf.set_font(self.FONT, "", 9)
        pdf.text((self.width - pdf.get_string_width(label)) / 2, self.height - 40, label)
        pdf.set_font(self.FONT, "", self.SIZE)  # the text goes on in the body type
        self.layout.pages = number
        self.column = 0
        self.y = self.TOP
        self.column_top = self.TOP

    def x(self) -> float:
        return self.MARGIN + self.column * (self.column_width + self.GUTTER)

    def next_line(self) -> None:
        self.y += self.LEADING
        if self.y > self.bottom:
            if self.column == 0:
                self.column = 1
                self.y = self.column_top
                self.breaks.append("column")
            else:
                self.new_page()
                self.breaks.append("page")

    # -- text across the page
    def centered(self, text: str, size: float, style: str = "") -> None:
        self.pdf.set_font(self.FONT, style, size)
        self.pdf.text((self.width - self.pdf.get_string_width(text)) / 2, self.y, text)
        self.y += size * 1.5

    def spanning_paragraph(self, text: str, size: float) -> None:
        width = self.width - 2 * self.MARGIN
        self.pdf.set_font(self.FONT, "", size)
        for words, last in self._lines(text.split(), width, hyphenate=False):
            self._justify(words, self.MARGIN, width, last)
            self.y += size * 1.3

    # -- text in the columns
    def heading(self, text: str) -> None:
        self.y += self.LEADING * 0.8
        if self.y + 3 * self.LEADING > self.bottom:  # no heading alone at a column's foot
            self.y = self.bottom
            self.next_line()
        self.pdf.set_font(self.FONT, "B", 12)
        self.pdf.text(self.x(), self.y, text)
        self.breaks = []
        self.next_line()

    def paragraph(self, text: str, *, indent: bool = True, hyphenate: bool = True) -> None:
        self.pdf.set_font(self.FONT, "", self.SIZE)
        first_indent = 12.0 if indent else 0.0
        lines = self._lines(
            text.split(), self.column_width, hyphenate=hyphenate, first=first_indent
        )
        self.breaks = []
        for number, (line_words, last) in enumerate(lines):
            offset = first_indent if number == 0 else 0.0
            self._justify(line_words, self.x() + offset, self.column_width - offset, last)
            if not last:
                self.next_line()
        if "page" in self.breaks:
            self.layout.across_pages.append(text)
        if "column" in self.breaks:
            self.layout.across_columns.append(text)
        self.breaks = []
        self.next_line()

    def _lines(self, words, width, *, hyphenate, first=0.0):
        """Greedy line breaking; a long word that does not fit is hyphenated when a
        first part of it fits."""
        width_of = self.pdf.get_string_width
        space = width_of(" ")
        lines: list[tuple[list[str], bool]] = []
        current: list[str] = []
        used = 0.0
        available = width - first
        words = list(words)
        while words:
            word = words.pop(0)
            needed = width_of(word) + (space if current else 0.0)
            if used + needed <= available:
                current.append(word)
                used += needed
                continue
            split = self._hyphen_split(word, available - used - space) if hyphenate else None
            if split and current:
                head, tail = split
                current.append(head + "-")
                words.insert(0, tail)
                self.layout.hyphenated.append(word.strip(".,;:").lower())
                lines.append((current, False))
                current, used, available = [], 0.0, width
                continue
            lines.append((current, False))
            current, used, available = [word], width_of(word), width
        if current:
            lines.append((current, True))
        return lines

    def _hyphen_split(self, word: str, room: float) -> tuple[str, str] | None:
        """Cut a word of at least 8 letters, leaving 4 letters before the hyphen and
        3 after it; never a name, a number or a word with punctuation inside."""
        core = word.rstrip(".,;:")
        if len(core) < 8 or not core.isalpha() or not core.islower():
            return None
        for cut in range(len(core) - 3, 3, -1):
            head = word[:cut]
            if self.pdf.get_string_width(head + "-") <= room:
                return head, word[cut:]
        return None

    def _justify(self, words: list[str], x: float, width: float, last: bool) -> None:
        pdf = self.pdf
        if last or len(words) == 1:
            pdf.text(x, self.y, " ".join(words))
            return
        natural = sum(pdf.get_string_width(word) for word in words)
        gap = (width - natural) / (len(words) - 1)
        for word in words:
            pdf.text(x, self.y, word)
            x += pdf.get_string_width(word) + gap


@cache
def _paper(compress: bool = True) -> tuple[bytes, PaperLayout]:
    pdf = _fpdf(compress=compress)
    pdf.set_auto_page_break(False)
    pdf.set_title(PAPER_TITLE)
    pdf.set_author(PAPER_AUTHOR)
    typesetter = _TwoColumns(pdf)
    typesetter.new_page()
    typesetter.centered(PAPER_TITLE, 16, "B")
    typesetter.y += 6
    typesetter.centered(PAPER_AUTHOR, 11)
    typesetter.centered(PAPER_AFFILIATION, 9, "I")
    typesetter.y += 10
    typesetter.spanning_paragraph(PAPER_ABSTRACT, 9)
    typesetter.y += 16
    typesetter.column_top = typesetter.y
    for heading, paragraphs in PAPER_SECTIONS:
        typesetter.heading(heading)
        for number, text in enumerate(paragraphs):
            typesetter.paragraph(text, indent=number > 0)
    typesetter.heading("References")
    for reference in PAPER_REFERENCES:
        typesetter.paragraph(reference, indent=False, hyphenate=False)
        typesetter.y += 3
    return bytes(pdf.output()), typesetter.layout


def two_column_pdf(*, compress: bool = True) -> bytes:
    """A paper of two pages set in two columns: title, author and abstract across the
    page, numbered headings, justified body with hyphenated line ends, a running header
    and page numbers, a paragraph cut by a page break, references. Uncompressed, its
    content streams are text that a fuzzer's flipped bytes change."""
    return _paper(compress)[0]


def two_column_pdf_layout() -> PaperLayout:
    """How ``two_column_pdf`` was set: its words hyphenated, its paragraphs cut."""
    return _paper()[1]


def scanned_pdf() -> bytes:
    """A page that is only a picture of text (no text layer), as a scanner makes it."""
    import struct

    width, height = 200, 100
    rows = []
    for y in range(height):
        row = bytearray(width)
        for x in range(width):
            # Grey "lines of text": dark stripes with gaps, like a scanned page.
            row[x] = 40 if (y % 12 < 6 and 20 < x < 180 and (x // 7) % 5) else 235
        rows.append(b"\x00" + bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    pdf = _fpdf()
    pdf.add_page()
    pdf.image(io.BytesIO(png), x=40, y=40, w=pdf.w - 80)
    return bytes(pdf.output())


def encrypted_pdf(user_password: str = "levant") -> bytes:  # noqa: S107 (a test file)
    """A one-page PDF with text, encrypted with a password to open it."""
    pdf = _fpdf()
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 16, NEWS_BODY[0])
    return bytes(pdf.output())


_CITIES = ["Damascus", "Aleppo", "Homs", "Hama", "Latakia", "Tartus", "Idlib", "Raqqa"]


def many_pages_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` short pages, each with a line of its own (not a running one)."""
    pdf = _fpdf()
    pdf.set_font("Helvetica", size=11)
    for number in range(pages):
        pdf.add_page()
        first, second = _CITIES[number % 8], _CITIES[number // 8 % 8]
        line = f"Minutes of the talks held in {first}, then in {second}, on Syria's future."
        pdf.text(72, 100 + 40 * (number % 10), line)
    return bytes(pdf.output())


def one_page_pdf(text: str = NEWS_BODY[0], *, compress: bool = True) -> bytes:
    """A one-page PDF with a title and a paragraph: the smallest good PDF."""
    pdf = _fpdf(compress=compress)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=16)
    pdf.multi_cell(0, 22, "Talks in Damascus")
    pdf.ln(6)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 15, text)
    return bytes(pdf.output())


def _pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file of the given objects (numbered from 1, the first the catalog), with
    a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_ADLER_BASE = 65521


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other (zlib's adler32_combine)."""
    remainder = second_length % _ADLER_BASE
    low = first & 0xFFFF
    high = remainder * low % _ADLER_BASE
    low = (low + (second & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    high = (high + (first >> 16) + (second >> 16) + _ADLER_BASE - remainder) % _ADLER_BASE
    return low | (high << 16)


def _repeated_adler32(chunk: bytes, times: int) -> int:
    """The Adler-32 of ``chunk * times``, without making it (by doubling)."""
    unit, unit_length, result = zlib.adler32(chunk), len(chunk), 1
    while times:
        if times & 1:
            result = _adler32_combine(result, unit, unit_length)
        unit = _adler32_combine(unit, unit, unit_length)
        unit_length *= 2
        times >>= 1
    return result


def inflating_zlib_stream(chunk: bytes, times: int) -> bytes:
    """A zlib stream that inflates to ``chunk * times``, made in milliseconds: the chunk
    is compressed once into a block that ends in a full flush (which resets the
    compressor, so the same block stands for every repetition), the block is repeated,
    and the checksum of the whole is computed from the chunk's."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: no header
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush(zlib.Z_FINISH)  # an empty final block
    checksum = _repeated_adler32(chunk, times).to_bytes(4, "big")
    return b"\x78\xda" + block * times + end + checksum


@cache
def pdf_bomb(inflated_gib: int = 4) -> bytes:
    """A one-page PDF of about 11 KB whose content stream inflates to ``inflated_gib``
    GiB: text-showing operators padded with spaces, compressed twice (the stream's
    filters are ``[/FlateDecode /FlateDecode]``: a zlib stream of a few megabytes,
    itself compressed, as in the classic bombs). A reader that inflates it in memory
    needs gigabytes."""
    operators = b"BT /F1 12 Tf 72 720 Td (Syria) Tj ET\n"
    chunk = operators + b" " * (2**20 - len(operators))
    inner = inflating_zlib_stream(chunk, inflated_gib * 1024)
    body = zlib.compress(inner, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(body)
        + body
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _pdf_from_objects(objects)

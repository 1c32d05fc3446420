"""Values that no parameter of the site takes, for the fuzz test of every view
(tests/test_fuzz_parameters.py). Each was a server error somewhere once, or is the
kind of value that makes one: digits that ``str.isdigit()`` accepts and ``int()``
does not, integers past 64 bits, NUL bytes (PostgreSQL refuses them in text), values
longer than SQLite's LIKE pattern limit (50,000 bytes), LIKE's own wildcards."""

# Sent to every parameter of every view, for every user.
BAD_VALUES: list[str] = [
    # Digits for str.isdigit() that int() refuses, or that int() reads but are not ASCII.
    "²",
    "①",
    "٣",  # Arabic-Indic three: int() reads it as 3
    "１",  # fullwidth one: int() reads it as 1
    # Signs, spacing and notation that int() or a form may or may not accept.
    "--1",
    "-1",
    "0",
    "1e3",
    "1.5",
    " 1",
    # Integers past what the databases store (2**63 - 1), and past what int() parses.
    "9" * 19,
    str(2**63),
    str(2**64),
    "-" + str(2**63),
    "9" * 5000,
    # NUL bytes: PostgreSQL refuses them in text; psycopg refuses them in parameters.
    "\x00",
    "a\x00b",
    # Longer than SQLite's LIKE pattern limit, and than every max_length of a field.
    "x" * 100_000,
    # LIKE wildcards, quotes and markup.
    "%",
    "_",
    "'",
    '"',
    "<script>alert(1)</script>",
    "../../etc/passwd",
    # Unicode that is valid UTF-8 but odd: a right-to-left override, astral characters.
    "\u202e",
    "😀" * 1000,
    # Nothing at all.
    "",
]

# Sent to one parameter in four of every view (which one turns deterministically with
# the value), so that each reaches every view without doubling the run time; to every
# parameter with CROSSREAD_FUZZ_FULL=1.
MORE_VALUES: list[str] = [
    "+1",
    "00",
    "1,000",
    "1_000",  # int() reads it; a form's IntegerField does not
    "0x1f",
    "1 ",
    "1\n",
    "-0",
    "NaN",
    "inf",
    "2",  # a version that is not the current one: the conflict page
    str(2**63 - 1),  # the largest id there is: fine everywhere, found nowhere
    "9" * 18,
    "1" + "0" * 400,
    "𝟗",  # mathematical bold nine: int() reads it as 9
    "߂",  # NKo two
    "\x00" * 100,
    "%00",
    "\x7f",
    "\r\n",
    "\t",
    "\ufeff",
    "\u200b",
    "e\u0301",  # e and a combining acute accent
    "İ",  # its casefold is two characters long
    "ß" * 100,
    "\uffff",
    " ",
    "x" * 201,
    "x" * 50_001,
    "%%",
    "\\",
    "*",
    "'; DROP TABLE annotations_annotation; --",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "{{ 7|add:7 }}",
    "%s",
    "true",
    "null",
    "[]",
    "{}",
]

# What goes in a URL's own arguments (a slug, an id) where its converter allows it;
# the others are refused by the resolver with a 404 (sent anyway).
BAD_PATH_VALUES: list[str] = [
    "0",
    "00000000000000001",
    "9" * 18,
    "9" * 19,
    str(2**63),
    str(2**64),
    "9" * 5000,
    "-",
    "_",
    "x" * 1000,
    "-1",
    "²",
    "a b",
    "\x00",
    "..",
]

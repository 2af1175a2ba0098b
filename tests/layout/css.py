"""Just enough of a CSS reader for portal.css: rules, custom properties per colour scheme, contrast."""
from __future__ import annotations

import re
from dataclasses import dataclass

COMMENT = re.compile(r"/\*.*?\*/", re.S)
HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
VAR = re.compile(r"var\((--[\w-]+)\)")
NAMED = {"white": "#ffffff", "black": "#000000"}


@dataclass
class Rule:
    selector: str
    declarations: dict[str, str]
    media: str  # "" at the top level


def rules(css: str) -> list[Rule]:
    """Every `selector { … }` rule, with the @media condition it sits in (one level of nesting)."""
    css = COMMENT.sub("", css)
    found: list[Rule] = []

    def walk(text: str, media: str) -> None:
        i = 0
        while (start := text.find("{", i)) != -1:
            head = text[i:start].strip()
            depth, j = 1, start + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            body = text[start + 1:j - 1]
            if head.startswith("@media"):
                walk(body, head)
            elif not head.startswith("@"):
                decls = {}
                for part in body.split(";"):
                    if ":" in part:
                        name, value = part.split(":", 1)
                        decls[name.strip()] = value.strip()
                found.append(Rule(head, decls, media))
            i = j

    walk(css, "")
    return found


def custom_properties(css: str) -> dict[str, dict[str, str]]:
    """{'light': {'--bg': '#fbfaf7', …}, 'dark': {…}}: dark is light overridden by the dark :root."""
    light: dict[str, str] = {}
    dark: dict[str, str] = {}
    for rule in rules(css):
        if rule.selector != ":root":
            continue
        target = dark if "prefers-color-scheme: dark" in rule.media else light if not rule.media else None
        if target is not None:
            target.update({k: v for k, v in rule.declarations.items() if k.startswith("--")})
    return {"light": light, "dark": {**light, **dark}}


def colour(value: str, props: dict[str, str]) -> str | None:
    """The hex colour in a value, following var(--…) through the scheme's custom properties."""
    for _ in range(5):
        match = VAR.search(value)
        if not match:
            break
        value = value.replace(match.group(0), props.get(match.group(1), ""))
    if value.strip() in NAMED:
        return NAMED[value.strip()]
    match = HEX.search(value)
    if not match:
        return None
    h = match.group(1)
    return "#" + ("".join(c * 2 for c in h) if len(h) == 3 else h).lower()


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)

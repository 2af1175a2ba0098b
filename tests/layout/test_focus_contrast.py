"""Every focus style is seen on every background it can sit on, in light and dark schemes.

WCAG 2.2 asks a focus indicator to reach 3:1 against the colours next to it (1.4.11, 2.4.13). Ours
is two bands, amber and near-black (technique C40): with 9:1 between the two, one of them always
reaches 3:1 against any background. These tests read portal.css itself; tests/browser checks the
computed styles of real focused elements.
"""
from __future__ import annotations

import re

import pytest

from tests.conftest import REPO
from tests.layout.css import colour, contrast, custom_properties, rules

CSS = (REPO / "portal" / "static" / "css" / "portal.css").read_text(encoding="utf-8")
PROPS = custom_properties(CSS)
# Every background a focusable element sits on: page, cards, notices, header, emergency card.
BACKGROUNDS = ("--bg", "--surface", "--info-bg", "--header-bg", "--emergency-bg")
FOCUS_RULES = [r for r in rules(CSS) if ":focus" in r.selector]
PX = re.compile(r"(-?\d*\.?\d+)(?:px)?\b")


def _bands(rule, props) -> list[str]:
    """The colours this focus style paints at least 2px wide all round the element."""
    d, bands = rule.declarations, []
    outline = d.get("outline", "")
    width = PX.search(outline)
    if outline and "none" not in outline and width and float(width.group(1)) >= 2:
        bands.append(colour(outline, props))
    outline_extent = (float(width.group(1)) if width and "none" not in outline else 0) + \
        float(PX.search(d.get("outline-offset", "0")).group(1))
    for shadow in d.get("box-shadow", "").split(","):
        numbers = [float(n) for n in PX.findall(shadow.split("#")[0].split("var(")[0])]
        # A ring is an unblurred, unshifted shadow reaching 2px or more beyond the outline.
        if len(numbers) == 4 and numbers[:3] == [0, 0, 0] and numbers[3] - outline_extent >= 2:
            bands.append(colour(shadow, props))
    if "background" in d or "background-color" in d:
        bands.append(colour(d.get("background", d.get("background-color", "")), props))
    return [b for b in bands if b]


def _paints(rule) -> bool:
    """Whether the rule draws a focus indicator. `main:focus { outline: none }` does not: main is focused
    only by the skip link (tabindex=-1) and operates nothing."""
    d = rule.declarations
    return any(k in d for k in ("box-shadow", "background", "background-color")) or \
        ("outline" in d and "none" not in d["outline"])


def test_the_css_has_focus_styles_and_backgrounds_to_check():
    assert len([r for r in FOCUS_RULES if _paints(r)]) >= 3
    for scheme in ("light", "dark"):
        for name in BACKGROUNDS + ("--focus", "--focus-ring", "--focus-text"):
            assert colour(f"var({name})", PROPS[scheme]), f"{name} has no colour in the {scheme} scheme"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_two_focus_colours_stand_apart_from_each_other_and_every_background(scheme):
    props = PROPS[scheme]
    amber, ring = colour("var(--focus)", props), colour("var(--focus-ring)", props)
    assert contrast(amber, ring) >= 9, "C40: 9:1 between the two bands gives 3:1 on any background"
    assert contrast(colour("var(--focus-text)", props), amber) >= 4.5, "text on a focused link"
    for bg in BACKGROUNDS:
        background = colour(f"var({bg})", props)
        assert max(contrast(amber, background), contrast(ring, background)) >= 3, (scheme, bg)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rule", [r for r in FOCUS_RULES if _paints(r)], ids=lambda r: r.selector)
def test_every_focus_style_reaches_3_to_1_on_every_background(rule, scheme):
    props = PROPS[scheme]
    bands = _bands(rule, props)
    assert bands, f"{rule.selector} paints no band 2px wide all round (outline or ring)"
    for bg in BACKGROUNDS:
        background = colour(f"var({bg})", props)
        best = max(contrast(b, background) for b in bands)
        assert best >= 3, f"{rule.selector} on {bg} ({scheme}): {best:.2f}:1"
    d = rule.declarations
    if "background" in d or "background-color" in d:
        fill = colour(d.get("background", d.get("background-color", "")), props)
        assert "color" in d, f"{rule.selector} fills the element but leaves its text colour to chance"
        assert contrast(colour(d["color"], props), fill) >= 4.5, rule.selector

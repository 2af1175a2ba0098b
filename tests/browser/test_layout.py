"""Keyboard, focus and small screens, at 1280 and 390 px wide, in light and dark schemes.

- the skip link is the first Tab, shows, and takes focus past every navigation to <main>;
- "Need help now?" is reachable within the first few Tabs on every page, and in view on a phone;
- every focused element reaches 3:1 against what surrounds it (computed styles, not the CSS file);
- on a phone, a cohort page's <main> starts within the first screen, and the menus work without scripts.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.discussions import services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

WIDTHS = [1280, 390]
SCHEMES = ["light", "dark"]
RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")

FOCUSED = """() => {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  const opaque = c => c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c);
  let around = null;
  for (let p = el.parentElement; p && !around; p = p.parentElement) {
    const b = getComputedStyle(p).backgroundColor;
    if (opaque(b)) around = b;
  }
  const box = el.getBoundingClientRect();
  return {
    what: el.tagName + (el.className ? '.' + el.className : '') + ' ' + (el.innerText || el.value || '').slice(0, 30),
    inHeader: !!el.closest('header'), inMain: !!el.closest('main'), id: el.id,
    text: (el.innerText || '').trim(), hasText: (el.innerText || '').trim().length > 0,
    outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth),
    outlineOffset: parseFloat(cs.outlineOffset), outlineColor: cs.outlineColor,
    boxShadow: cs.boxShadow, fill: cs.backgroundColor, color: cs.color,
    around: around || 'rgb(255, 255, 255)',
    visible: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0
             && box.right <= innerWidth + 1 && box.bottom <= innerHeight + 1,
  };
}"""


def _rgb(css: str) -> tuple[float, float, float, float] | None:
    m = RGB.search(css or "")
    if not m:
        return None
    r, g, b, a = m.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def _contrast(a, b) -> float:
    def lum(c):
        lin = [(v / 255) / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c[:3]]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def focus_problems(f: dict) -> list[str]:
    """What is wrong with the focused element's indicator (empty when it reaches WCAG 2.2's 3:1)."""
    around, bands = _rgb(f["around"]), []
    if f["outlineStyle"] != "none" and f["outlineWidth"] >= 2:
        bands.append(_rgb(f["outlineColor"]))
    reach = (f["outlineWidth"] if f["outlineStyle"] != "none" else 0) + f["outlineOffset"]
    for shadow in re.findall(r"rgba?\([^)]*\)[^,]*(?:,|$)", f["boxShadow"] or ""):
        sizes = [float(n) for n in re.findall(r"(-?[\d.]+)px", shadow)]
        if len(sizes) == 4 and sizes[:3] == [0, 0, 0] and sizes[3] - reach >= 2:
            bands.append(_rgb(shadow))
    fill = _rgb(f["fill"])
    if fill and fill[3] > 0 and fill[:3] != around[:3]:
        bands.append(fill)
        if f["hasText"] and _contrast(_rgb(f["color"]), fill) < 4.5:
            return [f"{f['what']}: text {f['color']} on {f['fill']} is "
                    f"{_contrast(_rgb(f['color']), fill):.2f}:1"]
    bands = [b for b in bands if b and b[3] > 0]
    if not bands:
        return [f"{f['what']}: no focus indicator"]
    best = max(_contrast(b, around) for b in bands)
    return [] if best >= 3 else [f"{f['what']}: indicator {best:.2f}:1 against {f['around']} "
                                 f"(outline {f['outlineStyle']} {f['outlineColor']}, shadow {f['boxShadow']})"]


def _open_menus(page):
    page.evaluate("document.querySelectorAll('details.site-menu, details.cohort-nav__manage')"
                  ".forEach(d => { d.open = true; })")


@pytest.fixture
def cohort_with_thread(cohort, learner, facilitator, db):
    services.start_thread(learner, cohort, None, "How the first session felt", "It was a lot.", None, None)
    return cohort


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_focused_element_stands_out(page, facilitator, cohort_with_thread, width, scheme):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    base = f"/cohorts/{cohort_with_thread.id}"
    page.goto("/login")
    problems = []

    def tab_through(limit=45):
        _open_menus(page)
        page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        seen = 0
        for _ in range(limit):
            page.keyboard.press("Tab")
            f = page.evaluate(FOCUSED)
            if f["what"].startswith("BODY"):
                break
            problems.extend(focus_problems(f))
            seen += 1
        return seen

    for path in ("/login", "/need-help-now"):
        page.goto(path)
        assert tab_through() >= 3, path
    sign_in(page, facilitator.email, PASSWORD)
    for path in ("/home", "/need-help-now", f"{base}/", f"{base}/discussions", f"{base}/members",
                 f"{base}/manage/timetable"):
        page.goto(path)
        assert tab_through() >= 5, path
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_skip_link_then_need_help_within_the_first_tabs(page, learner, cohort_with_thread, width, scheme):
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    base = f"/cohorts/{cohort_with_thread.id}"
    pages = ["/login", "/need-help-now", "/no-such-page"]

    def check(path):
        page.goto(path)
        page.keyboard.press("Tab")
        skip = page.evaluate(FOCUSED)
        assert skip["text"] == "Skip to main content" and skip["visible"], (path, skip)
        assert not focus_problems(skip), focus_problems(skip)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main-content", path
        page.keyboard.press("Tab")
        after = page.evaluate(FOCUSED)
        assert after["inMain"] or after["what"].startswith("BODY") or not after["inHeader"], (path, after)
        page.goto(path)
        for tabs in range(1, 4):
            page.keyboard.press("Tab")
            f = page.evaluate(FOCUSED)
            if f["text"] == "Need help now?" and f["inHeader"]:
                assert f["visible"], (path, f)
                break
        else:
            pytest.fail(f"'Need help now?' is not within the first 3 Tabs on {path}")

    for path in pages:
        check(path)
    sign_in(page, learner.email, PASSWORD)
    for path in ("/home", "/course/", "/account", f"{base}/", f"{base}/discussions", f"{base}/members",
                 f"{base}/agreement"):
        check(path)
    # On a cohort page, Tab after the skip link lands in <main>, past the header and cohort menus.
    page.goto(f"{base}/discussions")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["inMain"]


@pytest.mark.parametrize("who", ["learner", "facilitator"])
def test_on_a_phone_a_cohort_page_starts_within_the_first_screen(page, request, cohort_with_thread, who):
    person = request.getfixturevalue(who)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, person.email, PASSWORD)
    base = f"/cohorts/{cohort_with_thread.id}"
    for path in ("/", "/discussions", "/members", "/agreement"):
        page.goto(base + path)
        top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
        assert top < 300, f"{path}: main starts {top:.0f}px down"
        expect(page.get_by_role("link", name="Need help now?").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        current = page.locator(".cohort-nav__tabs [aria-current='page']").bounding_box()
        assert current is None or 0 <= current["x"] and current["x"] + current["width"] <= 390, path


def test_the_menus_work_without_javascript(browser, live_server, facilitator, cohort):
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        sign_in(page, facilitator.email, PASSWORD)
        page.goto(f"/cohorts/{cohort.id}/")
        main_nav = page.get_by_role("navigation", name="Main")
        expect(main_nav.get_by_role("link", name="Your account")).not_to_be_visible()
        page.get_by_text("Menu", exact=True).click()
        main_nav.get_by_role("link", name="Your account").click()
        page.wait_for_url("**/account")
        page.goto(f"/cohorts/{cohort.id}/")
        expect(page.get_by_role("link", name="Invite links")).not_to_be_visible()
        page.get_by_text("Facilitator tools", exact=True).click()
        expect(page.get_by_role("link", name="Invite links")).to_be_visible()

        page.set_viewport_size({"width": 1280, "height": 800})
        page.reload()
        for _ in range(4):  # skip link, name, "Need help now?", then the menu's first link: no "Menu" step
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.innerText") == "My cohorts"
        expect(page.get_by_text("Menu", exact=True)).not_to_be_visible()
        expect(main_nav.get_by_role("link", name="Your account")).to_be_visible()
        expect(page.get_by_role("link", name="Invite links")).to_be_visible()
    finally:
        context.close()


def test_every_crisis_number_is_a_big_enough_target_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/need-help-now")
    links = page.locator("a[href^='tel:'], a[href^='sms:']")
    assert links.count() >= 4
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["height"] >= 44, links.nth(i).inner_text()

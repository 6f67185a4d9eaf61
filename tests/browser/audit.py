"""Checks of a page open in the browser, for any page of the site or the admin: it fits the
window, its title keeps to one line, its printout carries no controls, its words are Chinese
and axe-core finds nothing serious. Each function takes a Playwright page already showing what
to check, fails with what a reader would notice (which elements, which words, which rules), and
leaves the page as it found it (the print checks put screen media back).

axe-core comes from npm (package.json, package-lock.json at the top of the checkout) and is read
from node_modules/ on disk, never fetched and never served: `npm ci` installs it.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_MISSING = (
    "axe-core is not installed (no node_modules/axe-core/axe.min.js): run `npm ci` at the top "
    "of the checkout (it installs the version package-lock.json pins)"
)
# axe-core's impacts, from least to most severe; assert_accessible fails from "serious" up.
IMPACTS = ("minor", "moderate", "serious", "critical")

# An English word as a reader would see one: three or more ASCII letters in a row.
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# Written in ASCII on purpose, not English UI: web addresses, e-mail addresses, file names.
NOT_WORDS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\S+\.(csv|xlsx|xls|ods)\b", re.I)
# Words that are names of things, not UI text to translate: the file formats offered for
# download. Callers add the data of their page (user names, codes in the cast) with `allow`.
ALLOWED_WORDS = frozenset({"CSV", "XLSX", "XLS", "ODS", "PDF"})
# What a page could show or read out: its text and the attributes that stand for text.
SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def assert_fits(page):
    """The page does not scroll sideways: nothing reaches past the window's right edge except
    inside a box that scrolls by itself (overflow-x: auto)."""
    found = page.evaluate(
        """() => {
            const width = window.innerWidth;
            const scrolls = (el) => ["auto", "scroll", "hidden", "clip"].includes(
                getComputedStyle(el).overflowX);
            const outermost = [];
            for (const el of document.body.querySelectorAll("*")) {
                if (el.getBoundingClientRect().right <= width + 0.5) continue;
                let parent = el.parentElement, inside = false;
                while (parent && parent !== document.body) {
                    if (scrolls(parent) || outermost.includes(parent)) { inside = true; break; }
                    parent = parent.parentElement;
                }
                if (!inside) outermost.push(el);
            }
            const describe = (el) => el.tagName.toLowerCase() +
                (el.id ? "#" + el.id : "") +
                (el.classList.length ? "." + [...el.classList].join(".") : "") +
                " (" + Math.round(el.getBoundingClientRect().right) + "px)";
            return {
                scrollWidth: document.documentElement.scrollWidth,
                width: width,
                wide: outermost.slice(0, 5).map(describe),
            };
        }"""
    )
    assert found["scrollWidth"] <= found["width"], (
        "%s scrolls sideways at %dpx: the page is %dpx wide; too wide: %s"
        % (page.url, found["width"], found["scrollWidth"], ", ".join(found["wide"]) or "?")
    )


def assert_one_line(page, selector):
    """Each element matching `selector` has its text on one line (all its line boxes at the
    same height), however narrow the window."""
    lines = page.eval_on_selector_all(
        selector,
        """(elements) => elements.map((el) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const tops = new Set([...range.getClientRects()]
                .filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
            return [el.textContent.trim(), tops.size];
        })""",
    )
    assert lines, "%s has no %s" % (page.url, selector)
    wrapped = [text for text, count in lines if count > 1]
    assert not wrapped, "%s wraps %s onto several lines: %s" % (page.url, selector, wrapped)


def assert_title_not_wrapped(page, selector=".site-header .brand"):
    """The site's name in the header is one line (at 390px it once went one character a line)."""
    assert_one_line(page, selector)


def assert_print_hides_forms(page, selector="form, nav, button, summary, [role=search]"):
    """Printed, the page shows none of its controls: every element matching `selector` (forms,
    navigation, buttons, menus) is not rendered or has no size."""
    page.emulate_media(media="print")
    try:
        shown = page.eval_on_selector_all(
            selector,
            """(elements) => elements.filter((el) => {
                const rect = el.getBoundingClientRect();
                return el.checkVisibility() && rect.width > 0 && rect.height > 0;
            }).map((el) => el.outerHTML.slice(0, 120))""",
        )
    finally:
        page.emulate_media(media="null")
    assert not shown, "%s prints its controls: %s" % (page.url, shown)


# A4's printable area in CSS pixels (96 an inch) under site.css's @page margins: portrait
# 210 × 297mm less 12mm and 14mm a side, landscape 297 × 210mm less 12mm and 10mm.
A4_PORTRAIT = {"width": round((210 - 24) / 25.4 * 96), "height": round((297 - 28) / 25.4 * 96)}
A4_LANDSCAPE = {"width": round((297 - 24) / 25.4 * 96), "height": round((210 - 20) / 25.4 * 96)}


def assert_print_flows(page, sheet_height=A4_LANDSCAPE["height"]):
    """Printed at the window's width (make it the sheet's: A4_PORTRAIT, A4_LANDSCAPE), the
    page fills its sheets one after the other: nothing forces a new sheet (break-before/after:
    page), and nothing that must not break (break-inside: avoid) is taller than half a sheet,
    so that keeping it whole never leaves more than half a sheet blank (a dashboard section
    kept whole once left three quarters of the first sheet empty)."""
    page.emulate_media(media="print")
    try:
        found = page.evaluate(
            """(height) => {
                const forced = ["page", "always", "left", "right", "recto", "verso"];
                const found = {forced: [], tall: []};
                for (const el of document.body.querySelectorAll("*")) {
                    const style = getComputedStyle(el);
                    const name = el.tagName.toLowerCase() +
                        (el.classList.length ? "." + [...el.classList].join(".") : "");
                    if (forced.includes(style.breakBefore) || forced.includes(style.breakAfter)) {
                        found.forced.push(name);
                    }
                    const tall = el.getBoundingClientRect().height;
                    if (style.breakInside.startsWith("avoid") && tall > height / 2) {
                        found.tall.push(name + " (" + Math.round(tall) + "px)");
                    }
                }
                return found;
            }""",
            sheet_height,
        )
    finally:
        page.emulate_media(media="null")
    assert not found["forced"], "%s starts a new sheet at: %s" % (page.url, found["forced"])
    assert not found["tall"], "%s keeps whole, on a %dpx sheet: %s" % (
        page.url,
        sheet_height,
        found["tall"],
    )


def english_words(page, allow=()):
    """The English words a user of the page could see or hear: in its text (hidden parts such
    as a closed menu included, scripts and styles not), its title, and the attributes that
    stand for text (title, aria-label, placeholder, alt, a button's value), leaving out web
    and e-mail addresses, file names, ALLOWED_WORDS and the words in `allow` (the page's data:
    user names, codes)."""
    texts = page.evaluate(
        """(attributes) => {
            const texts = [document.title];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
                acceptNode: (node) => node.parentElement.closest("script, style, template")
                    ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
            });
            while (walker.nextNode()) texts.push(walker.currentNode.nodeValue);
            for (const name of attributes) {
                for (const el of document.body.querySelectorAll("[" + name + "]")) {
                    texts.push(el.getAttribute(name));
                }
            }
            for (const el of document.body.querySelectorAll(
                "input[type=submit], input[type=button], input[type=reset]")) {
                texts.push(el.value);
            }
            return texts;
        }""",
        list(SPOKEN_ATTRIBUTES),
    )
    allowed = ALLOWED_WORDS | set(allow)
    found = []
    for text in texts:
        for word in ENGLISH_WORD.findall(NOT_WORDS.sub(" ", text)):
            if word not in allowed and word not in found:
                found.append(word)
    return found


def assert_no_english(page, allow=()):
    """No English UI text on the page (see english_words for what counts)."""
    found = english_words(page, allow)
    assert not found, "%s shows English words: %s" % (page.url, found)


def axe_source():
    """axe-core's script from node_modules/; a failure saying to run `npm ci` without it, so
    that the accessibility checks never go quietly unrun."""
    if not AXE.exists():
        pytest.fail(AXE_MISSING, pytrace=False)
    return AXE


def axe_violations(page, impacts=("serious", "critical"), options=None):
    """axe-core's violations on the page, as it is shown now, of the given impacts.

    The script is added to the page as a <script> element, which the site's
    Content-Security-Policy (script-src 'self') refuses: open the page in a browser context
    made with bypass_csp=True (tests/browser/conftest.py's `audited` fixture does)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_source()))
    if not page.evaluate("() => typeof window.axe === 'object'"):
        pytest.fail(
            "axe-core did not start on %s: the page's Content-Security-Policy refused the "
            "script; open the page in a context with bypass_csp=True" % page.url,
            pytrace=False,
        )
    results = page.evaluate(
        "(options) => axe.run(document, options)", options or {"resultTypes": ["violations"]}
    )
    return [v for v in results["violations"] if v["impact"] in impacts]


def assert_accessible(page, impacts=("serious", "critical"), options=None):
    """axe-core finds no violation of the given impacts (serious or critical by default); the
    failure lists each rule, its help text and the elements that break it."""
    violations = axe_violations(page, impacts, options)
    assert not violations, "axe-core on %s:\n%s" % (page.url, describe(violations))


def describe(violations):
    lines = []
    for violation in violations:
        lines.append("%(impact)s %(id)s: %(help)s (%(helpUrl)s)" % violation)
        for node in violation["nodes"][:5]:
            lines.append("    %s: %s" % (" ".join(node["target"]), node["failureSummary"]))
        if len(violation["nodes"]) > 5:
            lines.append("    … and %d more" % (len(violation["nodes"]) - 5))
    return "\n".join(lines)

"""WCAG 2.2 AA on every page a reader can open: the entry page, every dashboard, every static page.

* axe-core (from the npm registry, pinned in ``package-lock.json``, installed by ``scripts/setup.sh`` into
  ``node_modules/``) is injected into each page and run at the tags below, at 1280 px and at 390 px wide;
  a dashboard is checked after Voilà has run every cell and its widgets have rendered.
* Keyboard: pressing Tab from the top of the page reaches every visible control (links, dropdowns, buttons,
  inputs), and each one looks different while it has the focus (outline, shadow, border or background).
  A filter is changed and a table downloaded with the keyboard alone.
* Reflow: at 390 px wide (a phone) and at 640 px (1280 px at 200% zoom) the page body does not scroll
  sideways and no content is cut off; a wide table may scroll inside its own box.

Screenshots (desktop and 390 px) go to ``artifacts/screenshots/a11y-*.png``.
"""

from __future__ import annotations

import io
import os

import pytest

from adass_survey.pages.export import export_site

from .conftest import (
    REPO,
    SCREENSHOTS,
    folder_server,
    goto_live,
    notebook_dir,
    open_page,
    render_url,
    save_screenshot,
    served_notebooks,
    wait_for_dashboard,
)

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NOTEBOOKS = served_notebooks()
STATIC_PAGES = ["index.html", *(n.replace(".ipynb", ".html") for n in NOTEBOOKS)]
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 390, "height": 844}  # a phone
ZOOMED = {"width": 640, "height": 400}  # 1280×800 at 200% zoom

# Every control a keyboard user must be able to reach: visible, enabled, not taken out of the tab order.
INTERACTIVE = (
    "a[href], button:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary,"
    " input:not([disabled]):not([type=hidden]), [tabindex]:not([tabindex='-1'])"
)


def require_axe() -> None:
    """Skip (locally) or fail (CI=true) when axe-core has not been installed from npm."""
    if AXE.is_file():
        return
    message = "axe-core is not installed in node_modules/ (run bash scripts/setup.sh, or npm ci)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; return its violations at AXE_TAGS, each with the nodes it names."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
             .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                          summary: (n.failureSummary || '').slice(0, 300)}))})))""",
        AXE_TAGS,
    )
    return result


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)")
        lines += [f"    {n['target']}: {n['html']}" for n in v["nodes"][:5]]
    return "\n".join(lines)


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || rect.right <= width + 1) continue;
    // inside a box that scrolls sideways by itself (a wide table) and that box fits: allowed
    let parent = el.parentElement, inScroller = false;
    while (parent && parent !== document.body) {
      if (scrolls(parent) && parent.getBoundingClientRect().right <= width + 1) { inScroller = true; break; }
      parent = parent.parentElement;
    }
    if (inScroller) continue;
    if (el.closest('.sr-only, .visually-hidden, [aria-hidden=true]')) continue;
    culprits.push((el.tagName.toLowerCase() + '.' + [...el.classList].join('.')).slice(0, 80)
                  + ' right=' + Math.round(rect.right));
  }
  // a box that scrolls sideways must be reachable by keyboard to be scrolled: focusable itself or holding a control
  const focusable = 'a[href], button, select, input, textarea, [tabindex]';
  for (const el of document.body.querySelectorAll('*')) {
    if (!scrolls(el) || el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
    if (el.matches('[tabindex]') || el.querySelector(focusable)) continue;
    culprits.push('scrolls sideways without keyboard access: '
                  + (el.tagName.toLowerCase() + '.' + [...el.classList].join('.')).slice(0, 80));
  }
  return {
    width,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    culprits: culprits.slice(0, 10),
  };
}"""


def reflow(page) -> dict:
    """Return the page's width, how wide it scrolls, and elements that stick out (neither fitting nor in a scroller)."""
    page.wait_for_timeout(300)
    return page.evaluate(OVERFLOW)


# What changes on an element when it takes the focus: the state is read focused and unfocused and compared.
FOCUS_STYLE = """el => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineStyle + s.outlineWidth + s.outlineColor : '';
  return [outline, s.boxShadow, s.borderTopColor + s.borderBottomColor + s.borderTopWidth + s.borderBottomWidth,
          s.backgroundColor, s.textDecorationLine + s.textDecorationThickness, s.color].join('|');
}"""

MARK_CONTROLS = (
    """selector => {
  const visible = el => {
    if (el.closest('[inert], [aria-hidden=true]')) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && el.getClientRects().length > 0;
  };
  const controls = [...document.querySelectorAll(selector)].filter(visible);
  const seenRadioGroups = new Set();
  return controls.map((el, i) => {
    el.setAttribute('data-a11y-id', String(i));
    // a group of radio buttons is one stop of the tab order
    const group = el.type === 'radio' && el.name ? 'radio:' + el.name : null;
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.title || '').trim().slice(0, 50);
    return {id: String(i), group, label: el.tagName.toLowerCase() + (text ? ' "' + text + '"' : ''),
            style: (%s)(el)};
  });
}"""
    % FOCUS_STYLE
)


def tab_through(page) -> dict:
    """Press Tab from the top of the page until the focus comes round again.

    Returns the controls (``controls``: id, label, radio group, unfocused style), the ids reached in order
    (``order``) and, for each id reached, its style while focused (``focused``).
    """
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    controls = page.evaluate(MARK_CONTROLS, INTERACTIVE)
    order, focused = [], {}
    first = None
    for _ in range(len(controls) * 2 + 20):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """style => { const el = document.activeElement;
                 if (!el || el === document.body) return null;
                 return {id: el.getAttribute('data-a11y-id'), tag: el.tagName.toLowerCase(),
                         style: (new Function('return ' + style))()(el)}; }""",
            FOCUS_STYLE,
        )
        if state is None:
            if order:
                break
            continue
        key = state["id"] or f"unmarked {state['tag']}"
        if key == first:
            break
        first = first or key
        order.append(key)
        focused[key] = state["style"]
    return {"controls": controls, "order": order, "focused": focused}


def keyboard_problems(tabbing: dict) -> tuple[list[str], list[str]]:
    """Return the controls Tab never reached and those that look the same focused and unfocused."""
    reached = set(tabbing["order"])
    groups_reached = {c["group"] for c in tabbing["controls"] if c["group"] and c["id"] in reached}
    unreached = [
        c["label"]
        for c in tabbing["controls"]
        if c["id"] not in reached and not (c["group"] and c["group"] in groups_reached)
    ]
    by_id = {c["id"]: c for c in tabbing["controls"]}
    invisible = [
        by_id[i]["label"] for i in tabbing["order"] if i in by_id and tabbing["focused"][i] == by_id[i]["style"]
    ]
    return unreached, invisible


def audit(page, name: str, settle=None) -> dict:
    """Check one page at 1280 px (axe, keyboard), then at 390 px (axe, reflow) and at 640 px (reflow)."""
    result = {"axe": axe_violations(page), "tabbing": tab_through(page)}
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    save_screenshot(page, f"a11y-{name}")
    page.set_viewport_size(NARROW)
    if settle:
        settle(page)
    result["reflow_390"] = reflow(page)
    result["axe_390"] = axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"a11y-390-{name}.png"), full_page=True)
    page.set_viewport_size(ZOOMED)
    result["reflow_640"] = reflow(page)
    page.set_viewport_size(DESKTOP)
    return result


def check(result: dict) -> None:
    """Assert one page's audit: no axe violation at either width, keyboard reach and focus, reflow."""
    assert not result["axe"], "axe-core violations at 1280 px:\n" + describe(result["axe"])
    assert not result["axe_390"], "axe-core violations at 390 px:\n" + describe(result["axe_390"])
    unreached, invisible = keyboard_problems(result["tabbing"])
    assert result["tabbing"]["order"], "Tab reaches nothing on the page"
    assert not unreached, f"controls Tab never reaches: {unreached[:10]}"
    assert not invisible, f"controls that show no focus when Tab reaches them: {invisible[:10]}"
    for key in ("reflow_390", "reflow_640"):
        view = result[key]
        assert view["scrollWidth"] <= view["width"] + 1 and not view["culprits"], (
            f"at {view['width']} px the page is {view['scrollWidth']} px wide or cuts off content: {view['culprits']}"
        )


# ---------------------------------------------------------------------------------------------------------------
# The entry page and the dashboards (Voilà through scripts/serve.sh, the repository's configuration)


@pytest.fixture(scope="module")
def entry_audit(voila_server, browser) -> dict:
    require_axe()
    page = open_page(browser, bypass_csp=True)
    try:
        page.goto(voila_server.url)
        page.wait_for_load_state("load")
        return audit(page, "entry")
    finally:
        page.context.close()


def test_entry_page_meets_wcag_22_aa(entry_audit) -> None:
    check(entry_audit)


@pytest.fixture(scope="module", params=NOTEBOOKS)
def dashboard_audit(request, voila_server, browser) -> dict:
    require_axe()
    notebook = request.param
    page = open_page(browser, bypass_csp=True)
    try:
        goto_live(page, render_url(voila_server, notebook))
        wait_for_dashboard(page)
        return audit(page, notebook.removesuffix(".ipynb"))
    finally:
        page.context.close()


def test_dashboard_meets_wcag_22_aa(dashboard_audit) -> None:
    check(dashboard_audit)


def keyboard_dashboard() -> str | None:
    """Return a served dashboard with a dropdown filter and a CSV download (07-restrictions when served)."""
    candidates = [
        n
        for n in NOTEBOOKS
        if any(
            call in (notebook_dir() / n).read_text(encoding="utf-8")
            for call in ("report.explore(", "FilterPanel(", "filter_panel(")
        )
    ]
    if "07-restrictions.ipynb" in candidates:
        return "07-restrictions.ipynb"
    return candidates[0] if candidates else None


def focus_by_tab(page, selector: str, limit: int = 400) -> bool:
    """Press Tab until the focused element matches ``selector``; return whether it did."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return True
    return False


def pixels_differ(before: bytes, after: bytes) -> int:
    """Return how many pixels differ between two screenshots of the same area."""
    from PIL import Image, ImageChops

    a, b = Image.open(io.BytesIO(before)).convert("RGB"), Image.open(io.BytesIO(after)).convert("RGB")
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    return diff.histogram()[255]


def focus_ring_pixels(page) -> int:
    """Return how many pixels around the focused element change when it loses the focus."""
    box = page.evaluate(
        """() => { const r = document.activeElement.getBoundingClientRect();
                   return {x: Math.max(r.left - 6, 0), y: Math.max(r.top - 6, 0),
                           width: r.width + 12, height: r.height + 12}; }"""
    )
    focused = page.screenshot(clip=box)
    page.evaluate("() => document.activeElement.blur()")
    unfocused = page.screenshot(clip=box)
    return pixels_differ(focused, unfocused)


COUNTY_CHOICE = '.adass-choices a[href="#f-council_type-county"]'  # no view of 07 withholds the county councils


def test_a_filter_and_a_download_work_by_keyboard_alone_with_a_visible_focus(voila_server, browser) -> None:
    """Tab to a section link, the first filter link and a CSV download; choose the filter and download with Enter; each shows a focus ring (pixels around it change when it loses the focus)."""
    notebook = keyboard_dashboard()
    assert notebook, "no served dashboard has a filter panel"
    page = open_page(browser, bypass_csp=True)
    try:
        goto_live(page, render_url(voila_server, notebook))
        wait_for_dashboard(page)
        rings = {}
        assert focus_by_tab(page, ".adass-nav a"), "Tab never reaches the section navigation"
        rings["navigation link"] = focus_ring_pixels(page)
        assert focus_by_tab(page, COUNTY_CHOICE), "Tab never reaches a filter choice"
        rings["filter choice"] = focus_ring_pixels(page)  # before Enter: following a fragment link moves the focus
        assert focus_by_tab(page, COUNTY_CHOICE)
        before = page.evaluate(
            "() => [location.hash, document.body.innerText.length,"
            " [...document.images].filter(i => i.offsetParent !== null).map(i => i.src.length).join()]"
        )
        page.keyboard.press("Enter")
        after = before
        for _ in range(100):
            page.wait_for_timeout(200)
            after = page.evaluate(
                "() => [location.hash, document.body.innerText.length,"
                " [...document.images].filter(i => i.offsetParent !== null).map(i => i.src.length).join()]"
            )
            if after[0] != before[0] and after[2] != before[2]:
                break
        save_screenshot(page, f"a11y-keyboard-filter-{notebook.removesuffix('.ipynb')}")
        assert focus_by_tab(page, "a[download$='.csv']"), "Tab never reaches a CSV download"
        rings["download link"] = focus_ring_pixels(page)
        page.evaluate("() => null")
        assert focus_by_tab(page, "a[download$='.csv']")
        with page.expect_download(timeout=30_000) as info:
            page.keyboard.press("Enter")
        filename = info.value.suggested_filename
    finally:
        page.context.close()
    assert after[0] != before[0], "Enter did not choose the filter (the address keeps no choice)"
    assert after[2] != before[2], "the chart did not change after choosing another filter value by keyboard"
    assert filename.endswith(".csv")
    faint = {what: n for what, n in rings.items() if n < 40}
    assert not faint, f"focus hardly visible (pixels changed around the element): {faint} of {rings}"


# ---------------------------------------------------------------------------------------------------------------
# The static pages (python -m adass_survey export), every section, served over plain HTTP


@pytest.fixture(scope="module")
def static_site(tmp_path_factory):
    """Export every section notebook and serve the pages on 127.0.0.1."""
    require_axe()
    out = tmp_path_factory.mktemp("a11y-static") / "site"
    export_site(notebook_dir(), out)
    with folder_server(out) as url:
        yield url


@pytest.fixture(scope="module", params=STATIC_PAGES)
def static_audit(request, static_site, browser) -> dict:
    page = open_page(browser, bypass_csp=True)
    try:
        page.goto(static_site + request.param)
        page.wait_for_load_state("load")
        return audit(page, "static-" + request.param.removesuffix(".html"))
    finally:
        page.context.close()


def test_static_page_meets_wcag_22_aa(static_audit) -> None:
    check(static_audit)

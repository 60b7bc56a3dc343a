"""End to end in a real browser (issue #4): Debian's Chromium driven by Playwright against a
live server on 127.0.0.1. Screenshots of each page go to test-artifacts/ for a person to look at.

Needs /usr/bin/chromium; without it these tests skip, unless QUOTEWIRE_REQUIRE_BROWSER=1
(as in CI), where a missing browser is a failure.
"""
from __future__ import annotations

import os
import pathlib
import socket
import threading
import time

import pytest

pytestmark = [pytest.mark.issue(4), pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = pathlib.Path(__file__).resolve().parents[1] / "test-artifacts"

if not os.path.exists(CHROMIUM) and os.environ.get("QUOTEWIRE_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(web_db):
    import uvicorn

    from quotewire.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(web_db), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    pg.outside = outside
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_browser_search_speaker_article_journey(server, page):
    page.goto(f"{server}/search")
    page.fill("input[name=q]", "bridge")
    page.click("button[type=submit]")
    page.wait_for_selector(".hit")
    assert "statement" in page.inner_text("#result-count")
    assert page.locator(".hit").count() >= 2
    assert page.locator(".facets a", has_text="Elena Marsh").count() == 1
    shot(page, "search")

    page.locator(".hit a", has_text="Elena Marsh").first.click()
    page.wait_for_selector("svg.timeline")
    assert page.locator("h1").inner_text().startswith("Elena Marsh")
    assert page.locator("svg.timeline rect.bar").count() >= 1
    shot(page, "speaker")

    page.locator(".card h3 a").first.click()
    page.wait_for_selector(".article-text")
    marks = page.locator(".q-content[tabindex='0']")
    assert marks.count() >= 5
    assert page.locator(".q-cue").count() >= 5 and page.locator(".q-source").count() >= 5
    first = marks.first
    first.focus()
    tip = first.locator(".tip")
    assert tip.is_visible() and tip.inner_text().strip()
    shot(page, "article")
    assert page.outside == [], page.outside


def test_browser_hover_shows_the_resolved_speaker(server, page):
    page.goto(f"{server}/search?speaker=Holm&kind=direct")
    page.locator(".hit .meta a[href^='/articles/']").first.click()
    page.wait_for_selector(".article-text")
    holm = page.locator(".q-content[tabindex='0']", has=page.locator(".tip", has_text="Anders Holm")).first
    holm.hover()
    assert "Anders Holm" in holm.locator(".tip").inner_text() and "direct" in holm.locator(".tip").inner_text()


def test_browser_article_markup_never_runs(server, page):
    page.goto(f"{server}/articles/xss-article")
    page.wait_for_selector(".article-text")
    assert page.dialogs == []
    assert page.evaluate("() => window.__xss === undefined")
    assert page.locator(".article-text img").count() == 0 and page.locator(".article-text script").count() == 0
    assert "<script>" in page.inner_text(".article-text")
    shot(page, "article-untrusted-markup")


def test_browser_events_list_says_what_ties_each_event(server, page):
    page.goto(f"{server}/events")
    row = page.locator("table.list tbody tr", has_text="Holm").first
    ties = row.locator("td.ties").inner_text()
    assert "quoting Holm" in ties and "2025-05-04" in ties  # the person quoted and the days
    outlets = int(row.locator("td.n").nth(1).inner_text())
    assert outlets >= 2  # listed only when several outlets cover it
    shot(page, "events")


def test_browser_event_page_shows_outlets_side_by_side(server, page):
    page.goto(f"{server}/events")
    page.locator("table.list a").first.click()
    page.wait_for_selector("table.compare")
    headers = page.locator("table.compare thead th").all_inner_texts()
    assert len(headers) >= 3 and any("Fjord Post" in h for h in headers)
    assert page.locator(".rendering.rel-altered").count() >= 1
    assert page.locator(".rendering del, .rendering ins").count() >= 1
    shot(page, "event")


def test_browser_event_page_shows_each_outlets_own_words_with_the_differences_marked(server, page):
    page.goto(f"{server}/events")
    page.locator("table.list a", has_text="Holm").first.click()
    page.wait_for_selector("table.compare")
    # the altered rendering: Coast News printed "We are turning off the taps tomorrow," (the
    # reference's "not" dropped): its own quotation marks, capital and comma, the "not" struck
    altered = page.locator(".rendering.rel-altered", has_text="taps").first
    words = altered.locator(".own-words")
    assert words.locator("del").first.inner_text().strip() == "not"
    printed = words.evaluate("e => { const c = e.cloneNode(true); c.querySelectorAll('del').forEach(d => d.remove()); return c.textContent; }")
    assert printed.startswith('"We are turning off the taps tomorrow,"'), printed
    assert words.evaluate("e => getComputedStyle(e.querySelector('del')).textDecorationLine") == "line-through"
    # the words an outlet added over the reference are marked in place, in its own spelling
    spring = page.locator(".rendering", has_text="spring").first
    assert spring.locator("ins").first.inner_text() == "spring"
    # the reference itself is shown unmarked, in its outlet's words
    ref = page.locator(".rendering.rel-reference", has_text="taps").first
    assert ref.locator("del, ins").count() == 0 and '"We are not turning off the taps tomorrow,"' in ref.inner_text()
    shot(page, "event-own-words")

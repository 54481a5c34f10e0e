"""`worksheet serve` in a real browser: Debian's Chromium, headless, driven by Playwright. One browser and one
server for the module. Set WORKSHEET_README_SHOTS=1 to rewrite the README's screenshots (assets/readme/)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import worksheet
import worksheet.cli

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")

PROGRAM = "dont-crack-your-back"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
README_SHOTS = Path(__file__).parent.parent / "assets" / "readme"
NAME = "Ana & <b>Co</b> {{ 7*7 }}"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    elsewhere: list[str] = []  # the page loads nothing from anywhere but our server (no CDN, no third party)
    opened.on("request", lambda request: None if request.url.startswith((server.base + "/", "data:", "blob:"))
              else elsewhere.append(request.url))
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.goto(server.opened_address)
    opened.console_errors = errors  # a test that expects a refusal takes its line out
    yield opened
    context.close()
    assert errors == []
    assert elsewhere == []


def names(ids):
    library = worksheet.load_library()
    return [library.exercise(exercise_id).name for exercise_id in ids]


def wait_for_preview(page, previous_src=None):
    """Until the preview shows a sheet newer than previous_src; returns the first page's address."""
    page.wait_for_function(
        "previous => { const img = document.querySelector('#pages img');"
        " return img && img.complete && img.naturalWidth > 0 && img.getAttribute('src') !== previous"
        " && document.getElementById('status').textContent.startsWith('Preview up to date'); }",
        arg=previous_src, timeout=30_000,
    )
    return page.locator("#pages img").first.get_attribute("src")


def pdf_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    # Words joined by single spaces: a name that wraps on the card reads whole.
    return " ".join(" ".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf)).split())


def start_from_seed(page):
    page.get_by_label("Start from a program").select_option(PROGRAM)
    page.get_by_role("button", name="Start from this program").click()
    return wait_for_preview(page)


def test_a_clinician_picks_doses_previews_and_downloads(page, server, runner):
    first = start_from_seed(page)
    seed = [entry.id for entry in worksheet.load_library().program(PROGRAM).exercises]
    page.get_by_role("button", name=f"Remove {names(['lower-back-stretch-leg-crossover'])[0]}").click()
    page.get_by_role("button", name=f"Up: move {names(['isometric-hip-abduction'])[0]} earlier").click()
    row = page.locator('.row[data-id="bridge"]')
    row.get_by_label("Reps", exact=True).fill("12")
    page.get_by_label("Patient", exact=True).fill(NAME)
    latest = wait_for_preview(page, first)
    expected = [i for i in seed if i != "lower-back-stretch-leg-crossover"]
    expected[-2:] = ["isometric-hip-abduction", "isometric-hip-adduction"]
    assert page.locator(".row").evaluate_all("rows => rows.map(row => row.dataset.id)") == expected
    assert page.get_by_label("Patient", exact=True).input_value() == NAME  # typed text stays data on the page

    if os.environ.get("WORKSHEET_README_SHOTS"):
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#f-patient").blur()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(README_SHOTS / "serve-page.png"))
        page.locator("#pages img").first.screenshot(path=str(README_SHOTS / "serve-preview.png"))

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    text = pdf_text(pdf)
    assert NAME in text
    assert "2 sets of 12" in text
    positions = [text.find(name) for name in names(expected)]
    assert -1 not in positions and positions == sorted(positions), positions
    assert names(["lower-back-stretch-leg-crossover"])[0] not in text
    assert download.value.suggested_filename.startswith(f"{PROGRAM}-ana-b-co-b-7-7-")  # the CLI's output_name

    # Scrolled to page 3, the next edit asks for page 3 first (the server rasterises it with the build).
    page.locator("#pages img").nth(2).evaluate("image => image.scrollIntoView()")
    row.get_by_label("Reps", exact=True).fill("13")
    wait_for_preview(page, latest)
    assert page.locator('input[name="in_view"]').input_value() == "3"
    page.wait_for_function("() => [...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth)")

    row.get_by_label("Reps", exact=True).fill("500")
    error = page.locator('[data-error-for="dose.bridge.reps"]')
    error.wait_for(state="visible")
    result = runner.invoke(worksheet.cli.main, ["build", PROGRAM, "--set", "bridge.reps=500", "-o", "/nonexistent/x.pdf"])
    assert result.exit_code == 2
    assert error.text_content() == result.output.strip().splitlines()[-1].removeprefix("Error: ")
    assert row.get_by_label("Reps", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_role("link", name="Download PDF").is_hidden()
    assert page.locator("#pages").get_attribute("class") == "pages stale"
    assert latest


def test_the_whole_flow_works_by_keyboard(page):
    start_from_seed(page)
    page.locator("#search").focus()
    bird_dog = names(["bird-dog"])[0]
    page.keyboard.type("bird-dog")
    assert page.locator("#library .card:visible").count() == 1

    page.get_by_role("button", name=f"Add {bird_dog} to the sheet").focus()
    page.keyboard.press("Enter")
    page.locator('.row[data-id="bird-dog"]').wait_for()
    up = page.get_by_role("button", name=f"Up: move {bird_dog} earlier")
    up.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # focus stays on the moved row's button
    ids = page.locator(".row").evaluate_all("rows => rows.map(row => row.dataset.id)")
    assert ids.index("bird-dog") == len(ids) - 3
    page.get_by_role("button", name="Order by position (standing first, down to the floor)").focus()
    page.keyboard.press("Enter")
    ids = page.locator(".row").evaluate_all("rows => rows.map(row => row.dataset.id)")
    library = worksheet.load_library()
    from worksheet.spec import POSITION_ORDER

    ranks = [POSITION_ORDER.index(library.exercise(i).position) for i in ids]
    assert ranks == sorted(ranks)


def test_a_row_moves_by_dragging(page):
    start_from_seed(page)
    order = page.locator(".row").evaluate_all("rows => rows.map(row => row.dataset.id)")
    page.set_viewport_size({"width": 1400, "height": 2400})  # both rows on screen: no scrolling mid-drag
    grip = page.locator(f'.row[data-id="{order[2]}"] .grip')
    start = grip.bounding_box()
    page.mouse.move(start["x"] + 4, start["y"] + 4)
    page.mouse.down()
    target = page.locator(f'.row[data-id="{order[0]}"]').bounding_box()
    page.mouse.move(target["x"] + 20, target["y"] + 5, steps=8)
    page.mouse.up()
    moved = page.locator(".row").evaluate_all("rows => rows.map(row => row.dataset.id)")
    assert moved == [order[2], order[0], order[1], *order[3:]]


def test_library_filters_and_search(page):
    library = worksheet.load_library()
    page.get_by_label("Region").select_option("neck")
    shown = page.locator("#library .card:visible").evaluate_all("cards => cards.map(card => card.dataset.id)")
    assert shown and all("neck" in library.exercise(i).region for i in shown)
    thumbnail = page.locator("#library .card:visible img").first
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") == 180
    page.get_by_label("Leave out if marked").select_option("neck-symptoms")
    remaining = page.locator("#library .card:visible").evaluate_all("cards => cards.map(card => card.dataset.id)")
    assert all("neck-symptoms" not in library.exercise(i).caution_tags for i in remaining)
    assert len(remaining) < len(shown)
    page.get_by_label("Leave out if marked").select_option("")
    page.get_by_label("Region").select_option("")
    page.get_by_label("Search").fill("Chin tuck")
    found = page.locator("#library .card:visible").evaluate_all("cards => cards.map(card => card.dataset.id)")
    from worksheet.catalogue import ExerciseFilter, find

    assert sorted(found) == [e.id for e in find(library.exercises.values(), ExerciseFilter(search="Chin tuck"))]
    assert "chin-tuck" in found


def _serious(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_violation_with_a_sheet_and_with_errors(page):
    start_from_seed(page)
    assert _serious(page) == []
    page.locator('.row[data-id="bridge"]').get_by_label("Reps", exact=True).fill("500")
    page.locator('[data-error-for="dose.bridge.reps"]').wait_for(state="visible")
    page.locator("details.settings summary").click()  # and the clinic settings' form, open
    page.locator('.row[data-id="bridge"] details.more summary').click()  # and a row's every field
    assert _serious(page) == []


def test_at_200_percent_zoom_nothing_needs_sideways_scrolling(browser, server):
    # 200 % zoom of a 1280-pixel window is a 640-pixel-wide layout with pixels twice the size.
    context = browser.new_context(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    page.goto(server.opened_address + f"&program={PROGRAM}")
    wait_for_preview(page)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    for label in ("Patient", "Search", "Layout"):
        box = page.get_by_label(label, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 640
    context.close()


def test_from_nothing_a_hint_not_an_error_and_a_refused_photo_says_why_beside_its_field(page, server, tmp_path):
    page.get_by_role("link", name="Start from nothing").click()
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Add exercises')")
    assert page.locator("#problems li").count() == 0 and page.locator("#pages img").count() == 0
    page.get_by_label("Search").fill("bridge")
    page.get_by_role("button", name="Add Bridge to the sheet").click()
    first = wait_for_preview(page)
    row = page.locator('.row[data-id="bridge"]')
    row.locator("summary").click()
    not_an_image = tmp_path / "scan.png"
    not_an_image.write_bytes(b"not a picture at all")
    row.get_by_label("Your own photo instead of the drawing").set_input_files(not_an_image)
    error = row.locator('[data-error-for="image.bridge"]')
    error.wait_for(state="visible")
    message = error.text_content()
    assert "scan.png" in message and str(tmp_path) not in message  # named as the clinician knows it, no server path
    row.get_by_label("Reps", exact=True).fill("11")  # the next preview keeps the upload's error beside its field
    wait_for_preview(page, first)
    assert error.text_content() == message
    assert row.get_by_label("Your own photo instead of the drawing").get_attribute("aria-invalid") == "true"
    refused = [line for line in page.console_errors if "status of 422" in line]
    assert len(refused) == 1  # the browser's own line for the refused upload: expected, and the only one
    page.console_errors.remove(refused[0])

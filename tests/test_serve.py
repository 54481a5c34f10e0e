"""`worksheet serve`: the page's server over real HTTP — its guard, the CLI's own path and messages, renders in
worker processes. The browser's side is in test_serve_browser.py."""

from __future__ import annotations

import asyncio
import http.client
import io
import json
import re
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

import pytest
from test_print import cups_pdf_printer  # noqa: F401  (the real cups-pdf queue, shared with build --print's tests)

import worksheet
from worksheet.cli import main
from worksheet.models import DOSAGE_FIELDS

PROGRAM = "dont-crack-your-back"
SEED_IDS = [entry.id for entry in worksheet.load_library().program(PROGRAM).exercises]


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, by pdfium (fast; the CLI's own tests read PDFs with two readers)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    return " ".join(" ".join(page.get_textpage().get_text_range() for page in document).split())


def call(server, method, path, body=None, headers=None, host=None, cookie=True, csrf=True):
    """One HTTP request; returns (status, headers, body bytes)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    sent = {"Host": host or f"{server.host}:{server.port}"}
    if cookie:
        sent["Cookie"] = f"worksheet-{server.port}={server.token}"
    if csrf and method == "POST":
        sent["X-CSRF-Token"] = server.csrf
    sent.update(headers or {})
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def sheet_form(patient="Ana", exercises=("bridge", "single-knee-to-chest"), **fields):
    items = [("program", PROGRAM), ("patient", patient), ("date", "2026-11-26")]
    items += [("exercise", exercise_id) for exercise_id in exercises]
    items += list(fields.items())
    return urlencode(items)


def preview(server, form, **headers):
    status, _, body = call(server, "POST", "/preview", form,
                           {"Content-Type": "application/x-www-form-urlencoded", **headers})
    assert status == 200, body
    return json.loads(body)


# The guard.


def test_a_request_without_the_token_is_refused_403(server):
    status, _, body = call(server, "GET", "/", cookie=False)
    assert status == 403
    assert b"access token" in body
    wrong = call(server, "GET", "/", headers={"Cookie": f"worksheet-{server.port}=guessed"}, cookie=False)
    assert wrong[0] == 403
    assert call(server, "GET", "/?token=guessed", cookie=False)[0] == 403


def test_the_opened_address_sets_a_strict_cookie_and_drops_the_token_from_the_address(server):
    status, headers, _ = call(server, "GET", f"/?token={server.token}&program={PROGRAM}", cookie=False)
    assert status == 303
    assert headers["location"] == f"/?program={PROGRAM}"
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"worksheet-{server.port}={server.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, headers, body = call(server, "GET", f"/?program={PROGRAM}")
    assert status == 200
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"  # the browser's cache is on disk
    assert body.count(b'class="row"') == len(SEED_IDS)


@pytest.mark.parametrize("host", ["evil.example:80", "attacker.test", "127.0.0.1:1"], ids=["rebound-name", "no-port", "other-port"])
def test_a_wrong_host_header_is_refused(server, host):
    status, _, body = call(server, "GET", "/", host=host)
    assert status == 400
    assert b"not the worksheet server" in body


def test_localhost_names_the_same_server(server):
    assert call(server, "GET", "/static/app.css", host=f"localhost:{server.port}")[0] == 200


def test_a_post_without_the_csrf_token_is_refused(server):
    status, _, body = call(server, "POST", "/preview", sheet_form(), {"Content-Type": "application/x-www-form-urlencoded"}, csrf=False)
    assert status == 403
    assert b"form token" in body
    status, _, _ = call(server, "POST", "/preview", sheet_form(), {"Content-Type": "application/x-www-form-urlencoded",
                                                                    "X-CSRF-Token": "forged"}, csrf=False)
    assert status == 403


def test_a_post_from_another_origin_is_refused_even_with_the_token(server):
    status, _, _ = call(server, "POST", "/preview", sheet_form(),
                        {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"})
    assert status == 403


def _multipart(field, name, content, content_type="image/png"):
    boundary = "worksheetboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_a_20_mb_upload_is_refused(server):
    body, headers = _multipart("file", "huge.png", b"\x89PNG" + b"0" * (20 * 1024 * 1024))
    status, _, answer = call(server, "POST", "/upload", body, headers)
    assert status == 413
    assert b"limit" in answer


def test_a_body_without_a_length_is_still_cut_at_the_limit(server):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    connection.putrequest("POST", "/preview", skip_host=True)
    for name, value in (("Host", f"{server.host}:{server.port}"), ("Cookie", f"worksheet-{server.port}={server.token}"),
                        ("X-CSRF-Token", server.csrf), ("Transfer-Encoding", "chunked"),
                        ("Content-Type", "application/x-www-form-urlencoded")):
        connection.putheader(name, value)
    connection.endheaders()
    chunk = b"patient=" + b"a" * (64 * 1024)
    try:
        for _ in range(8):  # 512 KB against the form's 256 KB limit
            connection.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert connection.getresponse().status == 413


def test_an_upload_goes_through_pillow_and_a_non_image_is_refused_by_name(server):
    body, headers = _multipart("file", "notes.png", b"this is not a picture")
    status, _, answer = call(server, "POST", "/upload", body, headers)
    assert status == 422
    message = json.loads(answer)["error"]
    assert message.startswith("notes.png: not a readable image")
    assert "worksheet-serve-" not in message  # the temp folder is not the user's business

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "#cc3333").save(buffer, "PNG")
    body, headers = _multipart("file", "my bridge.png", buffer.getvalue())
    status, _, answer = call(server, "POST", "/upload", body, headers)
    assert status == 200
    handle = json.loads(answer)["handle"]
    answer = preview(server, sheet_form(**{"image.bridge": handle}))
    assert answer["key"], answer
    status, _, pdf = call(server, "GET", f"/pdf/{answer['key']}")
    import pypdfium2 as pdfium

    # the photo is on the card's page (the cards layout may give page 1 to the header and weekly log)
    assert any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for page in pdfium.PdfDocument(pdf) for obj in page.get_objects())


# One code path: the CLI's request, messages and PDF.


def test_the_preview_is_the_clis_sheet_byte_for_byte(server, tmp_path, runner):
    name = "Ana & <b>Co</b> {{ 7*7 }}"
    answer = preview(server, sheet_form(name, ("single-knee-to-chest", "bridge"), **{"dose.bridge.reps": "12"}))
    assert answer["key"] and answer["pages"] >= 1 and not answer["errors"]
    status, headers, pdf = call(server, "GET", f"/pdf/{answer['key']}")
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert headers["content-disposition"] == f'attachment; filename="{answer["filename"]}"'
    text = pdf_text(pdf)
    assert name in text
    assert text.index("Single knee to chest") < text.index("Bridge")
    assert "12" in text
    output = tmp_path / "cli.pdf"
    result = runner.invoke(main, ["build", PROGRAM, "--only", "single-knee-to-chest,bridge", "--set", "bridge.reps=12",
                                  "--patient", name, "--date", "2026-11-26", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == pdf
    status, _, png = call(server, "GET", f"/page/{answer['key']}/1.png")
    assert status == 200 and png.startswith(b"\x89PNG")


def test_save_spec_is_the_toml_that_rebuilds_the_same_pdf(server, tmp_path, runner):
    answer = preview(server, sheet_form("Bo", ("bridge", "prone-props"), **{"dose.prone-props.side": "left",
                                                                             "video.bridge": "https://example.org/b"}))
    _, headers, toml = call(server, "GET", f"/spec/{answer['key']}.toml")
    assert headers["content-disposition"].endswith('.toml"')
    spec_path = tmp_path / "sheet.toml"
    spec_path.write_bytes(toml)
    result = runner.invoke(main, ["build", str(spec_path), "-o", str(tmp_path / "again.pdf")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again.pdf").read_bytes() == call(server, "GET", f"/pdf/{answer['key']}")[2]


def test_a_saved_spec_opens_as_the_sheet_it_was(server):
    answer = preview(server, sheet_form("Cy", ("prone-props", "bridge"), **{"dose.bridge.reps": "14"}))
    toml = call(server, "GET", f"/spec/{answer['key']}.toml")[2]
    body, headers = _multipart("file", "cy.toml", toml, "application/toml")
    status, _, opened = call(server, "POST", "/open", body, headers)
    assert status == 200, opened
    status, _, page = call(server, "GET", json.loads(opened)["location"])
    html = page.decode()
    assert re.findall(r'<li class="row" data-id="([a-z-]+)"', html) == ["prone-props", "bridge"]
    assert 'name="dose.bridge.reps" value="14"' in html
    assert 'name="patient" value="Cy"' in html


def test_a_broken_spec_file_says_what_the_cli_says(server):
    body, headers = _multipart("file", "bad.toml", b'program = "dont-crack-your-back"\npaper = "a5"\n', "application/toml")
    status, _, answer = call(server, "POST", "/open", body, headers)
    assert status == 422
    assert json.loads(answer)["error"].startswith("bad.toml: field 'paper'")


def _cli_error(runner, *options):
    """The error line `worksheet build` prints for these options, without 'Error: '."""
    result = runner.invoke(main, ["build", PROGRAM, *options, "-o", "/nonexistent/never.pdf"])
    assert result.exit_code == 2  # a bad option value is a usage error
    return result.output.strip().splitlines()[-1].removeprefix("Error: ")


def test_each_bad_field_shows_the_clis_own_message_and_no_pdf(server, runner):
    answer = preview(server, sheet_form(**{"dose.bridge.reps": "500", "accent": "red", "video.bridge": "ftp://x"}))
    assert answer["key"] is None and answer["pages"] == 0
    assert answer["errors"] == {
        "dose.bridge.reps": _cli_error(runner, "--set", "bridge.reps=500"),
        "accent": _cli_error(runner, "--accent", "red"),
        "video.bridge": _cli_error(runner, "--video", "bridge=ftp://x"),
    }
    assert answer["errors"]["dose.bridge.reps"].startswith("Invalid value for '--set bridge.reps': ")


def test_a_sheet_with_no_exercise_is_not_offered(server):
    answer = preview(server, sheet_form(exercises=()))
    assert answer["key"] is None and answer["empty"] is True
    assert answer["problems"] == ["The sheet has no exercises yet; add one from the library"]


def test_a_field_that_needs_another_is_right_when_the_other_is_there(server, runner):
    # Each field is checked on its own, so its message sits beside it; a clinic's phone needs the clinic's name.
    answer = preview(server, sheet_form(clinic="Riverside", clinic_phone="555-0100", clinic_address="1 Main St"))
    assert answer["errors"] == {} and answer["key"], answer
    text = pdf_text(call(server, "GET", f"/pdf/{answer['key']}")[2])
    assert "555-0100" in text and "1 Main St" in text
    alone = preview(server, sheet_form(clinic_phone="555-0100"))
    result = runner.invoke(main, ["build", PROGRAM, "--clinic-phone", "555-0100", "-o", "/nonexistent/never.pdf"])
    assert result.exit_code == 1
    assert alone["errors"] == {"clinic_phone": result.output.strip().splitlines()[-1].removeprefix("Error: ")}


def test_session_minutes_and_adherence_warnings_come_with_each_preview(server):
    answer = preview(server, urlencode([("program", PROGRAM), ("max_exercises", "3"), *[("exercise", i) for i in SEED_IDS]]))
    assert answer["minutes"] > 0
    assert any(f"{len(SEED_IDS)} exercises on one sheet, more than --max-exercises 3" in w for w in answer["warnings"])


def test_the_warnings_are_the_ones_the_cli_prints(server, runner, tmp_path):
    ids = ["prone-props", "single-knee-to-chest", "bridge"]  # bending backward and forward on one sheet
    note = "Haga los ejercicios despacio y respire con calma todos los días"
    answer = preview(server, urlencode([("program", PROGRAM), ("note", note), ("max_exercises", "2"),
                                        *[("exercise", i) for i in ids]]))
    result = runner.invoke(main, ["build", PROGRAM, "--only", ",".join(ids), "--note", note, "--max-exercises", "2",
                                  "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0, result.output
    printed = [line.removeprefix("Warning: ") for line in result.output.splitlines() if line.startswith("Warning: ")]
    assert len(printed) >= 2
    assert answer["warnings"] == printed


def test_avoid_drops_exercises_with_the_clis_note(server):
    answer = preview(server, sheet_form(exercises=("bridge", "prone-props"), avoid="extension-sensitive"))
    assert any(note.startswith("Dropped prone-props") for note in answer["notes"])


def test_a_program_that_is_a_path_is_not_read(server, tmp_path):
    answer = preview(server, urlencode([("program", "/etc/passwd"), ("exercise", "bridge")]))
    assert answer["key"] is None and "program" in answer["errors"]


def test_every_dosage_field_the_cli_has_is_on_each_row(server):
    html = call(server, "GET", "/row/bridge")[2].decode()
    assert set(re.findall(r'name="dose\.bridge\.(\w+)"', html)) == set(DOSAGE_FIELDS)
    assert 'name="video.bridge"' in html and 'data-upload-for="image.bridge"' in html


def test_typed_text_is_escaped_on_the_page(server):
    answer = preview(server, sheet_form("Ana & <b>Co</b>"))
    toml = call(server, "GET", f"/spec/{answer['key']}.toml")[2]
    body, headers = _multipart("file", "ana.toml", toml, "application/toml")
    location = json.loads(call(server, "POST", "/open", body, headers)[2])["location"]
    html = call(server, "GET", location)[2].decode()
    assert 'value="Ana &amp; &lt;b&gt;Co&lt;/b&gt;"' in html
    assert "<b>Co</b>" not in html


def test_thumbnails_are_the_drawn_figures(server):
    from PIL import Image

    status, headers, png = call(server, "GET", "/figure/bridge.png")
    assert status == 200 and headers["cache-control"].startswith("private")
    image = Image.open(io.BytesIO(png))
    assert image.size == (180, 120)
    assert image.convert("L").getextrema()[0] < 100  # lines drawn, not a blank square


def test_clinic_settings_are_saved_in_the_config_folder_and_prefilled(server):
    import os
    from pathlib import Path

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "#226699").save(buffer, "PNG")
    boundary = "settingsboundary"
    parts = [(name, value) for name, value in (("clinic", "Sunrise PT"), ("clinic_phone", "555 0100"), ("paper", "a4"),
                                                ("accent", "#226699"))]
    body = b"".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n".encode() for n, v in parts)
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"logo_file\"; filename=\"logo.png\"\r\n"
             "Content-Type: image/png\r\n\r\n").encode() + buffer.getvalue() + f"\r\n--{boundary}--\r\n".encode()
    status, _, answer = call(server, "POST", "/settings", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 200, answer
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "worksheet"
    assert 'clinic = "Sunrise PT"' in (folder / "clinic.toml").read_text()
    assert (folder / "clinic-logo.png").is_file()
    html = call(server, "GET", f"/?program={PROGRAM}")[2].decode()
    assert 'name="clinic" value="Sunrise PT"' in html
    assert '<option value="a4" selected>' in html
    assert "Using the saved clinic logo" in html
    bad = call(server, "POST", "/settings", b"accent=red", {"Content-Type": "application/x-www-form-urlencoded"})
    assert bad[0] == 422 and json.loads(bad[2])["error"].startswith("--accent:")
    (folder / "clinic.toml").unlink()  # the other tests start without settings


# Concurrency: renders in worker processes, never two in one.


def test_print_sends_the_sheet_to_the_printer_chosen_on_the_page(server, cups_pdf_printer):  # noqa: F811
    printer, out_folder = cups_pdf_printer
    before = set(out_folder.glob("*.pdf")) if out_folder.exists() else set()
    page = call(server, "GET", f"/?program={PROGRAM}")[2].decode()
    assert f'<option value="{printer}">{printer}</option>' in page  # CUPS's printers, listed on the page
    answer = preview(server, sheet_form("Printed From The Page"))
    status, _, body = call(server, "POST", "/print", urlencode({"key": answer["key"], "printer": printer}),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, body
    assert f"request id is {printer}-" in json.loads(body)["message"]
    deadline, printed = time.monotonic() + 30, set()
    while time.monotonic() < deadline:  # cups-pdf creates the file first and writes it after: wait for its end
        printed = (set(out_folder.glob("*.pdf")) if out_folder.exists() else set()) - before
        if printed and all(path.read_bytes().rstrip().endswith(b"%%EOF") for path in printed):
            break
        time.sleep(0.2)
    assert printed, f"cups-pdf wrote nothing to {out_folder}"
    assert "Printed From The Page" in pdf_text(printed.pop().read_bytes())


def test_20_previews_at_once_all_come_back_whole_and_right(server):
    answers: dict[int, dict] = {}

    def one(number: int) -> None:
        answers[number] = preview(server, sheet_form(f"Patient {number:02d}", ("bridge",)))

    threads = [threading.Thread(target=one, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == list(range(20))
    for number, answer in answers.items():
        assert answer["key"], answer
        status, _, pdf = call(server, "GET", f"/pdf/{answer['key']}")
        assert status == 200
        text = pdf_text(pdf)
        assert f"Patient {number:02d}" in text
        assert all(f"Patient {other:02d}" not in text for other in range(20) if other != number)


def test_a_burst_of_edits_renders_only_the_latest(library, monkeypatch):
    """Edits 1-4 from one page while one worker is busy: 1 was already rendering, 2 and 3 are dropped, 4 renders."""
    from concurrent.futures import ThreadPoolExecutor

    from worksheet.serve import _renderer

    rendered = []

    def slow_render(spec, in_view=1):
        time.sleep(0.2)
        rendered.append(spec.patient)
        return b"%PDF-1.4", 1, 1, b"png"

    monkeypatch.setattr(_renderer, "_render", slow_render)

    async def burst():
        renderer = _renderer.Renderer(workers=1, executor=ThreadPoolExecutor(1))
        specs = [worksheet.resolve(worksheet.Request(program=PROGRAM, only=["bridge"], patient=f"P{n}"), library)
                 for n in range(1, 5)]
        try:
            tasks = [asyncio.ensure_future(renderer.render(spec, "", "x.pdf", page="one", edit=n))
                     for n, spec in enumerate(specs, 1)]
            return await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            renderer.close()

    outcomes = asyncio.run(burst())
    assert [type(outcome).__name__ for outcome in outcomes] == ["str", "Stale", "Stale", "str"]
    assert rendered == ["P1", "P4"]


def test_the_page_in_view_comes_first_the_rest_follow_and_a_newer_edit_drops_what_waits(library):
    """One worker (a thread, so the test sees inside): the page in view comes with the build, the others are
    queued nearest first; a newer edit from the same page drops those not started, yet each is still served
    when asked; and a page the edit did not change is not encoded again (the same PNG comes back)."""
    from concurrent.futures import ThreadPoolExecutor

    from worksheet.serve import _renderer

    assert _renderer.nearest_first(4, 3) == [4, 2, 1]
    specs = [worksheet.resolve(worksheet.Request(program=PROGRAM, dosage={"bridge": {"reps": reps}}), library)
             for reps in (10, 12)]

    async def run():
        renderer = _renderer.Renderer(workers=1, executor=ThreadPoolExecutor(1))
        try:
            first = await renderer.render(specs[0], "", "x.pdf", page="tab", edit=1, in_view=3)
            sheet = renderer.get(first)
            seen_at_once = set(sheet.pages)
            queued, prefetches = len(sheet.prefetches), list(sheet.prefetches)
            second = await renderer.render(specs[1], "", "x.pdf", page="tab", edit=2, in_view=1)
            dropped = sum(future.cancelled() for future in prefetches)
            pages = [await renderer.page(key, n) for key in (first, second) for n in range(1, sheet.page_count + 1)]
            return sheet.page_count, seen_at_once, queued, dropped, pages, renderer.get(second).pdf
        finally:
            renderer.close()

    count, seen_at_once, queued, dropped, pages, second_pdf = asyncio.run(run())
    assert count >= 3 and seen_at_once == {3} and queued == count - 1 and dropped >= 1
    first_pages, second_pages = pages[:count], pages[count:]
    assert all(png.startswith(b"\x89PNG") for png in pages)
    assert [png == _renderer._rasterise(second_pdf, n)[2] for n, png in enumerate(second_pages, 1)] == [True] * count
    unchanged = [n for n in range(count) if first_pages[n] == second_pages[n]]
    assert unchanged and len(unchanged) < count  # the bridge's card changed; the other pages did not
    assert all(first_pages[n] is second_pages[n] for n in unchanged)  # reused, not encoded again


# The command.


def test_serve_refuses_a_non_loopback_host_without_the_flag(runner):
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code == 2
    assert "'0.0.0.0' is not loopback; add --allow-remote" in result.output


def test_serve_on_another_host_warns(runner, monkeypatch):
    import worksheet.serve

    called = {}
    monkeypatch.setattr(worksheet.serve, "serve", lambda library, host, port, workers, on_ready: called.update(host=host))
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--allow-remote", "--no-browser"])
    assert result.exit_code == 0, result.output
    assert called == {"host": "0.0.0.0"}
    assert "Warning: serving on 0.0.0.0" in result.output


def test_serve_prints_its_address_and_stops_cleanly_on_ctrl_c(tmp_path):
    from pathlib import Path

    process = subprocess.Popen([sys.executable, "-m", "worksheet", "serve", "--no-browser", "--workers", "1"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**__import__("os").environ, "TMPDIR": str(tmp_path)})
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)", line)
        assert match, line + process.stderr.read()
        port, token = int(match.group(1)), match.group(2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/?token={token}")
        assert connection.getresponse().status == 303
        assert list(Path(tmp_path).glob("worksheet-serve-*"))  # the uploads folder, while it runs
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Stopped." in out
    assert "Traceback" not in err
    assert not list(Path(tmp_path).glob("worksheet-serve-*"))  # removed at exit


def test_languages_and_paper_are_offered_by_name(server):
    html = call(server, "GET", "/?program=" + PROGRAM)[2].decode()
    assert '<option value="es">Spanish (español)</option>' in html
    assert '<option value="en" selected>English</option>' in html and '<option value="a4">A4</option>' in html

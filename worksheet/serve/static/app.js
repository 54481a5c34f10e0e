// The page's behaviour: send the sheet form after each change, show what the server says, keep the rows in order.
// Typed text only ever reaches the page as textContent (data, never markup); HTML comes only from our server's
// escaped templates.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const sheet = document.getElementById("sheet");
  const rows = document.getElementById("rows");
  const byId = (id) => document.getElementById(id);
  let edit = 0;
  let inFlight = false;
  let dirty = false;
  let timer = null;
  let currentKey = null;

  const uploadErrors = {};  // a refused upload's message, by the field it was for, until a good file replaces it

  function post(url, body) {
    return fetch(url, { method: "POST", body, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" });
  }

  // The server's JSON answer, or its plain-text refusal (the guard's "Too large", say) as an error.
  async function answerOf(response) {
    const text = await response.text();
    try { return JSON.parse(text); } catch { return { error: text || `The server refused it (${response.status})` }; }
  }

  // Only the latest state matters: one preview request at a time, and whatever changed meanwhile goes next.
  function schedule() {
    clearTimeout(timer);
    if (inFlight) dirty = true;  // the answer on its way is already old: never show it as up to date
    timer = setTimeout(send, 60);
  }

  async function send() {
    if (inFlight) { dirty = true; return; }
    inFlight = true;
    dirty = false;
    edit += 1;
    sheet.elements.edit.value = String(edit);
    sheet.elements.in_view.value = String(pageInView());
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(sheet)) {
      if (typeof value === "string") body.append(name, value);
    }
    byId("status").textContent = "Updating the preview…";
    try {
      const response = await fetch("/preview", {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      });
      if (!response.ok) throw new Error(await response.text());
      const answer = await response.json();
      if (!answer.stale && !dirty) show(answer);
    } catch (error) {
      byId("status").textContent = "The server did not answer: " + error.message;
    } finally {
      inFlight = false;
      if (dirty) { clearTimeout(timer); send(); }
    }
  }

  // The preview page most visible on screen: the server rasterises it first.
  function pageInView() {
    const pane = document.querySelector(".preview").getBoundingClientRect();
    const top = Math.max(pane.top, 0), bottom = Math.min(pane.bottom, window.innerHeight);
    let best = 1, most = 0;
    document.querySelectorAll("#pages img").forEach((image, index) => {
      const box = image.getBoundingClientRect();
      const seen = Math.min(box.bottom, bottom) - Math.max(box.top, top);
      if (seen > most) { most = seen; best = index + 1; }
    });
    return best;
  }

  // Each page image takes its new picture in place: the browser shows the old one until the new one has come.
  function showPages(key, count) {
    const pages = byId("pages");
    const images = [...pages.querySelectorAll("img")];
    for (let number = 1; number <= count; number++) {
      let image = images[number - 1];
      if (!image) {
        image = document.createElement("img");
        image.width = 612;
        pages.appendChild(image);
      }
      image.src = `/page/${key}/${number}.png`;
      image.alt = `Page ${number} of ${count} of the sheet`;
    }
    for (const extra of images.slice(count)) extra.remove();
  }

  function list(id, items) {
    const element = byId(id);
    element.replaceChildren(...items.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
  }

  function show(answer) {
    for (const element of document.querySelectorAll("[data-error-for]")) {
      const message = answer.errors[element.dataset.errorFor] || uploadErrors[element.dataset.errorFor] || "";
      element.textContent = message;
      const control = document.querySelector(`[aria-describedby~="${element.id}"]`);
      if (control) {
        if (message) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    }
    const fieldProblems = Object.keys(answer.errors).length;
    list("problems", answer.problems);
    list("warnings", answer.warnings.map((text) => "Warning: " + text));
    list("notes", answer.notes);
    byId("minutes").textContent = answer.minutes ? `One session takes about ${answer.minutes} minutes.` : "";
    const actions = byId("actions");
    const pages = byId("pages");
    if (answer.key) {
      if (answer.key !== currentKey) byId("print-status").textContent = "";  // said of the sheet before
      currentKey = answer.key;
      byId("download").href = `/pdf/${answer.key}`;
      byId("download").setAttribute("download", answer.filename);
      byId("open-pdf").href = `/pdf/${answer.key}?inline=1`;
      byId("save-spec").href = `/spec/${answer.key}.toml`;
      actions.hidden = false;
      pages.classList.remove("stale");
      showPages(answer.key, answer.pages);
      byId("status").textContent = `Preview up to date: ${answer.pages} page${answer.pages === 1 ? "" : "s"}.`;
    } else {
      currentKey = null;
      actions.hidden = true;
      pages.classList.add("stale");
      const count = fieldProblems + answer.problems.length;
      if (answer.empty && !fieldProblems) {
        list("problems", []);  // not a mistake: the sheet has only just been started
        byId("status").textContent = "Add exercises from the library to see the preview and the PDF.";
      } else {
        byId("status").textContent = `Fix ${count === 1 ? "the problem" : count + " problems"} to see the new preview and the PDF.`;
      }
    }
  }

  // Rows: add, remove, move by buttons (keyboard) or by dragging.
  function rowsChanged(message) {
    byId("rows-empty").hidden = rows.children.length > 0;
    for (const button of document.querySelectorAll("#library .add")) {
      const onSheet = rows.querySelector(`[data-id="${button.dataset.id}"]`) !== null;
      const name = button.closest(".card").querySelector("h3").textContent;
      button.textContent = onSheet ? "On the sheet" : "Add";
      button.setAttribute("aria-label", onSheet ? `${name} is on the sheet` : `Add ${name} to the sheet`);
      button.classList.toggle("on-sheet", onSheet);
    }
    if (message) byId("rows-status").textContent = message;
    schedule();
  }

  const rowName = (row) => row.querySelector("h3").textContent;

  rows.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const row = button.closest(".row");
    if (button.classList.contains("remove")) {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      (next ? next.querySelector(".remove") : byId("search")).focus();
      rowsChanged(`Removed ${rowName(row)}.`);
    } else if (button.classList.contains("move-up") && row.previousElementSibling) {
      rows.insertBefore(row, row.previousElementSibling);
      button.focus();
      rowsChanged(`${rowName(row)} moved up, now number ${[...rows.children].indexOf(row) + 1}.`);
    } else if (button.classList.contains("move-down") && row.nextElementSibling) {
      rows.insertBefore(row.nextElementSibling, row);
      button.focus();
      rowsChanged(`${rowName(row)} moved down, now number ${[...rows.children].indexOf(row) + 1}.`);
    }
  });

  let dragged = null;
  rows.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(".row");
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.id);
    dragged.classList.add("dragging");
  });
  rows.addEventListener("dragover", (event) => {
    const over = event.target.closest(".row");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    rows.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? over : over.nextElementSibling);
  });
  rows.addEventListener("dragend", () => {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    const moved = dragged;
    dragged = null;
    rowsChanged(`${rowName(moved)} is now number ${[...rows.children].indexOf(moved) + 1}.`);
  });

  byId("order-position").addEventListener("click", () => {
    // `--order position`: stable, so the current order holds within each position.
    const sorted = [...rows.children].map((row, index) => [Number(row.dataset.rank), index, row])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((entry) => entry[2]);
    rows.replaceChildren(...sorted);
    rowsChanged("Ordered by position, standing first.");
  });

  async function addExercise(id) {
    const existing = rows.querySelector(`[data-id="${id}"]`);
    if (existing) { existing.querySelector(".remove").focus(); return; }
    const program = encodeURIComponent(sheet.elements.program.value);
    const response = await fetch(`/row/${encodeURIComponent(id)}?program=${program}`, { credentials: "same-origin" });
    if (!response.ok) return;
    const template = document.createElement("template");
    template.innerHTML = await response.text();  // our server's template, every value escaped
    const row = template.content.firstElementChild;
    rows.appendChild(row);
    rowsChanged(`Added ${rowName(row)} as number ${rows.children.length}.`);
  }

  byId("library").addEventListener("click", (event) => {
    const button = event.target.closest("button.add");
    if (button) addExercise(button.dataset.id);
  });

  // Library filters: every chosen filter must match; the search matches every word.
  function filterLibrary() {
    const words = byId("search").value.toLowerCase().split(/\s+/).filter(Boolean);
    const chosen = [...document.querySelectorAll("[data-filter]")].filter((s) => s.value);
    let shown = 0;
    for (const card of document.querySelectorAll("#library .card")) {
      const ok = chosen.every((select) => {
        const values = card.dataset[select.dataset.filter].split(" ");
        return select.dataset.filter === "avoid" ? !values.includes(select.value) : values.includes(select.value);
      }) && words.every((word) => card.dataset.search.includes(word));
      card.hidden = !ok;
      if (ok) shown += 1;
    }
    byId("library-count").textContent = `${shown} exercise${shown === 1 ? "" : "s"} shown.`;
  }
  byId("search").addEventListener("input", filterLibrary);
  for (const select of document.querySelectorAll("[data-filter]")) select.addEventListener("change", filterLibrary);

  // Uploads: a photo for an exercise, or a logo; the server checks them through Pillow.
  document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!input.matches("input[type=file][data-upload-for]") || !input.files.length) return;
    const target = input.dataset.uploadFor;
    const hidden = sheet.querySelector(`input[type=hidden][name="${target}"]`);
    const error = document.querySelector(`[data-error-for="${target}"]`);
    const note = byId(input.getAttribute("aria-describedby").split(" ")[1]);
    const body = new FormData();
    body.append("file", input.files[0]);
    const answer = await answerOf(await post("/upload", body));
    if (answer.handle) {
      hidden.value = answer.handle;
      delete uploadErrors[target];
      note.textContent = `Using ${answer.name}`;
    } else {
      input.value = "";
      uploadErrors[target] = answer.error;
    }
    error.textContent = uploadErrors[target] || "";
    schedule();
  });

  byId("open-spec").addEventListener("change", async (event) => {
    if (!event.target.files.length) return;
    const body = new FormData();
    body.append("file", event.target.files[0]);
    const answer = await answerOf(await post("/open", body));
    if (answer.location) window.location.assign(answer.location);
    else byId("open-spec-error").textContent = answer.error;
  });

  byId("print").addEventListener("click", async () => {
    if (!currentKey) return;
    const body = new URLSearchParams({ key: currentKey, printer: byId("printer").value });
    byId("print-status").textContent = "Sending to the printer…";
    const answer = await answerOf(await post("/print", body));
    byId("print-status").textContent = answer.message || answer.error;
  });

  byId("settings").addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await answerOf(await post("/settings", new FormData(event.target)));
    byId("settings-status").textContent = answer.message || answer.error;
  });

  sheet.addEventListener("input", (event) => { if (event.target.type !== "file") schedule(); });
  sheet.addEventListener("change", (event) => { if (event.target.type !== "file") schedule(); });
  sheet.addEventListener("submit", (event) => { event.preventDefault(); schedule(); });
  filterLibrary();
  rowsChanged("");
})();

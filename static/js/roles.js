// Role pages: add and reorder rows of the editor's lists in the browser, and keep the
// focused field clear of the sticky save bar. Without this file the "Add", "Move up" and
// "Move down" buttons post the form back and the server renders the change, so nothing
// depends on it.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const prefix = button.dataset.addRow;
  const template = document.getElementById(`${prefix}-template`);
  const body = document.querySelector(`[data-formset-body="${prefix}"]`);
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  if (!template || !body || !total) return;
  event.preventDefault();
  const index = Number.parseInt(total.value, 10) || 0;
  // A revision holds at most MAX_NUM_FORMS rows of each list; the server refuses more.
  const max = Number.parseInt(
    document.getElementById(`id_${prefix}-MAX_NUM_FORMS`)?.value ?? "",
    10,
  );
  if (index >= max) return;
  const fragment = document.createRange().createContextualFragment(
    template.innerHTML.replaceAll("__prefix__", String(index)),
  );
  const row = fragment.firstElementChild;
  body.querySelector(".empty-note")?.remove();
  body.appendChild(fragment);
  total.value = String(index + 1);
  if (index + 1 >= max) {
    button.disabled = true;
    document.querySelector(`[data-row-limit="${prefix}"]`)?.removeAttribute("hidden");
  }
  if (window.htmx && row) window.htmx.process(row);
  if (row) showHandles(row);
  row?.querySelector("input:not([type=hidden]), textarea, select")?.focus();
});

// Reordering. Saving stores the rows in the order of their positions, so whatever moves a
// row renumbers every position of its list in page order.
function renumber(body) {
  const rows = [...body.children].filter((el) => el.matches("[data-row]"));
  rows.forEach((row, n) => {
    const position = row.querySelector(".position-input");
    if (position) position.value = String(n + 1);
  });
  return rows;
}

function announce(row, rows) {
  const status = document.getElementById("move-status");
  if (status) status.textContent = `Moved to position ${rows.indexOf(row) + 1} of ${rows.length}.`;
}

// "Move up" / "Move down": the neighbour moves, not the row, so the button keeps focus.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-move]");
  const row = button?.closest("[data-row]");
  const body = row?.parentElement;
  if (!body?.matches("[data-formset-body]")) return;
  event.preventDefault();
  if (button.dataset.move === "up") {
    const above = row.previousElementSibling;
    if (above?.matches("[data-row]")) row.after(above);
  } else {
    const below = row.nextElementSibling;
    if (below?.matches("[data-row]")) row.before(below);
  }
  button.focus();
  keepClearOfBar(button);
  announce(row, renumber(body));
});

// Dragging by a row's handle (shown only when this file runs).
function showHandles(root) {
  root.querySelectorAll("[data-drag-handle]").forEach((handle) => {
    handle.hidden = false;
    handle.draggable = true;
  });
}
showHandles(document);

let dragged = null;

function dropTarget(event) {
  const row = event.target.closest?.("[data-row]");
  if (!dragged || !row || row === dragged || row.parentElement !== dragged.parentElement) {
    return null;
  }
  const box = row.getBoundingClientRect();
  return { row, before: event.clientY < box.top + box.height / 2 };
}

function clearMarks() {
  document.querySelectorAll(".drop-before, .drop-after").forEach((el) => {
    el.classList.remove("drop-before", "drop-after");
  });
}

document.addEventListener("dragstart", (event) => {
  const handle = event.target.closest?.("[data-drag-handle]");
  if (!handle) return;
  dragged = handle.closest("[data-row]");
  if (!dragged) return;
  dragged.classList.add("dragging");
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", "");
  event.dataTransfer.setDragImage(dragged, 16, 16);
});

document.addEventListener("dragover", (event) => {
  const target = dropTarget(event);
  if (!target) return;
  event.preventDefault();
  clearMarks();
  target.row.classList.add(target.before ? "drop-before" : "drop-after");
});

document.addEventListener("drop", (event) => {
  const target = dropTarget(event);
  if (!target) return;
  event.preventDefault();
  if (target.before) target.row.before(dragged);
  else target.row.after(dragged);
  announce(dragged, renumber(dragged.parentElement));
});

document.addEventListener("dragend", () => {
  clearMarks();
  dragged?.classList.remove("dragging");
  dragged = null;
});

// The sticky save bar never hides the focused field (WCAG 2.4.11): the stylesheet keeps
// scroll padding of the bar's height, measured here as it wraps; a field the browser left
// under the bar is scrolled clear of it.
const actionBar = document.querySelector(".action-bar");

function keepClearOfBar(element) {
  if (!actionBar || !element || actionBar.contains(element)) return;
  const barTop = actionBar.getBoundingClientRect().top;
  const bottom = element.getBoundingClientRect().bottom;
  if (bottom > barTop - 8) window.scrollBy(0, bottom - barTop + 8);
}

if (actionBar) {
  const measure = () => {
    document.documentElement.style.setProperty(
      "--action-bar-height",
      `${actionBar.offsetHeight}px`,
    );
  };
  measure();
  new ResizeObserver(measure).observe(actionBar);
  document.addEventListener("focusin", (event) => keepClearOfBar(event.target));
}

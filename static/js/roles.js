// Role pages: add rows to the editor's lists in the browser. Without this file the "Add"
// buttons post the form back and the server renders the extra row, so nothing depends on it.
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
  row?.querySelector("input:not([type=hidden]), textarea, select")?.focus();
});

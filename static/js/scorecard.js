// The scorecard page (templates/scorecards/fill.html): autosave around htmx.
//
// htmx posts the form a second after the last keystroke (hx-trigger on the form) and
// swaps in the status line plus the card's new version. This file adds what htmx does
// not: retrying after a network or server error ("not saved, retrying"), stopping after
// a refusal (stale tab, submitted card, an interview no longer theirs), a warning before leaving with unsaved text,
// and letting an in-flight autosave finish before a real submit, so the submit never
// carries an outdated version. Without JavaScript the Save and Submit buttons post
// the same form. No inline scripts or eval: a strict CSP applies.
"use strict";

(function () {
  const form = document.getElementById("scorecard-form");
  if (!form) {
    return;
  }
  // After a refused submit, take keyboard and screen-reader users to the list of problems.
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  const RETRY_DELAYS = [2000, 4000, 8000, 15000, 30000];
  let edits = 0; // input events seen
  let savedEdits = 0; // edits covered by the last successful save
  let sentEdits = 0; // edits covered by the request in flight
  let inFlight = false;
  let retries = 0;
  let retryTimer = null;
  let pendingSubmitter = null;
  let submitting = false;

  function stopped() {
    return form.dataset.autosave === "off";
  }

  function setStatus(text, tone) {
    const status = document.getElementById("save-status");
    if (!status) {
      return;
    }
    status.textContent = "";
    const span = document.createElement("span");
    span.className = tone;
    span.textContent = text;
    status.appendChild(span);
    status.dataset.state = "client";
  }

  function scheduleRetry(quiet) {
    const delay = RETRY_DELAYS[Math.min(retries, RETRY_DELAYS.length - 1)];
    retries += 1;
    if (!quiet) {
      setStatus("Not saved, retrying… Your text is kept on this page.", "text-danger fw-semibold");
    }
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () {
      htmx.trigger(form, "retry-save");
    }, delay);
  }

  // After a save, take away the error messages (beside the fields and in the summary at
  // the top) that no longer apply: the status line lists the fields whose submission
  // problems remain (data-problems), so no message stays beside a field put right.
  function clearFixedErrors() {
    const status = document.getElementById("save-status");
    if (!status || status.dataset.problems === undefined) {
      return;
    }
    const remaining = new Set(status.dataset.problems.split(" ").filter(Boolean));
    for (const message of document.querySelectorAll("[data-error-for]")) {
      if (remaining.has(message.dataset.errorFor)) {
        continue;
      }
      if (message.id) {
        for (const described of document.querySelectorAll(
          '[aria-describedby="' + message.id + '"]'
        )) {
          described.removeAttribute("aria-describedby");
        }
      }
      message.remove();
    }
    for (const field of form.querySelectorAll(".is-invalid, [aria-invalid]")) {
      if (!remaining.has(field.name)) {
        field.classList.remove("is-invalid");
        field.removeAttribute("aria-invalid");
      }
    }
    const summary = document.getElementById("error-summary");
    if (summary && !summary.querySelector("[data-error-for]")) {
      summary.remove();
    }
  }

  form.addEventListener("input", function (event) {
    edits += 1;
    // Typing a note on a signal means it was observed: tick it, so the note is kept.
    const tickId = event.target.dataset && event.target.dataset.tick;
    if (tickId && event.target.value.trim()) {
      const tick = document.getElementById(tickId);
      if (tick && !tick.checked) {
        tick.checked = true;
      }
    }
    if (!stopped() && !inFlight) {
      setStatus("Unsaved changes…", "text-body-secondary");
    }
  });

  form.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt !== form) {
      return;
    }
    if (submitting || stopped()) {
      event.preventDefault();
      return;
    }
    inFlight = true;
    sentEdits = edits;
    clearTimeout(retryTimer);
    setStatus("Saving…", "text-body-secondary");
  });

  form.addEventListener("htmx:beforeSwap", function (event) {
    const code = event.detail.xhr.status;
    if (code === 401 || code === 404 || code === 409 || code === 422) {
      // The server explains in the status line what happened; show it.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) {
      return;
    }
    inFlight = false;
    const code = event.detail.xhr ? event.detail.xhr.status : 0;
    if (event.detail.successful && code === 200) {
      retries = 0;
      savedEdits = sentEdits;
      clearFixedErrors();
    } else if (code === 404 || code === 409) {
      // Refused for good (the interview is no longer theirs; a stale tab; a submitted
      // card): the text stays on the page and leaving it still warns.
      form.dataset.autosave = "off";
    } else if (code === 401) {
      scheduleRetry(true); // keeps the server's message; saves once they log in again
    } else if (code !== 422) {
      scheduleRetry(); // network error (0), timeout, 5xx, anything unexpected
    }
    if (pendingSubmitter) {
      const submitter = pendingSubmitter;
      pendingSubmitter = null;
      form.requestSubmit(submitter);
    }
  });

  form.addEventListener("submit", function (event) {
    if (inFlight) {
      // Let the autosave land first so the post carries the card's newest version.
      event.preventDefault();
      pendingSubmitter = event.submitter || null;
      setStatus("Finishing the last save…", "text-body-secondary");
      return;
    }
    submitting = true;
    clearTimeout(retryTimer);
    for (const button of form.querySelectorAll("button[type=submit]")) {
      button.disabled = true;
    }
    // A disabled submitter is not posted: carry its name and value in a hidden input.
    if (event.submitter && event.submitter.name) {
      const carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = event.submitter.name;
      carried.value = event.submitter.value;
      form.appendChild(carried);
    }
  });

  // Back from the next page, restored from the back-forward cache (the page is sent
  // no-store, which most browsers take as "do not keep", but not all): after the form
  // was sent, ask the server again so the page shows the card as it now is (submitted:
  // the read-only card); otherwise the buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && submitting) {
      // The attribute: form.action would be the buttons named "action".
      window.location.replace(form.getAttribute("action"));
    } else if (event.persisted) {
      submitting = false;
      for (const button of form.querySelectorAll("button[type=submit]")) {
        button.disabled = false;
      }
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && edits > savedEdits) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

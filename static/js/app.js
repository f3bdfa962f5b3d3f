// The app's own behaviour, kept in one file so no inline script is needed (strict CSP).
"use strict";

// The person picker (hiring/widgets/person_picker.html). htmx searches as the recruiter
// types; the search takes what was typed as `q` (the box itself is named for the form's
// field, whose typed value the form also accepts without JavaScript). Picking a match
// writes its name in the box; typing again drops the pick, so a submit never carries a
// pick the box no longer shows.
(function () {
  function pickerBox(element) {
    const results = element.closest(".person-results");
    return results ? document.querySelector('[aria-controls="' + results.id + '"]') : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    const input = event.detail.elt;
    if (!input.matches || !input.matches("input[data-person-search]")) {
      return;
    }
    const parameters = event.detail.parameters;
    delete parameters[input.name];
    parameters.q = input.value;
  });

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!input.matches || !input.matches("input[data-person-search]")) {
      return;
    }
    const results = document.getElementById(input.getAttribute("aria-controls"));
    if (results) {
      results.querySelectorAll("input[type=radio]:checked").forEach(function (radio) {
        radio.checked = false;
      });
    }
  });

  document.addEventListener("change", function (event) {
    const radio = event.target;
    if (!radio.matches || !radio.matches(".person-results input[type=radio]")) {
      return;
    }
    const box = pickerBox(radio);
    if (box && radio.checked && radio.dataset.personName) {
      box.value = radio.dataset.personName;
    }
  });
})();

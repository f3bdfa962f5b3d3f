// The browser's time zone, for a person who has not chosen one (hiring_site.models):
// written into the login form's hidden field, and picked in the profile page's list
// while nothing is chosen there. Without JavaScript the app's default zone applies
// until the person picks theirs on the profile page.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
    input.value = zone;
  });
  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    const known = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (select.value === "" && known) {
      select.value = zone;
    }
  });
});

// Small enhancements only: the portal works fully without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce it (GOV.UK pattern);
  // `autofocus` does the same where supported, this covers the rest.
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
  // On a phone the cohort's tabs scroll sideways: bring the current one into view.
  var current = document.querySelector(".cohort-nav__tabs [aria-current='page']");
  var row = current && current.closest(".cohort-nav__tabs");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft += current.getBoundingClientRect().left - row.getBoundingClientRect().left - 24;
  }
  // Links in the summary move focus to the field, not only scroll to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary__list a");
    if (!link) { return; }
    var field = document.getElementById(link.hash.slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
})();

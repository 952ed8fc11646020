// Alongside: small progressive enhancements. No inline scripts anywhere (CSP).
(function () {
  "use strict";
  // Move focus to the main landmark after an htmx swap that replaces the page body,
  // so screen-reader users hear the new content.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "main") {
      event.detail.target.focus();
    }
  });
})();
// Print buttons (no inline handlers: CSP).
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target instanceof Element && target.closest("[data-print]")) {
    window.print();
  }
});

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
  // htmx requests carry the CSRF token from the meta tag that templates/_htmx.html writes
  // (the CSRF cookie is HttpOnly, so scripts can't read it).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token && event.detail && event.detail.headers) {
      event.detail.headers["X-CSRFToken"] = token.getAttribute("content");
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

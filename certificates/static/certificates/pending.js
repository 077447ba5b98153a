/* A certificate being prepared (the issuing task has not run yet): fetch this page again now and
 * then, and reload it once the "being prepared" note is gone. Without this script the note asks
 * the reader to reload the page. */
(function () {
  "use strict";

  var DELAYS = [1000, 2000, 3000, 5000, 10000, 20000, 30000];

  function start() {
    if (!document.querySelector("[data-certificate-pending]") || !window.fetch) return;
    var attempt = 0;
    function poll() {
      fetch(window.location.href, {credentials: "same-origin", cache: "no-store"})
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          if (html.indexOf("data-certificate-pending") === -1) {
            window.location.reload();
          } else {
            later();
          }
        })
        .catch(later);
    }
    function later() {
      window.setTimeout(poll, DELAYS[Math.min(attempt, DELAYS.length - 1)]);
      attempt += 1;
    }
    later();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Social Councils: load giscus (GitHub Discussions) comments only when the reader asks.
 *
 * Each post's Comments section has a hidden "Show comments" button carrying the giscus
 * settings as data-giscus-* attributes (overrides/partials/comments.html). This script shows the
 * button, and on a click adds giscus's script with those settings to the comments container.
 * Nothing is requested from another website before that click. The click listener sits on the
 * document, so it also works when pages are swapped in without a reload (instant navigation).
 */
(function () {
  "use strict";

  var PREFIX = "giscus";

  function revealButtons() {
    var buttons = document.querySelectorAll("[data-hub-show-comments][hidden]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
    });
  }

  function giscusScript(button) {
    var script = document.createElement("script");
    Object.keys(button.dataset).forEach(function (key) {
      if (key.indexOf(PREFIX) !== 0 || key === PREFIX + "Src") {
        return;
      }
      // dataset turns data-giscus-repo-id into giscusRepoId; giscus wants data-repo-id.
      var name = key.slice(PREFIX.length).replace(/[A-Z]/g, function (letter) {
        return "-" + letter.toLowerCase();
      });
      script.setAttribute("data" + name, button.dataset[key]);
    });
    script.src = button.dataset.giscusSrc;
    script.crossOrigin = "anonymous";
    script.async = true;
    return script;
  }

  function showComments(button) {
    var container = document.getElementById(button.getAttribute("aria-controls"));
    if (!container || button.getAttribute("aria-expanded") === "true") {
      return;
    }
    container.appendChild(giscusScript(button));
    button.setAttribute("aria-expanded", "true");
    // The button has done its job: move keyboard focus to where the comments appear.
    button.hidden = true;
    container.setAttribute("tabindex", "-1");
    container.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-hub-show-comments]") : null;
    if (button) {
      showComments(button);
    }
  });

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(revealButtons);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", revealButtons);
  } else {
    revealButtons();
  }
})();

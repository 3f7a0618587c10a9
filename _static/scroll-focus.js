/* Boxes that scroll sideways (wide math, tables, code) can be reached with the keyboard.
 *
 * On a narrow screen a wide formula scrolls inside its own box; a box that scrolls must be
 * focusable so that keyboard users can scroll it too (axe: scrollable-region-focusable).
 * Runs once MathJax has drawn the formulas, since only then is their width known.
 */
(function () {
  "use strict";

  function focusable(box) {
    return box.matches("a, button, input, select, textarea, [tabindex]") ||
      box.querySelector("a, button, input, select, textarea, [tabindex]") !== null;
  }

  function addTabStops() {
    var boxes = document.querySelectorAll(".bd-article *");
    Array.prototype.forEach.call(boxes, function (box) {
      var overflow = getComputedStyle(box).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth && !focusable(box)) {
        box.setAttribute("tabindex", "0");
      }
    });
  }

  window.addEventListener("load", function () {
    var mathjax = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    (mathjax || Promise.resolve()).then(addTabStops);
  });
})();

/* Language switch: show the English prose, the Korean prose, or both.
 *
 * Prose sits in <div lang="en"> / <div lang="ko"> blocks; code, outputs, math and the
 * shared "English · 한국어" headings are never hidden. The choice is kept in
 * localStorage, so it holds across pages and visits, and ?lang=en|ko|both in the URL
 * preselects it. Without either, both languages are shown, as in Jupyter and Colab.
 */
(function () {
  "use strict";
  var KEY = "course-lang";
  // value, label, compact label for phones (phone.css), tooltip
  var CHOICES = [["en", "English", "EN", "English only"], ["ko", "한국어", "한", "한국어만 보기"],
                 ["both", "EN · 한", "EN·한", "Both · 둘 다"]];
  var DEFAULT = "both";

  function valid(value) {
    return CHOICES.some(function (choice) { return choice[0] === value; });
  }

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }  // storage may be disabled
  }

  function store(value) {
    try { localStorage.setItem(KEY, value); } catch (e) { /* the choice then lasts for this page only */ }
  }

  function apply(value) {
    document.documentElement.setAttribute("data-course-lang", value);
    var buttons = document.querySelectorAll(".course-lang-switch button");
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-pressed", String(button.value === value));
    });
  }

  function label(className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }

  function control() {
    var group = document.createElement("div");
    group.className = "course-lang-switch";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Language · 언어");
    CHOICES.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.value = choice[0];
      button.appendChild(label("course-lang-long", choice[1]));
      button.appendChild(label("course-lang-short", choice[2])).setAttribute("aria-hidden", "true");
      button.title = choice[3];
      button.addEventListener("click", function () {
        store(choice[0]);
        apply(choice[0]);
      });
      group.appendChild(button);
    });
    return group;
  }

  var requested = new URLSearchParams(window.location.search).get("lang");
  if (valid(requested)) {
    store(requested);
  }
  var saved = stored();
  // Runs in <head>, before the body is drawn, so the hidden language never flashes.
  apply(valid(saved) ? saved : DEFAULT);

  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".article-header-buttons") || document.querySelector(".bd-header-article");
    if (header) {
      header.insertBefore(control(), header.firstChild);
    }
    apply(document.documentElement.getAttribute("data-course-lang"));
  });

  window.addEventListener("storage", function (event) {  // another tab switched: follow it
    if (event.key === KEY && valid(event.newValue)) {
      apply(event.newValue);
    }
  });
})();

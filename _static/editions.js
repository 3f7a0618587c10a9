/* Colab and download buttons follow the language switch (language-switch.js).
 *
 * With English or 한국어 chosen, "Open in Colab" opens that language's edition of the page's
 * notebook (editions/en/... or editions/ko/..., made by tools/editions.py) and the download
 * button offers the same file, which the site holds a copy of; with both languages chosen,
 * both buttons give the bilingual notebook of book/.
 */
(function () {
  "use strict";
  // The theme's buttons point at book/: Colab at .../blob/BRANCH/book/..., download at _sources/book/...
  var TARGETS = [[/^(https:\/\/colab\.research\.google\.com\/github\/.+?\/blob\/[^/]+\/)book\//, "editions/"],
                 [/^((?:\.\.\/)*)_sources\/book\//, "editions/"]];

  function retarget() {
    var lang = document.documentElement.getAttribute("data-course-lang");
    var links = document.querySelectorAll(".article-header-buttons a[href]");
    Array.prototype.forEach.call(links, function (link) {
      var original = link.dataset.bookHref || link.getAttribute("href");
      TARGETS.forEach(function (target) {
        if (target[0].test(original)) {
          link.dataset.bookHref = original;
          link.setAttribute("href", lang === "en" || lang === "ko"
            ? original.replace(target[0], "$1" + target[1] + lang + "/") : original);
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    retarget();
    new MutationObserver(retarget).observe(document.documentElement,
                                           {attributes: true, attributeFilter: ["data-course-lang"]});
  });
})();

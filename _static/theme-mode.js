/* pydata-sphinx-theme reads the colour mode from localStorage; on a first visit it finds an
 * empty string and logs "Got invalid theme mode" as a console error. Start from "auto". */
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "auto";
}

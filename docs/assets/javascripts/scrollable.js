// Wide tables (Material's .md-typeset__scrollwrap) and wide formulas (.katex-display, see
// extra.css) scroll sideways on small screens. A scrolling region must be reachable by keyboard
// (axe rule scrollable-region-focusable): give it a tab stop and a name while it overflows.
(function () {
  var SELECTOR = ".md-typeset__scrollwrap, .katex-display";
  function label(el) {
    var zh = document.documentElement.lang === "zh";
    if (el.classList.contains("katex-display")) return zh ? "公式" : "formula";
    return zh ? "表格" : "table";
  }
  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.tabIndex = 0;
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", label(el));
      } else if (el.getAttribute("role") === "region") {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    });
  }
  window.markScrollableRegions = mark;  // katex-init.js calls it after rendering formulas
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
  if (document.fonts) document.fonts.ready.then(mark);  // widths change when fonts arrive
})();

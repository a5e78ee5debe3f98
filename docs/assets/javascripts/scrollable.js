// Wide tables (Material's .md-typeset__scrollwrap) and wide formulas (.katex-display, see
// extra.css) scroll sideways on small screens. A scrolling region must be reachable by keyboard
// (axe rule scrollable-region-focusable): give it a tab stop and a name while it overflows.
// All widths are read first and attributes written after, and only when they change: reading a
// width after a write forces the browser to lay out the whole page again, which on a long page of
// formulas cost over a second of a slow phone's main thread (issue #20).
(function () {
  var SELECTOR = ".md-typeset__scrollwrap, .katex-display";
  function label(el) {
    var zh = document.documentElement.lang === "zh";
    if (el.classList.contains("katex-display")) return zh ? "公式" : "formula";
    return zh ? "表格" : "table";
  }
  function mark() {
    var regions = Array.prototype.slice.call(document.querySelectorAll(SELECTOR));
    var wide = regions.map(function (el) { return el.scrollWidth > el.clientWidth + 1; });
    regions.forEach(function (el, i) {
      var marked = el.getAttribute("role") === "region";
      if (wide[i] && !marked) {
        el.tabIndex = 0;
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", label(el));
      } else if (!wide[i] && marked) {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    });
  }
  window.markScrollableRegions = mark;  // katex-init.js calls it after rendering formulas
  window.addEventListener("load", mark);  // not earlier: formulas would change the widths again
  window.addEventListener("resize", mark);
  if (document.fonts) document.fonts.ready.then(mark);  // widths change when fonts arrive
})();

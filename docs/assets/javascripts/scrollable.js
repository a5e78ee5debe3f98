// Wide tables (Material's .md-typeset__scrollwrap), formulas (.katex-display, see extra.css),
// diagrams (.mermaid-diagram) and code blocks scroll sideways on small screens. A scrolling region
// must be reachable by keyboard (axe rule scrollable-region-focusable): give it a tab stop and a
// name while it overflows. Reading a width makes the browser lay the element out, and the blocks of
// a long page are skipped while off screen (content-visibility in extra.css): so the regions are
// measured a few at a time while the browser is idle (eachWhenIdle, overrides/main.html), never in
// one long task (issue #20). When all are done, <html> gets data-scrollables-marked (the browser
// tests wait for it before running axe).
(function () {
  // Material marks code blocks itself, but only once they come near the screen (content.lazy in
  // mkdocs.yml); a keyboard user may reach one before that.
  var SELECTOR = ".md-typeset__scrollwrap, .katex-display, .mermaid-diagram, .md-typeset pre > code";
  var DONE = "data-scrollables-marked";
  var NAMES = {
    zh: { formula: "公式", diagram: "图", code: "代码", table: "表格" },
    en: { formula: "formula", diagram: "diagram", code: "code", table: "table" },
  };
  var run = 0;
  function label(el) {
    var names = NAMES[document.documentElement.lang] || NAMES.en;
    if (el.classList.contains("katex-display")) return names.formula;
    if (el.classList.contains("mermaid-diagram")) return names.diagram;
    if (el.tagName === "CODE") return names.code;
    return names.table;
  }
  function contentWidth(el) {
    // A block that is itself skipped reports its own width as its scroll width: ask its content,
    // which the browser then lays out for us (a table, an <svg>).
    var inner = el.firstElementChild;
    return Math.max(el.scrollWidth, inner ? inner.getBoundingClientRect().width : 0);
  }
  function update(el, wide) {
    var marked = el.getAttribute("role") === "region";
    if (wide && !marked) {
      el.tabIndex = 0;
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", label(el));
    } else if (!wide && marked) {
      el.removeAttribute("tabindex");
      el.removeAttribute("role");
      el.removeAttribute("aria-label");
    }
  }
  function mark() {  // (re)measure every region; a newer call supersedes an unfinished one
    var mine = ++run, measured = [];
    document.documentElement.removeAttribute(DONE);
    // All widths are read first and the attributes written at the end: a write between two reads
    // would make the browser redo its styles before the next read.
    window.eachWhenIdle(Array.prototype.slice.call(document.querySelectorAll(SELECTOR)),
      function (el) { if (mine === run) measured.push([el, contentWidth(el) > el.clientWidth + 1]); },
      function () {
        if (mine !== run) return;
        measured.forEach(function (pair) { update(pair[0], pair[1]); });
        document.documentElement.setAttribute(DONE, "");
      });
  }
  function markAfterFormulas() {  // katex-init.js calls mark() itself once every formula is drawn
    if (!window.katex || document.documentElement.hasAttribute("data-math-rendered")) mark();
  }
  window.markScrollableRegions = mark;  // katex-init.js calls it when every formula is drawn
  window.addEventListener("load", markAfterFormulas);  // not earlier: Material wraps the tables on load
  window.addEventListener("resize", markAfterFormulas);
  if (document.fonts) document.fonts.ready.then(markAfterFormulas);  // widths change when fonts arrive
})();

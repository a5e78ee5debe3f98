// Wide tables (Material's .md-typeset__scrollwrap), formulas (.katex-display, see extra.css),
// diagrams (.mermaid-diagram) and code blocks scroll sideways on small screens. A scrolling region
// must be reachable by keyboard (axe rule scrollable-region-focusable): give it a tab stop and a
// name while it overflows.
//
// Reading a width makes the browser lay the element out, and the blocks of a long page are not
// even styled while off screen (content-visibility in extra.css): measuring a block far below
// costs a slow phone as much as drawing it (issue #20). So a region is measured when it comes
// within two screens of the view, a few at a time while the browser is idle (eachWhenIdle,
// overrides/main.html); <html> gets data-scrollables-marked once those near the first screen are
// done. A keyboard reader's first Tab measures every region at once, so that Tab never passes a
// wide block far below before it is marked; <html> then gets data-scrollables-all.
(function () {
  // Material marks code blocks itself, but only once they come near the screen (content.lazy in
  // mkdocs.yml); a keyboard user may reach one before that.
  var SELECTOR = ".md-typeset__scrollwrap, .katex-display, .mermaid-diagram, .md-typeset pre > code";
  var NEAR = "data-scrollables-marked", ALL = "data-scrollables-all";
  var NAMES = {
    zh: { formula: "公式", diagram: "图", code: "代码", table: "表格" },
    en: { formula: "formula", diagram: "diagram", code: "code", table: "table" },
  };
  var run = 0, observer = null;
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
  function measure(regions, done) {  // a newer measuring of everything supersedes an unfinished one
    var mine = run, measured = [];
    // All widths are read first and the attributes written at the end: a write between two reads
    // would make the browser redo its styles before the next read.
    window.eachWhenIdle(regions,
      function (el) { if (mine === run) measured.push([el, contentWidth(el) > el.clientWidth + 1]); },
      function () {
        if (mine !== run) return;
        measured.forEach(function (pair) { update(pair[0], pair[1]); });
        if (done) done();
      });
  }
  function regions() {
    return Array.prototype.slice.call(document.querySelectorAll(SELECTOR));
  }
  function markAll(done) {
    run++;
    if (observer) observer.disconnect();
    measure(regions(), function () {
      document.documentElement.setAttribute(ALL, "");
      if (done) done();
    });
  }
  function watch() {  // (re)measure each region as it comes near the view
    var mine = ++run, first = true;
    var root = document.documentElement;
    if (root.hasAttribute(ALL)) return markAll();  // a keyboard reader: keep every region measured
    root.removeAttribute(NEAR);
    if (observer) observer.disconnect();
    var all = regions();
    if (!all.length) return root.setAttribute(NEAR, "");
    if (!window.IntersectionObserver) return markAll(function () { root.setAttribute(NEAR, ""); });
    observer = new IntersectionObserver(function (entries) {
      var near = entries.filter(function (entry) { return entry.isIntersecting; })
        .map(function (entry) { observer.unobserve(entry.target); return entry.target; });
      var firstBatch = first;
      first = false;
      measure(near, function () { if (firstBatch && mine === run) root.setAttribute(NEAR, ""); });
    }, { rootMargin: "200% 0px" });
    all.forEach(function (el) { observer.observe(el); });
  }
  function watchAfterFormulas() {  // until then, katex-init.js calls watch() itself
    if (!window.katex || document.documentElement.hasAttribute("data-math-rendered")) watch();
  }
  window.markScrollableRegions = watch;  // katex-init.js calls it when every formula is drawn
  window.addEventListener("load", watchAfterFormulas);  // not earlier: Material wraps the tables on load
  window.addEventListener("resize", watchAfterFormulas);
  if (document.fonts) document.fonts.ready.then(watchAfterFormulas);  // widths change when fonts arrive
  document.addEventListener("keydown", function first(event) {
    if (event.key !== "Tab") return;
    document.removeEventListener("keydown", first);
    markAll();
  });
})();

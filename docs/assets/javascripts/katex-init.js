// Render math with the vendored KaTeX (loaded by overrides/main.html only where needed):
// - Markdown pages: pymdownx.arithmatex (generic mode) wraps formulas in .arithmatex as \( \) / \[ \];
// - notebook pages: mkdocs-jupyter leaves $...$ / $$...$$ in the rendered Markdown cells.
// Errors are rendered in place (throwOnError: false) so the browser test can find .katex-error.
//
// Drawing a page of a hundred formulas took a slow phone's main thread for a third of a second in
// one piece (issue #20). So the first formulas (more than a phone screen holds) are drawn at once
// and the rest a few at a time while the browser is idle (eachWhenIdle, overrides/main.html), or
// as soon as the reader scrolls near them. When all are drawn, <html> gets data-math-rendered and
// scrollable.js measures the wide ones.
(function () {
  var ARITHMATEX = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];
  var NOTEBOOK = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
  ];
  var FIRST_SCREEN = 12;
  var items = [];
  document.querySelectorAll(".arithmatex").forEach(function (el) { items.push({ el: el, delimiters: ARITHMATEX }); });
  if (document.querySelector(".jp-RenderedMarkdown")) {
    // a notebook heading's $...$ reaches the table of contents as it is (Markdown pages' math does not)
    document.querySelectorAll(".md-nav__link .md-ellipsis").forEach(function (el) {
      if (el.textContent.indexOf("$") >= 0) items.push({ el: el, delimiters: NOTEBOOK });
    });
  }
  document.querySelectorAll(".jp-RenderedMarkdown").forEach(function (el) { items.push({ el: el, delimiters: NOTEBOOK }); });
  var observer = null;
  function draw(item) {
    if (item.drawn) return;
    item.drawn = true;
    renderMathInElement(item.el, { delimiters: item.delimiters, throwOnError: false });
    if (observer) observer.unobserve(item.el);
  }
  function finish() {
    if (observer) observer.disconnect();
    document.documentElement.setAttribute("data-math-rendered", "");
    if (window.markScrollableRegions) window.markScrollableRegions();
  }
  if (!window.eachWhenIdle) {  // a page without the helper (the PDF's print document): draw all now
    items.forEach(draw);
    return finish();
  }
  items.slice(0, FIRST_SCREEN).forEach(draw);
  var rest = items.slice(FIRST_SCREEN);
  if (!rest.length) return finish();
  if (window.IntersectionObserver) {  // the reader scrolls faster than the idle slices
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting) draw(entry.target.mathItem); });
    }, { rootMargin: "100% 0px" });
    rest.forEach(function (item) {
      item.el.mathItem = item;
      observer.observe(item.el);
    });
  }
  window.eachWhenIdle(rest, draw, finish);
})();

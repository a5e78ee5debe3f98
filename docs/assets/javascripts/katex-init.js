// Render math with the vendored KaTeX (loaded by overrides/main.html only where needed):
// - Markdown pages: pymdownx.arithmatex (generic mode) wraps formulas in .arithmatex as \( \) / \[ \];
// - notebook pages: mkdocs-jupyter leaves $...$ / $$...$$ in the rendered Markdown cells.
// Errors are rendered in place (throwOnError: false) so the browser test can find .katex-error.
(function () {
  var ARITHMATEX = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];
  var NOTEBOOK = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
  ];
  function render() {
    document.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, { delimiters: ARITHMATEX, throwOnError: false });
    });
    document.querySelectorAll(".jp-RenderedMarkdown").forEach(function (el) {
      renderMathInElement(el, { delimiters: NOTEBOOK, throwOnError: false });
    });
    markScrollableFormulas();
  }
  // A formula wider than the screen scrolls sideways (extra.css); let keyboards reach it too.
  function markScrollableFormulas() {
    document.querySelectorAll(".katex-display").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.tabIndex = 0;
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", document.documentElement.lang === "zh" ? "公式" : "formula");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();

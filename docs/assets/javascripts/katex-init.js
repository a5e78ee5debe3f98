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
    // scrollable.js (loaded later, with Material's script) marks wide formulas on the load event
  }
  render();  // loaded at the end of <body> (overrides/main.html): the page's content is all there
})();

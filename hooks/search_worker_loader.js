/* Prepended by hooks/search_i18n.py to the copy of Material's search worker: the book's text is
 * fetched and parsed here, in the worker, instead of on the page.
 *
 * Material's page script fetches search_index.json, parses it and posts it to this worker: with
 * the whole book in it (1.8 MB), a slow phone's page stopped for about 150 ms of parsing and
 * copying while it loaded (bench/bench_site.py --phone). The page now gets a small file with the
 * index's config and `docs_url`; the full index sits at docs_url (relative to the site's root,
 * three folders above this worker's assets/javascripts/workers/). This listener, registered before
 * Material's, holds the set-up message back, loads the documents and hands Material the full
 * message. A set-up message that carries its documents (the offline edition loads them as a
 * script) passes straight through.
 */
self.addEventListener("message", function (event) {
  "use strict";
  var message = event.data;
  var config = message && message.type === 0 && message.data && message.data.config;
  if (!config || !config.docs_url) return;
  event.stopImmediatePropagation();
  fetch(new URL("../../../" + config.docs_url, self.location.href))
    .then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    })
    .then(function (index) {
      var data = { config: index.config, docs: index.docs, options: message.data.options };
      self.dispatchEvent(new MessageEvent("message", { data: { type: 0, data: data } }));
    })
    .catch(function (error) { console.error("search: the index at " + config.docs_url + " did not load: " + error); });
});

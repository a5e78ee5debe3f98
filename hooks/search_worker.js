/* Appended by hooks/search_i18n.py to a copy of Material's search worker: English query terms
 * stemmed like the index.
 *
 * Material appends "*" to every query term, and lunr does not run its search pipeline (the Porter
 * stemmer) on wildcard terms, so "dilution*" was looked up unstemmed in an index that holds "dilut".
 * Each such term is shortened to the common prefix of the word and its stem (lunr.stemmer, the
 * function the index is built with): dilution -> dilut*, vesting -> vest*, and a word still being
 * typed (backprop) keeps its own prefix. A stop word is looked up whole ("lock-in" is lock + in, and
 * "in*" would match every word that starts with "in"). Chinese terms are left as they are.
 */
(function (lunr) {
  "use strict";
  function commonPrefix(a, b) {
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return a.slice(0, i);
  }
  var parse = lunr.QueryParser.prototype.parse;
  lunr.QueryParser.prototype.parse = function () {
    var query = parse.apply(this, arguments);
    query.clauses.forEach(function (clause) {
      var match = /^([a-z][a-z0-9]*)\*$/.exec(clause.term);
      if (clause.usePipeline || !match) return;
      var word = match[1];
      if (!lunr.stopWordFilter(new lunr.Token(word))) { clause.term = word; return; }  // a stop word
      var prefix = commonPrefix(word, lunr.stemmer(new lunr.Token(word)).toString());
      if (prefix.length >= 3 || prefix === word) clause.term = prefix + "*";
    });
    return query;
  };
})(self.lunr);

/* compendium search: filters and substring matching over folded text, run in the reader's browser.
   The index comes from search-index.*.js (a script, so that it also works when the site is opened
   from disk, where fetch() of a local JSON file is blocked). fold() must match html_search.fold. */
(function () {
  "use strict";
  var data = window.COMPENDIUM_SEARCH;
  var form = document.getElementById("search");
  if (!data || !form) { return; }
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var FILTERS = ["theme", "region", "country", "place"];
  var PAGE = 50;
  var MARKS = /[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
  var LETTERS = { "\u0649": "\u064a", "\u06cc": "\u064a", "\u0629": "\u0647" };
  var shown = 0;
  var found = [];
  var timer = 0;

  function fold(text) {
    return text.normalize("NFKD").toLowerCase().replace(MARKS, "")
      .replace(/[\u0649\u06cc\u0629]/g, function (c) { return LETTERS[c]; })
      .replace(/\s+/g, " ").trim();
  }

  /* Words, or "quoted phrases", of the folded query. */
  function terms(query) {
    var out = [];
    var re = /"([^"]+)"|(\S+)/g;
    var m;
    var folded = fold(query);
    while ((m = re.exec(folded)) !== null) {
      var t = (m[1] || m[2]).trim();
      if (t) { out.push(t); }
    }
    return out;
  }

  function filters() {
    var f = {};
    FILTERS.forEach(function (name) { f[name] = form.elements[name].value; });
    return f;
  }

  function search(query, f) {
    var words = terms(query);
    var hits = [];
    data.docs.forEach(function (doc, order) {
      for (var i = 0; i < FILTERS.length; i++) {
        var name = FILTERS[i];
        if (f[name] && doc[name] !== f[name]) { return; }
      }
      var score = 0;
      for (var j = 0; j < words.length; j++) {
        if (doc.h.indexOf(words[j]) >= 0) { score += 3; }
        else if (doc.b.indexOf(words[j]) >= 0) { score += 1; }
        else { return; }
      }
      hits.push({ doc: doc, score: score, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return { words: words, hits: hits };
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function langOf(node, doc) {
    if (doc.lang) { node.lang = doc.lang; }
    if (doc.dir) { node.dir = doc.dir; }
    return node;
  }

  function item(doc) {
    var li = el("li", "entry-card");
    var a = langOf(el("a", "entry-link", doc.title), doc);
    a.href = doc.url;
    li.appendChild(a);
    var meta = el("p", "entry-meta");
    meta.appendChild(el("span", "place place-" + doc.place, data.places[doc.place] || doc.place));
    meta.appendChild(document.createTextNode(" · " + (data.countries[doc.country] || doc.country) + " · "));
    meta.appendChild(langOf(el("span", "", doc.institution), doc));
    meta.appendChild(document.createTextNode(" · " + (data.themes[doc.theme] || doc.theme)));
    li.appendChild(meta);
    if (doc.snippet) { li.appendChild(langOf(el("p", "snippet", doc.snippet), doc)); }
    return li;
  }

  function showMore() {
    var end = Math.min(found.length, shown + PAGE);
    var fragment = document.createDocumentFragment();
    for (; shown < end; shown++) { fragment.appendChild(item(found[shown].doc)); }
    list.appendChild(fragment);
    more.hidden = shown >= found.length;
  }

  function remember(query, f) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    FILTERS.forEach(function (name) { if (f[name]) { params.set(name, f[name]); } });
    var qs = params.toString();
    try { history.replaceState(null, "", qs ? "?" + qs : location.pathname); } catch (e) { /* file:// in some browsers */ }
  }

  function run() {
    var query = input.value;
    var f = filters();
    var filtered = FILTERS.some(function (name) { return f[name]; });
    var result = search(query, f);
    list.textContent = "";
    shown = 0;
    found = [];
    remember(query.trim(), f);
    if (!result.words.length && !filtered) {
      status.textContent = "Type a word, or choose a filter, to list the initiatives.";
      more.hidden = true;
      return;
    }
    found = result.hits;
    var n = found.length;
    var what = n === 0 ? "No initiative matches" : n === 1 ? "1 initiative matches" : n + " initiatives match";
    status.textContent = what + (result.words.length ? " \u201c" + query.trim() + "\u201d" : " the filters") + ".";
    showMore();
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  FILTERS.forEach(function (name) {
    var value = params.get(name);
    var select = form.elements[name];
    if (value && select.querySelector("option[value=\"" + CSS.escape(value) + "\"]")) { select.value = value; }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  FILTERS.forEach(function (name) { form.elements[name].addEventListener("change", run); });
  more.addEventListener("click", showMore);
  run();
}());

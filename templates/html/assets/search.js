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
  var BASE_FILTERS = ["theme", "region", "country", "place"];
  /* plus one filter per vocabulary field the edition indexes (the SDGs...): doc.v[field] lists its terms */
  var FILTERS = BASE_FILTERS.concat(Object.keys(data.vocabularies || {}).filter(function (name) {
    return form.elements[name];
  }));
  var PAGE = 50;
  var SNIPPET = 160;
  var WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\ud800-\udbff]/;
  var MARKS = /[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
  var LETTERS = { "\u0649": "\u064a", "\u06cc": "\u064a", "\u0629": "\u0647" };
  var MESSAGES = { /* English, when the page gives none: see data-messages on the form in search.html */
    lang: "en",
    prompt: "Type a word, or choose a filter, to list the initiatives.",
    none_query: "No initiative matches \u201c{query}\u201d.",
    none_filters: "No initiative matches the filters.",
    match_query: { one: "{n} initiative matches \u201c{query}\u201d.", other: "{n} initiatives match \u201c{query}\u201d." },
    match_filters: { one: "{n} initiative matches the filters.", other: "{n} initiatives match the filters." }
  };
  if (form.dataset.messages) {
    try {
      var given = JSON.parse(form.dataset.messages);
      Object.keys(given).forEach(function (key) { MESSAGES[key] = given[key]; });
    } catch (e) { /* keep the English messages */ }
  }
  var plurals = null;
  try { plurals = new Intl.PluralRules(MESSAGES.lang); } catch (e) { /* no Intl: "other" */ }
  var shown = 0;
  var found = [];
  var words = [];
  var timer = 0;

  function fold(text) {
    return text.normalize("NFKD").toLowerCase().replace(MARKS, "")
      .replace(/[\u0649\u06cc\u0629]/g, function (c) { return LETTERS[c]; })
      .replace(/\s+/g, " ").trim();
  }

  /* fold() of `text`, one character at a time, remembering where each folded unit came from:
     text.slice(from[k], to[k]) gave s[k]. Characters that fold to nothing (accents, tatweel)
     stay with the unit before them, so a highlight never cuts a letter from its marks. Final
     sigma is made plain sigma (whole-string lower-casing treats it apart). */
  function foldMap(text) {
    var s = "", from = [], to = [], space = true;
    for (var i = 0; i < text.length;) {
      var code = text.codePointAt(i);
      var n = code > 0xffff ? 2 : 1;
      var c = text.substr(i, n);
      var f = code < 128 ? c.toLowerCase() : c.normalize("NFKD").toLowerCase().replace(MARKS, "")
        .replace(/[\u0649\u06cc\u0629]/g, function (x) { return LETTERS[x]; });
      if (!f.length && to.length) { to[to.length - 1] = i + n; }
      for (var k = 0; k < f.length; k++) {
        var u = f.charAt(k);
        if (/\s/.test(u)) {
          if (space) { continue; }
          u = " ";
          space = true;
        } else { space = false; }
        s += u === "\u03c2" ? "\u03c3" : u;
        from.push(i);
        to.push(i + n);
      }
      i += n;
    }
    if (space && s.length) { s = s.slice(0, -1); from.pop(); to.pop(); }
    return { s: s, from: from, to: to };
  }

  /* Where the query's words occur in `text`: sorted, merged [start, end) ranges of the original. */
  function matches(text, words) {
    var map = foldMap(text);
    var ranges = [];
    words.forEach(function (word) {
      var w = word.replace(/\u03c2/g, "\u03c3");
      for (var at = map.s.indexOf(w); w && at >= 0; at = map.s.indexOf(w, at + 1)) {
        ranges.push([map.from[at], map.to[at + w.length - 1]]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { merged.push(r.slice()); }
    });
    return merged;
  }

  /* The entry's text, rebuilt from the folded body and the differences kept in the index. */
  function original(doc) {
    if (typeof doc.t === "string") { return doc.t; }
    var p = doc.p || [];
    var out = "";
    var at = 0;
    for (var k = 0; k + 2 < p.length; k += 3) {
      out += doc.b.slice(at, at + p[k]) + p[k + 2];
      at += p[k] + p[k + 1];
    }
    return out + doc.b.slice(at);
  }

  /* Moves a cut off the middle of a surrogate pair or of a letter and its marks. */
  function settle(text, at) {
    while (at > 0 && at < text.length && (/[\udc00-\udfff]/.test(text.charAt(at)) || /^\p{M}/u.test(text.slice(at, at + 1)))) { at++; }
    return at;
  }

  /* Where `columns` columns of text from `at` end (forward, or backward when `step` is -1): Chinese,
     Japanese and Korean characters take two, so a snippet in any script is about as long. */
  function walk(text, at, columns, step) {
    while (columns > 0 && (step > 0 ? at < text.length : at > 0)) {
      var c = text.charAt(step > 0 ? at : at - 1);
      columns -= WIDE.test(c) ? 2 : /[\udc00-\udfff]/.test(c) ? 0 : 1;
      at += step;
    }
    return at;
  }

  /* About SNIPPET columns of `text` around its first match, cut between words where it can. */
  function excerpt(text, first) {
    var start = first ? walk(text, first[0], SNIPPET / 4, -1) : 0;
    var end = walk(text, start, SNIPPET, 1);
    if (end >= text.length) { end = text.length; start = walk(text, end, SNIPPET, -1); }
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space - start < 20 && (!first || space < first[0])) { start = space + 1; }
    }
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > start && end - back < 20 && (!first || back >= first[1])) { end = back; }
    }
    if (first && first[1] > end) { end = first[1]; }
    return [settle(text, start), settle(text, end)];
  }

  /* `node` gets `text` (or SNIPPET characters of it) with every match in <mark>, built as text
     nodes and elements only: entries are untrusted. */
  function highlight(node, text, words, cut) {
    var ranges = words.length ? matches(text, words) : [];
    var span = cut ? excerpt(text, ranges[0]) : [0, text.length];
    var at = span[0];
    if (at > 0) { node.appendChild(document.createTextNode("\u2026")); }
    ranges.forEach(function (r) {
      var a = Math.max(r[0], at);
      var b = Math.min(r[1], span[1]);
      if (a >= b) { return; }
      if (a > at) { node.appendChild(document.createTextNode(text.slice(at, a))); }
      node.appendChild(el("mark", "", text.slice(a, b)));
      at = b;
    });
    if (span[1] > at) { node.appendChild(document.createTextNode(text.slice(at, span[1]))); }
    if (span[1] < text.length) { node.appendChild(document.createTextNode("\u2026")); }
    return node;
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
        if (!f[name]) { continue; }
        if (BASE_FILTERS.indexOf(name) >= 0 ? doc[name] !== f[name]
            : ((doc.v || {})[name] || []).indexOf(f[name]) < 0) { return; }
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

  /* A message with {n} and {query} filled in; counted ones by the language's plural rules. */
  function message(key, n, query) {
    var text = MESSAGES[key];
    if (typeof text !== "string") {
      var category = plurals ? plurals.select(n) : "other";
      text = text[category] || (n === 1 && text.one) || text.other;
    }
    return text.replace(/\{(n|query)\}/g, function (all, name) { return name === "n" ? String(n) : query; });
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

  function item(doc, words) {
    var li = el("li", "entry-card");
    var a = highlight(langOf(el("a", "entry-link"), doc), doc.title, words, false);
    a.href = doc.url;
    li.appendChild(a);
    var meta = el("p", "entry-meta");
    meta.appendChild(el("span", "place place-" + doc.place, data.places[doc.place] || doc.place));
    meta.appendChild(document.createTextNode(" · " + (data.countries[doc.country] || doc.country) + " · "));
    meta.appendChild(langOf(el("span", "", doc.institution), doc));
    meta.appendChild(document.createTextNode(" · " + (data.themes[doc.theme] || doc.theme)));
    li.appendChild(meta);
    var text = original(doc);
    if (text) { li.appendChild(highlight(langOf(el("p", "snippet"), doc), text, words, true)); }
    return li;
  }

  function showMore() {
    var end = Math.min(found.length, shown + PAGE);
    var fragment = document.createDocumentFragment();
    for (; shown < end; shown++) { fragment.appendChild(item(found[shown].doc, words)); }
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
    words = result.words;
    remember(query.trim(), f);
    if (!result.words.length && !filtered) {
      status.textContent = message("prompt");
      more.hidden = true;
      return;
    }
    found = result.hits;
    var n = found.length;
    var which = result.words.length ? "query" : "filters";
    status.textContent = message(n === 0 ? "none_" + which : "match_" + which, n, query.trim());
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

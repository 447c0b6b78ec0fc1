/* compendium search: Pagefind's index, one bundle per language of the entries (search/<lang>/),
   each loaded as its own module so that each stems with its own language; results are merged
   (by relevance, or in book order when only filters are chosen) and filtered with
   search/facets.json (result id → book order and facet values). Pages opened from disk (file://)
   cannot load the index: the page then says so and offers the indexes instead.
   Entries are untrusted: results are built from text nodes and <mark> elements only. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) { return; }
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var PAGE = 25;
  var MESSAGES = { /* English, when the page gives none: see data-messages on the form in search.html */
    lang: "en",
    prompt: "Type a word, or choose a filter, to list the initiatives.",
    loading: "Loading the search\u2026",
    failed: "The search could not be loaded.",
    none_query: "No initiative matches \u201c{query}\u201d.",
    none_filters: "No initiative matches the filters.",
    match_query: { one: "{n} initiative matches \u201c{query}\u201d.", other: "{n} initiatives match \u201c{query}\u201d." },
    match_filters: { one: "{n} initiative matches the filters.", other: "{n} initiatives match the filters." }
  };
  try {
    var given = JSON.parse(form.dataset.messages || "{}");
    Object.keys(given).forEach(function (key) { MESSAGES[key] = given[key]; });
  } catch (e) { /* keep the English messages */ }
  var plurals = null;
  try { plurals = new Intl.PluralRules(MESSAGES.lang); } catch (e) { /* no Intl: "other" */ }
  var bundles = [];
  try { bundles = JSON.parse(form.dataset.bundles || "[]"); } catch (e) { bundles = []; }
  var engines = null; /* [Pagefind module, ...] once loaded */
  var facets = null;  /* search/facets.json */
  var cursor = null;  /* yields the next result's data, in order */
  var total = 0;
  var timer = 0;
  var generation = 0;

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

  /* Pagefind's excerpt is HTML (escaped text and <mark>); keep its text and its marks only. When it
     opens with the section's own heading ("The solution."), that is left out (the label says it);
     otherwise it starts mid-text, and an ellipsis says so, as it does at the end. */
  function excerpt(node, html, heading) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var parts = [];
    doc.body.childNodes.forEach(function (child) {
      parts.push({ mark: child.nodeType === 1 && child.tagName === "MARK", text: child.textContent });
    });
    var head = heading ? heading.replace(/[.:]?$/, "") : "";
    var first = parts.length && !parts[0].mark ? parts[0] : null;
    var opening = false;
    if (first && head && first.text.trimStart().indexOf(head) === 0) {
      first.text = first.text.trimStart().slice(head.length).replace(/^[.:]?\s*/, "");
      opening = true;
    }
    if (!opening) { node.appendChild(document.createTextNode("\u2026")); }
    parts.forEach(function (part) {
      node.appendChild(part.mark ? el("mark", "", part.text) : document.createTextNode(part.text));
    });
    node.appendChild(document.createTextNode("\u2026"));
    return node;
  }

  function langOf(node, meta) {
    if (meta.lang) { node.lang = meta.lang; }
    if (meta.dir) { node.dir = meta.dir; }
    return node;
  }

  function local(url) { return url.replace(/^\/+/, ""); }

  function item(data) {
    var meta = data.meta || {};
    var li = el("li", "entry-card" + (meta.image ? " has-thumb" : ""));
    var text = el("div", "card-text");
    var heading = el("h2", "card-title");
    var a = langOf(el("a", "entry-link", meta.title || data.url), meta);
    a.href = local(data.url);
    heading.appendChild(a);
    text.appendChild(heading);
    if (meta.gloss) { text.appendChild(el("p", "gloss", meta.gloss)); }
    var line = el("p", "entry-meta");
    if (meta.place) { line.appendChild(el("span", "place place-" + (meta.place_key || ""), meta.place)); }
    [meta.country, meta.institution, meta.theme].forEach(function (part, i) {
      if (!part) { return; }
      line.appendChild(document.createTextNode(" \u00b7 "));
      var span = el("span", "", part);
      if (i === 1) { langOf(span, meta); }
      line.appendChild(span);
    });
    text.appendChild(line);
    /* the snippet comes from the section where the words are (summary, problem...), labelled with
       its heading and linked to it; when only the title or the facts match, the summary's start */
    var best = null;
    (data.sub_results || []).forEach(function (sub) {
      var weight = (sub.locations || []).length;
      if (sub.url.indexOf("#") > 0 && weight && (!best || weight > best.weight)) { best = { sub: sub, weight: weight }; }
    });
    var snippet = langOf(el("p", "snippet"), meta);
    if (best) {
      var where = el("a", "snippet-section", best.sub.title);
      where.href = local(best.sub.url);
      where.lang = document.documentElement.lang;
      where.dir = document.documentElement.dir;
      snippet.appendChild(where);
      snippet.appendChild(document.createTextNode(" "));
      excerpt(snippet, best.sub.excerpt, best.sub.title);
    } else if (meta.teaser) {
      snippet.appendChild(document.createTextNode(meta.teaser));
    }
    if (snippet.childNodes.length) { text.appendChild(snippet); }
    li.appendChild(text);
    if (meta.image) {
      var img = el("img", "thumb");
      img.src = local(meta.image);
      img.alt = meta.image_alt || "";
      img.loading = "lazy";
      li.appendChild(img);
    }
    return li;
  }

  function load() {
    if (engines) { return Promise.resolve(engines); }
    var base = document.baseURI;
    var map = fetch(new URL("search/facets.json", base).href).then(function (r) {
      if (!r.ok) { throw new Error("facets.json: " + r.status); }
      return r.json();
    });
    return Promise.all([map].concat(bundles.map(function (path) {
      return import(new URL(path + "pagefind.js", base).href).then(function (pagefind) {
        return pagefind.options({ excerptLength: 28 }).then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
    }))).then(function (loaded) { facets = loaded[0]; engines = loaded.slice(1); return engines; });
  }

  /* Whether a result's entry has every chosen facet value (search/facets.json: id → [order, values...]). */
  function matches(id, f) {
    var row = facets.entries[id];
    if (!row) { return false; }
    return facets.facets.every(function (key, i) { return !f[key] || row[i + 1].indexOf(f[key]) >= 0; });
  }

  /* Every bundle's results that pass the filters, one list: by relevance with a query, else in book order. */
  function ordered(results, f, byOrder) {
    var all = [];
    results.forEach(function (r) { r.results.forEach(function (x) { if (matches(x.id, f)) { all.push(x); } }); });
    all.sort(byOrder ? function (a, b) { return facets.entries[a.id][0] - facets.entries[b.id][0]; }
      : function (a, b) { return b.score - a.score || facets.entries[a.id][0] - facets.entries[b.id][0]; });
    var at = 0;
    return function () { return at < all.length ? all[at++].data() : Promise.resolve(null); };
  }

  function showMore() {
    var mine = generation;
    var fragment = document.createDocumentFragment();
    var shown = list.children.length;
    function next(k) {
      if (k >= PAGE || shown + k >= total) { return Promise.resolve(); }
      return cursor().then(function (data) {
        if (data && mine === generation) { fragment.appendChild(item(data)); return next(k + 1); }
      });
    }
    return next(0).then(function () {
      if (mine !== generation) { return; }
      list.appendChild(fragment);
      more.hidden = list.children.length >= total;
    });
  }

  function chosen() {
    var f = {};
    selects.forEach(function (s) { if (s.value) { f[s.name] = s.value; } });
    return f;
  }

  function remember(query, f) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    Object.keys(f).forEach(function (k) { params.set(k, f[k]); });
    var qs = params.toString();
    try { history.replaceState(null, "", qs ? "?" + qs : location.pathname); } catch (e) { /* ignore */ }
  }

  function run() {
    var query = input.value.trim();
    var f = chosen();
    var filtered = Object.keys(f).length > 0;
    var mine = ++generation;
    remember(query, f);
    list.textContent = "";
    more.hidden = true;
    if (!query && !filtered) { status.textContent = message("prompt"); return; }
    if (!engines) { status.textContent = message("loading"); }
    load().then(function (loaded) {
      return Promise.all(loaded.map(function (pf) { return pf.search(query || null); }));
    }).then(function (results) {
      if (mine !== generation) { return; }
      var next = ordered(results, f, !query);
      total = 0;
      results.forEach(function (r) { r.results.forEach(function (x) { if (matches(x.id, f)) { total += 1; } }); });
      cursor = next;
      var which = query ? "query" : "filters";
      status.textContent = message(total === 0 ? "none_" + which : "match_" + which, total, query);
      return showMore();
    }).catch(function () {
      if (mine !== generation) { return; }
      status.textContent = message("failed");
      document.getElementById("search-browse").hidden = false;
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (s) {
    var value = params.get(s.name);
    if (value && s.querySelector("option[value=\"" + CSS.escape(value) + "\"]")) { s.value = value; }
  });
  if (location.protocol === "file:" || !bundles.length) {
    /* browsers refuse to fetch the index from a disk: say so, and offer the indexes */
    form.hidden = true;
    status.textContent = "";
    document.getElementById("search-offline").hidden = false;
    document.getElementById("search-browse").hidden = false;
    return;
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
  selects.forEach(function (s) { s.addEventListener("change", run); });
  more.addEventListener("click", showMore);
  run();
}());

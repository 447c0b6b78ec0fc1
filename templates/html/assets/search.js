/* compendium search (compendium/render/html/search.py says how the index is made).

   - Every initiative is listed, in book order, before a word is typed; the filters narrow the list,
     each choice showing how many initiatives it would leave. Listing needs only search/facets.json
     and the initiatives' own records (Pagefind's fragments, read here): no search bundle.
   - A query loads the bundles whose scripts its letters are written in (search/<lang>/, each its
     own Pagefind module: a Latin query does not load the Arabic or the Chinese bundle).
   - Pagefind extends every word to the words it begins (police → policy) and, when none does, falls
     back to the longest indexed word the query word begins with (archive → a). So a result stands
     only when each word of the query is found, in some document of the initiative, as itself or as
     a form of it (Pagefind's exact search: the same stem: budgets → budget); the word still being
     typed (the last one, before a space or Enter) also counts its completions, unless Pagefind fell
     back to a much shorter word. A word of a script written without spaces (Chinese, Japanese,
     Thai) stands when the initiative's text holds it.
   - Snippets are made here, from the initiative's text and the places of the words that stood,
     marked; entries are untrusted: results are built from text nodes and <mark> elements only.
   - Pages opened from disk (file://) cannot load the index: the page then says so in plain words
     and offers the indexes instead. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) { return; }
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var browse = document.getElementById("search-browse");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var clear = document.getElementById("clear-filters");  /* none when the edition has no filters */
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var PAGE = 25;  /* cards shown at a time */
  var SPAN = 26;  /* words in a snippet (twice as many segments in a script without spaces) */
  var MESSAGES = { /* English, when the page gives none: see data-messages on the form in search.html */
    lang: "en",
    loading: "Loading the search\u2026",
    failed: "The search could not be loaded.",
    none_query: "No initiative matches \u201c{query}\u201d.",
    none_filters: "No initiative matches the filters {filters}.",
    none_query_filters: "No initiative matches \u201c{query}\u201d with the filters {filters}.",
    match_query: { one: "{n} initiative matches \u201c{query}\u201d.", other: "{n} initiatives match \u201c{query}\u201d." },
    match_filters: { one: "{n} initiative matches the filters {filters}.", other: "{n} initiatives match the filters {filters}." },
    match_query_filters: { one: "{n} initiative matches \u201c{query}\u201d with the filters {filters}.",
                           other: "{n} initiatives match \u201c{query}\u201d with the filters {filters}." },
    all: { one: "{n} initiative.", other: "All {n} initiatives, in the order of the book." }
  };
  try {
    var given = JSON.parse(form.dataset.messages || "{}");
    Object.keys(given).forEach(function (key) { MESSAGES[key] = given[key]; });
  } catch (e) { /* keep the English messages */ }
  var plurals = null;
  var numbers = null;
  try { plurals = new Intl.PluralRules(MESSAGES.lang); numbers = new Intl.NumberFormat(MESSAGES.lang); } catch (e) { /* no Intl */ }
  var bundles = [];
  try { bundles = JSON.parse(form.dataset.bundles || "[]"); } catch (e) { bundles = []; }
  var base = document.baseURI;
  var LETTER = /\p{L}/u;
  var SEGMENTED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
  var EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
  var SIGNATURE = "pagefind_dcd";

  var index = null;      /* search/facets.json, once loaded */
  var loadingIndex = null;
  var engines = {};      /* bundle path → promise of its Pagefind module */
  var queues = {};       /* bundle path → the last search asked of it: one at a time per instance */
  var fragments = {};    /* result id → promise of its record (url, content, meta, anchors) */
  var scriptTests = {};
  var shown = [];        /* the entries listed, in order: [entry, hits] */
  var timer = 0;
  var generation = 0;
  var lastFinished = true;

  /* --- words ---------------------------------------------------------------------------------------- */

  function fold(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  }

  function terms(query) {
    return query.split(/\s+/).map(function (t) { return t.replace(EDGE_PUNCTUATION, ""); })
      .filter(function (t) { return t.length > 0; });
  }

  function inScript(ch, code) {
    if (!(code in scriptTests)) {
      try { scriptTests[code] = new RegExp("\\p{Script=" + code + "}", "u"); } catch (e) { scriptTests[code] = null; }
    }
    return scriptTests[code] ? scriptTests[code].test(ch) : false;
  }

  /* The bundles that may hold a word: those written in the scripts of all its letters (every bundle
     for a word without letters, such as a year). */
  function bundlesFor(word) {
    var letters = Array.from(word).filter(function (c) { return LETTER.test(c); });
    if (!letters.length) { return bundles; }
    return bundles.filter(function (b) {
      return letters.every(function (c) { return b.scripts.some(function (code) { return inScript(c, code); }); });
    });
  }

  /* --- loading -------------------------------------------------------------------------------------- */

  function loadIndex() {
    if (!loadingIndex) {
      loadingIndex = fetch(new URL("search/facets.json", base).href).then(function (r) {
        if (!r.ok) { throw new Error("facets.json: " + r.status); }
        return r.json();
      }).then(function (data) { index = data; return data; });
    }
    return loadingIndex;
  }

  /* A Pagefind fragment (one document's record): gzip of the signature and JSON; read here so that
     listing needs no bundle. */
  function fragment(id) {
    if (!fragments[id]) {
      var where = index.ids[id];
      var url = new URL("search/" + index.bundles[where[1]] + "/fragment/" + id + ".pf_fragment", base).href;
      fragments[id] = fetch(url).then(function (r) {
        if (!r.ok) { throw new Error(id + ": " + r.status); }
        return r.arrayBuffer();
      }).then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        if (new TextDecoder().decode(bytes.slice(0, SIGNATURE.length)) === SIGNATURE) { return bytes; }
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
      }).then(function (bytes) {
        var record = JSON.parse(new TextDecoder().decode(bytes).slice(SIGNATURE.length));
        var spaced = record.content.indexOf("\u200b") < 0;  /* Pagefind's word places: as its excerpts count them */
        record.words = spaced ? record.content.split(/[\r\n\s]+/g) : record.content.split("\u200b");
        record.joiner = spaced ? " " : "";
        return record;
      });
    }
    return fragments[id];
  }

  /* A bundle's Pagefind, in a module of its own: Pagefind's WebAssembly (its stemmer is the
     bundle's language) is one per module, and so is its worker. */
  function engine(bundle) {
    if (!engines[bundle.path]) {
      engines[bundle.path] = import(new URL(bundle.path + "pagefind.js", base).href).then(function (pf) {
        /* Pagefind takes its language (which segments a Chinese query into words) from <html lang>
           when it starts: it is the bundle's for that moment only. */
        var root = document.documentElement;
        var lang = root.getAttribute("lang");
        root.setAttribute("lang", bundle.lang);
        try {
          pf.init();  /* starts at once: the language is read before this returns */
        } finally {
          root.setAttribute("lang", lang);
        }
        return pf;
      });
    }
    return engines[bundle.path];
  }

  /* One search on one bundle, after the searches asked of it before (an instance searches one at a time). */
  function ask(bundle, query) {
    var previous = queues[bundle.path] || Promise.resolve();
    var next = previous.catch(function () { return null; }).then(function () {
      return engine(bundle).then(function (pf) { return pf.search(query); });
    });
    queues[bundle.path] = next;
    return next;
  }

  /* --- matching ------------------------------------------------------------------------------------- */

  function stood(results) {  /* results with words on the page (not only in Pagefind's metadata) */
    return (results || []).filter(function (r) { return r.words && r.words.length; });
  }

  /* Whether Pagefind's matches for a word being typed are completions of it (keep them) or a shorter
     word it fell back to (archive → a, parking → par: drop them), judged on one result's words. */
  function completes(word, result) {
    var wanted = fold(word);
    var need = Math.min(wanted.length, Math.max(3, wanted.length - 3));
    return fragment(result.id).then(function (record) {
      return result.words.some(function (at) {
        var found = fold(record.words[at] || "");
        return [found.replace(/[^\p{L}\p{N}]+/gu, "")].concat(found.split(/[^\p{L}\p{N}]+/u)).some(function (part) {
          var n = 0;
          while (n < part.length && n < wanted.length && part[n] === wanted[n]) { n += 1; }
          return n >= need;
        });
      });
    });
  }

  /* The results of one word in one bundle that stand (see the top of this file): [{id, score, words}]. */
  function judge(word, typing, bundle) {
    var segmented = SEGMENTED.test(word);
    return Promise.all([ask(bundle, word), segmented ? null : ask(bundle, "\"" + word + "\"")]).then(function (found) {
      var prefix = stood(found[0] && found[0].results);
      var exact = stood(found[1] && found[1].results);
      var score = {};
      prefix.forEach(function (r) { score[r.id] = r.score; });
      var hit = function (r) { return { id: r.id, score: score[r.id] || r.score, words: r.words }; };
      if (segmented) {
        var wanted = fold(word).replace(/\s+/g, "");
        return Promise.all(prefix.map(function (r) {
          return fragment(r.id).then(function (record) {
            return fold(record.content).replace(/[\s\u200b]+/g, "").indexOf(wanted) >= 0 ? hit(r) : null;
          });
        })).then(function (hits) { return hits.filter(Boolean); });
      }
      if (!typing) { return exact.map(hit); }
      if (exact.length || !prefix.length) { return prefix.map(hit); }
      return completes(word, prefix[0]).then(function (yes) { return yes ? prefix.map(hit) : []; });
    });
  }

  /* Entries matching every word of `query`, by relevance: [[entry, {result id: [word places]}], ...]. */
  function find(query, finished) {
    var words = terms(query);
    var needed = bundles.filter(function (b) {
      return words.some(function (w) { return bundlesFor(w).indexOf(b) >= 0; });
    });
    if (needed.length && !needed.every(function (b) { return engines[b.path]; })) { say(message("loading")); }
    return Promise.all(needed.map(engine)).then(function () {
      return Promise.all(words.map(function (word, k) {
        var typing = !finished && k === words.length - 1;
        return Promise.all(bundlesFor(word).map(function (b) { return judge(word, typing, b); })).then(function (lists) {
          var byEntry = {};  /* entry → {score, hits} */
          lists.forEach(function (hits) {
            hits.forEach(function (h) {
              var where = index.ids[h.id];
              if (!where) { return; }
              var found = byEntry[where[0]] || (byEntry[where[0]] = { score: 0, hits: {} });
              found.score = Math.max(found.score, h.score);
              found.hits[h.id] = (found.hits[h.id] || []).concat(h.words);
            });
          });
          return byEntry;
        });
      }));
    }).then(function (perWord) {
      if (!perWord.length) { return []; }
      var out = [];
      Object.keys(perWord[0]).forEach(function (key) {
        if (!perWord.every(function (m) { return key in m; })) { return; }
        var hits = {};
        var score = 0;
        perWord.forEach(function (m) {
          score += m[key].score;
          Object.keys(m[key].hits).forEach(function (id) { hits[id] = (hits[id] || []).concat(m[key].hits[id]); });
        });
        out.push([Number(key), hits, score]);
      });
      out.sort(function (a, b) { return b[2] - a[2] || a[0] - b[0]; });
      return out.map(function (x) { return [x[0], x[1]]; });
    });
  }

  /* --- filters -------------------------------------------------------------------------------------- */

  function chosen() {
    var f = {};
    selects.forEach(function (s) { if (s.value) { f[s.name] = s.value; } });
    return f;
  }

  function has(entry, key, value) {
    var k = index.facets.indexOf(key);
    return k < 0 || index.entries[entry][k + 1].indexOf(value) >= 0;
  }

  function passes(entry, f, except) {
    return Object.keys(f).every(function (key) { return key === except || has(entry, key, f[key]); });
  }

  function number(n) { return numbers ? numbers.format(n) : String(n); }

  /* Each choice shows how many of the matches it would leave with the other filters (none: disabled). */
  function count(matches, f) {
    selects.forEach(function (s) {
      Array.prototype.forEach.call(s.options, function (option) {
        if (!option.value) { return; }
        var n = matches.filter(function (m) {
          return passes(m[0], f, s.name) && has(m[0], s.name, option.value);
        }).length;
        option.textContent = option.dataset.title + " (" + number(n) + ")";
        option.disabled = n === 0 && s.value !== option.value;
      });
    });
  }

  function filterNames(f) {
    var names = selects.filter(function (s) { return f[s.name]; }).map(function (s) {
      return s.dataset.label + ": " + s.options[s.selectedIndex].dataset.title;
    });
    try { return new Intl.ListFormat(MESSAGES.lang, { type: "conjunction" }).format(names); } catch (e) { return names.join(", "); }
  }

  /* --- showing -------------------------------------------------------------------------------------- */

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function message(key, n) {
    var text = MESSAGES[key];
    if (typeof text !== "string") {
      var category = plurals ? plurals.select(n) : "other";
      text = text[category] || (n === 1 && text.one) || text.other;
    }
    return text;
  }

  /* The status line: the message with its number, the query isolated in <bdi> (its direction may be
     the other one), the filters named. */
  function say(text, values) {
    status.textContent = "";
    text.split(/(\{(?:n|query|filters)\})/).forEach(function (part) {
      if (part === "{query}") { status.appendChild(el("bdi", "", values.query)); }
      else if (part === "{n}") { status.appendChild(document.createTextNode(number(values.n))); }
      else if (part === "{filters}") { status.appendChild(document.createTextNode(values.filters)); }
      else if (part) { status.appendChild(document.createTextNode(part)); }
    });
  }

  function langOf(node, meta) {
    if (meta.lang) { node.lang = meta.lang; }
    if (meta.dir) { node.dir = meta.dir; }
    return node;
  }

  function local(url) { return url.replace(/^\/+/, ""); }

  /* A snippet from one document: the part (a section, or the facts before the first one) where most
     of the found words are, about SPAN words around them, the words marked. */
  function snippet(node, record, places, href) {
    var words = record.words;
    var anchors = (record.anchors || []).slice().sort(function (a, b) { return a.location - b.location; });
    var parts = [{ from: 0, head: record.meta.title || "", anchor: null }].concat(anchors.map(function (a) {
      return { from: a.location, head: a.text, anchor: a };
    }));
    parts.forEach(function (p, i) { p.to = i + 1 < parts.length ? parts[i + 1].from : words.length; });
    var marked = {};
    places.forEach(function (at) { marked[at] = true; });
    var span = record.joiner ? SPAN : SPAN * 2;
    parts.forEach(function (p) {  /* a part's text starts after its heading (the title, before the sections) */
      var head = fold(p.head).replace(/[^\p{L}\p{N}]+/gu, "");
      var seen = "";
      p.body = p.from;
      while (head && p.body < p.to && seen.length < head.length) {
        seen += fold(words[p.body]).replace(/[^\p{L}\p{N}]+/gu, "");
        p.body += 1;
      }
    });
    /* the section with most of the words; the facts before the sections when no section has any */
    var best = null;
    parts.forEach(function (p) {
      var inside = places.filter(function (at) { return at >= p.body && at < p.to; });
      if (!inside.length) { return; }
      var kind = p.anchor ? 1 : 0;
      var bestKind = best && best.part.anchor ? 1 : 0;
      if (!best || kind > bestKind || (kind === bestKind && inside.length > best.places.length)) {
        best = { part: p, places: inside };
      }
    });
    if (!best) { return false; }
    var p = best.part;
    var body = p.body;
    var sorted = best.places.filter(function (at) { return at >= body; }).sort(function (a, b) { return a - b; });
    var first = sorted.length ? sorted[0] : body;
    var densest = 0;
    sorted.forEach(function (at) {
      var n = sorted.filter(function (x) { return x >= at && x < at + span; }).length;
      if (n > densest) { densest = n; first = at; }
    });
    var from = Math.max(body, Math.min(first - 4, p.to - span));
    var to = Math.min(p.to, from + span);
    if (p.anchor) {
      var where = el("a", "snippet-section", (MESSAGES.sections || {})[p.anchor.id] || p.anchor.text);
      where.href = href + "#" + p.anchor.id;
      where.lang = document.documentElement.lang;
      where.dir = document.documentElement.dir;
      node.appendChild(where);
      node.appendChild(document.createTextNode(" "));
    }
    if (from > body) { node.appendChild(document.createTextNode("\u2026")); }
    var text = "";
    var flush = function () { if (text) { node.appendChild(document.createTextNode(text)); text = ""; } };
    for (var at = from; at < to; at += 1) {
      var word = words[at] || "";
      if (at === body) { word = word.replace(/^[\s.,;:·]+/u, ""); }  /* what ended the heading */
      if (at > from) { text += record.joiner; }
      if (marked[at]) {
        var bare = word.replace(EDGE_PUNCTUATION, "");
        var start = word.indexOf(bare);
        text += word.slice(0, start);
        flush();
        node.appendChild(el("mark", "", bare));
        text = word.slice(start + bare.length);
      } else {
        text += word;
      }
    }
    if (at === from) { return false; }
    text = text.replace(/[\s.,;:·]+$/u, "");
    flush();
    node.appendChild(document.createTextNode("\u2026"));
    return true;
  }

  function card(entry, hits) {
    var primary = index.entries[entry][0];
    var ids = Object.keys(hits || {}).sort(function (a, b) {
      return hits[b].length - hits[a].length || (a === primary ? -1 : b === primary ? 1 : 0);
    });
    var needed = [fragment(primary)].concat(ids.length ? [fragment(ids[0])] : []);
    return Promise.all(needed).then(function (records) {
      var record = records[0];
      var meta = record.meta || {};
      var href = local(record.url);
      var li = el("li", "entry-card" + (meta.image ? " has-thumb" : ""));
      var text = el("div", "card-text");
      var heading = langOf(el("h2", "card-title"), meta);
      var a = el("a", "entry-link", meta.title || href);
      a.href = href;
      heading.appendChild(a);
      text.appendChild(heading);
      if (meta.gloss) { text.appendChild(el("p", "gloss", meta.gloss)); }
      var line = el("p", "entry-meta");
      if (meta.place) { line.appendChild(el("span", "place place-" + (meta.place_key || ""), meta.place)); }
      if (meta.year) { line.appendChild(document.createTextNode(", " + meta.year)); }  /* a site across editions */
      [meta.country, meta.institution, meta.theme].forEach(function (part, i) {
        if (!part) { return; }
        line.appendChild(document.createTextNode(" \u00b7 "));
        line.appendChild(i === 1 ? langOf(el("bdi", "", part), meta) : el("span", "", part));
      });
      text.appendChild(line);
      var found = ids.length ? records[records.length - 1] : null;
      var own = !found || ids[0] === primary;
      var note = el("p", "snippet");
      if (own) { langOf(note, meta); }
      if (!(found && snippet(note, found, hits[ids[0]], href)) && meta.teaser) {
        note = langOf(el("p", "snippet"), meta);
        note.appendChild(document.createTextNode(meta.teaser));
      }
      if (note.childNodes.length) { text.appendChild(note); }
      li.appendChild(text);
      if (meta.image) {
        var img = el("img", "thumb");
        img.src = local(meta.image);
        img.alt = meta.image_alt || "";
        img.loading = "lazy";
        li.appendChild(img);
      }
      return li;
    });
  }

  function showMore() {
    var mine = generation;
    var from = list.children.length;
    var batch = shown.slice(from, from + PAGE);
    return Promise.all(batch.map(function (m) { return card(m[0], m[1]); })).then(function (cards) {
      if (mine !== generation) { return; }
      var fragment = document.createDocumentFragment();
      cards.forEach(function (c) { fragment.appendChild(c); });
      list.appendChild(fragment);
      more.hidden = list.children.length >= shown.length;
    });
  }

  function remember(query, f) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    Object.keys(f).forEach(function (k) { params.set(k, f[k]); });
    var qs = params.toString();
    try { history.replaceState(null, "", qs ? "?" + qs : location.pathname); } catch (e) { /* ignore */ }
  }

  function run(finished) {
    lastFinished = finished;
    var query = input.value.trim();
    var f = chosen();
    var filtered = Object.keys(f).length > 0;
    var mine = ++generation;
    remember(query, f);
    if (clear) { clear.hidden = !filtered; }
    return loadIndex().then(function () {
      var words = terms(query);
      if (!words.length) {
        return index.entries.map(function (row, entry) { return [entry, null]; });
      }
      return find(query, finished);
    }).then(function (matches) {
      if (mine !== generation) { return; }
      count(matches, f);
      shown = matches.filter(function (m) { return passes(m[0], f, null); });
      var key = terms(query).length ? (filtered ? "query_filters" : "query") : (filtered ? "filters" : "");
      var values = { n: shown.length, query: query, filters: filterNames(f) };
      say(message(key ? (shown.length ? "match_" : "none_") + key : "all", shown.length), values);
      browse.hidden = shown.length > 0;
      list.textContent = "";
      more.hidden = true;
      return showMore();
    }).catch(function (error) {
      if (window.console) { console.error(error); }  /* for whoever looks at the page's console */
      if (mine !== generation) { return; }
      say(message("failed"), {});
      browse.hidden = false;
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (s) {
    var value = params.get(s.name);
    if (value && s.querySelector("option[value=\"" + CSS.escape(value) + "\"]")) { s.value = value; }
  });
  if (location.protocol === "file:" || !bundles.length || typeof DecompressionStream === "undefined") {
    /* browsers refuse to fetch the index from a disk: say so, and offer the indexes */
    form.hidden = true;
    status.textContent = "";
    document.getElementById("search-offline").hidden = false;
    browse.hidden = false;
    return;
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(true); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var finished = /\s$/.test(input.value);  /* the last word is still being typed until a space */
    timer = setTimeout(function () { run(finished); }, 200);
  });
  selects.forEach(function (s) { s.addEventListener("change", function () { run(lastFinished); }); });
  if (clear) {
    clear.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      run(lastFinished);
      input.focus();
    });
  }
  more.addEventListener("click", showMore);
  run(true);
}());

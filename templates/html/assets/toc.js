/* compendium: an entry page's "On this page" marks the section being read (aria-current="true"):
   the last section whose top has passed the upper third of the window, or the last one when the
   page is scrolled to its end. Without this script the list still works as plain links. */
(function () {
  "use strict";
  var lists = Array.prototype.slice.call(document.querySelectorAll("ol.sections"));
  if (!lists.length) { return; }
  var ids = Array.prototype.slice.call(lists[0].querySelectorAll("a[href^='#']")).map(function (a) {
    return a.getAttribute("href").slice(1);
  });
  var targets = ids.map(function (id) { return document.getElementById(id); }).filter(Boolean);
  var shown = null;
  var pending = false;

  function mark(id) {
    if (id === shown) { return; }
    shown = id;
    lists.forEach(function (list) {
      Array.prototype.forEach.call(list.querySelectorAll("a"), function (a) {
        if (a.getAttribute("href") === "#" + id) { a.setAttribute("aria-current", "true"); }
        else { a.removeAttribute("aria-current"); }
      });
    });
  }

  function update() {
    pending = false;
    var line = window.innerHeight / 3;
    var current = targets[0];
    targets.forEach(function (el) { if (el.getBoundingClientRect().top <= line) { current = el; } });
    var end = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    if (end) { current = targets[targets.length - 1]; }
    if (current) { mark(current.id); }
  }

  window.addEventListener("scroll", function () {
    if (!pending) { pending = true; window.requestAnimationFrame(update); }
  }, { passive: true });
  window.addEventListener("resize", update);
  update();
}());

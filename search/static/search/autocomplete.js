/* Header search: ARIA 1.2 combobox with a listbox popup (no inline script: the CSP forbids it).
   Keys: ArrowDown/ArrowUp move through the options, Enter opens the active option (or submits
   the query), Escape closes the list (a second Escape clears the box). */
(function () {
  "use strict";
  function setup(form) {
    var input = form.querySelector('[role="combobox"]');
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var url = form.getAttribute("data-kpo-autocomplete");
    var timer = null;
    var active = -1;
    var last = "";

    function options() { return list.querySelectorAll('[role="option"]'); }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function open() {
      if (!options().length) { close(); return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function highlight(index) {
      var opts = options();
      if (!opts.length) { return; }
      active = (index + opts.length) % opts.length;
      for (var i = 0; i < opts.length; i++) {
        opts[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function go(option) { window.location.assign(option.getAttribute("data-url")); }
    function fetchOptions() {
      var q = input.value.trim();
      if (q === last) { return; }
      last = q;
      if (q.length < 2) { list.innerHTML = ""; close(); return; }
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "text/html" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (input.value.trim() !== q) { return; }
          list.innerHTML = html;
          active = -1;
          input.removeAttribute("aria-activedescendant");
          open();
        })
        .catch(close);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchOptions, 200);
    });
    input.addEventListener("keydown", function (event) {
      var expanded = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!expanded) { open(); }
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) { open(); }
        highlight(active < 0 ? -1 : active - 1);
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) { event.preventDefault(); go(options()[active]); }
      } else if (event.key === "Escape") {
        if (expanded) { event.preventDefault(); close(); } else { input.value = ""; last = ""; }
      }
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) { go(option); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }
  document.querySelectorAll("form[data-kpo-autocomplete]").forEach(setup);
})();

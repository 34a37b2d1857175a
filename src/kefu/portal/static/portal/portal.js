// Suggestions while typing for inputs with data-suggest (the portal knowledge API).
// The API's html is safe markup (escaped text, only <mark>); everything else is text.
(function () {
  "use strict";
  function setup(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null, active = -1, items = [];
    function render(rows) {
      list.textContent = "";
      items = rows;
      active = -1;
      rows.forEach(function (row, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        li.innerHTML = row.html;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); go(i); });
        list.appendChild(li);
      });
      input.setAttribute("aria-expanded", rows.length ? "true" : "false");
    }
    function go(i) { window.location.href = "/portal/knowledge/" + items[i].id + "/"; }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) {
        li.setAttribute("aria-selected", j === i ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", i >= 0 ? list.id + "-" + i : "");
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { render([]); return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (rows) { if (input.value.trim() === q) render(rows); })
          .catch(function () { render([]); });
      }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (!items.length) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); go(active); }
      else if (e.key === "Escape") { render([]); }
    });
    input.addEventListener("blur", function () { setTimeout(function () { render([]); }, 100); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(setup);
})();

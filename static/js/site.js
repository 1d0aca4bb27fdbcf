// Progressive enhancement only: the pages work without it.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});

// "Udskriv" buttons only work with JavaScript, so they are hidden until it runs.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});

// Search-and-pick as a combobox (WAI-ARIA 1.2, list autocomplete): suggestions from the
// typo-tolerant lookup while typing; arrow keys move, Enter or a click adds the suggestion at
// once. Nothing is chosen until the person chooses. Without a chosen suggestion, Enter runs
// the same search as the "Søg" button, so it never moves on to the next step. Without
// JavaScript the page works the same with "Søg", a list to pick from, and "Tilføj".
document.addEventListener("DOMContentLoaded", function () {
  var lang = document.documentElement.lang === "en" ? "en" : "da";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var kind = input.getAttribute("data-suggest");
    var searchButton = input.closest(".search-row").querySelector("button[value^='search:']");
    if (kind !== "occupation" && kind !== "skill" && kind !== "education") {
      // The suggest API does not serve courses: Enter searches with the button.
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          searchButton.click();
        }
      });
      return;
    }
    combobox(input, kind, searchButton, lang);
  });
});

function combobox(input, kind, searchButton, lang) {
  var what = input.getAttribute("data-what");
  var list = document.createElement("ul");
  list.id = input.id + "-listbox";
  list.className = "combobox-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.getAttribute("data-list-label"));
  list.hidden = true;
  input.parentNode.appendChild(list);
  var status = document.createElement("div");
  status.className = "sr-only";
  status.setAttribute("role", "status");
  input.parentNode.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var items = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role='option']");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(results) {
    items = results;
    list.textContent = "";
    results.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = item.label;
      if (item.matched && item.matched !== item.label) {
        var alias = document.createElement("span");
        alias.className = "form-hint";
        alias.textContent = " (" + item.matched + ")";
        option.appendChild(alias);
      }
      // mousedown, not click: the input keeps the focus until the choice is sent.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(i);
      });
      list.appendChild(option);
    });
    active = -1;
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    status.textContent = results.length
      ? input.getAttribute("data-found").replace("{count}", results.length)
      : input.getAttribute("data-none");
  }

  // Adding is a normal form post of the chosen code, as "Tilføj" sends it without JavaScript.
  function choose(index) {
    var item = items[index];
    var form = input.form;
    form.querySelectorAll("input[name='" + what + "-pick']").forEach(function (pick) {
      pick.checked = false;
    });
    var pick = document.createElement("input");
    pick.type = "hidden";
    pick.name = what + "-pick";
    pick.value = item.code;
    form.appendChild(pick);
    var add = document.createElement("button");
    add.type = "submit";
    add.name = "action";
    add.value = "add:" + what;
    add.hidden = true;
    form.appendChild(add);
    input.value = "";
    close();
    form.requestSubmit(add);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 2) {
      close();
      return;
    }
    timer = setTimeout(function () {
      var number = ++asked;
      var url = "/api/v1/suggest?kind=" + kind + "&limit=8&lang=" + lang +
        "&q=" + encodeURIComponent(query);
      fetch(url, { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (number === asked) {  // an answer to an older query is dropped
            show(body.results);
          }
        })
        .catch(function () { /* the Søg button still works */ });
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length > 0;
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      if (!open) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (open && active >= 0) {
        choose(active);
      } else {
        searchButton.click();
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", function () { close(); });
}

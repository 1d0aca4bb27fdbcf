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

// Typeahead: suggestions from the typo-tolerant lookup while typing. Without JavaScript
// the same search works with the "Søg" button and a list to pick from.
document.addEventListener("DOMContentLoaded", function () {
  var lang = document.documentElement.lang === "en" ? "en" : "da";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var kind = input.getAttribute("data-suggest");
    // Enter in a search box searches, instead of moving on to the next step.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var button = input.parentNode.querySelector("button[value^='search:']");
        if (button) {
          button.click();
        }
      }
    });
    if (kind !== "occupation" && kind !== "skill" && kind !== "education") {
      return;  // the suggest API serves these; courses are found with the button
    }
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) {
        return;
      }
      timer = setTimeout(function () {
        var url = "/api/v1/suggest?kind=" + kind + "&limit=8&lang=" + lang +
          "&q=" + encodeURIComponent(query);
        fetch(url, { headers: { "Accept": "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (body) {
            list.textContent = "";
            body.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* the Søg button still works */ });
      }, 150);
    });
  });
});

// The import run page: the progress bar follows the run, and the page reloads once the run
// has finished to show its report. Without JavaScript the "Opdatér status" link does this.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-import-status]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-import-status");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var announce = box.querySelector("[data-progress-announce]");
  var lastQuarter = -1;

  function show(state) {
    if (state.total) {
      bar.max = state.total;
      bar.value = state.done;
    }
    text.textContent = state.text;
    bar.textContent = state.text;
    // A screen reader hears each quarter, not every poll.
    var quarter = state.percent === null ? -1 : Math.floor(state.percent / 25);
    if (quarter > lastQuarter && quarter > 0) {
      announce.textContent = state.text;
    }
    lastQuarter = Math.max(lastQuarter, quarter);
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) {
          window.setTimeout(poll, 5000);
          return;
        }
        if (state.finished) {
          window.location.reload();
          return;
        }
        show(state);
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 2000);
});

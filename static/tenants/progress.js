// The sign-up progress page: follows the setup through its status endpoint and moves the step list along;
// goes to the new space when it is ready, reloads to show a failure. Without JavaScript a <noscript> meta
// refresh reloads the page instead.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var now = document.getElementById("progress-now");

  function render(data) {
    data.steps.forEach(function (step) {
      var item = box.querySelector('[data-step="' + step.key + '"]');
      if (!item) {
        return;
      }
      item.className = "step step--" + step.state;
      var state = item.querySelector(".step__state");
      if (state) {
        state.textContent = "(" + box.getAttribute("data-label-" + step.state) + ")";
      }
      if (step.state === "current" && now) {
        now.textContent = step.label + "…";
      }
    });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        render(data);
        if (data.status === "ready" && data.next_url) {
          if (now) {
            now.textContent = data.status_label;
          }
          window.setTimeout(function () { window.location.assign(data.next_url); }, 800);
        } else if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  poll();
})();

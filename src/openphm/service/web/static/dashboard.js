// openphm dashboard: draws the Plotly figures the server sends, and acknowledges alarms.
(function () {
  "use strict";

  function draw(root) {
    root.querySelectorAll(".plot[data-figure]").forEach(function (div) {
      if (div.dataset.drawn) return;
      var figure = JSON.parse(div.dataset.figure);
      div.dataset.drawn = "1";
      // A responsive plot fills its div: give the div the figure's height first.
      if (figure.layout && figure.layout.height) div.style.height = figure.layout.height + "px";
      Plotly.newPlot(div, figure.data, figure.layout, {
        responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"],
      });
    });
  }

  function flash(text) {
    var box = document.getElementById("flash");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    window.setTimeout(function () { box.hidden = true; }, 6000);
  }

  // Sends an element's parameters as a JSON body (the API takes JSON, not forms).
  htmx.defineExtension("json-body", {
    onEvent: function (name, evt) {
      if (name === "htmx:configRequest") evt.detail.headers["Content-Type"] = "application/json";
    },
    encodeParameters: function (xhr, parameters) {
      var body = {};
      parameters.forEach(function (value, key) { body[key] = value; });
      xhr.overrideMimeType("text/json");
      return JSON.stringify(body);
    },
  });

  // After a POST to the API, fetch the row again so that it shows the new state in place.
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    var elt = evt.detail.elt;
    if (!elt.dataset || !elt.dataset.rowUrl) return;
    if (evt.detail.successful) {
      htmx.ajax("GET", elt.dataset.rowUrl, { target: elt.dataset.row, swap: "outerHTML" });
      return;
    }
    var reason = "the request failed (" + evt.detail.xhr.status + ")";
    try { reason = JSON.parse(evt.detail.xhr.responseText).detail || reason; } catch (e) { /* not JSON */ }
    flash("Not done: " + reason);
  });

  document.body.addEventListener("htmx:afterSwap", function (evt) { draw(evt.detail.target); });
  draw(document);
})();

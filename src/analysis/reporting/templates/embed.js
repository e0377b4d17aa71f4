// Draws every chart of the page from its Vega-Lite spec, with the Vega libraries inlined above: no network.
(function () {
  var figures = document.querySelectorAll("figure.chart[data-spec]");
  for (var i = 0; i < figures.length; i++) {
    var figure = figures[i];
    var spec = JSON.parse(document.getElementById(figure.getAttribute("data-spec")).textContent);
    var target = figure.querySelector(".vis");
    window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(
      function (target) { return function () { target.setAttribute("data-drawn", "true"); }; }(target),
      function (target) { return function (err) { target.textContent = "This chart could not be drawn: see the data table below."; target.setAttribute("data-error", String(err)); }; }(target)
    );
  }
})();

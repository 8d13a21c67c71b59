// Draw every chart of the page from its embedded Vega-Lite spec, with the Vega libraries
// inlined once above: nothing is fetched, and tooltips come from vega-embed's handler.
document.querySelectorAll("script.vega-spec").forEach((node) => {
  const target = document.getElementById(node.dataset.target);
  vegaEmbed(target, JSON.parse(node.textContent), { actions: false, renderer: "svg" })
    .then(() => target.setAttribute("data-rendered", "true"))
    .catch((error) => { target.textContent = "Chart could not be drawn: " + error; });
});

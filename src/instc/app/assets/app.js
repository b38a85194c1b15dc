// The instc web app: the corridor map for a year and panels that follow the year.
// A panel is {update: function (year) -> Promise}; PANELS lists them. Two views share the
// year and scenario selectors: "Routes & network" and "Capacity" (loads and bottlenecks).
(function () {
  "use strict";
  var MODE_COLORS = {rail_1520: "#b2182b", rail_1435: "#e08214", rail_1676: "#8c510a",
                     road: "#636363", caspian_sea: "#2166ac", deep_sea: "#4393c3",
                     inland_water: "#1b7837"};
  var root = document.getElementById("app");
  var yearSelect = document.getElementById("year");
  var status = document.getElementById("status");

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }
  function getJSON(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { return r.json().then(function (e) { throw new Error(e.error || r.statusText); }); }
      return r.json();
    });
  }
  function table(caption, rows, columns) {
    var head = columns.map(function (c) { return "<th>" + esc(c[0]) + "</th>"; }).join("");
    var body = rows.map(function (r) {
      return "<tr>" + columns.map(function (c) { return "<td>" + esc(c[1](r)) + "</td>"; }).join("") + "</tr>";
    }).join("");
    return "<table><caption>" + esc(caption) + "</caption><thead><tr>" + head +
      "</tr></thead><tbody>" + body + "</tbody></table>";
  }
  function num(v, d) {
    return v === null || v === undefined ? "" : Number(v).toLocaleString("en", {maximumFractionDigits: d || 0});
  }

  var map = L.map("map", {zoomSnap: 0.25});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Country outlines: Natural Earth · Leaflet");
  map.fitBounds([[17, 26], [62, 76]]);
  L.control.scale({imperial: false}).addTo(map);
  var network = null;
  var control = null;

  getJSON("/assets/countries-50m.json").then(function (topo) {
    L.geoJSON(topojson.feature(topo, topo.objects.countries), {
      interactive: false,
      style: {color: "#9a9a9a", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}
    }).addTo(map).bringToBack();
  });

  // A link much longer than the straight line between its ends (the all-sea routes
  // round Europe and Africa) would be drawn across land: leave it off, as the report does.
  var STRAIGHT_LINE_LIMIT = 2.0;
  function greatCircleKm(a, b) {
    var r = Math.PI / 180, p1 = a[1] * r, p2 = b[1] * r;
    var h = Math.pow(Math.sin((p2 - p1) / 2), 2) +
            Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin((b[0] - a[0]) * r / 2), 2);
    return 2 * 6371 * Math.asin(Math.sqrt(Math.min(1, h)));
  }
  function drawable(f) {
    var c = f.geometry.coordinates;
    return f.properties.distance_km <= STRAIGHT_LINE_LIMIT * greatCircleKm(c[0], c[c.length - 1]);
  }

  function drawNetwork(fc, year) {
    if (network) { network.remove(); }
    if (control) { control.remove(); }
    var inService = fc.features.filter(function (f) { return f.properties.layer === "links"; });
    var links = inService.filter(drawable);
    var nodes = fc.features.filter(function (f) { return f.properties.layer === "nodes"; });
    var overlays = {};
    network = L.layerGroup().addTo(map);
    Object.keys(MODE_COLORS).forEach(function (mode) {
      var mine = links.filter(function (f) { return f.properties.mode === mode; });
      if (!mine.length) { return; }
      var layer = L.geoJSON({type: "FeatureCollection", features: mine}, {
        style: {color: MODE_COLORS[mode], weight: 3, opacity: 0.9, className: "network-link",
                dashArray: mode.indexOf("sea") >= 0 ? "6 4" : null},
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindPopup("<b>" + esc(p.id) + "</b> " + esc(p.from) + " – " + esc(p.to) + "<br>" +
                      esc(p.mode) + ", " + num(p.distance_km) + " km");
        }
      });
      layer.addTo(network);
      overlays["<i style='background:" + MODE_COLORS[mode] + "'></i>" + esc(mode)] = layer;
    });
    var nodeLayer = L.geoJSON({type: "FeatureCollection", features: nodes}, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: f.properties.kind === "port" ? 6 : 4, color: "#333",
          weight: 1, fillColor: f.properties.kind === "port" ? "#2166ac" : "#fff", fillOpacity: 1});
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(esc(f.properties.name));
        l.on("click", function () { pickNode(f.properties.name); });
      }
    }).addTo(network);
    overlays.nodes = nodeLayer;
    control = L.control.layers(null, overlays, {collapsed: false}).addTo(map);
    root.dataset.links = String(inService.length);
    root.dataset.drawn = String(links.length);
    root.dataset.nodes = String(nodes.length);
  }

  var summaryPanel = {
    body: document.querySelector("#panel-summary .panel-body"),
    update: function (year) {
      var self = this;
      return getJSON("/api/summary?year=" + year).then(function (s) {
        self.body.innerHTML =
          table("Elements in service", s.overview, [["", function (r) { return r.item; }],
                                                    ["count", function (r) { return num(r.count); }]]) +
          table("Border crossings", s.borders, [["name", function (r) { return r.name; }],
                                                ["dwell h", function (r) { return num(r.hours, 1); }],
                                                ["USD/t", function (r) { return num(r.usd_per_t, 1); }]]) +
          table("Projects", s.projects, [["year", function (r) { return r.year; }],
                                         ["project", function (r) { return r.name; }],
                                         ["open", function (r) { return r.open_in_year ? "yes" : "no"; }]]);
      });
    }
  };
  // Route panel: origin and destination from the search boxes or by clicking nodes
  // (first click: origin, second: destination); the cheapest route is drawn on the map,
  // its itinerary listed, and every branch compared with the all-sea routes.
  var originBox = document.getElementById("origin");
  var destBox = document.getElementById("destination");
  var cargoSelect = document.getElementById("cargo");
  var scenarioSelect = document.getElementById("scenario");
  var routeError = document.getElementById("route-error");
  var routeLayer = L.layerGroup().addTo(map);
  var nextEnd = "origin";
  function query(year) {
    var params = new URLSearchParams({origin: originBox.value, destination: destBox.value,
                                      year: String(year), cargo: cargoSelect.value || "container"});
    if (scenarioSelect.value) { params.set("scenario", scenarioSelect.value); }
    return params.toString();
  }
  function drawRoute(fc, color, weight) {
    var drawn = {type: "FeatureCollection",
                 features: fc.features.filter(function (f) { return f.properties.drawn; })};
    return L.geoJSON(drawn, {style: {color: color, weight: weight, opacity: 0.9, className: "route-leg"},
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindTooltip(esc(p.from) + " – " + esc(p.to) + " (" + esc(p.mode) + ", " + num(p.km) + " km)");
      }}).addTo(routeLayer);
  }
  function errorText(e) { return e.message || String(e); }
  var routePanel = {
    update: function (year) {
      if (!originBox.value || !destBox.value) { return Promise.resolve(); }
      routeError.textContent = "";
      var q = query(year);
      return Promise.all([getJSON("/api/route?" + q), getJSON("/api/compare?" + q)]).then(function (res) {
        var it = res[0], cmp = res[1];
        routeLayer.clearLayers();
        var unit = it.unit;
        var tot = {};
        it.totals.forEach(function (t) { tot[t.quantity] = t; });
        var money = unit === "TEU" ? "usd_per_teu" : "usd_per_t";
        function rng(t, d) { return num(t.central, d) + " (" + num(t.low, d) + "–" + num(t.high, d) + ")"; }
        document.getElementById("route-totals").innerHTML =
          "<p class='route-summary'><b>" + esc(it.origin_name) + " → " + esc(it.destination_name) + "</b>, " +
          esc(it.cargo) + ", " + year + (it.scenario ? ", scenario " + esc(it.scenario) : "") + ": " +
          rng(tot.days, 1) + " days, " + rng(tot[money], 0) + " USD/" + esc(unit) + ", " +
          num(tot.km.central) + " km</p>";
        var rows = cmp.routes.filter(function (r) { return r.status === "ok"; });
        document.getElementById("route-compare").innerHTML = table(
          "Branches and all-sea routes, " + year, rows,
          [["#", function (r) { return r.rank; }], ["route", function (r) { return r.route; }],
           ["days", function (r) { return num(r.days, 1); }],
           ["USD/" + unit, function (r) { return num(r[money]); }],
           ["km", function (r) { return num(r.km); }]]);
        // The other branches thin and grey, the cheapest route thick on top.
        Object.keys(cmp.geometry).forEach(function (label) {
          if (label.indexOf("(") < 0) { drawRoute(cmp.geometry[label], "#555", 3); }
        });
        drawRoute(it.geometry, "#ff00aa", 7).bringToFront();
        var legs = it.steps;
        document.getElementById("route-steps").innerHTML = table(
          "Itinerary (cheapest by generalized cost)", legs,
          [["#", function (r) { return r.seq; }],
           ["step", function (r) {
             return r.kind === "link" ? r.from_name + " → " + r.to_name :
               (r.transfer_kind || r.kind).replace(/_/g, " ") + " at " + r.to_name; }],
           ["mode", function (r) { return r.kind === "link" ? r.mode : r.from_mode + " → " + r.to_mode; }],
           ["km", function (r) { return num(r.km); }], ["h", function (r) { return num(r.hours, 1); }],
           ["USD/" + unit, function (r) { return num(unit === "TEU" ? r.usd_teu : r.usd_t); }],
           ["border", function (r) { return r.border_name || ""; }]]);
        root.dataset.route = it.via.join(" ");
        root.dataset.routeYear = String(year);
        root.dataset.routeLegs = String(it.geometry.features.length);
      }, function (err) {
        routeLayer.clearLayers();
        routeError.textContent = errorText(err);
        root.dataset.route = "";
      });
    }
  };

  // Capacity view: the all-or-nothing loads of a demand scenario (the scenario selector's,
  // baseline when it says "corridor as is") drawn on the map, width by tonnes and colour by
  // utilisation; the throughput figures, the bottleneck table and CSV downloads.
  var capacityLayer = L.layerGroup();
  var capacityLegend = L.control({position: "bottomleft"});
  capacityLegend.onAdd = function () { return L.DomUtil.create("div", "capacity-legend legend"); };
  var capacityView = document.getElementById("view-capacity");
  var capacityError = document.getElementById("capacity-error");
  function pct(v) { return v === null || v === undefined ? "" : num(100 * v) + " %"; }
  function mt(v) { return v === null || v === undefined ? "not declared" : num(v / 1e6, 1); }
  function capacityScenario() { return scenarioSelect.value || "baseline"; }
  function swatch(color) { return "<i class='swatch' style='background:" + esc(color) + "'></i>"; }
  var capacityPanel = {
    seen: null,
    pending: null,
    asked: 0,
    update: function (year) {
      if (capacityView.hidden) { return Promise.resolve(); }
      var scenario = capacityScenario();
      var key = scenarioSelect.value + " " + scenario + " " + year;
      if (this.seen === key) { return Promise.resolve(); }
      if (this.pending && this.pending.key === key) { return this.pending.promise; }
      var self = this;
      var asked = ++self.asked;
      var q = new URLSearchParams({year: String(year), scenario: scenario}).toString();
      ["loads", "bottlenecks"].forEach(function (k) {
        document.getElementById("dl-capacity-" + k).href = "/api/capacity/" + k + ".csv?" + q;
      });
      capacityError.textContent = "";
      var promise = getJSON("/api/capacity?" + q).then(function (c) {
        if (asked !== self.asked) { return; }  // a later year or scenario was asked for
        self.seen = key;
        self.pending = null;
        var colors = {};
        c.classes.forEach(function (k) { colors[k.key] = k.color; });
        var t = c.throughput;
        document.getElementById("capacity-scenario").innerHTML =
          "Scenario <b>" + esc(c.scenario) + "</b>" + (scenarioSelect.value ? "" : " (the scenario selector's " +
          "“corridor as is” with the baseline demand)") + ": " + esc(c.description) +
          " <span class='muted'>Scenario years: " + esc(c.scenario_years.join(", ")) + ".</span>";
        document.getElementById("capacity-throughput").innerHTML = table(
          "Throughput in " + c.year, [
            ["demand", mt(t.demand_t) + " Mt"], ["routed", mt(t.routed_t) + " Mt"],
            ["unrouted (no route)", mt(t.unrouted_t) + " Mt"],
            ["elements over capacity", num(t.overloaded_elements)],
            ["bottlenecks (≥ " + pct(c.bottleneck_utilisation) + ", per direction)", num(t.bottleneck_rows)]]
            .concat(t.carried_t === undefined ? [] : [
              ["carried under hard capacities", mt(t.carried_t) + " Mt"],
              ["unserved under hard capacities", mt(t.unserved_t) + " Mt"]])
            .concat((t.ceilings || []).map(function (g) {
              return ["throughput ceiling, " + g.direction + " direction",
                      g.ceiling_t === null ? "unbounded" : mt(g.ceiling_t) + " Mt"];
            })),
          [["", function (r) { return r[0]; }], ["", function (r) { return r[1]; }]]);
        document.getElementById("capacity-note").textContent = c.note;
        var legend = "<b>Utilisation</b> (busier direction):<br>" + c.classes.map(function (k) {
            return "<span>" + swatch(k.color) + esc(k.label) + "</span>";
          }).join("<br>") + "<br><b>Width</b>: tonnes a year,<br>both directions.<br>Circles: transfers " +
          "and<br>border crossings.";
        var box = capacityLegend.getContainer();
        if (box) { box.innerHTML = legend; }
        var rows = c.bottlenecks;
        document.getElementById("capacity-bottlenecks").innerHTML = rows.length ? table(
          "Bottlenecks in " + c.year + " (utilisation ≥ " + pct(c.bottleneck_utilisation) + ")", rows,
          [["element (direction)", function (r) { return r.label; }],
           ["Mt/yr", function (r) { return mt(r.tonnes); }],
           ["capacity", function (r) { return mt(r.capacity_t); }],
           ["use", function (r) { return pct(r.utilisation); }]]) :
          "<p>No element at or above " + pct(c.bottleneck_utilisation) + " utilisation in " + c.year + ".</p>";
        document.querySelectorAll("#capacity-bottlenecks tbody tr").forEach(function (tr, i) {
          tr.firstChild.insertAdjacentHTML("afterbegin", swatch(colors[rows[i]["class"]]));
        });
        document.getElementById("capacity-unrouted").innerHTML = c.unrouted.length ? table(
          "Demand with no route", c.unrouted,
          [["from", function (r) { return r.origin; }], ["to", function (r) { return r.destination; }],
           ["cargo", function (r) { return r.cargo; }], ["Mt", function (r) { return mt(r.tonnes); }],
           ["why", function (r) { return r.reason; }]]) : "";
        drawLoads(c.geometry);
        root.dataset.capacityBottlenecks = String(rows.length);
        root.dataset.capacityScenario = c.scenario;
        root.dataset.capacityYear = String(c.year);
      }, function (err) {
        if (asked !== self.asked) { return; }
        self.seen = null;
        self.pending = null;
        capacityLayer.clearLayers();
        capacityError.textContent = errorText(err);
        root.dataset.capacityYear = "";
      });
      self.pending = {key: key, promise: promise};
      return promise;
    }
  };
  function loadTooltip(p) {
    var dirs = p.directions.map(function (d) {
      return esc(d.from) + " → " + esc(d.to) + ": " + mt(d.tonnes) + " Mt" +
        (d.utilisation === null ? "" : " (" + pct(d.utilisation) + ")");
    }).join("<br>");
    return "<b>" + esc(p.label) + "</b><br>" + mt(p.tonnes) + " Mt/year, capacity " + mt(p.capacity_t) +
      (p.capacity_t === null ? "" : " Mt/year, utilisation " + pct(p.utilisation)) + "<br>" + dirs;
  }
  function drawLoads(fc) {
    capacityLayer.clearLayers();
    var drawn = fc.features.filter(function (f) { return f.properties.drawn; });
    L.geoJSON({type: "FeatureCollection", features: drawn}, {
      // Leaflet styles the circles with this function too.
      style: function (f) {
        var p = f.properties;
        if (f.geometry.type === "Point") {
          return {color: "#222", weight: 1, fillColor: p.color, fillOpacity: 1, opacity: 1,
                  className: "load-point load-" + p["class"]};
        }
        return {color: p.color, weight: p.width, opacity: 0.9, lineCap: "butt",
                className: "load-line load-" + p["class"]};
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: f.properties.kind === "transfer" ? 7 : 5});
      },
      onEachFeature: function (f, l) { l.bindTooltip(loadTooltip(f.properties)); }
    }).addTo(capacityLayer);
    root.dataset.capacityLines = String(drawn.filter(function (f) {
      return f.geometry.type === "LineString"; }).length);
  }

  // The two views: the capacity view draws the loads over a greyed network and hides routes.
  var tabs = {routes: document.getElementById("tab-routes"), capacity: document.getElementById("tab-capacity")};
  function showView(name) {
    Object.keys(tabs).forEach(function (k) {
      tabs[k].setAttribute("aria-selected", String(k === name));
      document.getElementById("view-" + k).hidden = k !== name;
    });
    var capacity = name === "capacity";
    document.getElementById("map").classList.toggle("capacity-mode", capacity);
    if (capacity) {
      routeLayer.remove(); capacityLayer.addTo(map); capacityLegend.addTo(map);
      history.replaceState(null, "", "#capacity");
      return capacityPanel.update(Number(yearSelect.value));
    }
    capacityLayer.remove(); capacityLegend.remove(); routeLayer.addTo(map);
    history.replaceState(null, "", location.pathname + location.search);
    return Promise.resolve();
  }
  Object.keys(tabs).forEach(function (k) {
    tabs[k].addEventListener("click", function () { showView(k); });
  });

  var PANELS = [summaryPanel, routePanel, capacityPanel];

  function pickNode(name) {
    if (nextEnd === "origin") { originBox.value = name; nextEnd = "destination"; }
    else { destBox.value = name; nextEnd = "origin"; routePanel.update(Number(yearSelect.value)); }
  }
  var matchTimer = null;
  [originBox, destBox].forEach(function (box) {
    box.addEventListener("input", function () {
      clearTimeout(matchTimer);
      if (!box.value) { return; }
      matchTimer = setTimeout(function () {
        getJSON("/api/match?q=" + encodeURIComponent(box.value)).then(function (hits) {
          document.getElementById("node-list").innerHTML = hits.map(function (h) {
            return "<option value=\"" + esc(h.name) + "\">" + esc(h.id) + "</option>";
          }).join("");
        });
      }, 150);
    });
  });
  getJSON("/api/cargo").then(function (classes) {
    cargoSelect.innerHTML = classes.map(function (c) {
      return "<option value=\"" + esc(c.id) + "\">" + esc(c.id.replace(/_/g, " ")) + " (" + esc(c.unit) + ")</option>";
    }).join("");
  });
  getJSON("/api/scenarios").then(function (list) {
    list.forEach(function (s) {
      var o = document.createElement("option");
      o.value = s.name; o.textContent = s.name; o.title = s.description;
      scenarioSelect.appendChild(o);
    });
  });
  [cargoSelect, scenarioSelect].forEach(function (el) {
    el.addEventListener("change", function () { routePanel.update(Number(yearSelect.value)); });
  });
  scenarioSelect.addEventListener("change", function () { capacityPanel.update(Number(yearSelect.value)); });

  function showYear(year) {
    status.textContent = "loading " + year + "…";
    document.querySelectorAll(".year-label").forEach(function (e) { e.textContent = year; });
    ["geojson", "links", "nodes"].forEach(function (k) {
      var a = document.getElementById("dl-" + k);
      a.href = a.href.replace(/year=\d+/, "year=" + year);
    });
    var work = [getJSON("/api/geojson?year=" + year).then(function (fc) { drawNetwork(fc, year); })];
    PANELS.forEach(function (p) { work.push(p.update(year)); });
    return Promise.all(work).then(function () {
      root.dataset.year = String(year);
      status.textContent = "";
    }, function (err) {
      status.textContent = "error: " + err.message;
    });
  }

  document.getElementById("controls").addEventListener("submit", function (e) {
    e.preventDefault();
    routePanel.update(Number(yearSelect.value));
  });
  yearSelect.addEventListener("change", function () { showYear(Number(yearSelect.value)); });
  if (location.hash === "#capacity") { showView("capacity"); }
  showYear(Number(yearSelect.value));
})();

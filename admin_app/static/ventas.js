// Autocomplete for the sales forms. Without JavaScript the plain inputs
// (documento_cliente, id_apartamento, id_venta) still work.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function mostrarReglas(reglas) {
    var lista = document.getElementById("reglas-lista");
    if (!lista) { return; }
    lista.textContent = "";
    (reglas || []).forEach(function (texto) {
      var li = document.createElement("li");
      li.textContent = texto;
      lista.appendChild(li);
    });
  }

  function iniciar(caja) {
    var entrada = caja.querySelector("input[type=search]");
    var resultados = caja.querySelector(".autocompletar-resultados");
    var destino = document.getElementById(caja.dataset.destino);
    var etiqueta = document.getElementById(caja.dataset.etiqueta);
    var proyecto = caja.dataset.proyecto ? document.getElementById(caja.dataset.proyecto) : null;

    function elegir(item) {
      destino.value = item.id;
      if (etiqueta) { etiqueta.textContent = item.text; }
      entrada.value = "";
      resultados.textContent = "";
      if (item.precio) {
        var total = document.getElementById("valor_total");
        if (total) { total.placeholder = "$ " + Number(item.precio).toLocaleString("es-CO"); }
      }
      if (item.reglas) { mostrarReglas(item.reglas); }
    }

    var buscar = debounce(function () {
      var q = entrada.value.trim();
      var url = caja.dataset.url + "?q=" + encodeURIComponent(q);
      if (proyecto) {
        if (!proyecto.value) { resultados.textContent = "Elija antes el proyecto."; return; }
        url += "&id_proyecto=" + encodeURIComponent(proyecto.value);
      } else if (q.length < 2) {
        resultados.textContent = "";
        return;
      }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          resultados.textContent = "";
          if (!items.length) { resultados.textContent = "Sin resultados."; return; }
          items.forEach(function (item) {
            var boton = document.createElement("button");
            boton.type = "button";
            boton.className = "list-group-item list-group-item-action";
            boton.textContent = item.text;
            boton.addEventListener("click", function () { elegir(item); });
            resultados.appendChild(boton);
          });
        });
    }, 250);

    entrada.addEventListener("input", buscar);
    entrada.addEventListener("focus", function () { if (proyecto) { buscar(); } });
  }

  document.querySelectorAll(".autocompletar").forEach(iniciar);

  var selectProyecto = document.getElementById("id_proyecto");
  var reglasCaja = document.getElementById("reglas-proyecto");
  if (selectProyecto && reglasCaja) {
    var reglas = JSON.parse(reglasCaja.dataset.reglas || "{}");
    selectProyecto.addEventListener("change", function () {
      mostrarReglas(reglas[selectProyecto.value]);
      var apto = document.getElementById("id_apartamento");
      if (apto) { apto.value = ""; }
      var etiqueta = document.getElementById("apartamento-elegido");
      if (etiqueta) { etiqueta.textContent = ""; }
    });
  }

  // Forms that ask before doing something that cannot be undone.
  document.querySelectorAll("form[data-confirmar]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirmar)) { event.preventDefault(); }
    });
  });
})();

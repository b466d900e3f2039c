// Autocomplete for the sales forms, as an ARIA combobox: arrows move through the
// suggestions, Enter picks the highlighted one (never submits the sale), Escape
// closes. Without JavaScript the plain inputs (documento_cliente, id_apartamento,
// id_venta) still work and the search boxes stay hidden.
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

  function pesos(valor) {
    // The server sends exact strings ("320000000.00"); group the whole pesos only.
    var entero = String(valor).split(".")[0];
    return "$ " + entero.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
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

  // The internal id box is for the no-JavaScript path only: hide it and show its
  // errors and help under the search box, which is what the clerk now uses.
  function ocultarDestino(destino, entrada, caja) {
    var grupo = destino.closest(".form-group");
    if (!grupo) { return; }
    grupo.hidden = true;
    grupo.querySelectorAll(".campo-error, small.form-text").forEach(function (nodo) {
      caja.appendChild(nodo);
      var ids = (entrada.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      ids.push(nodo.id);
      entrada.setAttribute("aria-describedby", ids.join(" "));
      if (nodo.classList.contains("campo-error")) {
        entrada.classList.add("is-invalid");
        entrada.setAttribute("aria-invalid", "true");
      }
    });
  }

  function iniciar(caja) {
    var entrada = caja.querySelector("input[role=combobox]");
    var lista = caja.querySelector("[role=listbox]");
    var estado = caja.querySelector(".autocompletar-estado");
    var destino = document.getElementById(caja.dataset.destino);
    var etiqueta = document.getElementById(caja.dataset.etiqueta);
    var prefijo = caja.dataset.prefijo || "";
    var proyecto = caja.dataset.proyecto ? document.getElementById(caja.dataset.proyecto) : null;
    var items = [];
    var activo = -1;
    caja.hidden = false;
    if (caja.dataset.ocultarDestino !== undefined) { ocultarDestino(destino, entrada, caja); }

    function opciones() { return lista.querySelectorAll("[role=option]"); }

    function cerrar() {
      lista.textContent = "";
      lista.hidden = true;
      items = [];
      activo = -1;
      entrada.setAttribute("aria-expanded", "false");
      entrada.removeAttribute("aria-activedescendant");
    }

    function resaltar(indice) {
      var todas = opciones();
      if (!todas.length) { return; }
      activo = (indice + todas.length) % todas.length;
      todas.forEach(function (opcion, i) {
        var si = i === activo;
        opcion.classList.toggle("active", si);
        opcion.setAttribute("aria-selected", si ? "true" : "false");
      });
      entrada.setAttribute("aria-activedescendant", todas[activo].id);
      todas[activo].scrollIntoView({ block: "nearest" });
    }

    function elegir(item) {
      destino.value = item.id;
      var texto = prefijo + item.text;
      if (item.precio) {
        texto += " — precio " + pesos(item.precio);
        var total = document.getElementById("valor_total");
        if (total) { total.placeholder = pesos(item.precio); }
      }
      if (etiqueta) { etiqueta.textContent = texto; }
      entrada.value = "";
      entrada.classList.remove("is-invalid");
      entrada.removeAttribute("aria-invalid");
      estado.textContent = "Elegido: " + item.text;
      cerrar();
      if (item.reglas) { mostrarReglas(item.reglas); }
    }

    function pintar(encontrados) {
      cerrar();
      items = encontrados;
      if (!items.length) { estado.textContent = "Sin resultados."; return; }
      estado.textContent = items.length === 1 ? "1 resultado." : items.length + " resultados.";
      items.forEach(function (item, i) {
        var opcion = document.createElement("button");
        opcion.type = "button";
        opcion.tabIndex = -1;
        opcion.id = lista.id + "-" + i;
        opcion.setAttribute("role", "option");
        opcion.setAttribute("aria-selected", "false");
        opcion.className = "list-group-item list-group-item-action";
        opcion.textContent = item.text;
        opcion.addEventListener("mousedown", function (e) { e.preventDefault(); });
        opcion.addEventListener("click", function () { elegir(item); });
        lista.appendChild(opcion);
      });
      lista.hidden = false;
      entrada.setAttribute("aria-expanded", "true");
      resaltar(0);
    }

    var buscar = debounce(function () {
      var q = entrada.value.trim();
      var url = caja.dataset.url + "?q=" + encodeURIComponent(q);
      if (proyecto) {
        if (!proyecto.value) { cerrar(); estado.textContent = "Elija antes el proyecto."; return; }
        url += "&id_proyecto=" + encodeURIComponent(proyecto.value);
      } else if (q.length < 2) {
        cerrar();
        estado.textContent = "";
        return;
      }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(pintar);
    }, 250);

    entrada.addEventListener("input", buscar);
    entrada.addEventListener("focus", function () { if (proyecto) { buscar(); } });
    entrada.addEventListener("blur", function () { setTimeout(cerrar, 150); });
    entrada.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (items.length) { resaltar(activo + (e.key === "ArrowDown" ? 1 : -1)); } else { buscar(); }
      } else if (e.key === "Enter") {
        // Enter in the search box picks a suggestion; it must never save the sale.
        e.preventDefault();
        if (activo >= 0 && items[activo]) { elegir(items[activo]); }
      } else if (e.key === "Escape" && items.length) {
        e.preventDefault();
        cerrar();
      }
    });
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

  // The plan de pago's summary and cuotas, computed by the server (the same
  // fragment the "Calcular" button renders without JavaScript).
  var vistaPlan = document.getElementById("vista-plan");
  if (vistaPlan && vistaPlan.dataset.url) {
    var actualizarPlan = debounce(function () {
      var plan = document.getElementById("id_plan_pago");
      var apto = document.getElementById("id_apartamento");
      var fecha = document.getElementById("fecha");
      if (!plan || !plan.value || !apto || !apto.value) { return; }
      var url = vistaPlan.dataset.url + "?id_plan_pago=" + encodeURIComponent(plan.value) +
        "&id_apartamento=" + encodeURIComponent(apto.value) +
        "&fecha=" + encodeURIComponent(fecha ? fecha.value : "");
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (!html) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var nuevo = doc.getElementById("simulacion-plan");
          if (nuevo) { vistaPlan.replaceChildren(document.importNode(nuevo, true)); }
        });
    }, 300);
    ["id_plan_pago", "id_apartamento", "fecha"].forEach(function (id) {
      var campo = document.getElementById(id);
      if (campo) { campo.addEventListener("change", actualizarPlan); }
    });
  }

  // Forms that ask before doing something that cannot be undone.
  document.querySelectorAll("form[data-confirmar]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirmar)) { event.preventDefault(); }
    });
  });
})();

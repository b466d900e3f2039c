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

  // valor_total follows the units chosen: the main unit's price plus every checked
  // adicional, in exact centavos (BigInt), written as a clerk types it. Once the
  // clerk types a total of their own, it is left alone.
  var UNIDADES = ["id_apartamento", "id_local", "id_parqueadero"];

  function centavos(texto) {
    var partes = String(texto || "0").split(".");
    return BigInt(partes[0]) * 100n + BigInt(((partes[1] || "") + "00").slice(0, 2));
  }

  function escribir(c) {
    var entero = (c / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var resto = c % 100n;
    return resto ? entero + "," + resto.toString().padStart(2, "0") : entero;
  }

  function recalcularTotal() {
    var total = document.getElementById("valor_total");
    if (!total) { return; }
    var suma = 0n;
    var hay = false;
    document.querySelectorAll(".unidad-elegida").forEach(function (p) {
      if (p.textContent.trim() && p.dataset.precio) { suma += centavos(p.dataset.precio); hay = true; }
    });
    document.querySelectorAll("input.adicional:checked").forEach(function (c) {
      suma += centavos(c.dataset.precio);
    });
    if (!hay) { return; }
    total.placeholder = "$ " + escribir(suma);
    if (!total.value || total.dataset.auto === "1") {
      total.value = escribir(suma);
      total.dataset.auto = "1";
    }
  }

  function agregarAdicional(contenedor, item) {
    var existente = document.getElementById("adicional-" + item.id);
    if (existente) { existente.checked = true; recalcularTotal(); return; }
    var div = document.createElement("div");
    div.className = "form-check";
    var caja = document.createElement("input");
    caja.type = "checkbox";
    caja.className = "form-check-input adicional";
    caja.name = "adicionales";
    caja.value = item.id;
    caja.id = "adicional-" + item.id;
    caja.dataset.precio = item.precio;
    caja.checked = true;
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = caja.id;
    label.textContent = item.text + " — " + pesos(item.precio);
    div.appendChild(caja);
    div.appendChild(label);
    contenedor.appendChild(div);
    recalcularTotal();
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
      if (caja.dataset.multiple !== undefined) {
        agregarAdicional(destino, item);
        entrada.value = "";
        estado.textContent = "Agregado: " + item.text;
        cerrar();
        return;
      }
      if (UNIDADES.indexOf(destino.id) >= 0) {
        // One main unit: choosing one clears the others.
        UNIDADES.forEach(function (campo) {
          if (campo === destino.id) { return; }
          var otro = document.getElementById(campo);
          if (otro) { otro.value = ""; }
          var suyo = document.querySelector("[data-destino=" + campo + "]");
          var texto = suyo ? document.getElementById(suyo.dataset.etiqueta) : null;
          if (texto) { texto.textContent = ""; texto.dataset.precio = ""; }
        });
      }
      destino.value = item.id;
      var texto = prefijo + item.text;
      if (item.precio) { texto += " — precio " + pesos(item.precio); }
      if (etiqueta) {
        etiqueta.textContent = texto;
        etiqueta.dataset.precio = item.precio || "";
      }
      recalcularTotal();
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
      // The units chosen belong to the old project.
      UNIDADES.forEach(function (campo) {
        var unidad = document.getElementById(campo);
        if (unidad) { unidad.value = ""; }
      });
      document.querySelectorAll(".unidad-elegida").forEach(function (p) {
        p.textContent = "";
        p.dataset.precio = "";
      });
      var lista = document.getElementById("adicionales-lista");
      if (lista) { lista.textContent = ""; }
    });
  }

  var listaAdicionales = document.getElementById("adicionales-lista");
  if (listaAdicionales) {
    listaAdicionales.addEventListener("change", recalcularTotal);
  }
  var campoTotal = document.getElementById("valor_total");
  if (campoTotal) {
    campoTotal.addEventListener("input", function () { campoTotal.dataset.auto = ""; });
  }
  // The plan de pago's summary and cuotas, computed by the server (the same
  // fragment the "Calcular" button renders without JavaScript).
  var vistaPlan = document.getElementById("vista-plan");
  if (vistaPlan && vistaPlan.dataset.url) {
    var actualizarPlan = debounce(function () {
      var plan = document.getElementById("id_plan_pago");
      var fecha = document.getElementById("fecha");
      if (!plan || !plan.value) { return; }
      var params = new URLSearchParams();
      params.append("id_plan_pago", plan.value);
      params.append("fecha", fecha ? fecha.value : "");
      var unidad = false;
      ["id_apartamento", "id_local", "id_parqueadero"].forEach(function (id) {
        var campo = document.getElementById(id);
        if (campo && campo.value) { params.append(id, campo.value); unidad = true; }
      });
      if (!unidad) { return; }
      document.querySelectorAll('[name="adicionales"]:checked, select[name="adicionales"] option:checked')
        .forEach(function (opcion) { params.append("adicionales", opcion.value); });
      var url = vistaPlan.dataset.url + "?" + params.toString();
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (!html) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var nuevo = doc.getElementById("simulacion-plan");
          if (nuevo) { vistaPlan.replaceChildren(document.importNode(nuevo, true)); }
        });
    }, 300);
    ["id_plan_pago", "id_apartamento", "id_local", "id_parqueadero", "fecha",
     "adicionales-lista"].forEach(function (id) {
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

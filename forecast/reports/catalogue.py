"""Every word of the scenario report, in English and Spanish side by side.

``MESSAGES[key] = {"en": ..., "es": ...}``: both editions come from this one table, so they
cannot drift apart (a test checks that every key has both languages with the same
``{placeholders}``). Templates are filled with numbers and dates already formatted for the
edition (:class:`forecast.reports.language.Language`); names, titles, descriptions, sources
and quotes from scenario files and datasets are inserted as written. The Spanish is written
for planners in Chile and Peru (usted-neutral, "personas varadas", "paso fronterizo"), not
translated word by word.
"""

from __future__ import annotations

MESSAGES = {
    # -- sections and page furniture -----------------------------------------------------------
    "section.brief": {"en": "Brief: what to plan for",
                      "es": "Resumen: cifras para planificar"},
    "section.detail": {"en": "Scenarios in detail", "es": "Los escenarios en detalle"},
    "section.happened": {"en": "What happened since the projection",
                         "es": "Qué pasó después de la proyección"},
    "section.drivers": {"en": "What moves the numbers",
                        "es": "Qué supuestos mueven las cifras"},
    "section.evidence": {"en": "Evidence: how well the engine forecasts",
                         "es": "Evidencia: qué tan bien pronostica el modelo"},
    "section.context": {"en": "Context: migration series",
                        "es": "Contexto: series migratorias"},
    "section.assumptions": {"en": "Assumptions", "es": "Supuestos"},
    "section.sources": {"en": "Sources and reproducibility",
                        "es": "Fuentes y reproducibilidad"},
    "page": {"en": "page {i} of {n}", "es": "página {i} de {n}"},
    "footer": {"en": "Stranding scenarios: {name}", "es": "Escenarios de varamiento: {name}"},
    "pdf.subject": {
        "en": "Scenario projections of people stranded at {border}, {start} to {end}",
        "es": "Proyecciones por escenario de personas varadas en {border}, del {start} al "
              "{end}"},
    "language.name": {"en": "English", "es": "español"},
    # -- how the case is named -----------------------------------------------------------------
    "place.none": {"en": "the border crossing", "es": "el paso fronterizo"},
    "place.posts": {"en": "the {posts} crossing", "es": "el paso fronterizo {posts}"},
    "border.countries": {"en": "the {countries} border", "es": "la frontera {countries}"},
    "border.none": {"en": "the border", "es": "la frontera"},
    "keydate.end": {"en": "end of the projection window",
                    "es": "fin del periodo proyectado"},
    # -- values and units ----------------------------------------------------------------------
    "value.na": {"en": "n/a", "es": "s/d"},
    "value.million": {"en": "{n} million", "es": "{n} millones"},
    "value.million_of": {"en": "{n} {unit}", "es": "{n} de {unit}"},
    "unit.pp": {"en": "pp", "es": "pp"},
    "unit.people": {"en": "{n} people", "es": "{n} personas"},
    "word.and": {"en": "and", "es": "y"},
    "yes": {"en": "yes", "es": "sí"},
    "no": {"en": "no", "es": "no"},
    "span": {"en": "{start} to {end}", "es": "{start} al {end}"},
    "uncalibrated": {
        "en": "UNCALIBRATED: the scenario file sets history.uncalibrated = true; no counts "
              "were used and every number comes from the priors alone.",
        "es": "SIN CALIBRAR: el archivo de escenarios fija history.uncalibrated = true; no se "
              "usó ningún conteo y todas las cifras provienen solo de los supuestos previos."},
    # -- column headers shared by several tables -----------------------------------------------
    "col.scenario": {"en": "scenario", "es": "escenario"},
    "col.date": {"en": "date", "es": "fecha"},
    "col.event": {"en": "event", "es": "hito"},
    "col.median": {"en": "median", "es": "mediana"},
    "col.band80": {"en": "80% band", "es": "banda 80%"},
    "col.peak_median": {"en": "peak (median)", "es": "máximo (mediana)"},
    "col.likely_date": {"en": "most likely date", "es": "fecha más probable"},
    "col.pd_median": {"en": "person-days (median)", "es": "días-persona (mediana)"},
    "col.pd_band": {"en": "person-days 80% band", "es": "días-persona, banda 80%"},
    "col.water_window": {"en": "water, window (litres)", "es": "agua, todo el periodo (litros)"},
    "col.water_peak": {"en": "water, peak day (litres)", "es": "agua, día máximo (litros)"},
    "col.shelter": {"en": "shelter (m²)", "es": "albergue (m²)"},
    "col.assumption": {"en": "assumption", "es": "supuesto"},
    "col.reported": {"en": "reported", "es": "informado"},
    "col.statement": {"en": "statement", "es": "tipo de cifra"},
    # what a count describes (forecast.scenarios.observations.STATEMENTS)
    "statement.stock": {"en": "on site", "es": "en el lugar"},
    "statement.peak": {"en": "peak", "es": "máximo"},
    "statement.average": {"en": "average", "es": "promedio"},
    "col.forecast_median": {"en": "forecast median", "es": "mediana pronosticada"},
    "col.inside80": {"en": "in 80% band", "es": "dentro de banda 80%"},
    "col.log_score": {"en": "log score", "es": "puntaje log"},
    "col.episode": {"en": "episode", "es": "episodio"},
    "col.method": {"en": "method", "es": "método"},
    "col.n_counts": {"en": "later counts", "es": "conteos posteriores"},
    "col.cover80": {"en": "in 80% band", "es": "en banda 80%"},
    "col.cover50": {"en": "in 50% band", "es": "en banda 50%"},
    "col.cover95": {"en": "in 95% band", "es": "en banda 95%"},
    "col.model": {"en": "model", "es": "modelo"},
    "col.skill": {"en": "skill", "es": "habilidad"},
    "col.year": {"en": "year", "es": "año"},
    "col.kind": {"en": "what the figure is", "es": "qué es la cifra"},
    "col.applies_to": {"en": "applies to", "es": "se aplica a"},
    "col.item": {"en": "item", "es": "elemento"},
    "col.value": {"en": "value or prior", "es": "valor o distribución previa"},
    "col.source": {"en": "source or rationale (as written in the file)",
                   "es": "fuente o justificación (tal como figura en el archivo)"},
    "col.parameter": {"en": "parameter", "es": "parámetro"},
    "col.meaning": {"en": "meaning", "es": "significado"},
    # -- 1 brief -------------------------------------------------------------------------------
    "brief.intro": {
        "en": "How many people may be stranded at {place} between {start} (the as-of date: "
              "counts up to that day are used) and {end}, under {n} scenarios of {paths} "
              "simulated paths each. The "
              "number to plan for is the 90th percentile: 1 path in 10 goes higher. The "
              "median, in brackets, is as likely to be exceeded as not.",
        "es": "Cuántas personas podrían quedar varadas en {place} entre el {start} (fecha de "
              "corte: se usan los conteos hasta ese día) y el {end}, en {n} escenarios de "
              "{paths} trayectorias simuladas "
              "cada uno. La cifra para planificar es el percentil 90: solo 1 trayectoria de "
              "cada 10 la supera. La mediana, entre paréntesis, tiene igual probabilidad de "
              "quedar por encima o por debajo."},
    "brief.stale": {
        "en": "The data hold no count after {last}: the projection from {start} starts from "
              "that count, {days} days older.",
        "es": "Los datos no tienen conteos posteriores al {last}: la proyección desde el "
              "{start} parte de ese conteo, {days} días anterior."},
    "brief.plan": {"en": "Numbers to plan for: 90th percentile (median)",
                   "es": "Cifras para planificar: percentil 90 (mediana)"},
    "brief.col.peak": {"en": "peak, people", "es": "máximo de personas"},
    "brief.col.peak_date": {"en": "peak most likely on", "es": "máximo más probable el"},
    "brief.col.person_days": {"en": "person-days", "es": "días-persona"},
    "brief.col.water": {"en": "water, litres (whole window)",
                        "es": "agua, litros (todo el periodo)"},
    "brief.col.shelter": {"en": "shelter, m² at the peak", "es": "albergue, m² en el máximo"},
    "brief.plan_note": {
        "en": "Key-date columns: people stranded on that day. Water and shelter by the "
              "Sphere minimum standards used by the scenario engine: {water} litres per "
              "person per day (on the person-days of the window) and {shelter} m² of covered "
              "space per person (at the peak), both at the 90th percentile.",
        "es": "Columnas de fechas clave: personas varadas ese día. Agua y albergue según los "
              "estándares mínimos Esfera que usa el modelo de escenarios: {water} litros por "
              "persona y día (sobre los días-persona del periodo) y {shelter} m² de espacio "
              "cubierto por persona (en el máximo), ambos en el percentil 90."},
    "brief.trust": {"en": "How far to trust them", "es": "Cuánto confiar en estas cifras"},
    "trust.loeo": {
        "en": "Out of sample on all {k} bundled episodes ({n} later counts, each left out in "
              "turn): mean log score engine {engine}, decay {decay}, persistence "
              "{persistence}; the engine loses on {losses} (section {section}).",
        "es": "Fuera de muestra en los {k} episodios incluidos ({n} conteos posteriores, cada "
              "uno excluido por turno): puntaje log medio del modelo {engine}, decaimiento "
              "{decay}, persistencia {persistence}; el modelo pierde en {losses} (sección "
              "{section})."},
    "trust.loeo_wins": {
        "en": "Out of sample on all {k} bundled episodes ({n} later counts, each left out in "
              "turn): mean log score engine {engine}, decay {decay}, persistence "
              "{persistence}; the engine beats both baselines on every episode (section "
              "{section}).",
        "es": "Fuera de muestra en los {k} episodios incluidos ({n} conteos posteriores, cada "
              "uno excluido por turno): puntaje log medio del modelo {engine}, decaimiento "
              "{decay}, persistencia {persistence}; el modelo supera a ambas referencias en "
              "todos los episodios (sección {section})."},
    "trust.replay": {
        "en": "Earlier episode replayed out of sample ({year}, {n} later counts): log score "
              "engine {engine}, persistence {persistence}, decay {decay} (higher is better); "
              "the engine's 80% bands held {cover} of the counts.",
        "es": "Episodio anterior reproducido fuera de muestra ({year}, {n} conteos "
              "posteriores): puntaje log del modelo {engine}, persistencia {persistence}, "
              "decaimiento {decay} (más alto es mejor); las bandas de 80% del modelo "
              "contuvieron el {cover} de los conteos."},
    "trust.now": {
        "en": "This episode since {start}: {inside} of {n} later counts inside the 80% band, "
              "mean log score {score} (section {section}).",
        "es": "Este episodio desde el {start}: {inside} de {n} conteos posteriores dentro de "
              "la banda de 80%, puntaje log medio {score} (sección {section})."},
    "trust.now_none": {
        "en": "This episode: no count after {start} yet to check the projection against.",
        "es": "Este episodio: aún no hay conteos posteriores al {start} con que contrastar "
              "la proyección."},
    "brief.drivers": {"en": "Assumptions that move them most",
                      "es": "Supuestos que más las mueven"},
    "brief.drivers_note": {
        "en": "Change of the median peak, of the median on the last day and of the chance "
              "that the peak exceeds the threshold when the assumption is switched off (the "
              "same random numbers with and without). All assumptions: section {section}.",
        "es": "Cambio del máximo mediano, de la mediana del último día y de la probabilidad "
              "de que el máximo supere el umbral al quitar el supuesto (los mismos números "
              "aleatorios con y sin él). Todos los supuestos: sección {section}."},
    "brief.scenarios": {"en": "The scenarios (as described in the scenario file)",
                        "es": "Los escenarios (según el archivo de escenarios)"},
    "missing.attribution": {
        "en": "No attribution (Projection.attribution()) was given to this build.",
        "es": "Esta versión no recibió la atribución de supuestos (Projection.attribution())."},
    "missing.replay_short": {
        "en": "No replay of an earlier episode was given to this build.",
        "es": "Esta versión no recibió la reproducción de un episodio anterior."},
    # -- attribution ---------------------------------------------------------------------------
    "attr.col.peak": {"en": "peak (median)", "es": "máximo (mediana)"},
    "attr.col.end": {"en": "last day (median)", "es": "último día (mediana)"},
    "attr.col.p": {"en": "P(peak > {k})", "es": "P(máximo > {k})"},
    "attr.calendar": {"en": "calendar: {name}", "es": "calendario: {name}"},
    "attr.prior": {"en": "scenario setting: {name} ({key})",
                   "es": "supuesto del escenario: {name} ({key})"},
    "attr.regimes": {"en": "border regime (instead of {name})",
                     "es": "régimen fronterizo (en lugar del de {name})"},
    "attr.batches": {"en": "organised departures (flights, buses)",
                     "es": "salidas organizadas (vuelos, buses)"},
    "attr.none": {"en": "no assumption changes the numbers",
                  "es": "ningún supuesto cambia las cifras"},
    "drivers.subtitle": {
        "en": "Each assumption switched off in turn: how much the numbers change",
        "es": "Cada supuesto quitado por turno: cuánto cambian las cifras"},
    "drivers.intro": {
        "en": "Each scenario is re-run with one assumption switched off: a calendar event "
              "removed, a scenario setting back to the calibrated value, the border regime of "
              "the status quo instead of the scenario's, organised departures removed. The "
              "bars show what the assumption adds: to the median peak, to the median number "
              "on the last day, and to the chance that the peak exceeds {k} people "
              "(percentage points). Red: the assumption raises the number; blue: it lowers it.",
        "es": "Cada escenario se vuelve a simular quitando un supuesto: se elimina un hito del "
              "calendario, un supuesto del escenario vuelve al valor calibrado, se aplica el "
              "régimen fronterizo del statu quo en lugar del propio, se eliminan las salidas "
              "organizadas. Las barras muestran lo que aporta el supuesto: al máximo mediano, "
              "a la mediana del último día y a la probabilidad de que el máximo supere las {k} "
              "personas (puntos porcentuales). Rojo: el supuesto sube la cifra; azul: la baja."},
    # -- 2 detail ------------------------------------------------------------------------------
    "detail.subtitle": {"en": "Medians, bands and chances per scenario and key date",
                        "es": "Medianas, bandas y probabilidades por escenario y fecha clave"},
    "detail.keydates": {"en": "People stranded on key dates",
                        "es": "Personas varadas en fechas clave"},
    "detail.peak": {"en": "Peak", "es": "Máximo"},
    "detail.needs": {"en": "Needs (Sphere standards, sized at the 90th percentile)",
                     "es": "Necesidades (estándares Esfera, en el percentil 90)"},
    "detail.note": {
        "en": "{ps}: in the first table the chances on that date; in the second the chances "
              "at some point of the window. 'Most likely date' is the day on which most paths "
              "peak; when it is the last day, numbers are still rising at the end of the "
              "window. Scenarios share their random numbers, so differences between them are "
              "paired.",
        "es": "{ps}: en la primera tabla, la probabilidad en esa fecha; en la segunda, la "
              "probabilidad en algún momento del periodo. La «fecha más probable» es el día en "
              "que más trayectorias alcanzan su máximo; si es el último día, las cifras siguen "
              "subiendo al final del periodo. Los escenarios comparten sus números "
              "aleatorios, por lo que sus diferencias son pareadas."},
    "detail.compare": {"en": "Scenarios compared: median and 90th percentile",
                       "es": "Escenarios comparados: mediana y percentil 90"},
    "detail.panels": {"en": "Each scenario: median, bands and counts",
                      "es": "Cada escenario: mediana, bandas y conteos"},
    "detail.panels_note": {
        "en": "Same scale in every panel. Dark band: 50% of paths; light band: 80%; thin grey "
              "lines: single simulated paths (the same in every scenario); dots with bars: "
              "ranges of the counts reported by the press and authorities.",
        "es": "Misma escala en todos los paneles. Banda oscura: 50% de las trayectorias; banda "
              "clara: 80%; líneas grises finas: trayectorias simuladas individuales (las "
              "mismas en todos los escenarios); puntos con barras: rangos de los conteos "
              "informados por la prensa y las autoridades."},
    "marks.note": {"en": "Letters on the charts: {items}.",
                   "es": "Letras en los gráficos: {items}."},
    # -- charts --------------------------------------------------------------------------------
    "chart.people": {"en": "people stranded", "es": "personas varadas"},
    "chart.median": {"en": "median", "es": "mediana"},
    "chart.median_of": {"en": "{name}: median", "es": "{name}: mediana"},
    "chart.q90_of": {"en": "{name}: 90th percentile", "es": "{name}: percentil 90"},
    "chart.band50": {"en": "50% band", "es": "banda 50%"},
    "chart.band80": {"en": "80% band", "es": "banda 80%"},
    "chart.band90": {"en": "90% band", "es": "banda 90%"},
    "chart.band95": {"en": "95% band", "es": "banda 95%"},
    "chart.paths": {"en": "single paths", "es": "trayectorias individuales"},
    "chart.counts": {"en": "reported counts (range)", "es": "conteos informados (rango)"},
    "chart.observed": {"en": "observed", "es": "observado"},
    "chart.forecast_median": {"en": "forecast (median)", "es": "pronóstico (mediana)"},
    "chart.now": {"en": "end of {year} (the as-of year): years to its left are past",
                  "es": "fin de {year} (año de corte): los años a su izquierda ya pasaron"},
    "chart.batch": {"en": "{kind}: {n}", "es": "{kind}: {n}"},
    # -- 3 what happened -----------------------------------------------------------------------
    "happened.subtitle": {"en": "Counts reported after {start}, over the projection's bands",
                          "es": "Conteos informados después del {start}, sobre las bandas de "
                                "la proyección"},
    "happened.none": {
        "en": "No count after {start} is in the data yet: nothing to compare the projection "
              "with.",
        "es": "Los datos aún no tienen conteos posteriores al {start}: no hay con qué "
              "contrastar la proyección."},
    "happened.intro": {
        "en": "{n} counts were reported between {start} and {last}. They are drawn over the "
              "bands of the projection made on {start} under the first scenario ({name}), "
              "which the file takes as what is happening, and each is scored by the "
              "probability the projection gave its reported range.",
        "es": "Entre el {start} y el {last} se informaron {n} conteos. Se dibujan sobre las "
              "bandas de la proyección hecha el {start} con el primer escenario ({name}), que "
              "el archivo toma como lo que está ocurriendo, y cada uno se evalúa por la "
              "probabilidad que la proyección dio a su rango informado."},
    "happened.summary": {
        "en": "{inside} of {n} counts fell inside the projection's 80% band; mean log score "
              "{score}.",
        "es": "{inside} de {n} conteos quedaron dentro de la banda de 80% de la proyección; "
              "puntaje log medio {score}."},
    "happened.note": {
        "en": "The bands of the table are those of a reported count (people stranded times "
              "the error of a press count), so they are wider than those of the chart. Log "
              "score: log of the probability given to the reported range (higher is better). "
              "PIT: where the count fell in the forecast distribution (0.5 = at the median; "
              "near 0 or 1 = in a tail).",
        "es": "Las bandas de la tabla son las de un conteo informado (personas varadas por el "
              "error de un conteo de prensa), por eso son más anchas que las del gráfico. "
              "Puntaje log: logaritmo de la probabilidad asignada al rango informado (más "
              "alto es mejor). PIT: dónde cayó el conteo en la distribución pronosticada "
              "(0,5 = en la mediana; cerca de 0 o de 1 = en una cola)."},
    # -- 5 evidence ----------------------------------------------------------------------------
    "evidence.subtitle": {
        "en": "An earlier episode replayed and scored against baselines; backtests of the "
              "series models",
        "es": "Un episodio anterior reproducido y evaluado frente a referencias simples; "
              "pruebas retrospectivas de los modelos de series"},
    "missing.replay": {
        "en": "No replay of an earlier episode was given to this build (the scenario file's "
              "[report] replay names one).",
        "es": "Esta versión no recibió la reproducción de un episodio anterior (la indica "
              "replay en la tabla [report] del archivo de escenarios)."},
    "replay.title": {"en": "Replay of the {year} episode, scored",
                     "es": "Reproducción del episodio de {year}, evaluada"},
    "replay.later": {
        "en": " What happened next (scenario '{name}': {description}) is a scenario, not an "
              "input.",
        "es": " Lo que ocurrió después (escenario «{name}»: {description}) es un escenario, no "
              "un dato de entrada."},
    "replay.intro": {
        "en": "Calibrated on the counts up to {start}, with the behaviour learned on the other "
              "episodes only (leave-one-episode-out), and projected to {end} under the status "
              "quo a forecaster had then.{later} Each later count is scored by the probability "
              "the forecast gave its reported range, against two baselines learned on the "
              "other episodes.",
        "es": "Calibrado con los conteos hasta el {start}, con el comportamiento aprendido "
              "solo en los demás episodios (dejando fuera el episodio evaluado), y proyectado "
              "hasta el {end} con el statu quo que conocía entonces quien pronosticaba.{later} "
              "Cada conteo posterior se evalúa por la probabilidad que el pronóstico dio a su "
              "rango informado, frente a dos referencias aprendidas en los demás episodios."},
    "replay.none": {"en": "No count after the as-of date to score.",
                    "es": "No hay conteos posteriores a la fecha de corte que evaluar."},
    "replay.per_episode": {"en": "Scores per episode: engine against baselines",
                           "es": "Puntajes por episodio: modelo frente a referencias"},
    "evaluation.title": {"en": "Every bundled episode, leave-one-episode-out",
                         "es": "Todos los episodios incluidos, dejando fuera el evaluado"},
    "evaluation.intro": {
        "en": "Each episode with counts is scored with the behaviour and baselines learned on "
              "the other episodes only, at every count date from the second on, for every "
              "later count ({n} counts; benchmark run with seed {seed} and {paths} paths). The "
              "stack mixes the three forecasts with weights learned on the other episodes.",
        "es": "Cada episodio con conteos se evalúa con el comportamiento y las referencias "
              "aprendidos solo en los demás episodios, en cada fecha de conteo desde la "
              "segunda, para cada conteo posterior ({n} conteos; corrida de referencia con "
              "semilla {seed} y {paths} trayectorias). La combinación mezcla los tres "
              "pronósticos con pesos aprendidos en los demás episodios."},
    "evaluation.pooled": {"en": "all episodes", "es": "todos los episodios"},
    "evaluation.missing": {
        "en": "The leave-one-episode-out scores shipped with the package do not match this "
              "engine or these episodes, so none are shown; nox -s scenario_backtest "
              "recomputes them.",
        "es": "Los puntajes dejando fuera cada episodio que trae el paquete no corresponden a "
              "este modelo o a estos episodios, por lo que no se muestran; nox -s "
              "scenario_backtest los recalcula."},
    "replay.per_count": {"en": "Log score of each later count",
                         "es": "Puntaje log de cada conteo posterior"},
    "replay.methods": {
        "en": "Engine: the stock-flow model of this report. Persistence: the last count "
              "carries forward. Decay: the last count decays exponentially. Log score: mean "
              "log probability of the reported ranges (higher is better); band shares by "
              "randomized PIT (a calibrated forecast puts 80% of counts in its 80% band).",
        "es": "Modelo: el modelo de stock y flujos de este informe. Persistencia: se mantiene "
              "el último conteo. Decaimiento: el último conteo decae exponencialmente. Puntaje "
              "log: probabilidad logarítmica media de los rangos informados (más alto es "
              "mejor); proporciones en banda por PIT aleatorizado (un pronóstico bien "
              "calibrado deja el 80% de los conteos en su banda de 80%)."},
    "method.engine": {"en": "engine", "es": "modelo"},
    "method.persistence": {"en": "persistence", "es": "persistencia"},
    "method.decay": {"en": "decay", "es": "decaimiento"},
    "method.stack": {"en": "stack", "es": "combinación"},
    "backtests.title": {"en": "Backtests of the series models",
                        "es": "Pruebas retrospectivas de los modelos de series"},
    "missing.backtests": {"en": "No backtests were given to this build.",
                          "es": "Esta versión no recibió pruebas retrospectivas."},
    "backtests.none_named": {
        "en": "This file names no annual series (its [report] context is empty), so the "
              "report uses no series model and backtests none.",
        "es": "Este archivo no nombra series anuales (su [report] context está vacío): el "
              "informe no usa ningún modelo de series y no hay pruebas retrospectivas que "
              "mostrar."},
    "backtests.intro": {
        "en": "Rolling-origin backtests: each model is refitted at every origin on the data "
              "known then and forecasts {h} years ahead; forecasts are scored against the "
              "latest values. 'Real-time vintages' trains on the figures as first published "
              "(what a planner had). MASE below 1 beats the in-sample naive forecast; skill is "
              "1 − MAE / MAE of Naive (above 0 beats Naive). With fewer than 10 scored "
              "forecasts, band coverage is given as a count. The series are short, so "
              "differences between models are indicative only.",
        "es": "Pruebas con origen móvil: cada modelo se reestima en cada origen con los datos "
              "conocidos entonces y pronostica {h} años hacia adelante; los pronósticos se "
              "comparan con los valores más recientes. «Cifras en tiempo real» entrena con las "
              "cifras tal como se publicaron por primera vez (lo que tenía quien planificaba). "
              "Un MASE menor que 1 supera al pronóstico ingenuo dentro de la muestra; la "
              "habilidad es 1 − MAE / MAE de Naive (sobre 0 supera a Naive). Con menos de 10 "
              "pronósticos evaluados, la cobertura de las bandas se da como conteo. Las series "
              "son cortas: las diferencias entre modelos son solo indicativas."},
    "backtests.realtime": {"en": "{name} with real-time vintages",
                           "es": "{name} con cifras en tiempo real"},
    "backtests.run": {"en": "{title}: origins {first} to {last} ({n})",
                      "es": "{title}: orígenes {first} a {last} ({n})"},
    "cover.k_of_n": {"en": "{k} of {n}", "es": "{k} de {n}"},
    # -- 6 context -----------------------------------------------------------------------------
    "context.subtitle": {"en": "Related migration series: history and forecasts ({models})",
                         "es": "Series migratorias relacionadas: historia y pronósticos "
                               "({models})"},
    "context.subtitle_none": {"en": "Related migration series",
                              "es": "Series migratorias relacionadas"},
    "missing.context": {
        "en": "No context forecasts were given to this build (the scenario file's [report] "
              "context names the series).",
        "es": "Esta versión no recibió pronósticos de contexto (las series las indica context "
              "en la tabla [report] del archivo de escenarios)."},
    "context.past": {"en": "estimate of a past year not yet published",
                     "es": "estimación de un año pasado aún no publicado"},
    "context.future": {"en": "forecast", "es": "pronóstico"},
    "context.data": {
        "en": "Data: {n} annual values {first}–{last}, {vintage}; the {last} value is "
              "{release}, {published}. Methodology of the last value: "
              "{methodology}. Model: {model}, {paths} sample paths, seed {seed}. Unit: {unit}.",
        "es": "Datos: {n} valores anuales {first}–{last}, {vintage}; el valor de "
              "{last} es {release}, {published}. Metodología del "
              "último valor: {methodology}. Modelo: {model}, {paths} trayectorias, semilla "
              "{seed}. Unidad: {unit}."},
    "published.day": {"en": "published {date}", "es": "publicado el {date}"},
    "published.month": {"en": "published in {month}", "es": "publicado en {month}"},
    "published.other": {"en": "published {vintage}", "es": "publicado: {vintage}"},
    # release kinds of a value (column release of the bundled series)
    "release.first": {"en": "a first release", "es": "una primera publicación"},
    "release.single": {"en": "a single release", "es": "una publicación única"},
    "release.revision": {"en": "a revision", "es": "una revisión"},
    "release.census": {"en": "a census figure", "es": "una cifra censal"},
    "release.derived": {"en": "a derived value", "es": "un valor derivado"},
    "release.other": {"en": "a '{kind}' release", "es": "una cifra «{kind}»"},
    # units of the bundled datasets (datasets/manifest.toml)
    "dataset_unit.persons": {"en": "persons", "es": "personas"},
    "dataset_unit.persons (count) and percent (share)": {
        "en": "persons (count) and percent (share)",
        "es": "personas (cantidad) y porcentaje (proporción)"},
    "model.combination": {"en": "{name} ({rule} of {members})",
                          "es": "{name} ({rule} de {members})"},
    "combine.median": {"en": "median", "es": "mediana"},
    "combine.mean": {"en": "mean", "es": "media"},
    "context.vintage.latest": {"en": "latest vintage", "es": "versión más reciente"},
    "context.vintage.as_of": {"en": "as published by {date} (the as-of date)",
                              "es": "tal como se habían publicado al {date} (fecha de corte)"},
    "context.gaps": {"en": "Years without a value (gaps in the line): {years}.",
                     "es": "Años sin valor (cortes en la línea): {years}."},
    "context.model_note": {"en": "Model note (as raised while fitting): {note}",
                           "es": "Nota del modelo (tal como se emitió al ajustar): {note}"},
    "context.caveat": {"en": "Caveat (as written in the dataset): {caveat}",
                       "es": "Advertencia (tal como figura en los datos): {caveat}"},
    # -- 7 assumptions -------------------------------------------------------------------------
    "assumptions.subtitle": {
        "en": "Every prior, event, regime and departure, with its source",
        "es": "Cada distribución previa, hito, régimen y salida, con su fuente"},
    "assumptions.calibrated": {"en": "calibrated on the counts of episode {episode}",
                               "es": "calibrado con los conteos del episodio {episode}"},
    "assumptions.uncalibrated": {
        "en": "NOT CALIBRATED: no counts used (history.uncalibrated = true)",
        "es": "SIN CALIBRAR: no se usaron conteos (history.uncalibrated = true)"},
    "assumptions.no_population": {"en": "(none: weak priors)",
                                  "es": "(ninguno: distribuciones previas poco informativas)"},
    "assumptions.intro": {
        "en": "Scenario file {file}: window {start} to {end}; the border is taken as empty on "
              "{empty}; {calibrated}. Behaviour parameters the file does not set come from the "
              "population of earlier episodes: {population}.",
        "es": "Archivo de escenarios {file}: periodo del {start} al {end}; se supone la "
              "frontera vacía el {empty}; {calibrated}. Los parámetros de comportamiento que "
              "el archivo no fija provienen de la población de episodios anteriores: "
              "{population}."},
    "assumptions.history_note": {"en": "History, as written in the file: {note}",
                                 "es": "Antecedentes, tal como figuran en el archivo: {note}"},
    "assumptions.table": {"en": "Priors, calendar, regimes and departures",
                          "es": "Distribuciones previas, calendario, regímenes y salidas"},
    "assumptions.posterior": {"en": "Calibrated parameters (posterior)",
                              "es": "Parámetros calibrados (distribución posterior)"},
    "assumptions.fixed": {
        "en": "Not informed by the counts (one value in every draw; scenarios that need them "
              "set their own, see the table above): {items}.",
        "es": "No informados por los conteos (un solo valor en todas las extracciones; los "
              "escenarios que los usan fijan el suyo, ver la tabla anterior): {items}."},
    "applies.all": {"en": "all scenarios", "es": "todos los escenarios"},
    "applies.history": {"en": "history (before the as-of date)",
                        "es": "antecedentes (antes de la fecha de corte)"},
    "event.countdown": {"en": "countdown '{name}', {when}",
                        "es": "cuenta regresiva «{name}», {when}"},
    "event.step": {"en": "event '{name}', {when}", "es": "hito «{name}», {when}"},
    "event.probability": {"en": "happens on {p} of paths",
                          "es": "ocurre en el {p} de las trayectorias"},
    "item.regime": {"en": "border regime, {when}", "es": "régimen fronterizo, {when}"},
    "item.batch": {"en": "{kind} on {date}", "es": "{kind} el {date}"},
    "regime.open": {"en": "open", "es": "abierta"},
    "regime.closed": {"en": "closed", "es": "cerrada"},
    "regime.documents": {"en": "open to people with documents",
                         "es": "abierta a personas con documentos"},
    "regime.corridor": {"en": "humanitarian corridor", "es": "corredor humanitario"},
    "regime.capacity": {"en": "{n} people a day", "es": "{n} personas al día"},
    "regime.shock": {"en": "part of the crowd may leave at once on its first day",
                     "es": "parte del grupo puede irse de una vez el primer día"},
    "regime.cleared": {"en": "the crowd is cleared on its first day",
                       "es": "el grupo es desalojado el primer día"},
    "regime.inflow_cut": {"en": "arrivals cut on the near side while it lasts",
                          "es": "llegadas cortadas de este lado mientras dure"},
    "batch.flight": {"en": "flight", "es": "vuelo"},
    "batch.bus": {"en": "bus", "es": "bus"},
    # parameters: a short name for labels, a longer meaning for the posterior table
    "param.pool.short": {"en": "people who might head for the border",
                         "es": "personas que podrían dirigirse a la frontera"},
    "param.pool.long": {"en": "people without papers who might head for the border",
                        "es": "personas sin documentos que podrían dirigirse a la frontera"},
    "param.hazard.short": {"en": "daily chance of leaving", "es": "probabilidad diaria de partir"},
    "param.hazard.long": {
        "en": "baseline daily probability that one person of the pool heads to the border",
        "es": "probabilidad diaria base de que una persona del grupo parta hacia la frontera"},
    "param.intensity.short": {"en": "intensity of departures",
                              "es": "intensidad de las partidas"},
    "param.intensity.long": {"en": "multiplier of the daily chance specific to this file",
                             "es": "multiplicador de la probabilidad diaria propio de este "
                                   "archivo"},
    "param.arrival_size.short": {"en": "burstiness of arrivals",
                                 "es": "irregularidad de las llegadas"},
    "param.arrival_size.long": {
        "en": "negative-binomial size of daily arrivals (smaller = burstier)",
        "es": "tamaño binomial negativo de las llegadas diarias (menor = más irregular)"},
    "param.dispersal.short": {"en": "daily share leaving the area",
                              "es": "proporción diaria que deja la zona"},
    "param.dispersal.long": {
        "en": "daily share of stranded people who leave the border area (inland, shelters)",
        "es": "proporción diaria de personas varadas que deja la zona fronteriza (hacia el "
              "interior, albergues)"},
    "param.leak.short": {"en": "daily share crossing irregularly",
                         "es": "proporción diaria que cruza por pasos no habilitados"},
    "param.leak.long": {
        "en": "daily share of stranded people crossing through unofficial paths when closed",
        "es": "proporción diaria de personas varadas que cruza por pasos no habilitados "
              "cuando la frontera está cerrada"},
    "param.open_rate.short": {"en": "daily share crossing when open",
                              "es": "proporción diaria que cruza con la frontera abierta"},
    "param.open_rate.long": {
        "en": "daily share of stranded people who cross when the border is open",
        "es": "proporción diaria de personas varadas que cruza cuando la frontera está abierta"},
    "param.documents_share.short": {"en": "share holding accepted documents",
                                    "es": "proporción con documentos aceptados"},
    "param.documents_share.long": {
        "en": "share of stranded people holding documents the other side accepts",
        "es": "proporción de personas varadas con documentos que el otro país acepta"},
    "param.obs_noise.short": {"en": "error of press counts",
                              "es": "error de los conteos de prensa"},
    "param.obs_noise.long": {
        "en": "standard deviation of the log error of press counts",
        "es": "desviación estándar del error logarítmico de los conteos de prensa"},
    "param.deterred.short": {"en": "share deterred by a closure",
                             "es": "proporción disuadida por el cierre"},
    "param.deterred.long": {
        "en": "long-run share of arrivals deterred while the border stays closed",
        "es": "proporción de llegadas disuadidas a largo plazo mientras la frontera siga "
              "cerrada"},
    "param.deterrence_days.short": {"en": "days for deterrence to build up",
                                    "es": "días hasta que la disuasión se instala"},
    "param.deterrence_days.long": {
        "en": "days for the deterrence of a known closure to build up (time constant)",
        "es": "días que tarda en instalarse la disuasión de un cierre conocido (constante de "
              "tiempo)"},
    "param.shock.short": {"en": "share leaving at a declared change",
                          "es": "proporción que se va ante un cambio anunciado"},
    "param.shock.long": {
        "en": "share of stranded people who leave at once when a declared change starts",
        "es": "proporción de personas varadas que se va de una vez cuando empieza un cambio "
              "anunciado"},
    "param.clearance.short": {"en": "daily chance of a clearance",
                              "es": "probabilidad diaria de un desalojo"},
    "param.clearance.long": {
        "en": "daily probability of an undeclared clearance (police, organised transport)",
        "es": "probabilidad diaria de un desalojo no anunciado (policía, transporte "
              "organizado)"},
    "param.clearance_share.short": {"en": "share leaving at a clearance",
                                    "es": "proporción que se va en un desalojo"},
    "param.clearance_share.long": {
        "en": "share of stranded people who leave when the crowd is cleared",
        "es": "proporción de personas varadas que se va cuando se desaloja el grupo"},
    "param.drift.short": {"en": "drift of arrivals", "es": "deriva de las llegadas"},
    "param.drift.long": {
        "en": "daily standard deviation of the random walk of log arrival intensity",
        "es": "desviación estándar diaria del paseo aleatorio de la intensidad de llegadas "
              "(en logaritmo)"},
    "param.outlier.short": {"en": "share of outlying counts",
                            "es": "proporción de conteos atípicos"},
    "param.outlier.long": {
        "en": "probability that a press count is an outlier (its error four times wider)",
        "es": "probabilidad de que un conteo de prensa sea atípico (con un error cuatro veces "
              "mayor)"},
    "param.cut.short": {"en": "share of arrivals a near-side cut stops",
                        "es": "proporción de llegadas que frena un corte de este lado"},
    "param.cut.long": {
        "en": "share of arrivals stopped on the near side while a regime marked inflow_cut "
              "lasts",
        "es": "proporción de llegadas frenadas de este lado mientras dura un régimen marcado "
              "inflow_cut"},
    "param.stock_at_as_of.long": {"en": "people stranded on the as-of date",
                                  "es": "personas varadas en la fecha de corte"},
    # -- 8 sources -----------------------------------------------------------------------------
    "sources.subtitle": {"en": "Methods, how to rebuild this report, every dataset's sources",
                         "es": "Métodos, cómo reconstruir este informe, las fuentes de cada "
                               "conjunto de datos"},
    "sources.methods": {"en": "Methods", "es": "Métodos"},
    "method.stockflow": {
        "en": "Stranding: a daily stock-flow model. People of the irregular-resident pool "
              "decide to leave (calendar multipliers are centred on no effect unless a "
              "scenario says otherwise), arrive at the border, and cross, disperse or stay "
              "stranded depending on the border regime of the day (closed, documents only, "
              "corridor with a daily capacity, flights or buses). A known closure deters "
              "arrivals as time passes; a declared change (an emergency) moves part of the "
              "crowd at once and a clearance (police, buses; announced or not) most of it, "
              "each with its own share; a random walk lets arrivals drift so new "
              "counts move the forecast. Behaviour is pooled across episodes in a "
              "hierarchical model; each episode is calibrated on its press counts, treated as "
              "ranges with observation error; a count may be an outlier (a rumour, another "
              "group, an old figure).",
        "es": "Varamiento: un modelo diario de stock y flujos. Personas del grupo de residentes "
              "irregulares deciden partir (los multiplicadores del calendario se centran en "
              "ningún efecto salvo que un escenario diga otra cosa), llegan a la frontera y "
              "cruzan, se dispersan o quedan varadas según el régimen fronterizo del día "
              "(cerrada, solo con documentos, corredor con capacidad diaria, vuelos o buses). "
              "Un cierre conocido disuade llegadas con el tiempo; un cambio anunciado (una "
              "emergencia) mueve de una vez parte del grupo y un desalojo (policía, buses; "
              "anunciado o no) la mayor parte, cada uno con su propia proporción; un paseo "
              "aleatorio deja variar las llegadas, de modo que los nuevos conteos mueven el "
              "pronóstico. El comportamiento se comparte entre episodios en un modelo "
              "jerárquico; cada episodio se calibra con sus conteos de prensa, tratados como "
              "rangos con error de observación; un conteo puede ser atípico (un rumor, otro "
              "grupo, una cifra antigua)."},
    "method.uncertainty": {
        "en": "Uncertainty: each path draws its own parameters from the posterior and the "
              "scenario's priors, so parameter uncertainty reaches the bands. Scenarios share "
              "random numbers.",
        "es": "Incertidumbre: cada trayectoria extrae sus propios parámetros de la "
              "distribución posterior y de los supuestos del escenario, de modo que la "
              "incertidumbre de los parámetros llega a las bandas. Los escenarios comparten "
              "los números aleatorios."},
    "method.needs": {
        "en": "Needs: Sphere minimum standards at the 90th percentile: water {water} litres "
              "per person per day, on the person-days (window) and on the peak; shelter "
              "{shelter} m² of covered space per person at the peak.",
        "es": "Necesidades: estándares mínimos Esfera en el percentil 90: agua {water} litros "
              "por persona y día, sobre los días-persona (periodo) y sobre el máximo; albergue "
              "{shelter} m² de espacio cubierto por persona en el máximo."},
    "method.context": {"en": "Context forecasts: model {model}, sample paths, 80% and 95% "
                             "bands.",
                       "es": "Pronósticos de contexto: modelo {model}, trayectorias, bandas "
                             "de 80% y 95%."},
    "method.context_none": {"en": "Context forecasts: none in this build.",
                            "es": "Pronósticos de contexto: ninguno en esta versión."},
    "method.backtests": {
        "en": "Backtests: rolling origin, expanding window, scored against the latest vintage.",
        "es": "Pruebas retrospectivas: origen móvil, ventana creciente, evaluadas contra la "
              "versión más reciente de los datos."},
    "sources.reproducibility": {"en": "Reproducibility", "es": "Reproducibilidad"},
    "repro.version": {"en": "package version", "es": "versión del paquete"},
    "repro.command": {"en": "command to rebuild it", "es": "comando para reconstruirlo"},
    "repro.api": {
        "en": "forecast.reports.scenario_report(project('{file}', n_paths={paths}, "
              "seed={seed}), lang='{lang}')",
        "es": "forecast.reports.scenario_report(project('{file}', n_paths={paths}, "
              "seed={seed}), lang='{lang}')"},
    "repro.language": {"en": "language", "es": "idioma"},
    "repro.projection": {"en": "projection", "es": "proyección"},
    "repro.paths": {"en": "{n} paths per scenario, seed {seed}, as of {start}",
                    "es": "{n} trayectorias por escenario, semilla {seed}, al {start}"},
    "repro.seeds": {"en": "context and evidence seed", "es": "semilla de contexto y evidencia"},
    "repro.scenario_file": {"en": "scenario file {name}", "es": "archivo de escenarios {name}"},
    "repro.data": {"en": "data {name}", "es": "datos {name}"},
    "seed.context": {"en": "context", "es": "contexto"},
    "seed.backtests": {"en": "backtests", "es": "pruebas retrospectivas"},
    "seed.replay": {"en": "replay", "es": "reproducción"},
    "seed.none": {"en": "n/a (none given)", "es": "s/d (no se entregó ninguno)"},
    "sources.datasets": {"en": "Datasets and their sources",
                         "es": "Conjuntos de datos y sus fuentes"},
    "sources.quotes": {
        "en": "Titles and quotes of sources are given as published, in their own language.",
        "es": "Los títulos y las citas de las fuentes se dan tal como se publicaron, en su "
              "idioma original."},
}

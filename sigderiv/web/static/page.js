// The page's behaviour: live preview, derive (steps and plot), share link, check, practice.
import { ApiError, get, insertRendered, post } from "./api.js";
import { Plot } from "./plot.js";
import { showReport, summary } from "./report.js";

const $ = (id) => document.getElementById(id);
const PREVIEW_DELAY = 120; // ms after the last key before the preview is asked for

function setStatus(el, text, kind) {
  el.textContent = text;
  el.className = `status${kind ? ` ${kind}` : ""}`;
}

function errorText(error) {
  if (error instanceof ApiError) return error.message;
  return `Could not reach the server (${error.message}).`;
}

// Substeps fold away: a step's list of substeps the server did not already make collapsible
// goes in a <details> (open), its summary saying how many there are.
function foldSubsteps(root) {
  for (const list of root.querySelectorAll("ol.substeps")) {
    if (list.closest("details") || list.querySelector("details")) continue;
    const details = document.createElement("details");
    details.className = "substeps-toggle";
    details.open = true;
    const sumry = document.createElement("summary");
    const n = list.children.length;
    sumry.textContent = `${n} substep${n === 1 ? "" : "s"}`;
    list.replaceWith(details);
    details.append(sumry, list);
  }
}

// ---- live preview -------------------------------------------------------------------------
const preview = { timer: 0, controller: null, asked: "" };

function showParseError(text, error) {
  const box = $("parse-error");
  box.querySelector(".message").textContent = error.message;
  const source = box.querySelector(".source");
  const caret = box.querySelector(".caret");
  if (error.position !== null && error.position !== undefined) {
    source.textContent = text;
    caret.textContent = `${" ".repeat(Math.max(0, Math.min(error.position, text.length)))}^`;
  } else {
    source.textContent = "";
    caret.textContent = "";
  }
  box.hidden = false;
  $("expr").setAttribute("aria-invalid", "true");
}

function clearParseError() {
  $("parse-error").hidden = true;
  $("expr").removeAttribute("aria-invalid");
}

async function updatePreview() {
  const text = $("expr").value;
  if (text === preview.asked) return;
  preview.asked = text;
  if (preview.controller) preview.controller.abort();
  if (!text.trim()) {
    $("preview").replaceChildren();
    clearParseError();
    return;
  }
  preview.controller = new AbortController();
  $("preview").classList.add("stale");
  try {
    const shown = await get("preview", { expr: text }, preview.controller.signal);
    insertRendered($("preview"), shown.mathml);
    $("preview").classList.remove("stale");
    clearParseError();
  } catch (error) {
    if (error.name === "AbortError") return;
    $("preview").classList.remove("stale");
    if (error instanceof ApiError && error.status < 500) showParseError(text, error);
  }
}

function schedulePreview() {
  clearTimeout(preview.timer);
  preview.timer = setTimeout(updatePreview, PREVIEW_DELAY);
}

// ---- derive ---------------------------------------------------------------------------------
let plot = null;
let deriving = null;
let plotted = null; // the parameters of the derivation the plot shows

function formParams() {
  return {
    expr: $("expr").value.trim(),
    var: $("var").value.trim() || "x",
    order: $("order").value.trim() || "1",
    name: $("name").value.trim(),
  };
}

function shareUrl(params) {
  const query = new URLSearchParams();
  query.set("expr", params.expr);
  if (params.var !== "x") query.set("var", params.var);
  if (params.order !== "1") query.set("order", params.order);
  if (params.name) query.set("name", params.name);
  return `/?${query}`;
}

// Derive `params` into the steps box (and the plot, when `withPlot`); return true when shown.
async function derive(params, stepsBox, status, withPlot) {
  if (deriving) deriving.abort();
  const controller = new AbortController();
  deriving = controller;
  setStatus(status, "Deriving…", "busy");
  stepsBox.setAttribute("aria-busy", "true");
  const steps = get("steps", params, controller.signal);
  const samples = withPlot ? get("plot", params, controller.signal) : null;
  try {
    const shown = await steps;
    insertRendered(stepsBox, shown.html);
    foldSubsteps(stepsBox);
    setStatus(status, shown.verified ? "Derived: every step proven by SymPy ✓" : "Derived, but not every step could be proven", "");
  } catch (error) {
    if (error.name === "AbortError") return false;
    stepsBox.replaceChildren();
    setStatus(status, errorText(error), "error");
    if (withPlot) $("plot").hidden = true;
    return false;
  } finally {
    stepsBox.setAttribute("aria-busy", "false");
  }
  if (samples) {
    try {
      const data = await samples;
      $("plot").hidden = false;
      plotted = params;
      plot.show(data);
    } catch (error) {
      $("plot").hidden = true;
    }
  }
  return true;
}

async function onDerive(event) {
  if (event) event.preventDefault();
  const params = formParams();
  if (!params.expr) {
    $("expr").focus();
    return;
  }
  const url = shareUrl(params);
  history.replaceState(null, "", url);
  $("share").href = url;
  $("share").hidden = false;
  $("result").hidden = false;
  $("derive-button").disabled = true;
  try {
    await derive(params, $("steps"), $("status"), true);
  } finally {
    $("derive-button").disabled = false;
  }
}

// ---- check my working -----------------------------------------------------------------------
async function onCheck(event) {
  event.preventDefault();
  const lines = $("working").value.split("\n");
  if (!lines.some((l) => l.trim())) {
    $("working").focus();
    return;
  }
  setStatus($("check-status"), "Checking…", "busy");
  $("check-button").disabled = true;
  try {
    const report = await post("check", { lines, var: $("var").value.trim() || "x" });
    showReport($("check-report"), report);
    setStatus($("check-status"), summary(report), report.first_error ? "error" : "");
  } catch (error) {
    $("check-report").replaceChildren();
    setStatus($("check-status"), errorText(error), "error");
  } finally {
    $("check-button").disabled = false;
  }
}

// ---- practice -------------------------------------------------------------------------------
let current = null;

function practiceUrl(p) {
  return `/?practice=${encodeURIComponent(p.family)}&difficulty=${p.difficulty}&seed=${p.seed}`;
}

async function newProblem(params) {
  const feedback = $("feedback");
  setStatus(feedback, "Drawing a problem…", "busy");
  try {
    current = await get("practice", params);
  } catch (error) {
    setStatus(feedback, errorText(error), "error");
    return;
  }
  $("family").value = current.family;
  $("difficulty").value = String(current.difficulty);
  insertRendered($("problem"), current.mathml);
  $("problem-box").hidden = false;
  $("answer").value = "";
  $("answer-report").replaceChildren();
  $("practice-steps").replaceChildren();
  const url = practiceUrl(current);
  $("practice-link").href = url;
  history.replaceState(null, "", url);
  setStatus(feedback, "", "");
}

// The learner's answer as check's lines: `d/dx (problem) = first line`, then the rest.
export function answerLines(problemText, answer) {
  const lines = answer.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  if (!lines.length) return [];
  const first = lines[0].replace(/^(&?=)\s*/, "");
  return [`d/dx (${problemText}) = ${first}`, ...lines.slice(1)];
}

async function onGrade(event) {
  event.preventDefault();
  if (!current) return;
  const lines = answerLines(current.expr, $("answer").value);
  const feedback = $("feedback");
  if (!lines.length) {
    $("answer").focus();
    return;
  }
  setStatus(feedback, "Checking…", "busy");
  $("grade").disabled = true;
  try {
    const report = await post("check", { lines, var: "x" });
    showReport($("answer-report"), report);
    const last = report.lines[report.lines.length - 1];
    if (report.first_error === null && last && last.status === "correct") {
      setStatus(feedback, "Right: proven equal to the derivative ✓", "feedback right");
    } else if (report.first_error !== null) {
      setStatus(feedback, `Not quite: ${summary(report)}`, "feedback wrong");
    } else {
      setStatus(feedback, summary(report), "feedback");
    }
  } catch (error) {
    $("answer-report").replaceChildren();
    setStatus(feedback, errorText(error), "feedback wrong");
  } finally {
    $("grade").disabled = false;
  }
}

async function onShowSteps() {
  if (!current) return;
  await derive({ expr: current.expr, var: "x", order: "1" }, $("practice-steps"), $("feedback"), false);
}

// ---- start ----------------------------------------------------------------------------------
function start() {
  const resample = (lo, hi) => get("plot", { ...plotted, lo, hi });
  plot = new Plot($("plot-svg"), $("readout"), $("plot-keys"), resample);
  $("expr").addEventListener("input", schedulePreview);
  $("derive-form").addEventListener("submit", onDerive);
  $("zoom-in").addEventListener("click", () => plot.zoom(1 / 1.25));
  $("zoom-out").addEventListener("click", () => plot.zoom(1.25));
  $("zoom-reset").addEventListener("click", () => plot.reset());
  $("check-form").addEventListener("submit", onCheck);
  $("practice-form").addEventListener("submit", (e) => {
    e.preventDefault();
    newProblem({ family: $("family").value, difficulty: $("difficulty").value });
  });
  $("answer-form").addEventListener("submit", onGrade);
  $("show-steps").addEventListener("click", onShowSteps);
  // Ctrl+Enter (⌘+Enter) in a textarea submits its form; Enter alone starts a new line.
  for (const area of document.querySelectorAll("textarea")) {
    area.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        area.form.requestSubmit();
      }
    });
  }
  const query = new URLSearchParams(location.search);
  if (query.get("practice")) {
    newProblem({
      family: query.get("practice"),
      difficulty: query.get("difficulty") || "1",
      seed: query.get("seed"),
    });
    document.getElementById("practice").scrollIntoView();
  }
  if ($("expr").value.trim()) {
    updatePreview();
    if (query.get("expr")) onDerive(null);
  }
  document.documentElement.dataset.ready = "true";
}

start();

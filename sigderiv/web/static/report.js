// A check report (the `sigderiv check -f json` document) as a list, the first wrong line marked.
const MARKS = { correct: "✓", wrong: "✗", unknown: "?" };

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

// Fill `list` with one item per checked line; return the first wrong item, if any.
export function showReport(list, report) {
  list.replaceChildren();
  let first = null;
  for (const line of report.lines) {
    const item = document.createElement("li");
    item.className = line.status;
    item.dataset.line = String(line.number);
    item.append(span("mark", MARKS[line.status] || "·"), span("number", `line ${line.number}: `));
    item.append(span("line-text", line.text));
    if (line.status === "correct" && line.title) item.append(span("why", line.title));
    if (line.hint) item.append(span("why hint-text", line.hint));
    if (line.counterexample) {
      const c = line.counterexample;
      const where = Object.entries(c.point).map(([k, v]) => `${k} = ${v}`).join(", ");
      item.append(span("why", `At ${where} this line is ${c.line}; the derivative is ${c.derivative}.`));
    }
    if (report.first_error === line.number && first === null) {
      item.classList.add("first-error");
      item.setAttribute("aria-label", `First wrong line, line ${line.number}`);
      item.querySelector(".line-text").after(span("badge failed", "first wrong line"));
      first = item;
    }
    list.append(item);
  }
  return first;
}

// One sentence for the whole report.
export function summary(report) {
  const right = report.lines.filter((l) => l.status === "correct").length;
  const total = report.lines.length;
  if (report.first_error !== null && report.first_error !== undefined) {
    return `First error on line ${report.first_error}; ${right} of ${total} lines proven correct.`;
  }
  if (report.lines.some((l) => l.status === "unknown")) {
    return `${right} of ${total} lines proven correct; the others could not be decided.`;
  }
  return `All ${total} lines proven correct ✓`;
}

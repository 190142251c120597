// The plot of f and f′ from /api/plot's samples, drawn as SVG: hover for values, zoom and pan.
const SVG = "http://www.w3.org/2000/svg";
const PAD = { left: 52, right: 14, top: 14, bottom: 34 };

function node(name, attrs, parent) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (parent) parent.appendChild(el);
  return el;
}

// The y-range to show: all values, unless a pole would flatten the rest (model/plot.py's rule).
export function yWindow(series, x0, x1, xs) {
  const ys = [];
  for (const s of series) {
    s.y.forEach((y, i) => {
      if (y !== null && Number.isFinite(y) && xs[i] >= x0 && xs[i] <= x1) ys.push(y);
    });
  }
  if (!ys.length) return [-1, 1];
  ys.sort((a, b) => a - b);
  let lo = ys[0];
  let hi = ys[ys.length - 1];
  const cut = Math.floor(ys.length / 20);
  const qLo = ys[cut];
  const qHi = ys[ys.length - 1 - cut];
  if (hi - lo > 20 * Math.max(qHi - qLo, 1e-12)) [lo, hi] = [qLo, qHi];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const pad = 0.06 * (hi - lo);
  return [lo - pad, hi + pad];
}

// Round grid steps: 1, 2 or 5 times a power of ten, about `count` of them over the span.
export function ticks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return out;
}

export function format(value) {
  if (value === null || !Number.isFinite(value)) return "undefined";
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e5 || size < 1e-3)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

export class Plot {
  // `resample(lo, hi)` (optional) returns a promise of samples over a new x-range: after a
  // zoom or pan the plot asks for it, so a zoomed view is drawn from samples of its own range.
  constructor(svg, readout, keys, resample) {
    this.svg = svg;
    this.resample = resample;
    this.timer = 0;
    this.asked = 0;
    this.readout = readout;
    this.keys = keys;
    this.data = null;
    this.drag = null;
    svg.addEventListener("pointermove", (e) => this.onMove(e));
    svg.addEventListener("pointerleave", () => this.hideCross());
    svg.addEventListener("pointerdown", (e) => this.onDown(e));
    svg.addEventListener("pointerup", (e) => this.onUp(e));
    svg.addEventListener("pointercancel", (e) => this.onUp(e));
    svg.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    svg.addEventListener("keydown", (e) => this.onKey(e));
    svg.addEventListener("focus", () => this.showAt(this.focusX ?? this.middle()));
    this.W = 720;
    this.H = 380;
    // The drawing's units are CSS pixels at any width: labels stay legible on a phone.
    new ResizeObserver(() => {
      if (this.data && this.fit()) this.draw();
    }).observe(svg);
  }

  // Show new samples: {x, series: [{label, y}], dots: [{x, y, filled}], xlabel}.
  show(data) {
    this.asked += 1;
    clearTimeout(this.timer);
    this.data = data;
    this.original = data;
    this.home();
    this.keys.replaceChildren();
    data.series.forEach((s, i) => {
      const key = document.createElement("span");
      key.className = `key key-${i % 3}${s.dashed ? " dashed" : ""}`;
      this.keys.append(key, document.createTextNode(s.label));
    });
    this.svg.setAttribute(
      "aria-label",
      `Plot of ${data.series.map((s) => s.label).join(" and ")} against ${data.xlabel}`,
    );
    this.readout.textContent = "";
    this.draw();
  }

  home() {
    const xs = this.data.x;
    this.view = { x0: xs[0], x1: xs[xs.length - 1] };
    const ylim = this.data.ylim;
    [this.view.y0, this.view.y1] =
      ylim && ylim.length === 2 ? ylim : yWindow(this.data.series, this.view.x0, this.view.x1, xs);
    this.focusX = null;
  }

  middle() {
    return (this.view.x0 + this.view.x1) / 2;
  }

  sx(x) {
    return PAD.left + ((x - this.view.x0) / (this.view.x1 - this.view.x0)) * (this.W - PAD.left - PAD.right);
  }

  sy(y) {
    return PAD.top + ((this.view.y1 - y) / (this.view.y1 - this.view.y0)) * (this.H - PAD.top - PAD.bottom);
  }

  // The plot's x and y at a pointer event, through the SVG's own transform.
  toData(event) {
    const point = this.svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const local = point.matrixTransform(this.svg.getScreenCTM().inverse());
    const fx = (local.x - PAD.left) / (this.W - PAD.left - PAD.right);
    const fy = (local.y - PAD.top) / (this.H - PAD.top - PAD.bottom);
    return {
      x: this.view.x0 + fx * (this.view.x1 - this.view.x0),
      y: this.view.y1 - fy * (this.view.y1 - this.view.y0),
      inside: fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1,
    };
  }

  // Size the drawing to the box it is shown in; return true when that changed it.
  fit() {
    const width = Math.round(this.svg.getBoundingClientRect().width);
    if (!width) return false;
    const height = Math.round(Math.min(420, Math.max(240, width * 0.55)));
    if (width === this.W && height === this.H) return false;
    this.W = width;
    this.H = height;
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    return true;
  }

  draw() {
    const svg = this.svg;
    this.fit();
    svg.replaceChildren();
    const { x0, x1, y0, y1 } = this.view;
    const defs = node("defs", {}, svg);
    const clip = node("clipPath", { id: "plot-area" }, defs);
    node("rect", { x: PAD.left, y: PAD.top, width: this.W - PAD.left - PAD.right, height: this.H - PAD.top - PAD.bottom }, clip);
    const grid = node("g", {}, svg);
    for (const t of ticks(x0, x1, Math.max(4, Math.round(this.W / 90)))) {
      const X = this.sx(t);
      node("line", { x1: X, x2: X, y1: PAD.top, y2: this.H - PAD.bottom, class: "plot-grid" }, grid);
      const label = node("text", { x: X, y: this.H - PAD.bottom + 18, "text-anchor": "middle", class: "plot-label" }, grid);
      label.textContent = format(t);
    }
    for (const t of ticks(y0, y1, Math.max(4, Math.round(this.H / 60)))) {
      const Y = this.sy(t);
      node("line", { x1: PAD.left, x2: this.W - PAD.right, y1: Y, y2: Y, class: "plot-grid" }, grid);
      const label = node("text", { x: PAD.left - 6, y: Y + 4, "text-anchor": "end", class: "plot-label" }, grid);
      label.textContent = format(t);
    }
    if (y0 < 0 && y1 > 0) {
      node("line", { x1: PAD.left, x2: this.W - PAD.right, y1: this.sy(0), y2: this.sy(0), class: "plot-axis" }, grid);
    }
    if (x0 < 0 && x1 > 0) {
      node("line", { x1: this.sx(0), x2: this.sx(0), y1: PAD.top, y2: this.H - PAD.bottom, class: "plot-axis" }, grid);
    }
    const xl = node("text", { x: this.W - PAD.right, y: this.H - 4, "text-anchor": "end", class: "plot-label" }, grid);
    xl.textContent = this.data.xlabel;
    const curves = node("g", { "clip-path": "url(#plot-area)" }, svg);
    // f′ first, f on top, as the static plot draws them.
    const order = this.data.series.map((s, i) => i).reverse();
    for (const i of order) {
      const d = this.path(this.data.series[i].y);
      const dashed = this.data.series[i].dashed ? " dashed" : "";
      if (d) node("path", { d, class: `curve curve-${i % 3}${dashed}` }, curves);
    }
    for (const dot of this.data.dots || []) {
      if (dot.x < x0 || dot.x > x1 || dot.y < y0 || dot.y > y1) continue;
      const i = dot.series ?? 0;
      node("circle", {
        cx: this.sx(dot.x), cy: this.sy(dot.y), r: 4,
        class: `dot dot-${i % 3} ${dot.filled ? "filled" : "open"}`,
      }, curves);
    }
    this.cross = node("g", { class: "crosshair", visibility: "hidden" }, svg);
    this.crossLine = node("line", { y1: PAD.top, y2: this.H - PAD.bottom, class: "cross" }, this.cross);
    this.markers = this.data.series.map((s, i) => node("circle", { r: 4.5, class: `marker marker-${i % 3}` }, this.cross));
  }

  // The SVG path of one series: a gap at every null and wherever the curve leaves the view far.
  path(ys) {
    const xs = this.data.x;
    const { y0, y1 } = this.view;
    const span = y1 - y0;
    let d = "";
    let pen = false;
    for (let i = 0; i < xs.length; i += 1) {
      const y = ys[i];
      if (y === null || !Number.isFinite(y) || y > y1 + 10 * span || y < y0 - 10 * span) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${this.sx(xs[i]).toFixed(1)},${this.sy(y).toFixed(1)}`;
      pen = true;
    }
    return d;
  }

  // The sample nearest x, and every series' value there, in the crosshair and the readout.
  showAt(x) {
    if (!this.data) return;
    const xs = this.data.x;
    let best = 0;
    for (let i = 1; i < xs.length; i += 1) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
    const X = this.sx(xs[best]);
    this.focusX = xs[best];
    this.crossLine.setAttribute("x1", X);
    this.crossLine.setAttribute("x2", X);
    const parts = [`${this.data.xlabel} = ${format(xs[best])}`];
    this.data.series.forEach((s, i) => {
      const y = s.y[best];
      const marker = this.markers[i];
      const seen = y !== null && Number.isFinite(y) && y >= this.view.y0 && y <= this.view.y1;
      marker.setAttribute("visibility", seen ? "visible" : "hidden");
      if (seen) {
        marker.setAttribute("cx", X);
        marker.setAttribute("cy", this.sy(y));
      }
      parts.push(`${s.label} = ${format(y)}`);
    });
    this.cross.setAttribute("visibility", "visible");
    this.readout.textContent = parts.join("  ·  ");
  }

  hideCross() {
    if (this.cross && !this.drag) this.cross.setAttribute("visibility", "hidden");
  }

  onMove(event) {
    if (!this.data) return;
    const at = this.toData(event);
    if (this.drag) {
      const dx = at.x - this.drag.x;
      const dy = at.y - this.drag.y;
      this.view.x0 -= dx; this.view.x1 -= dx; this.view.y0 -= dy; this.view.y1 -= dy;
      this.draw();
      return;
    }
    if (at.inside) this.showAt(at.x);
    else this.hideCross();
  }

  onDown(event) {
    if (!this.data || event.button !== 0) return;
    this.drag = this.toData(event);
    this.svg.setPointerCapture(event.pointerId);
    this.svg.classList.add("dragging");
  }

  onUp(event) {
    if (!this.drag) return;
    this.drag = null;
    this.svg.classList.remove("dragging");
    this.changed();
    if (this.svg.hasPointerCapture(event.pointerId)) this.svg.releasePointerCapture(event.pointerId);
  }

  onWheel(event) {
    if (!this.data) return;
    event.preventDefault();
    const at = this.toData(event);
    this.zoom(event.deltaY < 0 ? 1 / 1.25 : 1.25, at.x, at.y);
  }

  // Zoom by `factor` (below 1: in) about the point (cx, cy), the view's middle by default.
  zoom(factor, cx, cy) {
    if (!this.data) return;
    const v = this.view;
    const x = cx ?? (v.x0 + v.x1) / 2;
    const y = cy ?? (v.y0 + v.y1) / 2;
    const width = (v.x1 - v.x0) * factor;
    if (width < 1e-6 || width > 1e6) return;
    v.x0 = x - (x - v.x0) * factor; v.x1 = x + (v.x1 - x) * factor;
    v.y0 = y - (y - v.y0) * factor; v.y1 = y + (v.y1 - y) * factor;
    this.draw();
    if (this.focusX !== null) this.showAt(this.focusX);
    this.changed();
  }

  // The view moved: ask for samples of its range a moment after the last move.
  changed() {
    if (!this.resample) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refine(), 250);
  }

  async refine() {
    const { x0, x1 } = this.view;
    const shown = this.data && this.data.range;
    if (shown && shown[0] === x0 && shown[1] === x1) return;
    const asked = ++this.asked;
    let data;
    try {
      data = await this.resample(x0, x1);
    } catch (_) {
      return; // the samples already shown stay
    }
    if (asked !== this.asked || !this.data) return;
    this.data = data;
    this.draw();
    if (this.focusX !== null) this.showAt(this.focusX);
  }

  reset() {
    if (!this.data) return;
    this.asked += 1; // a sample still on its way is for a view no longer shown
    clearTimeout(this.timer);
    this.data = this.original;
    this.home();
    this.draw();
  }

  pan(fx, fy) {
    const v = this.view;
    const dx = (v.x1 - v.x0) * fx;
    const dy = (v.y1 - v.y0) * fy;
    v.x0 += dx; v.x1 += dx; v.y0 += dy; v.y1 += dy;
    this.draw();
    this.changed();
  }

  onKey(event) {
    if (!this.data) return;
    const keys = {
      "+": () => this.zoom(1 / 1.25), "=": () => this.zoom(1 / 1.25), "-": () => this.zoom(1.25),
      "0": () => this.reset(), ArrowUp: () => this.pan(0, 0.1), ArrowDown: () => this.pan(0, -0.1),
      ArrowLeft: () => (event.shiftKey ? this.pan(-0.1, 0) : this.step(-1)),
      ArrowRight: () => (event.shiftKey ? this.pan(0.1, 0) : this.step(1)),
    };
    const act = keys[event.key];
    if (!act) return;
    event.preventDefault();
    act();
  }

  // Move the readout one sample left or right (the keyboard's hover).
  step(direction) {
    const xs = this.data.x;
    const width = (this.view.x1 - this.view.x0) / 60;
    const from = this.focusX ?? this.middle();
    this.showAt(Math.min(Math.max(from + direction * Math.max(width, xs[1] - xs[0]), xs[0]), xs[xs.length - 1]));
  }
}

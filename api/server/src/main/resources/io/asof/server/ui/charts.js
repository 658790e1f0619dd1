// Small SVG charts and the lineage graph, drawn as markup from plain data: no library.

/** Escapes text for HTML and SVG. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A number as people read it: at most 4 significant digits, thousands grouped. */
export function num(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e6)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
}

export function pct(share) {
  return share === null || share === undefined ? '–' : (share * 100).toFixed(1) + '%';
}

/**
 * Vertical bars, one group per bin, one bar per series.
 * bins: [{label, values: [..]}]; series: [{name, color}].
 */
export function barChart({ bins, series, cssClass = 'bar-chart', height = 190, format = pct }) {
  const width = Math.max(320, bins.length * (series.length * 18 + 14) + 60);
  const left = 44, bottom = 46, top = 10;
  const plotH = height - bottom - top, plotW = width - left - 10;
  const max = Math.max(1e-9, ...bins.flatMap(b => b.values));
  const groupW = plotW / Math.max(1, bins.length);
  const barW = Math.min(26, (groupW - 8) / series.length);
  let out = `<svg class="${esc(cssClass)}" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`;
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH - (plotH * i) / 4;
    out += `<line x1="${left}" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#e6e9ee"/>`;
    out += `<text x="${left - 6}" y="${y + 4}" font-size="10" text-anchor="end" fill="#6b7687">${esc(format((max * i) / 4))}</text>`;
  }
  bins.forEach((bin, i) => {
    const x0 = left + i * groupW + (groupW - barW * series.length) / 2;
    bin.values.forEach((value, s) => {
      const h = (plotH * value) / max;
      out += `<rect class="bar" x="${x0 + s * barW}" y="${top + plotH - h}" width="${barW - 2}" height="${Math.max(h, 0.5)}" fill="${series[s].color}"><title>${esc(series[s].name)} ${esc(bin.label)}: ${esc(format(value))}</title></rect>`;
    });
    const label = bin.label.length > 14 ? bin.label.slice(0, 13) + '…' : bin.label;
    out += `<text x="${left + i * groupW + groupW / 2}" y="${height - bottom + 14}" font-size="10" text-anchor="end" transform="rotate(-30 ${left + i * groupW + groupW / 2} ${height - bottom + 14})" fill="#3b4a63">${esc(label)}<title>${esc(bin.label)}</title></text>`;
  });
  return out + '</svg>';
}

/**
 * A histogram of bins with unequal widths on a value axis: each bar's area is its share, so that a
 * narrow bin holding many values stands tall. The axis ends at the last bin's lower edge (the 99th
 * percentile), so that a long tail does not squeeze the rest; the tail is a thin bar at the end. A
 * bin of one value (a tie) is drawn a few pixels wide. bins: [{lower, upper, share}].
 */
export function histogram(bins, { cssClass = 'histogram', width = 320, height = 170 } = {}) {
  const left = 10, right = 16, top = 10, bottom = 34, minW = 4;
  const plotW = width - left - right, plotH = height - top - bottom;
  const lo = bins[0].lower, max = bins[bins.length - 1].upper;
  const tail = bins.length > 1 && bins[bins.length - 1].lower > lo;
  const hi = tail ? bins[bins.length - 1].lower : max;
  const x = v => left + (hi > lo ? ((Math.min(v, hi) - lo) / (hi - lo)) * plotW : plotW / 2);
  const bars = bins.map((b, i) => {
    const last = tail && i === bins.length - 1;
    const x0 = last ? left + plotW : x(b.lower);
    const w = last ? minW : Math.max(minW, x(b.upper) - x0);
    return { ...b, x0: Math.min(x0, width - w), w, density: b.share / w };
  });
  const top1 = Math.max(1e-12, ...bars.map(b => b.density));
  let out = `<svg class="${esc(cssClass)}" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`;
  out += `<line x1="${left}" x2="${width - right + minW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#9aa5b5"/>`;
  for (const b of bars) {
    const h = (plotH * b.density) / top1;
    out += `<rect class="bar" x="${b.x0}" y="${top + plotH - h}" width="${b.w}" height="${Math.max(h, 0.5)}" fill="#2a5bd7" fill-opacity="0.85" stroke="#fff" stroke-width="0.5"><title>${esc(num(b.lower))} to ${esc(num(b.upper))}: ${esc(pct(b.share))} of values</title></rect>`;
  }
  out += `<text x="${left}" y="${height - 18}" font-size="10" fill="#3b4a63">min ${esc(num(lo))}</text>`;
  out += `<text x="${width - 2}" y="${height - 18}" font-size="10" text-anchor="end" fill="#3b4a63">${tail ? 'p99 ' + esc(num(hi)) + ' · ' : ''}max ${esc(num(max))}</text>`;
  const median = bins.length > 3 ? bins[3].lower : null;
  if (median !== null) {
    const mx = x(median);
    const anchor = mx < left + 40 ? 'start' : mx > width - 60 ? 'end' : 'middle';
    out += `<line x1="${mx}" x2="${mx}" y1="${top}" y2="${top + plotH}" stroke="#e07b39" stroke-dasharray="3 2"/>`;
    out += `<text x="${mx}" y="${height - 3}" font-size="10" text-anchor="${anchor}" fill="#e07b39">median ${esc(num(median))}</text>`;
  }
  return out + '</svg>';
}

/** Horizontal PSI bars per feature, with the 0.1 and 0.25 thresholds drawn. */
export function psiChart(features, { stable, significant }) {
  const rows = features.filter(f => f.psi !== null);
  const rowH = 22, left = 230, width = 640, top = 24;
  const height = top + rows.length * rowH + 10;
  const max = Math.max(significant * 1.4, ...rows.map(f => f.psi));
  const x = v => left + ((width - left - 20) * v) / max;
  const color = { stable: '#1f8a4c', moderate: '#b7791f', significant: '#c53030' };
  let out = `<svg class="drift-chart psi-chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`;
  for (const [value, name] of [[stable, 'stable < ' + stable], [significant, 'significant > ' + significant]]) {
    out += `<line x1="${x(value)}" x2="${x(value)}" y1="${top - 6}" y2="${height - 6}" stroke="#9aa5b5" stroke-dasharray="3 3"/>`;
    out += `<text x="${x(value)}" y="${top - 10}" font-size="10" text-anchor="middle" fill="#6b7687">${esc(name)}</text>`;
  }
  rows.forEach((f, i) => {
    const y = top + i * rowH;
    out += `<text x="${left - 8}" y="${y + 14}" font-size="11" text-anchor="end" fill="#1d2330">${esc(f.feature)}</text>`;
    out += `<rect class="bar psi" x="${left}" y="${y + 3}" width="${Math.max(1, x(f.psi) - left)}" height="${rowH - 7}" fill="${color[f.level] || '#888'}"><title>${esc(f.feature)}: PSI ${esc(num(f.psi))} (${esc(f.level)})</title></rect>`;
    out += `<text x="${x(f.psi) + 4}" y="${y + 14}" font-size="10" fill="#3b4a63">${esc(num(f.psi))}</text>`;
  });
  return out + '</svg>';
}

/**
 * Column lineage: warehouse tables and their columns on the left, the view's columns on the
 * right, an edge from each source column to each output column it feeds.
 */
export function lineageGraph(view) {
  const rowH = 20, headH = 26, gap = 18, boxW = 250, colX = 470, top = 10;
  const pos = new Map();
  let y = top;
  let boxes = '';
  for (const table of view.lineage.tables) {
    const h = headH + table.columns.length * rowH + 6;
    boxes += `<g class="lineage-source"><rect x="10" y="${y}" width="${boxW}" height="${h}" rx="6" fill="#f6f8fb" stroke="#c9d3e3"/>`;
    boxes += `<text x="20" y="${y + 18}" font-size="12" font-weight="600" fill="#1d2330">${esc(table.table)}</text>`;
    table.columns.forEach((c, i) => {
      const cy = y + headH + i * rowH + 10;
      pos.set(table.table + '.' + c, cy);
      boxes += `<text x="24" y="${cy + 4}" font-size="11" fill="#3b4a63">${esc(c)}</text>`;
    });
    boxes += '</g>';
    y += h + gap;
  }
  const leftH = y;
  const viewH = headH + view.columns.length * rowH + 6;
  const target = new Map();
  boxes += `<g class="lineage-target"><rect x="${colX}" y="${top}" width="${boxW}" height="${viewH}" rx="6" fill="#eef3fe" stroke="#9fb7ef"/>`;
  boxes += `<text x="${colX + 10}" y="${top + 18}" font-size="12" font-weight="600" fill="#1d2330">${esc(view.name)} v${esc(view.version)}</text>`;
  view.columns.forEach((c, i) => {
    const cy = top + headH + i * rowH + 10;
    target.set(c.name, cy);
    const weight = c.role === 'feature' ? '600' : '400';
    boxes += `<text x="${colX + 14}" y="${cy + 4}" font-size="11" font-weight="${weight}" fill="#1d2330">${esc(c.name)}<title>${esc(c.type)} · ${esc(c.role)}</title></text>`;
    boxes += `<text x="${colX + boxW - 8}" y="${cy + 4}" font-size="10" text-anchor="end" fill="#6b7687">${esc(c.type)}</text>`;
  });
  boxes += '</g>';
  let edges = '';
  for (const e of view.lineage.edges) {
    const y1 = pos.get(e.from), y2 = target.get(e.to);
    if (y1 === undefined || y2 === undefined) continue;
    const x1 = 10 + boxW, x2 = colX;
    edges += `<path class="lineage-edge" d="M${x1},${y1} C${x1 + 90},${y1} ${x2 - 90},${y2} ${x2},${y2}" fill="none" stroke="#7d97d6" stroke-opacity="0.7" stroke-width="1.3"><title>${esc(e.from)} → ${esc(e.to)}</title></path>`;
  }
  const height = Math.max(leftH, top + viewH + 10);
  return `<svg class="lineage-graph" role="img" aria-label="Column lineage of ${esc(view.name)}" viewBox="0 0 ${colX + boxW + 10} ${height}" width="${colX + boxW + 10}" height="${height}">${edges}${boxes}</svg>`;
}

const KEYWORDS = new Set(('select from where group by order having window as over partition range rows between ' +
  'preceding following current row and or not null is in join left right inner outer full cross on using ' +
  'case when then else end distinct union all with interval day hour minute second cast limit asc desc ' +
  'create table true false exists like filter lateral unnest').split(' '));

/** SQL as highlighted HTML: keywords, functions, strings, numbers, comments. */
export function highlightSql(sql) {
  const token = /(--[^\n]*)|('(?:[^']|'')*')|("(?:[^"]|"")*")|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)(?=\s*\()|([A-Za-z_][A-Za-z0-9_]*)|(\s+|.)/g;
  let out = '', m;
  while ((m = token.exec(sql)) !== null) {
    const [text, comment, str, quoted, number, fn, word] = m;
    if (comment) out += `<span class="com">${esc(text)}</span>`;
    else if (str) out += `<span class="str">${esc(text)}</span>`;
    else if (quoted) out += esc(text);
    else if (number) out += `<span class="num">${esc(text)}</span>`;
    else if (fn) out += KEYWORDS.has(fn.toLowerCase()) ? `<span class="kw">${esc(text)}</span>` : `<span class="fn">${esc(text)}</span>`;
    else if (word && KEYWORDS.has(word.toLowerCase())) out += `<span class="kw">${esc(text)}</span>`;
    else out += esc(text);
  }
  return out;
}

// The feature catalog: a page per hash route, each drawn from the JSON API under /v1.
import { esc, num, pct, barChart, histogram, psiChart, lineageGraph, highlightSql } from './charts.js';

const app = document.getElementById('app');
const TOKEN = 'asof.token';

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** GET a JSON document of the API, with the stored token when there is one. */
async function api(path) {
  const headers = { Accept: 'application/json' };
  const token = localStorage.getItem(TOKEN);
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(path, { headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.error || response.statusText);
  return body;
}

function badges(view) {
  let out = `<span class="badge ${esc(view.materialization)}">${esc(view.materialization)}</span>`;
  if ((view.windows || []).length) out += `<span class="badge aggregation">aggregation over ${esc(view.windows.join(', '))}</span>`;
  if (view.online) out += '<span class="badge online">online</span>';
  return out + `<span class="badge">v${esc(view.version)}</span>`;
}

function tags(list) {
  return (list || []).map(t => `<span class="tag">${esc(t)}</span>`).join('');
}

function when(text) {
  return text ? esc(text.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')) : '–';
}

// ---------------------------------------------------------------- catalog

async function catalog(query) {
  app.innerHTML = `
    <h1>Features</h1>
    <p class="muted">Search by name, description, owner, entity, tag or feature; every word must match.</p>
    <div class="card"><input id="search" type="search" placeholder="Search features, e.g. reads user" value="${esc(query)}" autofocus aria-label="Search features"></div>
    <div class="card"><ul class="results" id="results"><li class="muted">Loading…</li></ul></div>`;
  const input = document.getElementById('search');
  let pending;
  input.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      history.replaceState(null, '', '#/?q=' + encodeURIComponent(input.value));
      results(input.value);
    }, 200);
  });
  await results(query);
}

async function results(query) {
  const list = document.getElementById('results');
  const body = await api('/v1/catalog/views?q=' + encodeURIComponent(query));
  if (body.views.length === 0) {
    list.innerHTML = `<li class="muted">No view matches “${esc(query)}”. ${query ? 'Try fewer words.' : 'Apply a repository with ./asof apply.'}</li>`;
    return;
  }
  list.innerHTML = body.views.map(v => `
    <li class="view-result" data-view="${esc(v.name)}">
      <a class="name" href="#/views/${encodeURIComponent(v.name)}">${esc(v.name)}</a>${badges(v)}${tags(v.tags)}
      <div>${esc(v.description) || '<span class="muted">No description.</span>'}</div>
      <div class="meta">entity <b>${esc(v.entity)}</b> (${esc(v.key_columns.join(', '))}) · owner <b>${esc(v.owner || '–')}</b> ·
        features: <span class="mono">${esc(v.features.join(', '))}</span></div>
    </li>`).join('');
}

// ---------------------------------------------------------------- view

async function view(name) {
  const [v, stats] = await Promise.all([
    api('/v1/catalog/views/' + encodeURIComponent(name)),
    api('/v1/catalog/views/' + encodeURIComponent(name) + '/statistics'),
  ]);
  const fresh = v.freshness;
  const online = v.online_status;
  app.innerHTML = `
    <p class="muted"><a href="#/">Features</a> / ${esc(v.name)}</p>
    <h1>${esc(v.name)} ${badges(v)}</h1>
    <p>${esc(v.description)} ${tags(v.tags)}</p>
    <div class="grid">
      <div class="card"><h2>About</h2><dl class="facts">
        <dt>entity</dt><dd>${esc(v.entity)} (<span class="mono">${esc(v.key_columns.join(', '))}</span>)</dd>
        <dt>owner</dt><dd>${esc(v.owner || '–')}</dd>
        <dt>event time</dt><dd class="mono">${esc(v.event_time)}</dd>
        <dt>created time</dt><dd class="mono">${esc(v.created_time || '–')}</dd>
        ${v.windows.length ? `<dt>windows</dt><dd>${esc(v.windows.join(', '))}: each aggregate over each window, at every time</dd>` : `<dt>ttl</dt><dd>${esc(v.ttl || 'forever')}</dd>`}
        <dt>applied</dt><dd>${when(v.applied_at)}</dd></dl></div>
      <div class="card" id="freshness"><h2>Freshness</h2>${fresh ? `<dl class="facts">
        <dt>watermark</dt><dd>${when(fresh.watermark)}</dd>
        <dt>filled from</dt><dd>${when(fresh.filled_from)}</dd>
        <dt>last materialized</dt><dd>${when(fresh.last_materialized_at)}</dd>
        <dt>committed chunks</dt><dd>${num(fresh.committed_chunks)}</dd>
        <dt>table</dt><dd class="mono">${esc(fresh.table || '–')}</dd></dl>` :
        '<p class="muted">Virtual: computed when read, always as fresh as the warehouse.</p>'}</div>
      <div class="card" id="online"><h2>Online</h2>${online ? `<dl class="facts">
        <dt>state</dt><dd>${esc(online.state)} (${esc(online.mode)})</dd>
        <dt>version</dt><dd>v${esc(online.version)}</dd>
        <dt>loaded through</dt><dd>${when(online.loaded_through)}</dd>
        <dt>entities</dt><dd>${num(online.items)}</dd>
        <dt>table</dt><dd class="mono">${esc(online.table)}</dd></dl>` :
        `<p class="muted">Offline only. <span class="mono">./asof online enable ${esc(v.name)}</span> serves it.</p>`}</div>
    </div>
    <div class="card"><h2>SQL</h2><pre class="sql"><code>${highlightSql(v.sql)}</code></pre></div>
    <div class="card"><h2>Lineage</h2>
      <p class="muted">Which warehouse columns feed each column of the view.</p>
      <div class="lineage-wrap">${v.lineage.edges.length ? lineageGraph(v) : '<p class="muted">No warehouse columns feed it (a push view, or constants).</p>'}</div></div>
    <div class="card"><h2>Schema</h2><table><thead><tr><th>column</th><th>type</th><th>role</th>${v.windows.length ? '<th>window</th>' : ''}<th>description</th><th>from</th></tr></thead><tbody>
      ${v.columns.map(c => `<tr><td class="mono">${esc(c.name)}</td><td class="mono">${esc(c.type)}</td><td>${esc(c.role.replace('_', ' '))}</td>${v.windows.length ? `<td class="mono">${esc(c.window || '–')}</td>` : ''}<td>${esc(c.description)}</td><td class="mono">${esc(c.sources.join(', '))}</td></tr>`).join('')}
    </tbody></table></div>
    <div class="card" id="statistics"><h2>Statistics</h2>${statistics(stats)}</div>
    <div class="grid">
      <div class="card"><h2>Versions</h2><table><thead><tr><th>version</th><th>applied</th><th>retired</th></tr></thead><tbody>
        ${v.versions.map(x => `<tr><td>v${esc(x.version)}${x.current ? ' <span class="badge">current</span>' : ''}</td><td>${when(x.applied_at)}</td><td>${when(x.retired_at)}</td></tr>`).join('')}
      </tbody></table></div>
      <div class="card"><h2>Used by</h2>
        <h3>Training sets</h3>${v.training_sets.length ? '<ul>' + v.training_sets.map(t => `<li><a href="#/training-sets/${encodeURIComponent(t.name)}">${esc(t.name)}</a> <span class="muted">${t.last_build ? num(t.last_build.rows) + ' rows, built ' + when(t.last_build.built_at) : 'never built'}</span></li>`).join('') + '</ul>' : '<p class="muted">None.</p>'}
        <h3>Feature services</h3>${v.feature_services.length ? '<ul>' + v.feature_services.map(s => `<li><b>${esc(s.name)}</b> <span class="muted">${esc(s.description)}</span></li>`).join('') + '</ul>' : '<p class="muted">None.</p>'}
      </div>
    </div>`;
}

function statistics(stats) {
  if (stats.note) return `<p class="muted">${esc(stats.note)}.</p>`;
  const withData = stats.features.filter(f => f.latest);
  if (withData.length === 0) {
    return `<p class="muted">No statistics yet: they are recorded per committed chunk by <span class="mono">./asof backfill ${esc(stats.view)}</span>.</p>`;
  }
  const latest = withData[0].latest;
  let out = `<p class="muted">From the latest committed backfill chunk, ${when(latest.from)} to ${when(latest.to)} (job ${esc(latest.job_id)}), with ${num(withData[0].chunks.length)} chunk(s) recorded.</p>`;
  out += '<table><thead><tr><th>feature</th><th>type</th><th class="num">rows</th><th class="num">nulls</th><th class="num">min</th><th class="num">mean</th><th class="num">max</th><th class="num">distinct</th></tr></thead><tbody>';
  for (const f of withData) {
    const l = f.latest;
    out += `<tr><td class="mono">${esc(f.name)}</td><td class="mono">${esc(f.type)}</td><td class="num">${num(l.rows)}</td><td class="num">${pct(l.rows ? l.nulls / l.rows : null)}</td><td class="num">${num(l.min)}</td><td class="num">${num(l.mean)}</td><td class="num">${num(l.max)}</td><td class="num">${num(l.distinct)}</td></tr>`;
  }
  out += '</tbody></table><div class="chart-row">';
  for (const f of withData) {
    let chart;
    if (f.histogram.length) {
      chart = histogram(f.histogram);
    } else if (f.latest.top_values.length) {
      const total = f.latest.rows - f.latest.nulls;
      chart = barChart({ cssClass: 'histogram', bins: f.latest.top_values.map(t => ({ label: t.value, values: [total ? t.count / total : 0] })), series: [{ name: f.name, color: '#2a5bd7' }] });
    } else {
      chart = `<p class="muted">earliest ${esc(f.latest.earliest || '–')}, latest ${esc(f.latest.latest || '–')}</p>`;
    }
    out += `<div class="chart"><h4 class="mono">${esc(f.name)}</h4>${chart}</div>`;
  }
  return out + '</div><p class="muted">Numeric features: bins between the chunk\'s minimum, its 1st, 25th, 50th, 75th and 99th percentiles and its maximum, each bar\'s area the share of values in it. Categorical features: the share of each most frequent value.</p>';
}

// ---------------------------------------------------------------- training sets

async function trainingSets() {
  const body = await api('/v1/catalog/training-sets');
  app.innerHTML = `<h1>Training sets</h1><div class="card"><table><thead><tr><th>name</th><th>description</th><th class="num">builds</th><th class="num">rows (last)</th><th>last built</th></tr></thead><tbody>
    ${body.training_sets.map(t => `<tr><td><a href="#/training-sets/${encodeURIComponent(t.name)}">${esc(t.name)}</a>${t.in_repository ? '' : ' <span class="badge">ad hoc</span>'}</td><td>${esc(t.description)}</td><td class="num">${num(t.build_count)}</td><td class="num">${t.last_build ? num(t.last_build.rows) : '–'}</td><td>${t.last_build ? when(t.last_build.built_at) : 'never'}</td></tr>`).join('') || '<tr><td colspan="5" class="muted">No training sets.</td></tr>'}
  </tbody></table></div>`;
}

async function trainingSet(name) {
  const t = await api('/v1/catalog/training-sets/' + encodeURIComponent(name));
  app.innerHTML = `
    <p class="muted"><a href="#/training-sets">Training sets</a> / ${esc(t.name)}</p>
    <h1>${esc(t.name)}</h1><p>${esc(t.description)}</p>
    <div class="grid">
      <div class="card"><h2>Definition</h2><dl class="facts">
        <dt>timestamp</dt><dd class="mono">${esc(t.timestamp || '–')}</dd>
        <dt>label</dt><dd class="mono">${esc(t.label || '–')}</dd>
        <dt>features</dt><dd class="mono">${t.features.map(f => `<a href="#/views/${encodeURIComponent(f.split(':')[0].split('@')[0])}">${esc(f)}</a>`).join('<br>') || '–'}</dd>
        <dt>service</dt><dd>${esc(t.feature_service || '–')}</dd></dl></div>
      ${t.spine_sql ? `<div class="card"><h2>Spine</h2><pre class="sql"><code>${highlightSql(t.spine_sql)}</code></pre></div>` : ''}
    </div>
    <div class="card" id="builds"><h2>Snapshots</h2><table><thead><tr><th>snapshot</th><th class="num">rows</th><th>built</th><th class="num">seconds</th><th>feature versions</th></tr></thead><tbody>
      ${t.builds.map(b => `<tr><td class="mono">${esc(b.snapshot_id)}</td><td class="num">${num(b.rows)}</td><td>${when(b.built_at)}</td><td class="num">${num(b.seconds)}</td><td class="mono">${esc(Object.entries(b.feature_versions).map(([k, v]) => k + ' v' + v).join(', '))}</td></tr>`).join('') || '<tr><td colspan="5" class="muted">Never built: ./asof training-set build ' + esc(t.name) + '</td></tr>'}
    </tbody></table></div>
    <div class="card" id="drift"><h2>Drift</h2><p class="muted">Comparing the latest build with each view's most recent backfilled window…</p></div>`;
  if (t.builds.length) await drift(name);
  else document.getElementById('drift').innerHTML = '<h2>Drift</h2><p class="muted">Build the training set to compare it with its views.</p>';
}

/** A bin's label, its numbers rounded for a chart's axis. */
function binLabel(bin) {
  if (bin.category !== null || (bin.lower === null && bin.upper === null)) return bin.label;
  if (bin.lower === null) return '< ' + num(bin.upper);
  if (bin.upper === null) return '≥ ' + num(bin.lower);
  return num(bin.lower) + '–' + num(bin.upper);
}

async function drift(name) {
  const box = document.getElementById('drift');
  let report;
  try {
    report = await api('/v1/training-sets/' + encodeURIComponent(name) + '/drift');
  } catch (e) {
    box.innerHTML = `<h2>Drift</h2><p class="error card">${esc(e.message)}</p>`;
    return;
  }
  const th = report.thresholds;
  const compared = report.features.filter(f => f.psi !== null);
  const skipped = report.features.filter(f => f.psi === null);
  let out = `<h2>Drift</h2><p class="muted">Snapshot ${esc(report.snapshot_id)} (built ${when(report.built_at)}) against each view's most recent backfilled window (of an aggregation view, its features evaluated over the last 30 days of its events).
    PSI below ${th.stable_below} is stable, up to ${th.significant_above} moderate, above it significant.</p>`;
  if (compared.length) {
    out += psiChart(compared, { stable: th.stable_below, significant: th.significant_above });
    out += `<div class="legend"><i style="background:var(--training)"></i>training set<i style="background:var(--window)"></i>latest window</div><div class="chart-row">`;
    for (const f of compared) {
      out += `<div class="chart"><h4><span class="mono">${esc(f.feature)}</span> <span class="badge ${esc(f.level)}">PSI ${esc(num(f.psi))} · ${esc(f.level)}</span></h4>
        ${barChart({ cssClass: 'drift-chart bins', bins: f.bins.map(b => ({ label: binLabel(b), values: [b.training_share, b.window_share] })), series: [{ name: 'training set', color: '#2a5bd7' }, { name: 'window', color: '#e07b39' }] })}
        <div class="muted">${f.window.source === 'evaluated' ? 'evaluated from its events' : 'backfilled window'} ${when(f.window.from)} – ${when(f.window.to)}</div></div>`;
    }
    out += '</div>';
  }
  if (skipped.length) {
    out += '<h3>Not compared</h3><table><tbody>' + skipped.map(f => `<tr><td class="mono">${esc(f.feature)}</td><td>${esc(f.reason)}</td></tr>`).join('') + '</tbody></table>';
  }
  box.innerHTML = out;
}

// ---------------------------------------------------------------- routing

function tokenForm(message) {
  app.innerHTML = `<div class="card"><h2>This server needs an API token</h2><p class="muted">${esc(message)}</p>
    <form id="token"><input type="password" name="token" placeholder="token" aria-label="API token"> <p><button>Use this token</button></p></form>
    <p class="muted">It is kept in this browser's local storage.</p></div>`;
  document.getElementById('token').addEventListener('submit', e => {
    e.preventDefault();
    localStorage.setItem(TOKEN, new FormData(e.target).get('token'));
    route();
  });
}

async function route() {
  const hash = decodeURIComponent(location.hash.slice(1) || '/');
  const [path, search] = hash.split('?');
  const parts = path.split('/').filter(Boolean);
  try {
    if (parts[0] === 'views' && parts[1]) await view(parts[1]);
    else if (parts[0] === 'training-sets' && parts[1]) await trainingSet(parts[1]);
    else if (parts[0] === 'training-sets') await trainingSets();
    else await catalog(new URLSearchParams(search || '').get('q') || '');
  } catch (e) {
    if (e.status === 401) tokenForm(e.message);
    else app.innerHTML = `<div class="card error"><h2>${e.status === 404 ? 'Not found' : 'Something went wrong'}</h2><p>${esc(e.message)}</p><p><a href="#/">Back to the catalog</a></p></div>`;
  }
}

window.addEventListener('hashchange', () => {
  // the search box rewrites its own hash; re-rendering would lose the focus
  if (!(location.hash.startsWith('#/?') && document.getElementById('search'))) route();
});
route();

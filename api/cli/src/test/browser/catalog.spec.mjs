// The web UI in a real browser: Debian's Chromium, headless, driven by playwright-core.
// TestCatalogUi starts the server over a loaded stack and runs:
//   node catalog.spec.mjs BASE_URL SCREENSHOT_DIR CHROMIUM
// It exits 0 when every check passes, else prints what failed and exits 1.
import { chromium } from 'playwright-core';

const [base, shots, executablePath] = process.argv.slice(2);
if (!base || !shots || !executablePath) {
  console.error('usage: node catalog.spec.mjs BASE_URL SCREENSHOT_DIR CHROMIUM');
  process.exit(2);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log('ok - ' + message);
}

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', e => errors.push(e.message));
  // a 404 the page asked for on purpose (an unknown view) is logged as a failed load: not an error
  page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  page.on('response', r => { if (r.status() >= 500) errors.push(r.status() + ' from ' + r.url()); });

  // the server's root leads to the catalog; a search finds a feature by a word of its description
  await page.goto(base + '/');
  check(page.url().startsWith(base + '/ui/'), 'the root redirects to the UI: ' + page.url());
  const shown = () => page.locator('li.view-result').evaluateAll(items => items.map(i => i.dataset.view).join());
  async function search(words, expected) {
    await page.locator('#search').fill(words);
    await page.waitForURL(url => url.hash === '#/?q=' + encodeURIComponent(words));
    await page.waitForFunction(
      want => [...document.querySelectorAll('li.view-result')].map(i => i.dataset.view).join() === want,
      expected, { timeout: 10000 }).catch(() => {});
    check((await shown()) === expected, `searching "${words}" finds ${expected}: ${await shown()}`);
  }
  await page.waitForSelector('li.view-result');
  check((await page.locator('li.view-result').count()) === 10, 'the catalog lists the 10 views');
  await search('time spent', 'user_engagement');
  await search('reads_7d', 'user_engagement');
  await search('recsys', 'article_popularity,user_category_affinity,user_engagement');
  await page.screenshot({ path: shots + '/catalog.png', fullPage: true });

  // an aggregation view's page: its SQL and its windows
  await page.locator('li.view-result[data-view="user_engagement"] a.name').click();
  await page.waitForSelector('pre.sql');
  const aggregation = await page.locator('pre.sql').first().innerText();
  check(aggregation.includes('FROM dwh.reactions') && aggregation.includes('GROUP BY user_id'), 'the aggregation view page shows its SQL');
  check((await page.locator('body').innerText()).includes('aggregation over 7d, 30d'), 'the aggregation view page shows its windows');

  // the backfilled view's page: its SQL, highlighted, its lineage graph, freshness and statistics
  await page.goto(base + '/ui/#/views/article_daily_ctr');
  await page.waitForFunction(() => (document.querySelector('pre.sql') || {}).innerText?.includes('dwh.impressions'), null, { timeout: 10000 }).catch(() => {});
  const sql = await page.locator('pre.sql').first().innerText();
  check(sql.includes('FROM dwh.impressions') && sql.includes('OVER w7 AS ctr_7d'), 'the view page shows its SQL');
  check(await page.locator('pre.sql span.kw').count() > 5, 'the SQL is highlighted');
  const edges = await page.locator('svg.lineage-graph path.lineage-edge').count();
  check(edges >= 5, 'the lineage graph draws its edges: ' + edges);
  const sources = await page.locator('svg.lineage-graph g.lineage-source text').allTextContents();
  check(sources.some(t => t.endsWith('dwh.impressions')) && sources.includes('clicked'), 'the lineage graph names the warehouse table and columns: ' + sources.slice(0, 4));
  check((await page.locator('#freshness').innerText()).includes('watermark'), 'the freshness card shows the watermark');
  check(await page.locator('#statistics svg.histogram rect.bar').count() > 0, 'the statistics histograms render');
  check((await page.locator('body').innerText()).includes('daily_ctr_model'), 'the view page names the training set that uses it');
  await page.screenshot({ path: shots + '/view.png', fullPage: true });

  // the training set page: snapshots, and the drift charts
  await page.locator('a[href="#/training-sets/daily_ctr_model"]').first().click();
  await page.waitForSelector('#builds td.num');
  await page.waitForSelector('svg.drift-chart');
  const psiBars = await page.locator('svg.psi-chart rect.bar').count();
  check(psiBars >= 3, 'the drift chart draws a PSI bar per compared feature: ' + psiBars);
  const binBars = await page.locator('svg.drift-chart.bins rect.bar').count();
  check(binBars >= 6, 'each compared feature has its bins drawn, both sides: ' + binBars);
  check((await page.locator('#drift').innerText()).includes('Not compared'), 'features that cannot be compared say why');
  await page.screenshot({ path: shots + '/training-set.png', fullPage: true });

  // an unknown view is a page that says so, with the nearest name
  await page.goto(base + '/ui/#/views/user_engagment');
  await page.waitForSelector('.error');
  check((await page.locator('.error').innerText()).includes('did you mean user_engagement?'), 'an unknown view suggests the nearest');

  check(errors.length === 0, 'no script errors: ' + errors.join('; '));
} catch (e) {
  console.error('not ok - ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}

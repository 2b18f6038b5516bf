// The sample app's page: calls the JSON API of sample-app/server.ts and renders the results.
const $ = (id) => document.getElementById(id);

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function cell(row, text, className) {
  const td = row.insertCell();
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function render(hits, hybrid, status) {
  const tbody = $('results').querySelector('tbody');
  tbody.replaceChildren();
  $('measure').textContent = hybrid ? 'score (vector / text rank)' : 'distance';
  for (const hit of hits) {
    const row = tbody.insertRow();
    row.className = 'hit';
    row.dataset.id = hit.id;
    cell(row, hit.rank, 'num');
    cell(row, hybrid ? `${hit.score.toFixed(4)} (${hit.vectorRank ?? '–'} / ${hit.textRank ?? '–'})` : hit.distance.toFixed(4), 'num distance');
    const text = cell(row, '');
    const title = document.createElement('strong');
    title.className = 'title';
    title.textContent = hit.title;
    const body = document.createElement('div');
    body.className = 'body';
    body.textContent = hit.body;
    text.append(title, body);
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = hit.category;
    row.insertCell().append(tag);
    cell(row, hit.published, 'num');
    const more = document.createElement('a');
    more.href = `#similar-${hit.id}`;
    more.className = 'more';
    more.textContent = 'more like this';
    more.addEventListener('click', (event) => { event.preventDefault(); similar(hit.id); });
    row.insertCell().append(more);
  }
  $('results').hidden = hits.length === 0;
  $('status').textContent = status;
}

async function search(event) {
  if (event) event.preventDefault();
  const q = $('q').value.trim();
  if (!q) return;
  const params = new URLSearchParams({ q, k: '10' });
  if ($('category').value) params.set('category', $('category').value);
  if ($('since').value) params.set('since', $('since').value);
  const hybrid = $('hybrid').checked;
  if (hybrid) params.set('hybrid', '1');
  $('status').textContent = 'searching…';
  try {
    const { hits } = await api(`/api/search?${params}`);
    render(hits, hybrid, hits.length ? `${hits.length} results for “${q}”${hybrid ? ' (hybrid: findHybrid)' : ' (findNearest, cosine distance)'}` : 'No texts match.');
  } catch (error) {
    $('status').textContent = `Error: ${error.message}`;
  }
}

async function similar(id) {
  $('status').textContent = 'searching…';
  const { source, hits } = await api(`/api/similar/${id}?k=10`);
  render(hits, false, `Texts like #${source.id} “${source.title}”`);
}

async function start() {
  const info = await api('/api/info');
  $('backend').textContent = `${info.backend} · ${info.rows} texts · embedder ${info.embedder}`;
  for (const name of info.categories) $('category').add(new Option(name, name));
  $('search').addEventListener('submit', search);
  $('category').addEventListener('change', () => $('q').value && search());
  $('hybrid').addEventListener('change', () => $('q').value && search());
  document.body.dataset.ready = 'true';
}

start().catch((error) => { $('backend').textContent = `Error: ${error.message}`; });

/*
 * The Search tab: where and when was this person seen? Sends a dropped or chosen photo, or an enrolled
 * person's id, to POST /api/v1/search and lists the hits (crop, camera, time, cosine) best first. Loaded after
 * dashboard.js and uses its helpers ($, el, api, thumbnail, formatTime, formatScore, setMessage) and its tab
 * registry (TABS, onShow), which it joins before dashboard.js's start() finishes signing in. No inline script or
 * handler (the page's Content-Security-Policy allows none).
 */
'use strict';

const SEARCH_LIMIT = 100;

TABS.push('search');
onShow.search = () => loadSearchIdentities();
$('tab-search').addEventListener('click', () => { location.hash = 'search'; });

async function loadSearchIdentities() {
  const select = $('search-identity');
  const chosen = select.value;
  const identities = await api('GET', '/api/v1/identities');
  select.replaceChildren(el('option', { value: '' }, '—'),
    ...identities.map((i) => el('option', { value: i.id }, `${i.name} (${i.samples})`)));
  select.value = identities.some((i) => i.id === chosen) ? chosen : '';
}

function searchParams() {
  const params = new URLSearchParams({ limit: String(SEARCH_LIMIT) });
  const camera = $('search-camera').value.trim();
  if (camera) params.set('camera', camera);
  const minScore = $('search-min-score').value.trim();
  if (minScore) params.set('minScore', minScore);
  return params;
}

async function runSearch(body, contentType, what) {
  const message = $('search-message');
  setMessage(message, `Searching for ${what}…`);
  $('search-hits').replaceChildren();
  try {
    const page = await api('POST', `/api/v1/search?${searchParams()}`, body, contentType);
    renderSearch(page);
    setMessage(message, `${page.items.length} ${page.items.length === 1 ? 'face' : 'faces'} like ${what}`, true);
  } catch (e) {
    $('search-empty').hidden = false;
    $('search-empty').textContent = 'No results.';
    setMessage(message, e.message, false);
  }
}

function renderSearch(page) {
  $('search-hits').replaceChildren(...page.items.map(searchHit));
  $('search-empty').hidden = page.items.length > 0;
  $('search-empty').textContent = 'No past face is that similar.';
  $('search-windows').textContent = page.windows.length
    ? 'Searched: ' + page.windows.map((w) => `${w.modelVersion} ${formatTime(w.from)} – ${formatTime(w.to)}`
      + (page.queryModels.includes(w.modelVersion) ? '' : ' (not comparable with this query)')).join('; ')
    : 'Nothing indexed yet.';
}

function searchHit(hit) {
  return el('li', {
    className: 'card', 'data-testid': 'search-hit', 'data-face-id': hit.faceId, 'data-camera': hit.cameraId,
    'data-sighting-id': hit.sightingId,
  },
  thumbnail({ faceId: hit.faceId, thumbnailUrl: hit.cropUrl }, 96),
  el('div', { className: 'info' },
    el('span', { className: 'score', 'data-testid': 'search-hit-score', title: 'cosine to the query' },
      `cos ${formatScore(hit.score)}`),
    el('span', { className: 'meta' },
      el('span', { 'data-testid': 'search-hit-camera' }, hit.cameraId), ' · ',
      el('time', { 'data-testid': 'search-hit-time', dateTime: hit.capturedAt }, formatTime(hit.capturedAt))),
    el('a', { href: hit.frameUrl, target: '_blank', rel: 'noopener', className: 'meta' }, 'frame')));
}

function searchPhoto(file) {
  if (!file) return;
  runSearch(file, file.type || 'application/octet-stream', file.name);
}

$('search-file').addEventListener('change', () => {
  searchPhoto($('search-file').files[0]);
  $('search-file').value = '';
});
$('search-identity').addEventListener('change', () => {
  const select = $('search-identity');
  if (select.value) {
    runSearch({ identityId: select.value }, undefined, select.selectedOptions[0].textContent);
  }
});
const searchDrop = $('search-drop');
searchDrop.addEventListener('dragover', (event) => {
  event.preventDefault();
  searchDrop.classList.add('over');
});
searchDrop.addEventListener('dragleave', () => searchDrop.classList.remove('over'));
searchDrop.addEventListener('drop', (event) => {
  event.preventDefault();
  searchDrop.classList.remove('over');
  searchPhoto(event.dataTransfer && event.dataTransfer.files[0]);
});

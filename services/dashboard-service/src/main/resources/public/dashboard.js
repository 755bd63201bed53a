/*
 * FaceStream security dashboard. Plain JavaScript, no build step, no network beyond this origin, no inline
 * script or handler in the page (a Content-Security-Policy without 'unsafe-inline' must keep working).
 * The HTTP contract is services/dashboard-service/API.md. The server enforces roles; hiding operator
 * controls from viewers here is only for their convenience.
 */
'use strict';

const LIVE_LIMIT = 50;     // matches loaded at start (API: /api/v1/matches?limit=N)
const LIVE_KEEP = 200;     // matches kept on screen
const SIGHTINGS_LIMIT = 100; // sightings loaded at start (API: /api/v1/sightings?limit=N)
const SIGHTINGS_KEEP = 200;  // sightings kept on screen
const REVIEW_LIMIT = 100;
const RECONNECT_MS = 3000; // after the stream is closed for good (e.g. the service restarted)

const state = {
  user: null,
  operator: false,
  matches: [],             // most recent first
  matchIds: new Set(),
  sightings: new Map(),    // sighting id → its latest state
  liveView: 'sightings',   // or 'matches'
  sightingStream: null,
  cameras: new Set(),
  identities: [],
  stream: null,
  reconnectTimer: null,
  charts: {},
  modelsTimer: null,
};

// ---------- small helpers ----------

const $ = (id) => document.getElementById(id);

/** Creates an element; attrs go to properties or, for data-/aria- names, attributes. Children: nodes or text. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role' || key === 'for') {
      node.setAttribute(key, value);
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node[key] = value;
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** fetch() against our API: JSON in and out, the session cookie, and a trip to the login page on 401. */
async function api(method, path, body, contentType) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    if (contentType) {
      init.body = body;
      init.headers['Content-Type'] = contentType;
    } else {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    location.href = '/login.html';
    throw new HttpError(401, 'not signed in');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (!response.ok) {
    const reason = (data && (data.error || data.message)) || text || response.statusText;
    throw new HttpError(response.status, `${response.status}: ${reason}`);
  }
  return data;
}

function toDate(value) {
  if (value === undefined || value === null) return null;
  const d = new Date(value);
  return isNaN(d.getTime()) ? null : d;
}

function formatTime(value) {
  const d = toDate(value);
  if (!d) return '—';
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.toLocaleDateString()} ${time}`;
}

function formatDuration(ms) {
  if (typeof ms !== 'number' || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatScore(score) {
  return typeof score === 'number' ? score.toFixed(3) : '—';
}

function bestCandidate(match) {
  return (match.candidates && match.candidates.length) ? match.candidates[0] : null;
}

function thumbnail(match, size) {
  const img = el('img', {
    className: 'thumb', alt: 'face', width: size, height: size, loading: 'lazy',
    src: match.thumbnailUrl || `/api/v1/faces/${encodeURIComponent(match.faceId || match.bestFaceId)}/crop.png`,
    'data-testid': 'thumbnail',
  });
  img.addEventListener('error', () => { img.removeAttribute('src'); img.alt = 'no image'; }, { once: true });
  return img;
}

function badge(decision) {
  return el('span', { className: `badge ${decision}`, 'data-testid': 'decision' }, decision);
}

function setMessage(node, text, ok) {
  node.textContent = text;
  node.classList.toggle('ok', ok === true);
  node.classList.toggle('failed', ok === false);
}

// ---------- tabs ----------

const TABS = ['live', 'review', 'identities', 'cameras', 'stats', 'models'];
const JOB_POLL_MS = 2000;  // while a retraining job runs and the Models tab is open
const onShow = {
  live: () => {},
  review: () => loadReview(),
  identities: () => loadIdentities(),
  cameras: () => loadCameras(),
  stats: () => loadStats(),
  models: () => loadModels(),
};

function showTab(name) {
  if (!TABS.includes(name)) name = 'live';
  for (const tab of TABS) {
    $(`panel-${tab}`).hidden = tab !== name;
    $(`tab-${tab}`).setAttribute('aria-selected', String(tab === name));
  }
  document.body.dataset.tab = name;
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  onShow[name]();
}

// ---------- header: who is signed in ----------

async function loadMe() {
  const me = await api('GET', '/api/v1/me');
  state.user = me;
  const roles = me.roles || [];
  state.operator = roles.includes('operator');
  $('user-name').textContent = me.username;
  $('user-role').textContent = state.operator ? 'operator' : (roles[0] || 'viewer');
  document.body.classList.toggle('is-operator', state.operator);
  if (!state.operator) {
    // Viewers get no labelling or editing controls at all (not merely hidden ones).
    document.querySelectorAll('.operator-only').forEach((node) => node.remove());
  }
}

// ---------- Live ----------

function matchCard(match, fresh) {
  const best = bestCandidate(match);
  const name = match.decision === 'KNOWN' && best ? best.name : (best ? `Unknown (closest: ${best.name})` : 'Unknown');
  return el('li', {
    className: `card ${match.decision}${fresh ? ' fresh' : ''}`,
    'data-testid': 'match', 'data-face-id': match.faceId, 'data-camera': match.cameraId,
    'data-decision': match.decision, 'data-track-id': match.trackId,
  },
  thumbnail(match, 96),
  el('div', { className: 'info' },
    el('span', { className: 'name', 'data-testid': 'match-name', title: name },
      match.decision === 'KNOWN' && best ? best.name : 'Unknown'),
    el('span', {}, badge(match.decision), ' ',
      el('span', { className: 'score', 'data-testid': 'match-score', title: 'cosine of the best candidate' },
        best ? `cos ${formatScore(best.score)}` : 'no candidate'),
      best && match.decision !== 'KNOWN'
        ? el('span', { className: 'muted' }, ` · closest ${best.name}`) : null),
    el('span', { className: 'meta' },
      el('span', { 'data-testid': 'match-camera' }, match.cameraId), ' · ',
      el('time', { 'data-testid': 'match-time', dateTime: toDate(match.capturedAt)?.toISOString() || '' },
        formatTime(match.capturedAt)))));
}

function passesFilter(match) {
  const camera = $('live-camera').value;
  const decision = $('live-decision').value;
  return (!camera || match.cameraId === camera) && (!decision || match.decision === decision);
}

function noteCamera(cameraId) {
  if (!cameraId || state.cameras.has(cameraId)) return;
  state.cameras.add(cameraId);
  const select = $('live-camera');
  const options = [...state.cameras].sort();
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, 'All cameras'),
    ...options.map((c) => el('option', { value: c }, c)));
  select.value = chosen;
}

function renderLive() {
  renderMatches();
  renderSightings();
}

function renderMatches() {
  const shown = state.matches.filter(passesFilter);
  $('live-list').replaceChildren(...shown.map((m) => matchCard(m, false)));
  $('live-empty').hidden = shown.length > 0;
  updateLiveCount();
}

function updateLiveCount() {
  const all = state.liveView === 'sightings' ? [...state.sightings.values()] : state.matches;
  const what = state.liveView === 'sightings' ? 'sightings' : 'matches';
  $('live-count').textContent = `${all.filter(passesFilter).length} of ${all.length} ${what} shown`;
}

/** Sightings or raw matches: the filters apply to both; each view has its own list and stream status. */
function showLiveView(view) {
  state.liveView = view === 'matches' ? 'matches' : 'sightings';
  for (const button of document.querySelectorAll('#panel-live .segmented button')) {
    button.setAttribute('aria-pressed', String(button.dataset.view === state.liveView));
  }
  for (const node of document.querySelectorAll('#panel-live [data-view-only]')) {
    node.hidden = node.dataset.viewOnly !== state.liveView;
  }
  document.body.dataset.liveView = state.liveView;
  updateLiveCount();
}

/** Adds matches (any order) not seen before; returns how many were new. */
function addMatches(matches) {
  let added = 0;
  for (const match of matches) {
    if (!match || !match.faceId || state.matchIds.has(match.faceId)) continue;
    state.matchIds.add(match.faceId);
    state.matches.push(match);
    noteCamera(match.cameraId);
    added++;
  }
  if (added) {
    const time = (m) => toDate(m.matchedAt || m.capturedAt)?.getTime() || 0;
    state.matches.sort((a, b) => time(b) - time(a));
    for (const dropped of state.matches.splice(LIVE_KEEP)) state.matchIds.delete(dropped.faceId);
  }
  return added;
}

function onStreamMatch(match) {
  if (!addMatches([match])) return;
  if (passesFilter(match)) {
    const list = $('live-list');
    list.prepend(matchCard(match, true));
    while (list.children.length > LIVE_KEEP) list.lastElementChild.remove();
    $('live-empty').hidden = true;
  }
  updateLiveCount();
}

function setStreamStatus(status, text, id) {
  const node = $(id || 'stream-status');
  node.className = `stream-status ${status}`;
  node.dataset.status = status;
  node.textContent = text;
}

async function loadRecentMatches() {
  const recent = await api('GET', `/api/v1/matches?limit=${LIVE_LIMIT}`);
  addMatches(recent || []);
  renderLive();
}

function openStream() {
  clearTimeout(state.reconnectTimer);
  if (state.stream) state.stream.close();
  const source = new EventSource('/api/v1/matches/stream');
  state.stream = source;
  source.addEventListener('match', (event) => {
    if ($('stream-status').dataset.status !== 'live') setStreamStatus('live', 'live'); // also when open was not reported
    try {
      onStreamMatch(JSON.parse(event.data));
    } catch (e) {
      console.warn('bad match event', e);
    }
  });
  source.onopen = () => {
    setStreamStatus('live', 'live');
    // Catch up on whatever arrived while we were away (duplicates are dropped by face id).
    loadRecentMatches().catch((e) => console.warn('catch-up failed', e));
  };
  source.onerror = () => {
    setStreamStatus('reconnecting', 'reconnecting…');
    if (source.readyState === EventSource.CLOSED) {
      // The browser gave up (e.g. a non-stream answer while the service restarts): try again ourselves,
      // after checking we are still signed in (api() goes to the login page on 401).
      state.reconnectTimer = setTimeout(() => {
        api('GET', '/api/v1/me').then(openStream, () => {
          state.reconnectTimer = setTimeout(openStream, RECONNECT_MS);
        });
      }, RECONNECT_MS);
    }
  };
}

// ---------- Live: sightings ----------

const SIGHTING_NEWEST_FIRST = (a, b) => (toDate(b.lastSeenAt)?.getTime() || 0) - (toDate(a.lastSeenAt)?.getTime() || 0)
  || (toDate(b.updatedAt)?.getTime() || 0) - (toDate(a.updatedAt)?.getTime() || 0)
  || a.sightingId.localeCompare(b.sightingId);

function sightingName(s) {
  return s.decision === 'KNOWN' && s.name ? s.name : 'Unknown';
}

/** Fills a card (new or already on screen) with a sighting's state, so an update keeps the same element. */
function fillSightingCard(node, s) {
  node.className = `card sighting ${s.decision}`;
  node.dataset.testid = 'sighting';
  node.dataset.sightingId = s.sightingId;
  node.dataset.camera = s.cameraId;
  node.dataset.decision = s.decision;
  node.dataset.state = s.state;
  node.dataset.faceCount = String(s.faceCount);
  node.dataset.updatedAt = s.updatedAt;
  node.tabIndex = 0;
  node.title = 'Show the snapshot';
  const best = s.candidates && s.candidates.length ? s.candidates[0] : null;
  node.replaceChildren(
    thumbnail(s, 96),
    el('div', { className: 'info' },
      el('span', { className: 'name', 'data-testid': 'sighting-name', title: sightingName(s) }, sightingName(s)),
      el('span', {}, badge(s.decision), ' ',
        el('span', { className: `badge state ${s.state}`, 'data-testid': 'sighting-state' }, s.state), ' ',
        el('span', { className: 'score', 'data-testid': 'sighting-score', title: 'quality-weighted mean cosine over the faces' },
          best || s.decision === 'KNOWN' ? `cos ${formatScore(s.score)}` : 'no candidate'),
        best && s.decision !== 'KNOWN' ? el('span', { className: 'muted' }, ` · closest ${best.name || best.identityId}`) : null),
      el('span', { className: 'meta' },
        el('span', { 'data-testid': 'sighting-camera' }, s.cameraId), ' · ',
        el('span', { 'data-testid': 'sighting-faces' }, `${s.faceCount} ${s.faceCount === 1 ? 'face' : 'faces'}`)),
      el('span', { className: 'meta' },
        el('time', { 'data-testid': 'sighting-first', dateTime: toDate(s.firstSeenAt)?.toISOString() || '' },
          formatTime(s.firstSeenAt)), ' – ',
        el('time', { 'data-testid': 'sighting-last', dateTime: toDate(s.lastSeenAt)?.toISOString() || '' },
          formatTime(s.lastSeenAt)), ' · ',
        el('span', { 'data-testid': 'sighting-duration' }, formatDuration(s.durationMs)))));
  return node;
}

function sightingNode(id) {
  return document.querySelector(`#sighting-list [data-sighting-id="${CSS.escape(id)}"]`);
}

/**
 * Puts the list in order for the filters, reusing the cards already on screen (a catch-up after the stream
 * opens, or a filter change, must not replace a card someone is looking at or clicking).
 */
function renderSightings() {
  const list = $('sighting-list');
  const shown = [...state.sightings.values()].filter(passesFilter).sort(SIGHTING_NEWEST_FIRST);
  const keep = new Set(shown.map((s) => s.sightingId));
  for (const node of [...list.children]) {
    if (!keep.has(node.dataset.sightingId)) node.remove();
  }
  shown.forEach((s, i) => {
    const node = sightingNode(s.sightingId) || el('li', {});
    if (node.dataset.updatedAt !== s.updatedAt || !node.isConnected) fillSightingCard(node, s);
    const at = list.children[i] || null;
    if (at !== node) list.insertBefore(node, at);
  });
  $('sighting-empty').hidden = shown.length > 0;
  updateLiveCount();
}

/** Keeps a sighting's latest state (by updatedAt); returns whether this one is newer than what we had. */
function noteSighting(s) {
  if (!s || !s.sightingId) return false;
  const held = state.sightings.get(s.sightingId);
  if (held && (toDate(held.updatedAt)?.getTime() || 0) > (toDate(s.updatedAt)?.getTime() || 0)) return false;
  if (held && held.updatedAt === s.updatedAt && held.faceCount === s.faceCount && held.state === s.state) return false;
  state.sightings.set(s.sightingId, s);
  noteCamera(s.cameraId);
  if (state.sightings.size > SIGHTINGS_KEEP) {
    const eldest = [...state.sightings.values()].sort(SIGHTING_NEWEST_FIRST).slice(SIGHTINGS_KEEP);
    for (const gone of eldest) {
      state.sightings.delete(gone.sightingId);
      sightingNode(gone.sightingId)?.remove();
    }
  }
  return true;
}

/** A new state over the stream: the card on screen changes in place and moves to its place in the order. */
function onStreamSighting(s) {
  if (!noteSighting(s) || !state.sightings.has(s.sightingId)) return;
  const list = $('sighting-list');
  let node = sightingNode(s.sightingId);
  if (!passesFilter(s)) {
    node?.remove();
  } else {
    const fresh = !node;
    node = fillSightingCard(node || el('li', {}), s);
    const shown = [...state.sightings.values()].filter(passesFilter).sort(SIGHTING_NEWEST_FIRST);
    const next = shown[shown.indexOf(s) + 1];
    const before = next ? sightingNode(next.sightingId) : null;
    if (node.nextElementSibling !== before || !node.isConnected) list.insertBefore(node, before);
    node.classList.remove('fresh');
    void node.offsetWidth; // restart the highlight animation
    node.classList.add('fresh');
    if (fresh) $('sighting-empty').hidden = true;
  }
  $('sighting-empty').hidden = list.children.length > 0;
  updateLiveCount();
}

async function loadRecentSightings() {
  const page = await api('GET', `/api/v1/sightings?limit=${SIGHTINGS_LIMIT}`);
  for (const s of (page && page.items) || []) noteSighting(s);
  renderSightings();
}

function openSightingStream() {
  if (state.sightingStream) state.sightingStream.close();
  const source = new EventSource('/api/v1/sightings/stream');
  state.sightingStream = source;
  const status = (s, text) => setStreamStatus(s, text, 'sighting-stream-status');
  source.addEventListener('sighting', (event) => {
    if ($('sighting-stream-status').dataset.status !== 'live') status('live', 'live');
    try {
      onStreamSighting(JSON.parse(event.data));
    } catch (e) {
      console.warn('bad sighting event', e);
    }
  });
  source.onopen = () => {
    status('live', 'live');
    loadRecentSightings().catch((e) => console.warn('catch-up failed', e));
  };
  source.onerror = () => {
    status('reconnecting', 'reconnecting…');
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(() => {
        api('GET', '/api/v1/me').then(openSightingStream, () => setTimeout(openSightingStream, RECONNECT_MS));
      }, RECONNECT_MS);
    }
  };
}

// ---------- Live: a sighting's snapshot ----------

/**
 * The frame of the sighting's best face with its box drawn over it. The dashboard reads frames back from the
 * frames topic while it still holds them (API.md); when it no longer does, the best face's crop is shown alone.
 */
function openSnapshot(s) {
  const modal = $('snapshot-modal');
  const img = $('snapshot-image');
  const box = $('snapshot-box');
  const note = $('snapshot-note');
  $('snapshot-title').textContent = `${sightingName(s)} · ${s.cameraId} · ${formatTime(s.firstSeenAt)} – ${formatTime(s.lastSeenAt)}`;
  box.hidden = true;
  modal.dataset.sightingId = s.sightingId;
  modal.dataset.loaded = 'false';
  note.textContent = 'Loading the frame…';
  img.onload = () => {
    if (img.dataset.kind === 'frame') {
      placeBox(img, box, s.bestBox);
      note.textContent = `Best face (quality ${Number(s.bestQuality).toFixed(2)}) in frame ${s.bestFrameId}`;
    }
    modal.dataset.loaded = img.dataset.kind;
  };
  img.onerror = () => {
    if (img.dataset.kind === 'frame') {
      // The frame is gone: fall back to the best face's aligned crop (no box: the crop is the face).
      img.dataset.kind = 'crop';
      img.src = s.thumbnailUrl;
      note.textContent = 'The frame is no longer kept; this is the best face’s crop.';
    } else {
      note.textContent = 'Neither the frame nor the face crop is kept any more.';
      modal.dataset.loaded = 'none';
    }
  };
  img.dataset.kind = 'frame';
  img.src = s.frameUrl || `/api/v1/frames/${encodeURIComponent(s.bestFrameId)}/image`;
  modal.hidden = false;
  $('snapshot-close').focus();
}

/** Places the box (frame pixels) over the image as drawn (CSS pixels). */
function placeBox(img, box, b) {
  if (!b || !img.naturalWidth) return;
  const scale = img.clientWidth / img.naturalWidth;
  box.style.left = `${img.offsetLeft + b.x1 * scale}px`;
  box.style.top = `${img.offsetTop + b.y1 * scale}px`;
  box.style.width = `${(b.x2 - b.x1) * scale}px`;
  box.style.height = `${(b.y2 - b.y1) * scale}px`;
  box.hidden = false;
}

function closeSnapshot() {
  const modal = $('snapshot-modal');
  modal.hidden = true;
  $('snapshot-image').removeAttribute('src');
}

function sightingFromEvent(event) {
  const node = event.target.closest('[data-testid=sighting]');
  return node ? state.sightings.get(node.dataset.sightingId) : null;
}

// ---------- Review ----------

async function ensureIdentities() {
  if (!state.identities.length) state.identities = (await api('GET', '/api/v1/identities')) || [];
  return state.identities;
}

async function loadReview() {
  const [sightingItems, items] = await Promise.all([
    api('GET', `/api/v1/review/sightings?limit=${REVIEW_LIMIT}`),
    api('GET', `/api/v1/review?limit=${REVIEW_LIMIT}`),
    state.operator ? ensureIdentities() : Promise.resolve([]),
  ]);
  const visits = sightingItems || [];
  const list = items || [];
  $('sighting-review-list').replaceChildren(...visits.map(sightingReviewItem));
  $('sighting-review-empty').hidden = visits.length > 0;
  $('review-list').replaceChildren(...list.map(reviewItem));
  $('review-empty').hidden = list.length > 0;
  $('review-count').textContent = `${visits.length} sightings and ${list.filter((i) => !i.labelled).length} faces to review`;
}

/** A sighting to decide: one verdict labels each of its faces the dashboard still has. */
function sightingReviewItem(item) {
  const best = bestCandidate(item);
  const node = el('li', {
    className: 'review-item', 'data-testid': 'sighting-review-item', 'data-sighting-id': item.sightingId,
    'data-camera': item.cameraId, 'data-best-face-id': item.bestFaceId,
  });
  const result = el('span', { className: 'result', 'data-testid': 'review-result' });
  const details = el('div', { className: 'details' },
    el('div', {}, badge(item.decision), ' ',
      el('span', { className: `badge state ${item.state}`, 'data-testid': 'sighting-state' }, item.state), ' ',
      el('span', { className: 'badge reason', 'data-testid': 'review-reason', 'data-reason': item.reason },
        item.reason === 'LOW_MARGIN' ? 'close call: small margin' : 'nobody recognised')),
    el('div', { 'data-testid': 'review-candidate' },
      best ? ['Best candidate over the visit: ', el('strong', {}, best.name || best.identityId), ' ',
        el('span', { className: 'score' }, `cos ${formatScore(best.score)}`),
        item.candidates.length > 1
          ? el('span', { className: 'muted' }, `  · next ${item.candidates[1].name} ${formatScore(item.candidates[1].score)}`)
          : null]
        : 'No candidate'),
    el('div', { className: 'muted', 'data-testid': 'sighting-review-faces' },
      `${item.faceCount} faces, ${item.facesKept} to label · ${item.cameraId} · ${formatTime(item.firstSeenAt)} – `
      + `${formatTime(item.lastSeenAt)} (${formatDuration(item.durationMs)})`));
  if (state.operator) {
    const path = `/api/v1/sightings/${encodeURIComponent(item.sightingId)}/feedback`;
    details.append(reviewActions(item, best, node, result, (body) => sendFeedback(node, result, body, path)));
  }
  details.append(result);
  node.append(thumbnail(item, 112), details);
  return node;
}

function identityOptions() {
  return [el('option', { value: '' }, 'Choose identity…'),
    ...[...state.identities].sort((a, b) => a.name.localeCompare(b.name))
      .map((i) => el('option', { value: i.id }, i.name))];
}

function reviewItem(item) {
  const best = bestCandidate(item);
  const node = el('li', {
    className: `review-item${item.labelled ? ' labelled' : ''}`,
    'data-testid': 'review-item', 'data-face-id': item.faceId, 'data-camera': item.cameraId,
  });
  const result = el('span', { className: 'result', 'data-testid': 'review-result' },
    item.labelled ? 'labelled' : '');
  const details = el('div', { className: 'details' },
    el('div', {}, badge(item.decision), ' ',
      el('span', { className: 'badge reason', 'data-testid': 'review-reason', 'data-reason': item.reason },
        item.reason === 'LOW_MARGIN' ? 'close call: small margin' : 'nobody recognised')),
    el('div', { 'data-testid': 'review-candidate' },
      best ? ['Best candidate: ', el('strong', {}, best.name), ' ',
        el('span', { className: 'score' }, `cos ${formatScore(best.score)}`),
        item.candidates.length > 1
          ? el('span', { className: 'muted' }, `  · next ${item.candidates[1].name} ${formatScore(item.candidates[1].score)}`)
          : null]
        : 'No candidate'),
    el('div', { className: 'muted' }, `${item.cameraId} · ${formatTime(item.capturedAt)}`));
  if (state.operator) {
    details.append(reviewActions(item, best, node, result,
      (body) => sendFeedback(node, result, { faceId: item.faceId, ...body }, '/api/v1/feedback')));
  }
  details.append(result);
  node.append(thumbnail(item, 112), details);
  return node;
}

/** The verdict buttons; {@code submit(body)} sends {verdict, identityId | name} where the item's kind says. */
function reviewActions(item, best, node, result, submit) {
  const relabelSelect = el('select', { 'data-testid': 'relabel-select', 'aria-label': 'identity' },
    identityOptions());
  const newName = el('input', {
    type: 'text', placeholder: 'New identity name', maxLength: 200, 'data-testid': 'new-identity-name',
  });
  const send = (verdict, extra) => submit({ verdict, ...extra });
  const actions = el('div', { className: 'actions' },
    best ? el('button', {
      type: 'button', className: 'primary', 'data-testid': 'confirm',
      title: `This is ${best.name}`,
      onclick: () => send('CONFIRM', { identityId: best.identityId }),
    }, `Confirm ${best.name}`) : null,
    best ? el('button', {
      type: 'button', 'data-testid': 'not-this-person', onclick: () => send('NOT_THIS_PERSON', { identityId: best.identityId }),
    }, 'Not this person') : null,
    el('span', { className: 'group' }, relabelSelect, el('button', {
      type: 'button', 'data-testid': 'relabel',
      onclick: () => {
        if (!relabelSelect.value) { setResult(result, 'Choose an identity first', false); return; }
        send('RELABEL', { identityId: relabelSelect.value });
      },
    }, 'Relabel')),
    el('span', { className: 'group' }, newName, el('button', {
      type: 'button', 'data-testid': 'new-identity',
      onclick: () => {
        const name = newName.value.trim();
        if (!name) { setResult(result, 'Type a name first', false); return; }
        send('NEW_IDENTITY', { name });
      },
    }, 'New identity')));
  if (item.labelled) actions.querySelectorAll('button, select, input').forEach((c) => { c.disabled = true; });
  return actions;
}

function setResult(node, text, ok) {
  node.textContent = text;
  node.classList.toggle('ok', ok === true);
  node.classList.toggle('failed', ok === false);
}

async function sendFeedback(node, result, body, path) {
  // The first click disables the item's controls synchronously, so a double click sends one request.
  if (node.dataset.inFlight === 'true' || node.dataset.done === 'true') return;
  node.dataset.inFlight = 'true';
  const controls = node.querySelectorAll('.actions button, .actions select, .actions input');
  controls.forEach((c) => { c.disabled = true; });
  setResult(result, 'Saving…');
  const addToGallery = $('review-add-to-gallery');
  if (body.verdict !== 'NOT_THIS_PERSON') body.addToGallery = addToGallery ? addToGallery.checked : false;
  try {
    const answer = await api('POST', path, body);
    node.dataset.done = 'true';
    node.classList.add('labelled');
    const who = body.verdict === 'NEW_IDENTITY' ? body.name
      : (state.identities.find((i) => i.id === (answer && answer.identityId))?.name || '');
    const faces = answer && Array.isArray(answer.feedback) ? ` (${answer.feedback.length} faces)` : '';
    setResult(result, `Saved: ${body.verdict.replace(/_/g, ' ').toLowerCase()}${who ? ` → ${who}` : ''}${faces}`, true);
    node.dataset.feedbackId = answer && answer.feedbackId || '';
    if (body.verdict === 'NEW_IDENTITY') state.identities = []; // reload the list next time
  } catch (e) {
    setResult(result, `Failed: ${e.message}`, false);
    controls.forEach((c) => { c.disabled = false; });
  } finally {
    node.dataset.inFlight = 'false';
  }
}

// ---------- Identities ----------

async function loadIdentities() {
  state.identities = (await api('GET', '/api/v1/identities')) || [];
  renderIdentities();
}

function renderIdentities() {
  const query = $('identity-search').value.trim().toLowerCase();
  const shown = [...state.identities]
    .sort((a, b) => a.name.localeCompare(b.name))
    .filter((i) => !query || i.name.toLowerCase().includes(query));
  $('identity-rows').replaceChildren(...shown.map(identityRow));
  $('identity-empty').hidden = shown.length > 0;
}

function identityRow(identity) {
  const row = el('tr', { 'data-testid': 'identity-row', 'data-identity-id': identity.id, 'data-name': identity.name },
    el('td', { 'data-testid': 'identity-name' }, identity.name),
    el('td', { className: 'num', 'data-testid': 'identity-samples' }, identity.samples ?? 0),
    el('td', { className: 'id' }, identity.id));
  if (state.operator) {
    const status = el('span', { className: 'message', 'data-testid': 'identity-row-message' });
    const files = el('input', {
      type: 'file', accept: 'image/jpeg,image/png', multiple: true, 'data-testid': 'identity-photos',
      onchange: () => uploadPhotos(identity, files, status),
    });
    row.append(el('td', {}, el('div', { className: 'cell-actions' },
      el('label', { className: 'file-button' }, files, el('span', {}, 'Add photos…')),
      el('button', {
        type: 'button', className: 'danger', 'data-testid': 'identity-delete',
        onclick: () => askToDelete(identity, status),
      }, 'Delete'),
      status)));
  }
  return row;
}

async function uploadPhotos(identity, input, status) {
  const files = [...input.files];
  if (!files.length) return;
  input.disabled = true;
  let ok = 0;
  const failures = [];
  for (const file of files) {
    setMessage(status, `Uploading ${file.name}…`);
    try {
      await api('POST', `/api/v1/identities/${encodeURIComponent(identity.id)}/faces`, file,
        file.type || 'application/octet-stream');
      ok++;
    } catch (e) {
      failures.push(`${file.name}: ${e.status === 422 ? e.message.replace(/^422: /, '') : e.message}`);
    }
  }
  input.value = '';
  input.disabled = false;
  await loadIdentities();
  const row = document.querySelector(`[data-testid=identity-row][data-identity-id="${CSS.escape(identity.id)}"]`);
  const target = row ? row.querySelector('[data-testid=identity-row-message]') : $('identity-message');
  setMessage(target, `${ok} of ${files.length} photos added${failures.length ? ` — ${failures.join('; ')}` : ''}`,
    failures.length === 0);
}

function askToDelete(identity, status) {
  confirmDialog(`Delete ${identity.name} and all ${identity.samples ?? 0} samples? Their faces will no longer be recognised.`)
    .then(async (yes) => {
      if (!yes) return;
      try {
        await api('DELETE', `/api/v1/identities/${encodeURIComponent(identity.id)}`);
        setMessage($('identity-message'), `Deleted ${identity.name}`, true);
        await loadIdentities();
      } catch (e) {
        setMessage(status, `Delete failed: ${e.message}`, false);
      }
    });
}

/** Our own modal: resolves true on the confirm button, false on cancel, Escape or a click outside. */
function confirmDialog(text) {
  const modal = $('confirm-modal');
  $('confirm-text').textContent = text;
  modal.hidden = false;
  $('confirm-cancel').focus();
  return new Promise((resolve) => {
    const close = (answer) => {
      modal.hidden = true;
      $('confirm-ok').removeEventListener('click', yes);
      $('confirm-cancel').removeEventListener('click', no);
      modal.removeEventListener('click', outside);
      document.removeEventListener('keydown', escape);
      resolve(answer);
    };
    const yes = () => close(true);
    const no = () => close(false);
    const outside = (e) => { if (e.target === modal) close(false); };
    const escape = (e) => { if (e.key === 'Escape') close(false); };
    $('confirm-ok').addEventListener('click', yes);
    $('confirm-cancel').addEventListener('click', no);
    modal.addEventListener('click', outside);
    document.addEventListener('keydown', escape);
  });
}

async function createIdentity(event) {
  event.preventDefault();
  const input = $('identity-new-name');
  const name = input.value.trim();
  if (!name) return;
  const button = $('identity-create-submit');
  button.disabled = true;
  try {
    const answer = await api('POST', '/api/v1/identities', { name });
    input.value = '';
    setMessage($('identity-message'), `Created ${name} — add photos to enroll them`, true);
    await loadIdentities();
    return answer;
  } catch (e) {
    setMessage($('identity-message'), `Create failed: ${e.message}`, false);
  } finally {
    button.disabled = false;
  }
}

// ---------- Cameras ----------

async function loadCameras() {
  const cameras = (await api('GET', '/api/v1/cameras')) || [];
  cameras.sort((a, b) => a.cameraId.localeCompare(b.cameraId));
  $('camera-rows').replaceChildren(...cameras.map(cameraRow));
  $('camera-empty').hidden = cameras.length > 0;
}

function cameraRow(camera) {
  const editable = state.operator;
  const threshold = el('input', {
    // no threshold of its own: the matcher's configured one (shown as the placeholder)
    type: 'number', min: 0, max: 1, step: 0.01, value: camera.threshold ?? '', placeholder: 'default',
    disabled: !editable,
    'data-testid': 'camera-threshold', 'aria-label': `threshold of ${camera.cameraId}`,
  });
  const enabled = el('input', {
    type: 'checkbox', checked: camera.enabled, disabled: !editable,
    'data-testid': 'camera-enabled', 'aria-label': `${camera.cameraId} enabled`,
  });
  const status = el('span', { className: 'message', 'data-testid': 'camera-message' });
  const row = el('tr', { 'data-testid': 'camera-row', 'data-camera-id': camera.cameraId },
    el('td', { 'data-testid': 'camera-id' }, camera.cameraId),
    el('td', {}, threshold),
    el('td', {}, enabled),
    el('td', { className: 'num' }, camera.frames ?? 0),
    el('td', { className: 'num' }, camera.faces ?? 0),
    el('td', { className: 'num' }, camera.matches ?? 0));
  if (editable) {
    const save = el('button', {
      type: 'button', className: 'primary', 'data-testid': 'camera-save',
      onclick: async () => {
        const value = Number(threshold.value);
        if (threshold.value !== '' && (!Number.isFinite(value) || value < 0 || value > 1)) {
          setMessage(status, 'Threshold must be a cosine between 0 and 1', false);
          return;
        }
        const change = threshold.value === '' ? { enabled: enabled.checked }
          : { threshold: value, enabled: enabled.checked };
        save.disabled = true;
        setMessage(status, 'Saving…');
        try {
          const answer = await api('PUT', `/api/v1/cameras/${encodeURIComponent(camera.cameraId)}`,
            change);
          if (answer) {
            threshold.value = answer.threshold ?? '';
            enabled.checked = answer.enabled;
          }
          setMessage(status, 'Saved', true);
        } catch (e) {
          setMessage(status, `Save failed: ${e.message}`, false);
        } finally {
          save.disabled = false;
        }
      },
    }, 'Save');
    row.append(el('td', {}, el('div', { className: 'cell-actions' }, save, status)));
  }
  return row;
}

// ---------- Stats (Chart.js, served from /vendor/chart.umd.js) ----------

const PALETTE = ['#4ea1ff', '#2fbf71', '#f0a030', '#c678dd', '#e5484d', '#56c2c6', '#d19a66', '#98c379'];

function chartDefaults() {
  Chart.defaults.color = '#c9d3e0';
  Chart.defaults.borderColor = 'rgba(147, 161, 181, 0.2)';
  Chart.defaults.font.size = 14;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
}

function drawChart(id, config) {
  if (state.charts[id]) state.charts[id].destroy();
  state.charts[id] = new Chart($(id), config);
}

function minuteLabel(minute) {
  const d = toDate(minute);
  return d ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false }) : String(minute);
}

function perCameraChart(id, rows, minutes, field) {
  const cameras = [...new Set(rows.map((r) => r.cameraId))].sort();
  const datasets = cameras.map((camera, n) => {
    const byMinute = new Map(rows.filter((r) => r.cameraId === camera).map((r) => [r.minute, r[field] || 0]));
    const color = PALETTE[n % PALETTE.length];
    return {
      label: camera, data: minutes.map((m) => byMinute.get(m) || 0), backgroundColor: color, maxBarThickness: 48,
    };
  });
  drawChart(id, {
    type: 'bar', // stacked per camera: readable with one minute of data as with sixty
    data: { labels: minutes.map(minuteLabel), datasets },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

function scoreChart(scores) {
  const edges = scores.edges || [];
  const labels = edges.slice(0, -1).map((lo) => lo.toFixed(1)); // each bin by its lower edge
  drawChart('chart-scores', {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'known', data: scores.known || [], backgroundColor: '#2fbf71' },
        { label: 'unknown', data: scores.unknown || [], backgroundColor: '#f0a030' },
      ],
    },
    options: {
      datasets: { bar: { barPercentage: 1, categoryPercentage: 0.9 } },
      scales: { x: { stacked: true, title: { display: true, text: 'cosine of the best candidate (bin start)' } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'faces' } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

async function loadStats() {
  if (typeof Chart === 'undefined') {
    setMessage($('stats-message'),
      'The chart library (/vendor/chart.umd.js) is missing: build the service with scripts/fetch-assets.sh chartjs.', false);
    return;
  }
  const stats = await api('GET', '/api/v1/stats');
  const rows = (stats && stats.minutes) || [];
  const minutes = [...new Set(rows.map((r) => r.minute))].sort();
  chartDefaults();
  perCameraChart('chart-frames', rows, minutes, 'frames');
  perCameraChart('chart-faces', rows, minutes, 'faces');
  perCameraChart('chart-matches', rows, minutes, 'matches');
  scoreChart((stats && stats.scores) || {});
  setMessage($('stats-message'), `Updated ${formatTime(new Date())}`);
  document.body.dataset.statsDrawn = 'true';
}

// ---------- Models ----------

function pair(metrics, name, digits) {
  const before = metrics[`${name}Before`];
  const after = metrics[`${name}After`];
  if (before === undefined || after === undefined) return '–';
  return `${before.toFixed(digits)} → ${after.toFixed(digits)}`;
}

function jobRow(job) {
  const progress = job.state === 'RUNNING'
    ? `${job.phase}${job.phase === 'train' ? ` ${job.step}/${job.steps}` : ''}${job.loss != null ? ` · loss ${job.loss.toFixed(3)}` : ''}`
    : (job.error || job.phase);
  const bar = el('progress', { max: job.steps || 1, value: job.state === 'RUNNING' ? job.step : (job.steps || 1) });
  return el('tr', { 'data-testid': 'job-row', 'data-job-id': job.id, 'data-state': job.state },
    el('td', {}, formatTime(job.startedAt || job.createdAt)),
    el('td', {}, job.trigger),
    el('td', { 'data-testid': 'job-state' }, job.state),
    el('td', {}, bar, ' ', progress),
    el('td', {}, job.candidateVersion || '–'),
    el('td', { 'data-testid': 'job-decision' }, job.decision || '–'));
}

function versionRow(version) {
  const m = version.metrics || {};
  const files = ['report.md', 'confusion.png', 'roc.png', 'pr.png'].flatMap((name, i) => [i > 0 ? ' · ' : null,
    el('a', {
      href: `/api/v1/models/versions/${encodeURIComponent(version.version)}/files/${name}`, target: '_blank',
      className: 'report-link',
    }, name.replace(/\..*/, ''))]);
  return el('tr', { 'data-testid': 'version-row', 'data-version': version.version },
    el('td', {}, version.version),
    el('td', { 'data-testid': 'version-status' }, version.status),
    el('td', { className: 'num' }, pair(m, 'macroF1', 3)),
    el('td', { className: 'num' }, pair(m, 'verificationAccuracy', 3)),
    el('td', {}, ...files));
}

async function loadModels() {
  const [models, jobList] = await Promise.all([api('GET', '/api/v1/models'), api('GET', '/api/v1/models/jobs')]);
  // The server leaves empty lists out of its JSON.
  const versions = (models && models.versions) || [];
  const jobs = jobList || [];
  $('models-serving').textContent = models.serving;
  $('version-rows').replaceChildren(...versions.map(versionRow));
  $('version-empty').hidden = versions.length > 0;
  $('job-rows').replaceChildren(...jobs.map(jobRow));
  $('job-empty').hidden = jobs.length > 0;
  const running = jobs.some((j) => j.state === 'RUNNING' || j.state === 'QUEUED');
  if ($('models-retrain')) $('models-retrain').disabled = running;
  clearTimeout(state.modelsTimer);
  if (running && document.body.dataset.tab === 'models') {
    state.modelsTimer = setTimeout(() => loadModels().catch(reportFailure('Loading models')), JOB_POLL_MS);
  }
}

async function retrainNow() {
  const message = $('models-message');
  try {
    const job = await api('POST', '/api/v1/models/retrain');
    setMessage(message, `Job ${job.id.slice(0, 8)} started`, true);
  } catch (e) {
    setMessage(message, e.status === 409 ? 'A retraining job is already running' : `Failed: ${e.message}`, false);
  }
  await loadModels();
}

// ---------- start ----------

function reportFailure(where) {
  return (e) => {
    if (e && e.status === 401) return;
    console.error(where, e);
    const panel = document.querySelector('.panel:not([hidden]) .toolbar');
    if (panel) {
      let node = panel.querySelector('.load-error');
      if (!node) panel.append(node = el('span', { className: 'message failed load-error', 'data-testid': 'load-error' }));
      node.textContent = `${where} failed: ${e.message}`;
    }
  };
}

async function start() {
  for (const tab of TABS) $(`tab-${tab}`).addEventListener('click', () => { location.hash = tab; });
  window.addEventListener('hashchange', () => {
    const name = location.hash.slice(1);
    Promise.resolve().then(() => showTab(name));
  });
  $('live-camera').addEventListener('change', renderLive);
  $('live-decision').addEventListener('change', renderLive);
  for (const button of document.querySelectorAll('#panel-live .segmented button')) {
    button.addEventListener('click', () => showLiveView(button.dataset.view));
  }
  $('sighting-list').addEventListener('click', (event) => {
    const s = sightingFromEvent(event);
    if (s) openSnapshot(s);
  });
  $('sighting-list').addEventListener('keydown', (event) => {
    const s = event.key === 'Enter' ? sightingFromEvent(event) : null;
    if (s) openSnapshot(s);
  });
  $('snapshot-close').addEventListener('click', closeSnapshot);
  $('snapshot-modal').addEventListener('click', (event) => { if (event.target === $('snapshot-modal')) closeSnapshot(); });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('snapshot-modal').hidden) closeSnapshot();
  });
  $('identity-search').addEventListener('input', renderIdentities);
  $('review-refresh').addEventListener('click', () => loadReview().catch(reportFailure('Loading the review queue')));
  $('cameras-refresh').addEventListener('click', () => loadCameras().catch(reportFailure('Loading cameras')));
  $('stats-refresh').addEventListener('click', () => loadStats().catch(reportFailure('Loading stats')));
  $('models-refresh').addEventListener('click', () => loadModels().catch(reportFailure('Loading models')));

  try {
    await loadMe();
  } catch (e) {
    if (e.status !== 401) reportFailure('Signing in')(e);
    return;
  }
  if ($('identity-create')) $('identity-create').addEventListener('submit', createIdentity);
  if ($('models-retrain')) $('models-retrain').addEventListener('click', () => retrainNow().catch(reportFailure('Retraining')));
  // Wrap tab loaders so failures are shown rather than swallowed.
  for (const [tab, load] of Object.entries(onShow)) {
    onShow[tab] = () => Promise.resolve().then(load).catch(reportFailure(`Loading ${tab}`));
  }
  showTab(location.hash.slice(1) || 'live');
  showLiveView('sightings');
  await Promise.all([loadRecentMatches().catch(reportFailure('Loading recent matches')),
    loadRecentSightings().catch(reportFailure('Loading recent sightings'))]);
  openStream();
  openSightingStream();
  document.body.dataset.ready = 'true';
}

start();

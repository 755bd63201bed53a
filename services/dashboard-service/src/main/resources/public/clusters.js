// Review tab: clusters of unknown faces ("who is this?"), largest first, each with a "name" action for
// operators (README, "Unknown clusters"). Uses dashboard.js's helpers (api, el, $, state, formatTime,
// setResult, ensureIdentities, identityOptions, reportFailure); loaded after it.
'use strict';

const CLUSTERS_LIMIT = 50; // API: /api/v1/clusters?limit=N (at most 500)

async function loadClusters() {
  const [page] = await Promise.all([
    api('GET', `/api/v1/clusters?limit=${CLUSTERS_LIMIT}`),
    state.operator ? ensureIdentities() : Promise.resolve([]),
  ]);
  const items = (page && page.items) || [];
  $('cluster-list').replaceChildren(...items.map(clusterItem));
  $('cluster-empty').hidden = items.length > 0;
}

function clusterItem(k) {
  const node = el('li', {
    className: `review-item cluster${k.identityId ? ' labelled' : ''}`, 'data-testid': 'cluster-item',
    'data-cluster-id': k.clusterId, 'data-size': k.size,
  });
  const crops = el('div', { className: 'cluster-crops' }, ...k.cropUrls.map((url) => {
    const img = el('img', { className: 'thumb', alt: 'face', width: 72, height: 72, loading: 'lazy', src: url,
      'data-testid': 'cluster-crop' });
    img.addEventListener('error', () => { img.removeAttribute('src'); img.alt = 'no image'; }, { once: true });
    return img;
  }));
  const named = k.identityId
    ? (state.identities.find((i) => i.id === k.identityId)?.name || k.identityId) : null;
  const result = el('span', { className: 'result', 'data-testid': 'cluster-result' }, named ? `named: ${named}` : '');
  const details = el('div', { className: 'details' },
    el('div', {}, el('strong', { 'data-testid': 'cluster-size' }, `${k.size} faces`), ' · ',
      el('span', { 'data-testid': 'cluster-cameras' }, k.cameras.join(', ')), ' ',
      el('span', { className: 'muted' }, k.clusterId)),
    el('div', { className: 'muted', 'data-testid': 'cluster-seen' },
      `first seen ${formatTime(k.firstSeen)} · last seen ${formatTime(k.lastSeen)}`));
  if (state.operator && !k.identityId) details.append(clusterActions(k, node, result));
  details.append(result);
  node.append(crops, details);
  return node;
}

/** Name the cluster: a new person (typed name) or an enrolled one (chosen). */
function clusterActions(k, node, result) {
  const newName = el('input', { type: 'text', placeholder: 'Name this person', maxLength: 200,
    'data-testid': 'cluster-name-input' });
  const pick = el('select', { 'data-testid': 'cluster-identity-select', 'aria-label': 'identity' }, identityOptions());
  const path = `/api/v1/clusters/${encodeURIComponent(k.clusterId)}/name`;
  return el('div', { className: 'actions' },
    el('span', { className: 'group' }, newName, el('button', {
      type: 'button', className: 'primary', 'data-testid': 'cluster-name',
      onclick: () => {
        const name = newName.value.trim();
        if (!name) { setResult(result, 'Type a name first', false); return; }
        nameCluster(node, result, path, { name }, name);
      },
    }, 'Name')),
    el('span', { className: 'group' }, pick, el('button', {
      type: 'button', 'data-testid': 'cluster-assign',
      onclick: () => {
        if (!pick.value) { setResult(result, 'Choose an identity first', false); return; }
        nameCluster(node, result, path, { identityId: pick.value }, pick.selectedOptions[0].textContent);
      },
    }, 'Assign')));
}

async function nameCluster(node, result, path, body, who) {
  // the first click disables the controls synchronously, so a double click sends one request
  if (node.dataset.inFlight === 'true' || node.dataset.done === 'true') return;
  node.dataset.inFlight = 'true';
  const controls = node.querySelectorAll('.actions button, .actions select, .actions input');
  controls.forEach((c) => { c.disabled = true; });
  setResult(result, 'Saving…');
  try {
    const answer = await api('POST', path, body);
    node.dataset.done = 'true';
    node.dataset.identityId = answer.identityId;
    node.classList.add('labelled');
    setResult(result, `Named ${who}: ${answer.feedback.length} faces labelled, ${answer.gallerySamples} added to the gallery`, true);
    if (body.name) state.identities = []; // reload the list next time
  } catch (e) {
    setResult(result, `Failed: ${e.message}`, false);
    controls.forEach((c) => { c.disabled = false; });
  } finally {
    node.dataset.inFlight = 'false';
  }
}

{
  const showReview = onShow.review;
  onShow.review = () => {
    showReview();
    loadClusters().catch(reportFailure('Loading the clusters'));
  };
  $('review-refresh').addEventListener('click', () => loadClusters().catch(reportFailure('Loading the clusters')));
  if (document.body.dataset.tab === 'review') loadClusters().catch(reportFailure('Loading the clusters'));
}

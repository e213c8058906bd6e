// The Portcullis console: plain DOM, no framework. Everything shown comes from the admin API (/api/...); text is
// always inserted as text nodes, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
const SECTIONS = ['sign-in', 'inbox', 'approval', 'decisions', 'trail', 'ledger'];
const SQL_KEYWORDS = new Set(('select from where and or not insert into values update set delete drop create alter table ' +
  'truncate grant revoke join left right inner outer full on as order by group having limit offset returning with ' +
  'union all distinct case when then else end null is in like ilike between exists begin commit rollback copy do ' +
  'merge using index view schema database primary key references cascade if').split(' '));

let me = null;
let events = null;
let ticker = null;

async function api(path, options = {}) {
  const init = { credentials: 'same-origin', headers: { Accept: 'application/json' }, ...options };
  if (options.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.error || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return data;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** SQL with keywords, strings and numbers marked; built from text nodes only. */
function highlightSql(sql) {
  const pre = el('pre', { class: 'sql' });
  const code = el('code');
  const token = /('(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\b\d+(?:\.\d+)?\b|\b[A-Za-z_][A-Za-z0-9_]*\b)/g;
  let last = 0;
  for (const m of sql.matchAll(token)) {
    if (m.index > last) code.append(sql.slice(last, m.index));
    const t = m[0];
    if (t.startsWith("'")) code.append(el('span', { class: 'str' }, t));
    else if (/^\d/.test(t)) code.append(el('span', { class: 'num' }, t));
    else if (SQL_KEYWORDS.has(t.toLowerCase())) code.append(el('span', { class: 'kw' }, t));
    else code.append(t);
    last = m.index + t.length;
  }
  code.append(sql.slice(last));
  pre.append(code);
  return pre;
}

function waited(since) {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

function show(section) {
  for (const id of SECTIONS) $(id).hidden = id !== section;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === '#/' + section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function announce(text) {
  $('announce').textContent = text;
}

// ---- sign-in ---------------------------------------------------------------------------------------------------

async function start() {
  try {
    me = await api('/api/me');
  } catch (e) {
    me = null;
  }
  if (!me) {
    const info = await api('/api/sign-in').catch(() => ({ oidc: false }));
    $('oidc-sign-in').hidden = !info.oidc;
    $('nav').hidden = true;
    $('who').hidden = true;
    show('sign-in');
    $('token').focus();
    return;
  }
  $('nav').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = 'Signed in as ' + me.subject;
  connectEvents();
  route();
}

$('token-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('sign-in-error').textContent = '';
  try {
    await api('/api/session', { method: 'POST', body: { token: $('token').value.trim() } });
    $('token').value = '';
    if (!location.hash) location.hash = '#/inbox';
    await start();
  } catch (e) {
    $('sign-in-error').textContent = e.message;
  }
});

$('sign-out').addEventListener('click', async () => {
  await api('/api/session', { method: 'DELETE' }).catch(() => {});
  if (events) events.close();
  events = null;
  me = null;
  // Nothing of the previous reviewer stays on the page, least of all a half-typed justification.
  for (const id of ['approvals', 'approval-body', 'inbox-status', 'trail-entries', 'verify-result']) $(id).replaceChildren();
  $('decision-table').tBodies[0].replaceChildren();
  start();
});

// ---- live updates ----------------------------------------------------------------------------------------------

function connectEvents() {
  if (events) return;
  events = new EventSource('/api/events');
  events.addEventListener('approval', (ev) => {
    const data = JSON.parse(ev.data);
    if (data.event === 'filed') announce('New approval request ' + data.id);
    refreshCurrent();
  });
  events.addEventListener('open', () => refreshCurrent());
}

function refreshCurrent() {
  const hash = location.hash || '#/inbox';
  if (hash === '#/inbox') loadInbox();
  else if (hash.startsWith('#/approvals/')) loadApproval(hash.slice('#/approvals/'.length));
  else updateCount();
}

// ---- routing ---------------------------------------------------------------------------------------------------

function route() {
  if (!me) return;
  const hash = location.hash || '#/inbox';
  if (ticker) clearInterval(ticker);
  if (hash.startsWith('#/approvals/')) {
    show('approval');
    loadApproval(hash.slice('#/approvals/'.length));
  } else if (hash.startsWith('#/decisions/')) {
    show('trail');
    loadTrail(hash.slice('#/decisions/'.length));
  } else if (hash === '#/decisions') {
    show('decisions');
    loadDecisions();
  } else if (hash === '#/ledger') {
    show('ledger');
    loadLedger();
  } else {
    show('inbox');
    loadInbox();
  }
  ticker = setInterval(() => {
    for (const node of document.querySelectorAll('[data-since]')) node.textContent = waited(node.dataset.since);
  }, 1000);
}
window.addEventListener('hashchange', route);

// ---- approvals -------------------------------------------------------------------------------------------------

async function updateCount() {
  const pending = await api('/api/approvals?status=pending').catch(() => []);
  $('pending-count').textContent = pending.length;
  return pending;
}

let inboxLoading = null;
async function loadInbox() {
  if (inboxLoading) return inboxLoading;
  inboxLoading = (async () => {
    try {
      const pending = await updateCount();
      const list = $('approvals');
      const drafts = {};
      for (const t of list.querySelectorAll('textarea')) drafts[t.id] = t.value;
      const focused = document.activeElement && document.activeElement.id;
      list.replaceChildren(...pending.map((a) => card(a, true)));
      for (const [id, value] of Object.entries(drafts)) if ($(id)) $(id).value = value;
      if (focused && $(focused)) $(focused).focus();
      $('inbox-empty').hidden = pending.length > 0;
    } catch (e) {
      $('inbox-status').textContent = e.message;
    } finally {
      inboxLoading = null;
    }
  })();
  return inboxLoading;
}

async function loadApproval(id) {
  try {
    const a = await api('/api/approvals/' + encodeURIComponent(id));
    const summary = {
      id: a.id, status: a.status, requester: a.requester.subject, statement: a.statement, connection: a.connection,
      database: a.database, reviewers: a.reviewers, approvals_required: a.approvals_required, created: a.created,
      expires: a.expires, reasons: (a.decision && a.decision.reasons) || [],
      justification: a.request && a.request.session ? a.request.session.justification : undefined,
      approvals: (a.reviews || []).filter((r) => r.verdict === 'approve').length, request_id: a.request_id,
      reviews: a.reviews || [],
    };
    $('approval-body').replaceChildren(card(summary, false));
  } catch (e) {
    $('approval-body').replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
  }
}

function card(a, inInbox) {
  const titleId = 'title-' + a.id;
  const facts = el('dl', { class: 'facts' },
    el('dt', {}, 'Requester'), el('dd', { class: 'requester' }, a.requester),
    el('dt', {}, 'Connection'), el('dd', {}, a.connection + (a.database ? ' / ' + a.database : '')),
    el('dt', {}, 'Why it needs approval'), el('dd', { class: 'reasons' }, (a.reasons || []).join('; ') || '–'),
    el('dt', {}, "Requester's justification"), el('dd', { class: 'justification' }, a.justification || 'none given'),
    el('dt', {}, 'Waiting'), a.status === 'pending' ? el('dd', { 'data-since': a.created }, waited(a.created)) : el('dd', {}, a.status),
    el('dt', {}, 'Approvals'), el('dd', {}, a.approvals + ' of ' + a.approvals_required + ' (reviewers: ' + (a.reviewers || []).join(', ') + ')'),
    el('dt', {}, 'Expires'), el('dd', {}, new Date(a.expires).toLocaleString()));
  const node = el('article', { class: 'approval-card', 'data-id': a.id, 'aria-labelledby': titleId },
    el('h3', { id: titleId }, inInbox ? el('a', { href: '#/approvals/' + a.id }, a.id) : a.id, ' — ', a.status),
    highlightSql(a.statement), facts);
  if (a.reviews && a.reviews.length) {
    node.append(el('h4', {}, 'Reviews'), el('ul', {}, ...a.reviews.map((r) =>
      el('li', {}, r.reviewer.subject + ' ' + (r.verdict === 'approve' ? 'approved' : 'denied') + ': ' + (r.reason || '')))));
  }
  if (a.request_id) node.append(el('p', {}, el('a', { href: '#/decisions/' + a.request_id }, 'Ledger entries of this request')));
  if (a.status === 'pending') node.append(reviewForm(a));
  return node;
}

function reviewForm(a) {
  const fieldId = 'justification-' + a.id;
  const errorId = 'error-' + a.id;
  const field = el('textarea', { id: fieldId, rows: 2, required: '', 'aria-describedby': errorId });
  const error = el('p', { id: errorId, class: 'error', role: 'alert' });
  const act = (approve) => async () => {
    const justification = field.value.trim();
    if (!justification) {
      error.textContent = 'A justification is required.';
      field.focus();
      return;
    }
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    try {
      const result = await api('/api/approvals/' + a.id + (approve ? '/approve' : '/deny'), { method: 'POST', body: { justification } });
      const done = result.status === 'pending'
        ? a.id + ': your approval is recorded; ' + result.approvals + ' of ' + result.approvals_required + ' so far.'
        : a.id + ' ' + result.status + '.';
      $('inbox-status').replaceChildren(el('span', { class: 'ok' }, done), ' ',
        el('a', { href: '#/decisions/' + a.request_id }, 'Ledger entries'));
      announce(done);
      refreshCurrent();
    } catch (e) {
      error.textContent = e.message;
      for (const b of form.querySelectorAll('button')) b.disabled = false;
    }
  };
  const form = el('div', { class: 'review' },
    el('label', { for: fieldId }, 'Your justification (required, recorded in the ledger)'), field,
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'approve', onclick: act(true) }, 'Approve'),
      el('button', { type: 'button', class: 'deny', onclick: act(false) }, 'Deny')),
    error);
  return form;
}

// ---- decisions -------------------------------------------------------------------------------------------------

$('decision-filters').addEventListener('submit', (ev) => {
  ev.preventDefault();
  loadDecisions();
});

async function loadDecisions() {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData($('decision-filters'))) if (v) params.set(k, v);
  $('decisions-error').textContent = '';
  try {
    const rows = await api('/api/decisions?' + params);
    $('decision-table').tBodies[0].replaceChildren(...rows.map((d) => el('tr', {},
      el('td', {}, new Date(d.time).toLocaleString()), el('td', {}, d.subject), el('td', {}, d.connection),
      el('td', { class: 'outcome-' + d.outcome }, d.outcome), el('td', { class: 'statement' }, d.statement || d.action),
      el('td', {}, el('a', { href: '#/decisions/' + d.request_id }, d.request_id)))));
  } catch (e) {
    $('decisions-error').textContent = e.message;
  }
}

async function loadTrail(requestId) {
  $('trail-title').textContent = 'Ledger entries of ' + requestId;
  try {
    const entries = await api('/api/decisions/' + encodeURIComponent(requestId));
    $('trail-entries').replaceChildren(...entries.map((e) => el('li', { class: 'entry', 'data-kind': e.kind },
      el('strong', {}, e.kind), ' #' + e.seq + ' at ' + e.time + describe(e),
      el('pre', { tabindex: '0' }, JSON.stringify(e, null, 2)))));
  } catch (e) {
    $('trail-entries').replaceChildren(el('li', { class: 'error' }, e.message));
  }
}

function describe(e) {
  if (e.kind === 'decision') return ' — ' + e.decision.outcome + ': ' + (e.decision.reasons || []).join('; ');
  if (e.kind === 'approval') return ' — ' + e.status + (e.reviewer ? ' by ' + e.reviewer.subject : '') + (e.reason ? ': ' + e.reason : '');
  if (e.kind === 'execution_result') return ' — ' + (e.error ? 'failed: ' + e.error : e.rows + ' row(s)');
  return '';
}

// ---- ledger ----------------------------------------------------------------------------------------------------

async function loadLedger() {
  try {
    const s = await api('/api/ledger');
    $('ledger-size').textContent = s.size;
    $('ledger-checkpoint').textContent = s.latest_checkpoint || 'no checkpoint yet';
    if (s.last_verification) showVerification(s.last_verification);
  } catch (e) {
    $('verify-result').textContent = e.message;
  }
}

function showVerification(v) {
  $('ledger-verified').textContent = new Date(v.time).toLocaleString() + ': ' + (v.ok ? 'valid' : 'INVALID') + ' — ' + v.summary;
  $('verify-result').className = v.ok ? 'ok' : 'error';
  $('verify-result').textContent = (v.ok ? 'Valid: ' : 'Invalid: ') + v.summary + ' (' + v.millis + ' ms)';
}

$('verify-now').addEventListener('click', async () => {
  const button = $('verify-now');
  button.disabled = true;
  $('verify-result').className = '';
  $('verify-result').textContent = 'Verifying…';
  try {
    showVerification(await api('/api/ledger/verify', { method: 'POST', body: {} }));
    loadLedger();
  } catch (e) {
    $('verify-result').className = 'error';
    $('verify-result').textContent = e.message;
  } finally {
    button.disabled = false;
  }
});

start();

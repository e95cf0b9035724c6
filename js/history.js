// The runs list beside an editor: `<div class="fastflow-history" data-graph=ID data-url=URL>` (what
// `fastflow.runs.RunHistory` renders). It lists the graph's runs from `GET URL?graph=ID` (time, status,
// duration), refreshes when a run of that graph ends on the page, and paints the run you choose: its
// final node and edge statuses on the graph, its final message and results below the list.

import * as G from './graph.js'
import * as R from './runs.js'

const STYLE = `
.fastflow-history { font: 12px/1.4 -apple-system, system-ui, sans-serif; color: #374151; }
.fastflow-history .ffh-head { display: flex; align-items: center; justify-content: space-between; margin: 0 0 6px; font-weight: 600; }
.fastflow-history .ffh-head button { font: inherit; font-weight: 400; border: 1px solid #e2e8f0; background: #fff; border-radius: 4px; cursor: pointer; padding: 1px 6px; }
.fastflow-history ol { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow-y: auto; }
.fastflow-history li button { display: flex; width: 100%; gap: 6px; align-items: center; border: 0; background: none; padding: 3px 4px; font: inherit; text-align: left; cursor: pointer; border-radius: 4px; }
.fastflow-history li button:hover, .fastflow-history li button[aria-pressed="true"] { background: #f1f5f9; }
.fastflow-history .ffh-dot { width: 8px; height: 8px; border-radius: 50%; flex: none; }
.fastflow-history .ffh-when { flex: 1; }
.fastflow-history .ffh-took { color: #64748b; }
.fastflow-history .ffh-gantt { margin: 6px 0; }
.fastflow-history .ffh-row { display: flex; align-items: center; gap: 6px; height: 16px; }
.fastflow-history .ffh-name { width: 72px; flex: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: #64748b; }
.fastflow-history .ffh-lane { position: relative; flex: 1; height: 10px; background: #f1f5f9; border-radius: 2px; }
.fastflow-history .ffh-bar { position: absolute; top: 0; height: 10px; border-radius: 2px; min-width: 2px; }
.fastflow-history pre { font-size: 11px; background: #f8fafc; padding: 6px; border-radius: 4px; white-space: pre-wrap; max-height: 200px; overflow: auto; }
`
const COLORS = { running: '#1890ff', success: '#52c41a', error: '#ff4d4f', cancelled: '#8c8c8c', interrupted: '#faad14', skipped: '#faad14', cached: '#13c2c2' }

export function injectCss(doc) {
  if (doc.getElementById('fastflow-history-css')) return
  const s = doc.createElement('style')
  s.id = 'fastflow-history-css'
  s.textContent = STYLE
  doc.head.appendChild(s)
}

const when = (t) => new Date(t * 1000).toLocaleTimeString()
const took = (s) => (typeof s === 'number' ? `${s.toFixed(2)}s` : '…')

function el(doc, tag, props = {}, ...kids) {
  const e = Object.assign(doc.createElement(tag), props)
  e.append(...kids)
  return e
}

/** Paint run `state` (from `GET URL/<run id>`) on `graph`: every node and edge in its last status. */
export function paintRun(graph, state) {
  G.flushStatus(graph, true)
  G.resetAllStatus(graph)
  graph.startBatch('ff-status')
  for (const d of Object.values(state.nodes || {})) G.setNodeStatus(graph, d.nodeId, d.status, d)
  for (const d of state.edges || []) G.setEdgeStatus(graph, d.sourceId, d.targetId, d.status, d.animated)
  graph.stopBatch('ff-status')
}

/** A Gantt chart of a run: one lane per node that ran, its bar from start to end (seconds from the run's start). */
export function timeline(doc, state) {
  const spans = Object.entries(state.spans || {}).filter(([, s]) => Array.isArray(s) && typeof s[0] === 'number')
  if (!spans.length) return null
  const total = Math.max(state.elapsed || 0, ...spans.map(([, [a, b]]) => b ?? a)) || 1
  const box = el(doc, 'div', { className: 'ffh-gantt', title: `${total.toFixed(2)}s` })
  for (const [id, [a, b]] of spans.sort((x, y) => x[1][0] - y[1][0])) {
    const status = state.nodes?.[id]?.status
    const bar = el(doc, 'div', { className: 'ffh-bar', title: `${id}: ${a.toFixed(2)}s → ${(b ?? total).toFixed(2)}s (${status})` })
    Object.assign(bar.style, { left: `${(100 * a) / total}%`, width: `${(100 * ((b ?? total) - a)) / total}%`, background: COLORS[status] || '#1890ff' })
    bar.dataset.node = id
    box.append(el(doc, 'div', { className: 'ffh-row' }, el(doc, 'span', { className: 'ffh-name', textContent: id }), el(doc, 'div', { className: 'ffh-lane' }, bar)))
  }
  return box
}

/** Mount one runs list (idempotent). `getGraph(id)` finds the editor's graph when a run is chosen. */
export function mountHistory(box, getGraph) {
  if (box.fastflowHistory) return box.fastflowHistory
  const doc = box.ownerDocument
  injectCss(doc)
  const graphId = box.dataset.graph, url = box.dataset.url || '/_fastflow/runs'
  const list = el(doc, 'ol'), detail = el(doc, 'div', { className: 'ffh-detail' })
  const refresh = el(doc, 'button', { type: 'button', textContent: '↻', title: 'Refresh' })
  box.replaceChildren(el(doc, 'div', { className: 'ffh-head' }, el(doc, 'span', { textContent: 'Runs' }), refresh), list, detail)
  let chosen = null

  async function choose(id, button) {
    chosen = id
    R.choose(graphId, id) // "Run from here" reuses this run's results
    for (const b of list.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button))
    const r = await fetch(`${url}/${encodeURIComponent(id)}`)
    if (!r.ok || chosen !== id) return
    const state = await r.json()
    paintRun(getGraph(graphId), state)
    const f = state.final || {}
    const body = f.kind === 'complete' ? f.results : f.details?.errors || f.details || null
    detail.replaceChildren(
      el(doc, 'div', { textContent: f.message || state.status, style: `color: ${COLORS[state.status] || '#374151'}` }),
      ...[timeline(doc, state)].filter(Boolean),
      ...(body ? [el(doc, 'pre', { textContent: JSON.stringify(body, null, 2) })] : []),
      ...(state.note ? [el(doc, 'div', { textContent: state.note, style: 'color: #64748b' })] : []),
    )
    box.dispatchEvent(new CustomEvent('fastflow:run-shown', { bubbles: true, detail: state }))
  }

  async function load() {
    const r = await fetch(`${url}?graph=${encodeURIComponent(graphId)}`)
    if (!r.ok) return null
    const runs = await r.json()
    api.newest = runs[0]?.id ?? null
    list.replaceChildren(...runs.map((run) => {
      const b = el(doc, 'button', { type: 'button', title: `${run.status}, run ${run.id}` },
        el(doc, 'span', { className: 'ffh-dot', style: `background: ${COLORS[run.status] || '#d9d9d9'}` }),
        el(doc, 'span', { className: 'ffh-when', textContent: when(run.started) }),
        el(doc, 'span', { className: 'ffh-status', textContent: run.status }),
        el(doc, 'span', { className: 'ffh-took', textContent: took(run.elapsed) }))
      b.dataset.run = run.id
      b.setAttribute('aria-pressed', String(run.id === chosen))
      b.addEventListener('click', () => choose(run.id, b))
      return el(doc, 'li', {}, b)
    }))
    box.dispatchEvent(new CustomEvent('fastflow:runs-listed', { bubbles: true, detail: runs }))
    return runs
  }

  // a run that ended on the page is in the store a moment later (it writes in batches): list again until it reads ended
  async function awaitEnded(runId, tries = 20) {
    const runs = await load()
    const it = runs?.find((r) => r.id === runId)
    if (runId && (!it || it.status === 'running') && tries > 1) setTimeout(() => awaitEnded(runId, tries - 1), 500)
  }

  refresh.addEventListener('click', load)
  doc.addEventListener('fastflow:event', (e) => {
    if (e.detail?.graphId === graphId && (e.detail.kind === 'complete' || e.detail.kind === 'error')) setTimeout(() => awaitEnded(e.detail.runId), 200)
  })
  const api = (box.fastflowHistory = { load, choose: (id) => choose(id, list.querySelector(`button[data-run="${CSS.escape(id)}"]`)), newest: null })
  load()
  return api
}

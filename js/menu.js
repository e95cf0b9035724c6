// "Run from here": a node's context menu (right-click it, or select it and press the context-menu key or
// Shift+F10). It starts a new run of the graph that reruns that node and everything downstream of it, and
// takes every other node's result from an earlier run: the run chosen in the graph's runs list, else the last
// run the page watched. The new run is streamed from the same route with `?from=<run id>&node=<node id>`
// (what `fastflow.runs.run_stream` reads); the reused nodes settle `cached`.

import * as R from './runs.js'
import { nodeMenu } from './node-menu.js'

let connect = null // page.js's connectExecution, handed over by `installMenu`
let close = null // closes the menu on screen

/** Where a rerun of `graphId` comes from: `{url, runId}` (either may be missing). */
export function rerunSource(graphId) {
  const last = R.lastRun(graphId)
  const box = document.querySelector(`.fastflow-history[data-graph="${CSS.escape(String(graphId))}"]`)
  return {
    url: last?.url ?? box?.dataset.runUrl ?? null,
    runId: R.chosen(graphId) ?? last?.runId ?? box?.fastflowHistory?.newest ?? null,
  }
}

/**
 * Rerun node `nodeId` of graph `graphId` and everything downstream of it, reusing the other nodes' results
 * of run `runId` (default: the run chosen in the runs list, else the last run the page watched), streamed
 * from the route `url` (default: the route of that last run, else the runs list's `data-run-url`).
 * Returns what `connectExecution` returns.
 */
export function rerunFrom(graphId, nodeId, { runId, url, ...opts } = {}) {
  if (!connect) throw new Error('fastflow: rerunFrom needs the page bridge (fastflow.js)')
  const src = rerunSource(graphId)
  url = url ?? src.url
  runId = runId ?? src.runId
  if (!url) throw new Error(`fastflow: no run route known for graph ${JSON.stringify(graphId)}: run it once on this page, or give RunHistory a run_url`)
  if (!runId) throw new Error(`fastflow: no earlier run of graph ${JSON.stringify(graphId)} to take results from`)
  return connect(graphId, R.withParams(url, { from: runId, node: nodeId }), opts)
}

function closeMenu() {
  close?.()
  close = null
}

function openMenu(graph, graphId, node, x, y) {
  closeMenu()
  const src = rerunSource(graphId)
  const ready = !!(src.url && src.runId)
  close = nodeMenu(graph.container.ownerDocument, x, y, [{
    label: 'Run from here', action: 'run-from-here', disabled: !ready,
    title: ready ? `Rerun ${node.id} and what follows it, reusing run ${src.runId}` : 'No earlier run to reuse yet: run the flow once',
    run: () => rerunFrom(graphId, node.id),
  }], { label: `Node ${node.getData()?.label ?? node.id}`, note: ready ? `reusing run ${src.runId.slice(0, 8)}` : null, back: graph.container })
}

/** Give `graph` (registered as `graphId`) its node context menu; `connectExecution` is how a rerun is streamed. */
export function installMenu(graph, graphId, connectExecution) {
  connect = connectExecution
  if (graphId == null) return
  graph.on('node:contextmenu', ({ e, node }) => {
    e.preventDefault?.()
    openMenu(graph, graphId, node, e.clientX, e.clientY)
  })
  graph.container.addEventListener('keydown', (e) => {
    if (!(e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey))) return
    const node = (graph.getSelectedCells?.() || []).find((c) => c.isNode())
    if (!node) return
    e.preventDefault()
    const box = graph.findViewByCell(node)?.container?.getBoundingClientRect()
    if (box) openMenu(graph, graphId, node, box.left + box.width / 2, box.bottom)
  })
  graph.on('blank:mousedown', closeMenu)
  graph.on('scale', closeMenu)
  graph.on('translate', closeMenu)
}

const ff = (window.fastflow = window.fastflow || {})
ff.rerunFrom = rerunFrom

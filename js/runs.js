// Which run a page is watching, kept in sessionStorage so that a reload can reattach to it.
//
// A route served by fastflow's route helper (`executor.stream(req)` / `run_stream`) opens every stream
// with a `run` event: `{runId, graphId, resume: true}` (a message without `id:`, so it does not move the
// browser's last event id). Only such streams are remembered: a reconnect to them resumes the same run,
// while a reconnect to a plain `EventStream(executor.run())` route would start a new one.

const key = (graphId) => `fastflow:run:${location.pathname}:${graphId}`

function store() {
  try { return window.sessionStorage } catch { return null } // storage can be disabled
}

/** Remember that the page watches run `runId` of graph `graphId`, streamed from `url`. */
export function remember(graphId, url, runId) {
  try { store()?.setItem(key(graphId), JSON.stringify({ url, runId, at: Date.now() })) } catch {}
  try { store()?.setItem(lastKey(graphId), JSON.stringify({ url: routeOf(url), runId })) } catch {}
  chosenRuns.delete(String(graphId)) // the page now shows this run
}

/** The run the page was watching for `graphId` before a reload: `{url, runId}`, or null. */
export function recall(graphId) {
  try {
    const v = JSON.parse(store()?.getItem(key(graphId)) || 'null')
    return v && typeof v.url === 'string' && typeof v.runId === 'string' ? v : null
  } catch { return null }
}

/** Forget the run of `graphId` (it ended, or it cannot be reached). */
export function forget(graphId) {
  try { store()?.removeItem(key(graphId)) } catch {}
}

/** `url` with `lastEventId=<id>` set: how a page names the run (and point) it reattaches to. */
export function withLastEventId(url, id) {
  const u = new URL(url, location.href)
  u.searchParams.set('lastEventId', id)
  return u.origin === location.origin ? u.pathname + u.search + u.hash : u.href
}

// The run a page would rerun from: the run chosen in a runs list (history.js), else the last run the page watched
// (kept in sessionStorage, with the route it was streamed from, so a reload still knows it).
const lastKey = (graphId) => `fastflow:last:${location.pathname}:${graphId}`
const chosenRuns = new Map()

/** `url` with the query parameters `params` set (a `null` value removes one). */
export function withParams(url, params) {
  const u = new URL(url, location.href)
  for (const [k, v] of Object.entries(params)) v == null ? u.searchParams.delete(k) : u.searchParams.set(k, v)
  return u.origin === location.origin ? u.pathname + u.search + u.hash : u.href
}

/** The route `url` itself: without the parameters that name a run (`lastEventId`) or a rerun (`from`, `node`). */
export const routeOf = (url) => withParams(url, { lastEventId: null, from: null, node: null })

/** The last run of `graphId` this page watched: `{url, runId}` (`url` is its route), or null. */
export function lastRun(graphId) {
  try {
    const v = JSON.parse(store()?.getItem(lastKey(graphId)) || 'null')
    return v && typeof v.url === 'string' && typeof v.runId === 'string' ? v : null
  } catch { return null }
}

/** The run chosen in the runs list of `graphId` (null if none, or if a run started on the page since). */
export const chosen = (graphId) => chosenRuns.get(String(graphId)) ?? null
/** Note that the runs list of `graphId` shows run `runId`. */
export function choose(graphId, runId) { chosenRuns.set(String(graphId), runId) }

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

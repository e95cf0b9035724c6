"""FlowWidget speed, in a real JupyterLab + Chromium (the harness of tests/test_widget_jupyter.py).

Prints:
- time from running a cell that displays a widget to its graph being drawn in the page, 10 and 1,000 nodes;
- a run of 1,000 fast nodes: time without a widget (`executor.execute()`, the baseline, measured in the same
  kernel), time with a displayed widget attached (`await widget.run(executor)`), and the ratio;
- node-status updates that reach the page per second during that run, and whether the page's final state is exact;
- the cost of a widget *following* an executor (`callbacks=[..., w]`): the 1 -> 1,000 -> 1 fan-out of
  bench_engine.py (noop handlers, Timing/Logging/Progress callbacks), run without and with a displayed widget
  following it, interleaved, as `run()` streamed (what a page gets), `execute()`, and `run()` on another thread
  with its own event loop (as a FastHTML server in the notebook runs it); plus the comm messages per run.
  Each way runs REPS pairs in ABBA order (neither side always first). Wall times are noisy here (2 cores shared with
  Chromium and other work), so each row also gives the kernel's CPU time (`time.process_time()` in the kernel, all its
  threads) from the run's start to 150 ms after its end, which includes the widget's work after the run (its last batch
  and the snapshot trait; a row says if the widget was still busy then), and the load average is printed. A full
  garbage collection runs before each run, outside its timing (one takes tens of ms in a kernel and would otherwise
  land in one side's timing at random).
  The page must follow: if anywidget failed to set the model up (it gives up after 2 s when the machine is loaded, and
  the view then ignores every message), the rows are marked INVALID and the exit status is 1.

Run: .venv/bin/python bench/bench_widget.py"""
import json, os, statistics, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'tests'))
from conftest import CHROMIUM, CHROMIUM_ARGS
from test_widget_jupyter import Lab, guard, open_notebook, run_cell, output, cell

SETUP = '''import time, json, statistics
from fastflow.widget import FlowWidget
from fastflow.execution import FlowExecutor, ExecutionStep

def layered(n, width=50):
    "n fast sync nodes in layers of `width`, each depending on one node of the layer before"
    return FlowExecutor(f"g{n}", [ExecutionStep(f"n{i}", depends_on=[f"n{i-width}"] if i >= width else [],
                                                handler=lambda c, inputs: 1) for i in range(n)])
ex10, ex1000 = layered(10, 5), layered(1000)
w10, w1000 = FlowWidget.from_executor(ex10), FlowWidget.from_executor(ex1000, height=500)
w1000b = FlowWidget.from_executor(ex1000, height=500, minimap=False)

import asyncio
async def nap(c, inputs): await asyncio.sleep(0.005)
slow = FlowExecutor("slow", [ExecutionStep(f"s{i}", depends_on=[f"s{i-5}"] if i >= 5 else [], handler=nap) for i in range(1000)])
wslow = FlowWidget.from_executor(slow, height=300, minimap=False)

import logging
from fastflow.callbacks import TimingCallback, LoggingCallback, ProgressCallback
async def noop(c, inputs): return None
null = logging.getLogger("bench.null"); null.handlers = [logging.NullHandler()]; null.propagate = False
def fan(callbacks=()):
    "1 -> 1,000 -> 1 with bench_engine.py's three callbacks"
    steps = ([ExecutionStep("src", handler=noop)] + [ExecutionStep(f"n{i}", depends_on=["src"], handler=noop) for i in range(1000)]
             + [ExecutionStep("sink", depends_on=[f"n{i}" for i in range(1000)], handler=noop)])
    return FlowExecutor("fan", steps, callbacks=[TimingCallback(), LoggingCallback(logger=null), ProgressCallback(), *callbacks])
fan_alone, fan_followed = fan(), fan()
wfan = FlowWidget.from_executor(fan_followed, height=300, minimap=False, follow=True)

async def stream(ex):
    n = 0
    async for msg in ex.run(): n += len(msg)
    return n'''

def timed_runs(ex, w, n):
    "A cell that times `n` runs of `ex` alone and with widget `w` attached, and prints the times as JSON"
    return f'''base, attached = [], []
for _ in range({n}):
    t = time.perf_counter(); r = await {ex}.execute(); base.append(time.perf_counter() - t)
    t = time.perf_counter(); e = await {w}.run({ex}); attached.append(time.perf_counter() - t)
assert r.status == "success" and e.kind == "complete"
print(json.dumps({{"base": base, "attached": attached, "events": len(r.events)}}))'''

RUNS, SLOW = timed_runs('ex1000', 'w1000', 5), timed_runs('slow', 'wslow', 2)
REPS = 21   # pairs of fan-out runs per way (alone, followed), in ABBA order

FOLLOW = '''import gc, os
async def quiet(w, wait):
    "Sleep `wait` seconds, the same after every run; then, for a widget, until the run's last batch and the snapshot trait are sent (polls: 0 if they were)"
    await asyncio.sleep(wait)
    polls = 0
    while w is not None and (w.running or w._inbox.items or w._stale or w._timer is not None): await asyncio.sleep(0.005); polls += 1
    return polls
out = {"load": os.getloadavg()}
ways = {"run() streamed": lambda ex: stream(ex), "execute()": lambda ex: ex.execute(),
        "run() on a thread": lambda ex: asyncio.to_thread(lambda: asyncio.run(stream(ex)))}
for name, go in ways.items():
    r = {k: [] for k in ("alone", "followed", "cpu_alone", "cpu_followed", "late")}
    for i in range(REPS):
        pair = ((fan_alone, None, "alone"), (fan_followed, wfan, "followed"))
        for ex, w, k in pair if i % 2 == 0 else pair[::-1]:   # ABBA: neither side always goes first
            gc.collect()   # a full collection of the kernel's objects takes tens of ms: not inside one side's timing at random
            c, t = time.process_time(), time.perf_counter()
            await go(ex)
            r[k].append(time.perf_counter() - t)
            polls = await quiet(w, 0.15)   # the kernel's CPU time covers the widget's work after the run too
            r["cpu_" + k].append(time.process_time() - c)
            if w is not None: r["late"].append(polls)
    out[name] = r
out["load_after"] = os.getloadavg()
print(json.dumps(out))'''.replace('REPS', str(REPS))

# A big graph draws only the nodes in view (virtual rendering): read states from the view's X6 model, which
# the widget keeps on its root element (`.ffw-root`.fastflowGraph, see js/widget.js).
MOUNTED = """([i, n]) => {
  const r = document.querySelectorAll('.jp-Notebook .jp-Cell')[i]?.querySelector('.ffw-root'), g = r?.fastflowGraph
  if (!g || g.getNodes().length < n) return false
  const c = r.querySelector('.fastflow-canvas'), a = g.getGraphArea()
  return g.getNodes().filter(v => a.isIntersectWithRect(v.getBBox())).every(v => c.querySelector(`g[data-cell-id="${v.id}"] .ff-node`))
}"""
STATES = """r => { const g = r.fastflowGraph, out = {}
  for (const v of g.getNodes()) { const s = v.getData()?.status || 'pending'; out[s] = (out[s] || 0) + 1 }
  return out }"""

def time_display(page, i, n):
    "Seconds from running cell `i` to its view holding `n` nodes, those in view drawn"
    t = time.perf_counter()
    run_cell(page, i, wait=False)
    page.wait_for_function(MOUNTED, arg=[i, n], timeout=120_000, polling='raf')
    return time.perf_counter() - t

def page_final(view, n, timeout=120):
    "Wait until `n` nodes of the view's graph model are `success` (X6 applies 1,000 changes over several frames); (count, seconds)"
    t, k = time.perf_counter(), -1
    while time.perf_counter() - t < timeout:
        k = view.evaluate(STATES).get('success', 0)
        if k >= n: break
        time.sleep(0.2)
    return k, time.perf_counter() - t

def main():
    from playwright.sync_api import sync_playwright
    outside, errors, load0 = [], [], os.getloadavg()
    with Lab() as lab, sync_playwright() as p:
        # the follow rows first, while the page holds no other big view (Chromium shares the two cores)
        url = lab.notebook('bench.ipynb', [SETUP, 'wfan', FOLLOW, 'w10', 'w10', 'w1000', RUNS, 'w1000b', 'wslow', SLOW])
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = b.new_page(viewport={'width': 1280, 'height': 1000})
        guard(page, outside)
        page.on('console', lambda m: m.type == 'error' and errors.append(m.text))
        page.on('pageerror', lambda e: errors.append(str(e)))
        open_notebook(page, url)
        run_cell(page, 0)
        run_cell(page, 1)
        page.wait_for_function(MOUNTED, arg=[1, 1002], timeout=120_000, polling='raf')
        fview = cell(page, 1).locator('.ffw-root')
        time.sleep(1)
        fbefore = fview.evaluate('r => ({...r.ffStats})')
        run_cell(page, 2, timeout=900_000)
        fres = json.loads(output(page, 2).strip().splitlines()[-1])
        ffinal, fwait = page_final(fview, 1002)
        fafter = fview.evaluate('r => ({...r.ffStats})')
        first10 = time_display(page, 3, 10)   # the module is loaded already (by the fan-out's view)
        again10 = time_display(page, 4, 10)
        t1000 = time_display(page, 5, 1000)
        view = cell(page, 5).locator('.ffw-root')
        before = view.evaluate('r => ({...r.ffStats})')
        run_cell(page, 6, timeout=600_000)
        res = json.loads(output(page, 6).strip().splitlines()[-1])
        green, wait1000 = page_final(view, 1000)
        after = view.evaluate('r => ({...r.ffStats})')
        states = view.evaluate(STATES)
        final = view.evaluate("""r => ({progress: r.querySelector('[role=progressbar]').getAttribute('aria-valuenow'),
                                       count: r.querySelector('.ffw-count').textContent})""")
        final.update(success=states.get('success', 0), other=sum(v for k, v in states.items() if k != 'success'))
        tnomini = time_display(page, 7, 1000)
        time_display(page, 8, 1000)
        sview = cell(page, 8).locator('.ffw-root')
        sbefore = sview.evaluate('r => ({...r.ffStats})')
        run_cell(page, 9, timeout=600_000)
        sres = json.loads(output(page, 9).strip().splitlines()[-1])
        sfinal, swait = page_final(sview, 1000)
        safter = sview.evaluate('r => ({...r.ffStats})')
        page.screenshot(path=str(Path(__file__).resolve().parent.parent/'tests'/'_artifacts'/'bench_widget.png'))
        b.close()
    base, att = statistics.median(res['base']), statistics.median(res['attached'])
    updates, batches = after['updates'] - before['updates'], after['batches'] - before['batches']
    runs = len(res['attached'])
    print(f"display -> rendered graph, 10 nodes (a new widget):                  {first10*1000:7.0f} ms")
    print(f"display -> rendered graph, 10 nodes (a second view of it):           {again10*1000:7.0f} ms")
    print(f"display -> rendered graph, 1,000 nodes:                              {t1000*1000:7.0f} ms")
    print(f"run of 1,000 fast nodes ({res['events']} events), median of {runs}: "
          f"baseline execute() {base*1000:.0f} ms, with widget {att*1000:.0f} ms, ratio {att/base:.2f}")
    print(f"page received {updates} node-status updates in {batches} messages over {runs} runs: "
          f"{updates/sum(res['attached']):,.0f} updates/s of run time ({3000*runs/sum(res['attached']):,.0f} node events/s handled)")
    print(f"final state in the page: {final['success']} success, {final['other']} other, progress {final['progress']}% ({final['count']}); "
          f"all 1,000 drawn green {wait1000:.1f} s after the cell ended")
    print(f"display -> rendered graph, 1,000 nodes, minimap=False (page already holds two 1,000-node views): {tnomini*1000:.0f} ms")
    sb, sa = statistics.median(sres['base']), statistics.median(sres['attached'])
    su, sm = safter['updates'] - sbefore['updates'], safter['batches'] - sbefore['batches']
    print(f"run of 1,000 nodes sleeping 5 ms (200 waves), median of {len(sres['attached'])}: baseline {sb*1000:.0f} ms, "
          f"with widget {sa*1000:.0f} ms, ratio {sa/sb:.2f}; page received {su} node-status updates in {sm} messages, "
          f"{su/sum(sres['attached']):,.0f} updates/s; final: {sfinal} of 1000 nodes success in the page ({swait:.1f} s after the cell ended)")
    nruns = sum(len(v['followed']) for k, v in fres.items() if k not in ('load', 'load_after'))
    med = statistics.median
    print(f"1 -> 1,000 -> 1 fan-out followed by a displayed widget (follow=True) or not, {REPS} runs each per way, ABBA order; "
          f"kernel CPU = process_time of the kernel from the run's start to 150 ms after its end (the widget's last batch and snapshot trait included); "
          f"kernel load average {' / '.join(f'{x:.2f}' for x in fres['load'])} before, {' / '.join(f'{x:.2f}' for x in fres['load_after'])} after:")
    for name, v in fres.items():
        if name in ('load', 'load_after'): continue
        a, f = v['alone'], v['followed']
        ca, cf = v['cpu_alone'], v['cpu_followed']
        print(f"  {name:18} wall best {min(a)*1000:6.1f} / {min(f)*1000:6.1f} ms = {min(f)/min(a):.3f}; median {med(a)*1000:6.1f} / {med(f)*1000:6.1f} ms = {med(f)/med(a):.3f}; "
              f"kernel CPU median {med(ca)*1000:6.1f} / {med(cf)*1000:6.1f} ms = {med(cf)/med(ca):.3f}, best {min(cf)/min(ca):.3f}, "
              f"widget CPU (median) {(med(cf) - med(ca))*1000:.1f} ms/run; widget still busy after 150 ms in {sum(1 for x in v['late'] if x)} runs")
    alive = ffinal == 1002  # a view anywidget failed to set up shows no run's end (a fast run's whole news may be its snapshot trait: no batch)
    print(f"fan-out runs followed: the page's view got {fafter['batches'] - fbefore['batches']} status messages over {nruns} runs "
          f"({(fafter['batches'] - fbefore['batches'])/nruns:.1f} per run; each run's end comes as the snapshot trait); final: {ffinal} of 1002 nodes success in the page ({fwait:.1f} s after the cell ended)"
          + ('' if alive else ' -- INVALID: the view did not follow (see the page errors below), so Chromium did none of its work'))
    for e in dict.fromkeys(errors): print(f"page error: {e[:200]}")
    print(f"machine load average {' / '.join(f'{x:.2f}' for x in load0)} at the start, {' / '.join(f'{x:.2f}' for x in os.getloadavg())} at the end ({os.cpu_count()} cores)")
    print(f"requests leaving the machine: {len(outside)}")
    return 0 if alive else 1

if __name__ == '__main__': sys.exit(main())

"What the store keeps of a run is the run: its log reads back as it went on the wire, its row says how each node ended."
import asyncio, json
import pytest
from fastflow.core import parse_sse, FlowEvent
from fastflow.callbacks import FlowCallback
from fastflow.execution import FlowExecutor, ExecutionStep as S
from fastflow.store import RunStore, data_text
from fastflow.runs import start_run, run_state

@pytest.fixture(params=['disk', 'memory'])
def store(request, tmp_path):
    s = RunStore(tmp_path/'runs.db' if request.param == 'disk' else None)
    yield s
    s.close()

async def ok(c, i): return 1
async def boom(c, i): raise ValueError('boom')
async def slow(c, i): await asyncio.sleep(30)

def served(ex, store, **kw):
    "Run `ex` as the route helper does; `(the LiveRun, the text its viewer got)`."
    async def main():
        r = start_run(ex, store=store, **kw)
        return r, ''.join([m async for m in r.follow()])
    r, text = asyncio.run(main())
    store.flush()
    return r, text

def last_node_data(text):
    return {e['nodeId']: e.data for e in parse_sse(text) if e.kind == 'nodeStatus'}

def fan(n): return [S('src', handler=ok), *[S(f'n{i}', depends_on=['src'], handler=ok) for i in range(n)],
                    S('sink', depends_on=[f'n{i}' for i in range(n)], handler=ok)]

def test_log_reads_back_as_on_the_wire_with_shared_blocks_kept_once(store):
    ex = FlowExecutor('fan', fan(200))
    runs = [served(ex, store) for _ in range(3)]
    blocks = store._q('select key from blocks')
    assert len([b for b in blocks if b['key'].startswith('o')]) == 2  # the opening and the closing block, once for all runs
    for r, text in runs:
        rec = store.run(r.id)
        assert rec.status == 'success' and rec.last_seq == len(parse_sse(text))
        assert ''.join(e.sse for e in store.events(r.id)) == text
        refs = [row['seq'] for row in store._q('select seq, sse from events where run_id=?', [r.id]) if row['sse'] == '@' or str(row['sse']).startswith('@')]
        assert len(refs) == 2  # both blocks by reference: neither is in the run's own rows
        msgs = parse_sse(text)
        for after in (0, 1, 202, 203, 1000, len(msgs)-3, len(msgs)-1, len(msgs)):  # in, at and across the blocks' edges
            assert [e.seq for e in store.events(r.id, after)] == list(range(after+1, len(msgs)+1))
        assert json.loads(rec.nodes) == last_node_data(text)
        assert set(json.loads(rec.spans)) == {'src', 'sink', *[f'n{i}' for i in range(200)]}

def test_row_says_how_each_node_ended(store):
    n = [0]
    async def flaky(c, i):
        n[0] += 1
        if n[0] < 2: raise ValueError('once')
        return 2
    ex = FlowExecutor('mix', [S('a', handler=ok), S('b', depends_on=['a'], handler=boom), S('c', depends_on=['b'], handler=ok),
                              S('d', depends_on=['a'], handler=flaky, retries=1), S('e', depends_on=['d'], handler=ok)])
    r, text = served(ex, store)
    rec = store.run(r.id)
    assert rec.status == 'error' and ''.join(e.sse for e in store.events(r.id)) == text
    assert json.loads(rec.nodes) == last_node_data(text)
    assert rec.node_statuses == {'a': 'success', 'b': 'error', 'c': 'cancelled', 'd': 'success', 'e': 'success'}
    spans = json.loads(rec.spans)
    assert set(spans) == {'a', 'b', 'd', 'e'} and all(0 <= s <= e for s, e in spans.values())
    assert spans['d'][0] >= spans['a'][1] - 1e-4 and spans['e'][0] >= spans['d'][1] - 1e-4
    again, text2 = served(ex, store, rerun_from=(r.id, 'b'))  # reused nodes settle `cached`, with a message
    rec2 = store.run(again.id)
    assert json.loads(rec2.nodes) == last_node_data(text2) and rec2.node_statuses['a'] == 'cached'

class Watcher(FlowCallback):
    "Wants node events as objects, so the run frames every message itself (no block of shared text), and emits one of its own."
    event_kinds = ('nodeStatus',)
    def fork(self): return Watcher()
    def on_event(self, state, ev):
        if ev['status'] == 'success' and ev['nodeId'] == 'a': state.emit(FlowEvent('note', {'saw': 'a'}))

def test_a_run_framed_event_by_event_is_kept_whole(store):
    ex = FlowExecutor('objs', [S('a', handler=ok), S('b', depends_on=['a'], handler=ok)], callbacks=[Watcher()])
    r, text = served(ex, store)
    assert 'event: note' in text and ''.join(e.sse for e in store.events(r.id)) == text
    assert json.loads(store.run(r.id).nodes) == last_node_data(text)

def test_cancelled_run_row_is_read_off_its_log(store):
    ex = FlowExecutor('stop', [S('a', handler=ok), S('b', depends_on=['a'], handler=slow)])
    async def main():
        r = start_run(ex, store=store)
        agen = r.follow()
        seen = ''
        async for m in agen:
            seen += m
            if '"nodeId":"b","status":"running"' in seen: break
        await agen.aclose()
        store.flush()
        live = run_state(store, r.id)  # a live run: its nodes and spans come from its log
        r.cancel('test')
        await asyncio.sleep(0.05)
        return r, live
    r, live = asyncio.run(main())
    store.flush()
    assert live['status'] == 'running' and live['nodes']['b']['status'] == 'running' and live['spans']['b'][1] is None
    rec = store.run(r.id)
    assert rec.status == 'cancelled' and rec.node_statuses == {'a': 'success', 'b': 'cancelled'}
    assert json.loads(rec.nodes) == last_node_data(''.join(r.log.chunks))
    assert ''.join(e.sse for e in store.events(r.id)) == ''.join(r.log.chunks)

def test_logs_written_before_raw_deflate_still_read(store):
    "Chunks stored as zlib streams (before the store wrote raw deflate) read back as they were."
    import zlib
    from fastflow.store import frame, RunLog
    from fastflow.core import node_status, complete_event
    msgs = [frame(node_status('g', 'a', 'running'), 'old', 1), frame(complete_event({'a': 1}), 'old', 2)]
    store.begin('old', 'g'); store.finish('old', 'success', started=0.0); store.flush()
    with store._wlock: store._w.execute('insert into events values (?,?,?,?,?)', ('old', 1, 2, zlib.compress(''.join(msgs).encode(), 1), 0.0))
    assert [e.sse for e in store.events('old')] == msgs
    new = RunLog(); store.begin('new', 'g'); store.attach('new', new)
    new.add(''.join(m.replace('old', 'new') for m in msgs), 2); store.finish('new', 'success', started=0.0); store.flush()
    assert store._q("select sse from events where run_id='new'")[0]['sse'][:1] == b'\x00'
    assert [e.sse for e in store.events('new')] == [m.replace('old', 'new') for m in msgs]

def test_a_reader_sees_what_its_process_queued(tmp_path):
    "A run that just ended reads as ended, with its duration, at once: the writer's batch interval is not a reader's wait"
    store = RunStore(tmp_path/'runs.db', flush_every=3600)  # the writer thread alone would not write it for an hour
    try:
        async def main():
            r = start_run(FlowExecutor('g', [S('a', handler=ok), S('b', depends_on=['a'], handler=ok)]), store=store)
            [m async for m in r.follow()]
            return r
        r = asyncio.run(main())
        rows = store.runs('g')
        assert [(x.id, x.status) for x in rows] == [(r.id, 'success')] and rows[0].elapsed is not None
        assert run_state(store, r.id)['nodes']['b']['status'] == 'success'
    finally: store.close()

def test_a_run_is_recorded_ended_with_its_final_message(tmp_path):
    "A process that stops right after a viewer got the final message (before the run's task runs again) still records the run as ended"
    store = RunStore(tmp_path/'runs.db', flush_every=3600)
    async def main():
        r = start_run(FlowExecutor('g', [S('a', handler=ok), S('b', depends_on=['a'], handler=ok)]), store=store)
        async for m in r.follow():
            if 'event: complete' in m: break
        assert r.status == 'success' and r.ended  # ended for whoever reads it, the moment its final message is there
        store.close()  # what the process's exit does, before the loop lets the run's task go on
        return r
    r = asyncio.run(main())
    again = RunStore(tmp_path/'runs.db')
    try:
        rec = again.run(r.id)
        assert rec.status == 'success' and rec.elapsed is not None and rec.node_statuses == {'a': 'success', 'b': 'success'}
    finally: again.close()

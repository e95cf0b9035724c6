"The spec's Complete Code, served by uvicorn: the engine half (the browser half is in test_browser_tutorial.py)."
import re, time
from spec import block
from test_engine_http import read_stream

def complete_code_engine():
    "The Complete Code's executor, handlers and MetricsCallback, with the page and serve() left as they are."
    return block('Complete Code')

def test_complete_code_prints_metrics_and_streams(serve):
    # The whole Complete Code as a module: `serve()` does nothing when imported by uvicorn.
    srv = serve(complete_code_engine())
    t = time.perf_counter()
    evs = read_stream(srv.url + '/execute/pipeline')
    took = time.perf_counter() - t
    assert evs[-1].kind == 'complete' and set(evs[-1]['results']) == {'load', 'process', 'save'}
    assert took >= 2.3  # the sleeps run one after the other: the stream can't be faster than their sum
    pcts = [e['percent'] for e in evs if e.kind == 'progress']
    assert pcts == [33.3, 66.7, 100.0]
    for _ in range(50):
        out = srv.output
        if 'Completed save' in out: break
        time.sleep(0.1)
    lines = [l for l in out.splitlines() if l.startswith(('→', '✓'))]
    assert [l.split(' in ')[0] for l in lines] == ['→ Starting load', '✓ Completed load', '→ Starting process',
                                                  '✓ Completed process', '→ Starting save', '✓ Completed save']
    assert all(re.search(r' in \d+\.\d\ds$', l) for l in lines if l.startswith('✓')), lines


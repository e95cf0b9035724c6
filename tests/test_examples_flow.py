"The drawn-flow examples (data DAG, ML pipeline, agent flow): their flows run, and their pages run them in Chromium."
import asyncio, json, sys
from conftest import ROOT, cdn_urls
import pytest
sys.path.insert(0, str(ROOT/'examples'))

def test_ml_pipeline_trains_two_models_at_once_and_picks_the_best():
    import ml_pipeline
    res = asyncio.run(ml_pipeline.executor().execute({'rows': ml_pipeline.make_data()}))
    assert res.ok and res.results['report']['best'] == 'line'
    ev = [(e['nodeId'], e['status']) for e in res.events if e.kind == 'nodeStatus']
    # both trainings were running before either ended
    first_end = min(ev.index(('train_a', 'success')), ev.index(('train_b', 'success')))
    assert ('train_a', 'running') in ev[:first_end] and ('train_b', 'running') in ev[:first_end]

@pytest.mark.parametrize('q,ran,skipped,reply', [('What is the capital of France?', 'search', None, 'Paris (looked it up)'),
                                                 ('How are you?', None, 'search', "I can answer 'how are you?' myself.")])
def test_agent_flow_takes_one_branch(q, ran, skipped, reply):
    import agent_flow
    res = asyncio.run(agent_flow.executor().execute({'question': q}))
    assert res.ok and res.results['reply'] == reply
    if skipped: assert res.statuses[skipped] == 'skipped'
    if ran: assert res.statuses[ran] == 'success'

def test_data_dag_saves_checks_and_runs(tmp_path, monkeypatch):
    monkeypatch.setenv('FLOWS_DIR', str(tmp_path))
    import importlib, data_dag
    importlib.reload(data_dag)
    from fasthtml.common import Client
    from fastflow.core import parse_sse
    c = Client(data_dag.app)
    flow = data_dag.starter().to_dict()
    flow['nodes'].append({'id': 'tax', 'nodeType': 'transform', 'label': 'Add tax'})
    flow['edges'] = [{'source': 'sales', 'target': 'big'}, {'source': 'big', 'target': 'tax'}, {'source': 'tax', 'target': 'report'}]
    assert c.post('/save', content=json.dumps(flow)).status_code == 200
    assert (tmp_path/'saved_flow.json').exists() and c.get('/').status_code == 200
    evs = parse_sse(c.get('/run').text)
    assert evs[-1].kind == 'complete'
    assert evs[-1]['results']['report'] == [{'region': 'north', 'amount': 120, 'with_tax': 144.0}, {'region': 'north', 'amount': 300, 'with_tax': 360.0}]
    bad = c.post('/save', content=json.dumps({'nodes': [{'id': 'a', 'lable': 'A'}]}))
    assert bad.status_code == 400 and "unknown field(s) ['lable']" in bad.text

def test_agent_page_shows_the_branch_not_taken(serve, page):
    srv = serve(ROOT/'examples'/'agent_flow.py', module='agent_flow_app', env={'FASTFLOW_OFFLINE': '1'})
    page.goto(srv.url + '/')
    page.wait_for_function("() => window.fastflow?.agent?.getNodes().length === 6")
    page.fill('#q', 'How are you?')
    page.get_by_role('button', name='▶ Ask').click()
    page.wait_for_function("() => window.fastflow.agent.getCellById('reply').getData().status === 'success'")
    assert page.evaluate("() => window.fastflow.agent.getCellById('search').getData().status") == 'skipped'

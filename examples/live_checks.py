"""Edits reach the server: an editor that posts every change, and a route that answers with problems.

Run from the repository root:  python examples/live_checks.py
then open http://127.0.0.1:5001 (set PORT to change it). Move, add, connect or delete nodes: after each
edit the page posts the flow and what changed to /changed, which answers with the flow's problems
(`validate()` of each typed node, `can_connect` of each edge). The editor outlines those nodes and
edges in red, with the messages as their tooltip; the list under the editor is htmx's swap of the
answer when htmx is on the page, and fastflow's own fetch works without it."""
import json, os
from fasthtml.common import *
from starlette.responses import JSONResponse
from fastflow import FlowEditor, Edge, fastflow_headers
from fastflow.flow import flow_problems, problems_header
from fastflow.types import InputNode, TransformNode, JoinNode, OutputNode

app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=os.environ.get('FASTFLOW_OFFLINE') is None)
heard = []  # every batch of changes the editor posted, newest last

def editor():
    return FlowEditor(InputNode(id='rows', label='Rows'),  # no source yet: `validate` complains
                      TransformNode(id='clean', label='Clean'), OutputNode(id='save', label='Save', destination='report'),
                      Edge('rows', 'clean'), Edge('clean', 'save'),
                      id='checked', palette=[InputNode, TransformNode, JoinNode, OutputNode],
                      on_change='/changed', hx_target='#problems', height=420)

@rt('/changed')
def post(flow:str, changes:str):
    "Hear the edit, answer with the flow's problems: on the graph (the header) and as a list"
    heard.append(json.loads(changes))
    problems = flow_problems(flow)
    items = [Li(f'{k}: {m}') for part in ('nodes', 'edges') for k, ms in problems[part].items() for m in ms]
    return problems_header(problems), Ul(*items) if items else P('No problems')

@rt('/heard')
def get(): return JSONResponse(heard)

@rt
def index():
    return Titled('Checked as you draw', editor(), Div(P('Edit the flow to check it'), id='problems'))

if __name__ == '__main__': serve(port=int(os.environ.get('PORT', 5001)))

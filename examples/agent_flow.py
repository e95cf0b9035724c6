"""An agent flow: a question goes to an LLM that decides whether it needs a tool; a decision node routes it
to a search tool or straight to the answer, and the answer node joins the two branches.

Run from the repository root:  python examples/agent_flow.py
then open http://127.0.0.1:5001 (set PORT to change it), type a question and click "▶ Ask". The LLM and the
tool are stand-ins (plain functions), so it runs offline; swap in real ones by changing the handlers."""
import os
from fasthtml.common import *
from fastflow import FlowEditor, Edge, FlowExecutor, fastflow_headers
from fastflow.flow import Flow
from fastflow.types import InputNode, LLMNode, DecisionNode, ToolNode, AgentNode, OutputNode

app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=os.environ.get('FASTFLOW_OFFLINE') is None)

FACTS = {'capital of france': 'Paris', 'speed of light': '299,792 km/s'}

def fake_llm(prompt=None, model=None, inputs=None):
    "Stand-in LLM: reads the question, says whether it needs to look something up"
    q = str(next(iter(inputs.values()))).lower()
    return {'question': q, 'needs_search': any(k in q for k in FACTS)}

def search(inputs=None, **args):
    "Stand-in search tool"
    q = next(iter(inputs.values()))['question']
    return {'question': q, 'found': next(v for k, v in FACTS.items() if k in q)}

def answer(instructions=None, model=None, tools=None, inputs=None):
    "Stand-in agent writing the answer from whichever branch ran"
    (src, got), = inputs.items()
    return f"{got['found']} (looked it up)" if src == 'search' else f"I can answer '{got['question']}' myself."

agent = Flow(
    InputNode(id='question', label='Question', source='question'),
    LLMNode(id='think', label='Think', model='stand-in', prompt='Do I need a tool?', fn=fake_llm),
    DecisionNode(id='route', label='Needs search?', condition='the LLM asked for a tool', fn=lambda t: t['needs_search']),
    ToolNode(id='search', label='Search', tool='search', fn=search),
    AgentNode(id='answer', label='Answer', instructions='Answer from what you have', fn=answer),
    OutputNode(id='reply', label='Reply', destination='reply'),
    Edge('question', 'think'), Edge('think', 'route'),
    Edge('route', 'search', source_port='yes'), Edge('route', 'answer', source_port='no', line_style='dashed'),
    Edge('search', 'answer'), Edge('answer', 'reply'), id='agent')

def executor(): return FlowExecutor.from_flow(agent)

@rt('/run')
def get(q:str='What is the capital of France?'): return EventStream(executor().run({'question': q}))

@rt
def index():
    return Titled('Agent flow', agent.editor(height=420, read_only=True),
                  Div(Input(id='q', value='What is the capital of France?', style='flex: 1 1 20em; min-width: 0; margin: 0'),
                      Button('▶ Ask', onclick="fastflow.connectExecution('agent', '/run?q=' + encodeURIComponent(document.getElementById('q').value))"),
                      style='display: flex; gap: 8px; flex-wrap: wrap; margin-top: 12px;'))

if __name__ == '__main__': serve(port=int(os.environ.get('PORT', 5001)))

"""The ER diagram tutorial (nbs/tutorials/er_diagram.ipynb) as a runnable app.

Run from the repository root:  python examples/er_diagram.py
then open the printed link (http://127.0.0.1:5001; set PORT to change it).
The diagram is read from a real SQLite database (made with fastlite next to this file): one table node
per table, a row per column with its key mark, and an edge per foreign key, from the column to the key
it points at. A node type of your own (`TableNode`) brings the look: that is all a custom look takes."""
import os
from dataclasses import field
from pathlib import Path
from fasthtml.common import *
from fastlite import database
from fastflow import FlowEditor, Edge, fastflow_headers
from fastflow.components import look
from fastflow.types import FlowNode, register_node_type, node_look

app, rt = fast_app(hdrs=fastflow_headers())

# A shop's database, on disk
db = database(Path(__file__).with_name('shop.db'))
db.t.users.create(id=int, email=str, name=str, pk='id', if_not_exists=True)
db.t.products.create(id=int, title=str, price=float, pk='id', if_not_exists=True)
db.t.orders.create(id=int, user_id=int, placed_at=str, pk='id', foreign_keys=[('user_id', 'users')], if_not_exists=True)
db.t.order_items.create(order_id=int, product_id=int, qty=int, pk=('order_id', 'product_id'),
                        foreign_keys=[('order_id', 'orders'), ('product_id', 'products')], if_not_exists=True)

# The node type: a table, drawn as a table (shape 'table' draws data['columns'], one port per column)
@register_node_type('table', icon='▦', color='#2563eb', shape='table')
class TableNode(FlowNode):
    "A database table"
    columns: list = field(default_factory=list)  # [{'name', 'type', 'key'}]

@node_look.dispatch
def node_look(node: TableNode): return {**node_look.invoke(FlowNode)(node), 'data': {'columns': node.columns}}

def table_node(t):
    "The node for fastlite table `t`: its columns, primary keys marked PK, foreign keys FK"
    fks = {fk.column for fk in t.foreign_keys}
    key = lambda c: ' '.join(k for k, on in (('PK', c.is_pk), ('FK', c.name in fks)) if on) or None
    return TableNode(t.name, columns=[dict(name=c.name, type=c.type.lower(), key=key(c)) for c in t.columns])

def fk_edges(t):
    "An edge per foreign key of `t`: from its column to the column it references"
    return [Edge(t.name, fk.other_table, source_port=fk.column, target_port=fk.other_column)
            for fk in t.foreign_keys]

def schema(db, **kw):
    tables = db.tables
    return FlowEditor(*[table_node(t) for t in tables], *[e for t in tables for e in fk_edges(t)],
                      id='schema', read_only=True, height=520, **kw)

@rt
def index():
    return Titled('Shop schema', schema(db),
                  P('Each table is a node; each foreign key an edge from its column to the key it points at.'))

@rt
def dark():
    "The same diagram in a custom look: darker headers, a dark canvas"
    return Titled('Shop schema', schema(db, theme='dark', looks={'table': look(color='#0f766e')}))

serve(host='127.0.0.1', app_dir=os.path.dirname(os.path.abspath(__file__)))

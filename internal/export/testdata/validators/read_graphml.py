"""Reads a GraphML file with networkx, as an analyst would, and prints what
networkx made of it as JSON: graph type, nodes with their attributes, edges
with their key and attributes. Usage: python read_graphml.py FILE"""

import json
import sys

import networkx as nx

g = nx.read_graphml(sys.argv[1])
out = {
    "directed": g.is_directed(),
    "multigraph": g.is_multigraph(),
    "nodes": {n: attrs for n, attrs in g.nodes(data=True)},
    "edges": [
        {"source": u, "target": v, "key": k, "attrs": attrs}
        for u, v, k, attrs in (g.edges(keys=True, data=True) if g.is_multigraph() else
                               ((u, v, None, a) for u, v, a in g.edges(data=True)))
    ],
}
json.dump(out, sys.stdout, ensure_ascii=False)

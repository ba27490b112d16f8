// Type definitions for the labels and relationship types stakegraph's seed
// writes. @neo4j/graphql needs one field per relationship type and
// direction, so a stakeholder has out_<TYPE> and in_<TYPE> for each type.
export function typeDefs(relationTypes) {
  const relationFields = relationTypes
    .flatMap((t) => [
      `out_${t}: [Stakeholder!]! @relationship(type: "${t}", direction: OUT, properties: "Rel")`,
      `in_${t}: [Stakeholder!]! @relationship(type: "${t}", direction: IN, properties: "Rel")`,
    ])
    .join("\n    ");
  return /* GraphQL */ `
  type Rel @relationshipProperties {
    id: ID!
    role: String
    status: String
    start: String
    end: String
    confidence: String
    note: String
    evidenceSources: [String!]
    evidenceQuotes: [String!]
  }

  type Edge {
    id: ID!
    type: String!
    source: ID!
    target: ID!
  }

  type NodeRef {
    id: ID!
    name: String!
  }

  "A relation as seen from one of its ends; out says whether that end is its start."
  type RelationView {
    id: ID!
    type: String!
    out: Boolean!
    role: String
    status: String
    start: String
    end: String
    confidence: String
    evidenceSources: [String!]
    evidenceQuotes: [String!]
    node: NodeRef!
  }

  type Stakeholder @node(labels: ["Stakeholder"]) {
    id: ID!
    kind: String!
    name: String!
    aliases: [String!]
    description: String
    "Every relation of the stakeholder, either way, with the node at its other end."
    relations: [RelationView!]!
      @cypher(
        statement: """
        MATCH (this)-[r]-(o:Stakeholder)
        RETURN {id: r.id, type: type(r), out: startNode(r) = this, role: r.role, status: r.status,
                start: r.start, end: r.end, confidence: r.confidence,
                evidenceSources: r.evidenceSources, evidenceQuotes: r.evidenceQuotes,
                node: {id: o.id, name: o.name}} AS rel
        """
        columnName: "rel"
      )
    "Every stakeholder within 2 hops, walking relations either way; the root included."
    neighbourhood2: [Stakeholder!]!
      @cypher(
        statement: """
        MATCH (this)-[*0..2]-(n:Stakeholder)
        WITH DISTINCT n
        RETURN n
        """
        columnName: "n"
      )
    "The relations among neighbourhood2."
    neighbourhood2Edges: [Edge!]!
      @cypher(
        statement: """
        MATCH (this)-[*0..2]-(n:Stakeholder)
        WITH collect(DISTINCT n) AS ns
        UNWIND ns AS a
        MATCH (a)-[r]->(b:Stakeholder)
        WHERE b IN ns
        RETURN {id: r.id, type: type(r), source: a.id, target: b.id} AS e
        """
        columnName: "e"
      )
    ${relationFields}
  }
`;
}

// How each kind of node is drawn: colour and Cytoscape shape, plus the SVG
// outline the legend uses for the same shape.
export const KINDS = [
  { kind: "Country", color: "#4e79a7", shape: "ellipse" },
  { kind: "Organization", color: "#f28e2b", shape: "round-rectangle" },
  { kind: "Person", color: "#59a14f", shape: "triangle" },
  { kind: "Programme", color: "#b07aa1", shape: "hexagon" },
  { kind: "Topic", color: "#edc948", shape: "diamond" },
  { kind: "Event", color: "#9c755f", shape: "star" },
  { kind: "Agreement", color: "#76b7b2", shape: "pentagon" },
  { kind: "Source", color: "#bab0ac", shape: "vee" },
];

// The schema's RelationType values, in its order.
export const RELATION_TYPES = [
  "MEMBER_OF", "PART_OF", "HOLDS_POSITION", "REPRESENTS", "PARTICIPATES_IN", "ATTENDED", "CHAIRED",
  "FUNDS", "IMPLEMENTS", "SUPPORTS", "ADDRESSES", "PARTY_TO", "COOPERATES_WITH", "REVIEWED", "VISITED",
  "SUCCEEDED_BY",
];

export const EXPORT_FORMATS = [
  { format: "cytoscape", label: "Cytoscape JSON" },
  { format: "graphology", label: "graphology JSON" },
  { format: "gexf", label: "GEXF (Gephi)" },
  { format: "graphml", label: "GraphML" },
  { format: "csv", label: "CSV" },
  { format: "ftm", label: "FollowTheMoney" },
];

// SVG markup of a shape in a 20×20 box.
export function legendShape(shape, color) {
  const attrs = `fill="${color}" stroke="#333" stroke-width="1"`;
  const poly = (pts) => `<polygon points="${pts}" ${attrs}/>`;
  let body;
  switch (shape) {
    case "ellipse": body = `<circle cx="10" cy="10" r="8" ${attrs}/>`; break;
    case "round-rectangle": body = `<rect x="2" y="4" width="16" height="12" rx="3" ${attrs}/>`; break;
    case "triangle": body = poly("10,2 18,17 2,17"); break;
    case "hexagon": body = poly("5,3 15,3 19,10 15,17 5,17 1,10"); break;
    case "diamond": body = poly("10,1 19,10 10,19 1,10"); break;
    case "star": body = poly("10,1 12.4,7.2 19,7.2 13.7,11.2 15.6,18 10,14 4.4,18 6.3,11.2 1,7.2 7.6,7.2"); break;
    case "pentagon": body = poly("10,1 19,8 15.5,18 4.5,18 1,8"); break;
    case "vee": body = poly("1,2 10,8 19,2 10,18"); break;
    default: body = `<rect x="2" y="2" width="16" height="16" ${attrs}/>`;
  }
  return `<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">${body}</svg>`;
}

// Which kinds each relation type joins, from → to, as the schema documents
// on RelationInput (the server checks it; this only narrows the choice).
// SUCCEEDED_BY joins two nodes of one kind. The browser test compares this
// table with the server's rule for every pair of kinds.
const ACTORS = ["Country", "Organization", "Person"];
const VENUES = ["Programme", "Event", "Agreement"];
export const RELATION_ENDS = {
  MEMBER_OF: [["Country", "Organization"], ["Organization"]],
  PART_OF: [["Organization", "Programme", "Event", "Agreement"], ["Country", "Organization", "Programme", "Event"]],
  HOLDS_POSITION: [["Person"], ["Organization"]],
  REPRESENTS: [["Person", "Organization"], ["Country", "Organization"]],
  PARTICIPATES_IN: [ACTORS, ["Programme"]],
  ATTENDED: [ACTORS, ["Event"]],
  CHAIRED: [ACTORS, ["Event"]],
  FUNDS: [ACTORS, VENUES],
  IMPLEMENTS: [["Country", "Organization"], ["Programme"]],
  SUPPORTS: [ACTORS, VENUES],
  ADDRESSES: [VENUES, ["Topic"]],
  PARTY_TO: [ACTORS, ["Agreement"]],
  COOPERATES_WITH: [ACTORS, ACTORS],
  REVIEWED: [["Event"], ["Programme", "Agreement"]],
  VISITED: [["Person"], ["Country"]],
};

// relationTypesFor lists the types a relation from a node of kind `from`
// to one of kind `to` may have, in the schema's order.
export function relationTypesFor(from, to) {
  return RELATION_TYPES.filter((t) => {
    if (t === "SUCCEEDED_BY") return from === to && from !== "Source";
    const ends = RELATION_ENDS[t];
    return ends[0].includes(from) && ends[1].includes(to);
  });
}

// The schema's OrganizationType values.
export const ORG_TYPES = [
  "MINISTRY", "GOVERNMENT_AGENCY", "POLICE_MILITARY", "EU_INSTITUTION", "EU_AGENCY", "EU_DELEGATION",
  "IMPLEMENTING_AGENCY", "INTERNATIONAL_ORGANISATION", "INDUSTRY", "HUMAN_RIGHTS_INSTITUTION",
  "RESEARCH_EDUCATION", "GROUP",
];

// The fields upsertStakeholder takes beyond name, aliases and description,
// with their labels. It replaces the whole value, so the edit form sends
// every one back, changed or not.
export const KIND_FIELDS = {
  Country: [["isoCode", "ISO code"], ["start", "start"], ["end", "end"]],
  Organization: [["orgType", "type"], ["start", "start"], ["end", "end"]],
  Person: [["title", "title"], ["start", "start"], ["end", "end"]],
  Programme: [["scope", "scope"], ["budget", "budget"], ["start", "start"], ["end", "end"]],
  Event: [["location", "location"], ["start", "start"], ["end", "end"]],
  Agreement: [["status", "status"], ["start", "start"], ["end", "end"]],
  Topic: [["start", "start"], ["end", "end"]],
};

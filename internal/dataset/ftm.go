package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
)

// FtMFile is a file of FollowTheMoney entities to import, one JSON object
// a line: Name is how problems refer to it.
type FtMFile struct {
	Name string
	Data []byte
}

// FileNameProperty is the optional property of a source's Article entity
// that names its text file in the sources directory (FtM's Document
// fileName). The export does not write it: texts are found by source ID
// (see ImportFtM).
const FileNameProperty = "fileName"

// ftmNodeKinds are the kinds each node schema may hold, the first being the
// kind an entity without a kind keyword is taken for when it is the only one.
var ftmNodeKinds = map[string][]domain.Kind{
	export.FtMPublicBody:   {domain.KindCountry, domain.KindOrganization},
	export.FtMOrganization: {domain.KindOrganization},
	export.FtMPerson:       {domain.KindPerson},
	export.FtMProject:      {domain.KindProgramme, domain.KindAgreement},
	export.FtMEvent:        {domain.KindEvent},
	export.FtMNote:         {domain.KindTopic},
	export.FtMArticle:      {domain.KindSource},
}

// ftmKindProperties are the properties read for a node of each kind, beyond
// name, alias, description, keywords and summary (and, for its dates,
// FtMDateProperties); the values give the node field each sets.
var ftmKindProperties = map[domain.Kind]map[string]string{
	domain.KindCountry:      {"jurisdiction": "isoCode", "country": "", "classification": ""},
	domain.KindOrganization: {"classification": "orgType"},
	domain.KindPerson:       {"position": "title"},
	domain.KindAgreement:    {"status": "status"},
	domain.KindEvent:        {"location": "location"},
	domain.KindSource:       {"sourceUrl": "url", "publisher": "publisher", "title": "", FileNameProperty: ""},
}

// ftmRelationProperties are the properties read for a link, beyond its two
// ends; proof, sourceUrl and publisher are derived from the evidence.
var ftmRelationProperties = []string{"role", "status", "startDate", "endDate", "recordId", "summary", "description",
	"proof", "sourceUrl", "publisher"}

// ftmEntity is one line of the file: an entity and where it is.
type ftmEntity struct {
	export.FtMEntity
	line int
}

// ImportFtM reads a graph from FollowTheMoney entities, one JSON object a
// line, as the FtM export writes them (see export.WriteFtM), and checks it
// with the rules every dataset obeys. Each problem names the file and the
// entity's line. Keys besides id, schema and properties, which FtM tools
// add (referents, datasets, …), are ignored; a property the import does not
// read is a problem, so nothing is dropped unnoticed.
//
// A node's kind and stakegraph ID are its keywords (a kind name and a
// kind:slug ID); without them, the kind is the one its schema can hold, and
// the ID is read from an entity ID of the form kind.slug. A link's ends name
// node entities of the file; its type and confidence are its summary. The
// links of a statement (summary "STATEMENT; …", see export.WriteFtM) become
// one statement about every node they reach (see readStatements).
//
// Quotes are checked against each source's text, taken from the first of:
// the file its fileName property names in sourcesDir;
// sourcesDir/<slug>.txt or sourcesDir/<slug>.md for source:<slug>; the
// shipped dataset's text for a source the shipped dataset holds.
// sourcesDir may be "".
func ImportFtM(f FtMFile, sourcesDir string) (*Dataset, error) {
	l := newLoader()
	im := &ftmImport{l: l, file: f.Name, texts: newSourceTexts(l, sourcesDir), nodeIDs: map[string]string{}}
	var nodes, links, statementLinks []ftmEntity
	seen := map[string]int{}
	data := bytes.TrimPrefix(f.Data, []byte("\ufeff")) // an editor's byte-order mark
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := i + 1
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		var e ftmEntity
		e.line = line
		if err := json.Unmarshal(raw, &e.FtMEntity); err != nil {
			l.add(f.Name, line, "not a FollowTheMoney entity (a JSON object with id, schema and properties, each property a list of strings): %v", err)
			continue
		}
		label := "entity " + e.ID
		switch {
		case e.ID == "":
			l.add(f.Name, line, "entity: id: required")
			continue
		case seen[e.ID] > 0:
			l.add(f.Name, line, "%s: id: repeated, first at line %d", label, seen[e.ID])
			continue
		}
		seen[e.ID] = line
		_, isNode := ftmNodeKinds[e.Schema]
		_, isLink := export.FtMLinkEnds[e.Schema]
		switch {
		case isNode:
			nodes = append(nodes, e)
		case isLink && isStatementLink(e.FtMEntity):
			statementLinks = append(statementLinks, e)
		case isLink:
			links = append(links, e)
		default:
			l.add(f.Name, line, "%s: schema %q: not one the import reads; nodes: %s; links: %s", label, e.Schema,
				strings.Join(slices.Sorted(maps.Keys(ftmNodeKinds)), ", "), strings.Join(slices.Sorted(maps.Keys(export.FtMLinkEnds)), ", "))
		}
	}
	for _, e := range nodes {
		im.readNode(e)
	}
	for _, e := range links {
		im.readLink(e)
	}
	im.readStatements(statementLinks)
	return l.finish()
}

type ftmImport struct {
	l       *loader
	file    string
	texts   *sourceTexts
	nodeIDs map[string]string // entity ID → node ID
}

// entityReader reads one entity's properties, noting which it read.
type entityReader struct {
	im   *ftmImport
	e    ftmEntity
	pos  *position
	read map[string]bool
}

func (r *entityReader) problem(property, format string, args ...any) {
	r.im.l.add(r.im.file, r.e.line, "%s: %s: %s", r.pos.label, property, fmt.Sprintf(format, args...))
}

// all returns every value of property.
func (r *entityReader) all(property string) []string {
	r.read[property] = true
	return r.e.Properties[property]
}

// one returns the value of a property that holds at most one.
func (r *entityReader) one(property string) string {
	vs := r.all(property)
	if len(vs) > 1 {
		r.problem(property, "holds %d values, want one: %q", len(vs), vs)
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// unread reports the properties nobody read: the import would drop them.
func (r *entityReader) unread(what string) {
	for _, p := range slices.Sorted(maps.Keys(r.e.Properties)) {
		if !r.read[p] {
			r.problem(p, "not a property the import reads for %s; it would be lost", what)
		}
	}
}

func (im *ftmImport) readNode(e ftmEntity) {
	pos := position{file: im.file, line: e.line, label: "entity " + e.ID, lines: map[string]int{}, bad: map[string]bool{}}
	r := &entityReader{im: im, e: e, pos: &pos, read: map[string]bool{}}
	kinds := ftmNodeKinds[e.Schema]
	keywords := r.all("keywords")

	var kind domain.Kind
	if i := slices.IndexFunc(keywords, func(k string) bool { return domain.Kind(k).Valid() }); i >= 0 {
		kind = domain.Kind(keywords[i])
	} else if len(kinds) == 1 {
		kind = kinds[0]
	} else {
		r.problem("keywords", "name the stakegraph kind: %s for a %s", joinKinds(kinds), e.Schema)
		return
	}
	if !slices.Contains(kinds, kind) {
		r.problem("keywords", "kind %s cannot be a %s; a %s holds %s", kind, e.Schema, e.Schema, joinKinds(kinds))
		return
	}
	id := ""
	if i := slices.IndexFunc(keywords, func(k string) bool { _, _, err := domain.ParseID(k); return err == nil }); i >= 0 {
		id = keywords[i]
	} else if prefix, slug, ok := strings.Cut(e.ID, "."); ok && prefix == kind.Prefix() {
		id = prefix + ":" + slug
	} else {
		r.problem("keywords", "name the stakegraph id (%s:slug), or give the entity the id %s.slug", kind.Prefix(), kind.Prefix())
		return
	}
	pos.label = "node " + id

	n := &domain.Node{ID: id, Kind: kind, Name: r.one("name"), Aliases: r.all("alias"), Description: r.one("description")}
	pos.names = map[string]string{"id": "keywords", "kind": "keywords", "aliases": "alias"}
	if kind == domain.KindSource {
		// An Article's title is its name, written for the tools that caption
		// it by title.
		if t := r.one("title"); n.Name == "" {
			n.Name = t
		} else if t != "" && t != n.Name {
			r.problem("title", "%q differs from the name %q; a source has one", t, n.Name)
		}
	}
	fields := map[string]*string{"isoCode": &n.ISOCode, "title": &n.Title, "location": &n.Location,
		"status": &n.Status, "url": &n.URL, "publisher": &n.Publisher, "scope": &n.Scope, "budget": &n.Budget}
	var orgType string
	fields["orgType"] = &orgType
	for _, property := range slices.Sorted(maps.Keys(ftmKindProperties[kind])) { // problems in a fixed order
		field := ftmKindProperties[kind][property]
		v := r.one(property)
		if field == "" {
			continue // derived, or read below
		}
		pos.names[field] = property
		*fields[field] = v
	}
	n.OrgType = domain.OrgType(orgType)
	if kind == domain.KindCountry {
		n.ISOCode = strings.ToUpper(n.ISOCode) // FtM writes country codes in lower case
	}

	// Fields FtM has no property for are "field: value" summary values.
	var start, end string
	summaryFields := map[string]*string{}
	if kind == domain.KindProgramme {
		summaryFields["scope"], summaryFields["budget"] = &n.Scope, &n.Budget
	}
	dates := export.FtMDateProperties[kind]
	for i, d := range [2]struct {
		field string
		value *string
	}{{"start", &start}, {"end", &end}} {
		if dates[i] == "" {
			summaryFields[d.field] = d.value
			pos.names[d.field] = "summary " + d.field
			continue
		}
		*d.value = r.one(dates[i])
		pos.names[d.field] = dates[i]
	}
	given := map[string]bool{}
	for _, v := range r.all("summary") {
		field, value, ok := strings.Cut(v, ": ")
		target := summaryFields[field]
		switch {
		case !ok || target == nil:
			r.problem("summary", "%q: want \"field: value\" with field one of %s", v, strings.Join(slices.Sorted(maps.Keys(summaryFields)), ", "))
		case given[field]:
			r.problem("summary", "%s: given twice", field)
		default:
			given[field] = true
			*target = value
		}
	}
	n.Start, n.End = domain.PartialDate(start), domain.PartialDate(end)

	ne := &nodeEntry{position: pos, node: n}
	im.l.report(&ne.position, n.Problems())
	fileName := r.one(FileNameProperty)
	if fileName != "" && kind != domain.KindSource {
		r.problem(FileNameProperty, "applies to sources only, not %s", kind)
	}
	r.unread("a " + string(kind))
	if kind == domain.KindSource {
		im.texts.find(ne, FileNameProperty, fileName)
	}
	if _, taken := im.nodeIDs[e.ID]; !taken {
		im.nodeIDs[e.ID] = id
	}
	im.l.addNode(ne)
}

func joinKinds(kinds []domain.Kind) string {
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = string(k)
	}
	return strings.Join(parts, " or ")
}

// readEnd reads the node a link end property names, as a node ID; a bad
// one is reported and marked bad as field.
func (im *ftmImport) readEnd(r *entityReader, prop, field string) string {
	v := r.one(prop)
	switch id, ok := im.nodeIDs[v]; {
	case v == "":
		return "" // the domain says it is required
	case ok:
		return id
	default:
		// Not an entity of the file: a token ID still names the node
		// it stands for, which the reference check then misses.
		if prefix, slug, cut := strings.Cut(v, "."); cut {
			if _, known := domain.KindFromPrefix(prefix); known {
				return prefix + ":" + slug
			}
		}
		r.problem(prop, "%s is no node entity of this file", v)
		r.pos.bad[field] = true
		return ""
	}
}

func (im *ftmImport) readLink(e ftmEntity) {
	pos := position{file: im.file, line: e.line, label: "entity " + e.ID, lines: map[string]int{}, bad: map[string]bool{}}
	r := &entityReader{im: im, e: e, pos: &pos, read: map[string]bool{}}
	ends := export.FtMLinkEnds[e.Schema]
	rel := &domain.Relation{ID: r.one("recordId")}
	pos.names = map[string]string{"id": "recordId", "from": ends[0], "to": ends[1], "type": "summary",
		"confidence": "summary", "start": "startDate", "end": "endDate"}

	endIDs := [2]string{}
	for i, prop := range ends {
		endIDs[i] = im.readEnd(r, prop, [2]string{"from", "to"}[i])
	}
	rel.From, rel.To = endIDs[0], endIDs[1]

	summary := r.one("summary")
	undated := false
	if summary == "" {
		r.problem("summary", "required: the relation type and confidence, e.g. \"FUNDS; confidence HIGH\"")
		pos.bad["type"], pos.bad["confidence"] = true, true
	} else {
		parts := strings.Split(summary, "; ")
		rel.Type = domain.RelationType(parts[0])
		for _, part := range parts[1:] {
			switch c, isConfidence := strings.CutPrefix(part, "confidence "); {
			case isConfidence && rel.Confidence == "":
				rel.Confidence = domain.Confidence(c)
			case part == "undated" && !undated:
				undated = true
			default:
				r.problem("summary", "%q: want \"TYPE; confidence LEVEL\", then \"; undated\" for a relation without dates", summary)
			}
		}
	}
	if rel.ID == "" && rel.From != "" && rel.To != "" && rel.Type != "" {
		rel.ID = domain.RelationID(rel.From, rel.Type, rel.To)
	}
	pos.label = "relation " + rel.ID
	if rel.ID == "" {
		pos.label = "entity " + e.ID
	}
	idGiven := len(e.Properties["recordId"]) > 0

	rel.Role = r.one("role")
	if rel.Role == export.FtMRoleInWords(rel.Type) {
		rel.Role = "" // the export's caption for a relation without a role
	}
	rel.Status = r.one("status")
	rel.Start, rel.End = domain.PartialDate(r.one("startDate")), domain.PartialDate(r.one("endDate"))
	if undated != rel.Undated() && summary != "" {
		r.problem("summary", "says undated %v, but the relation has start %q and end %q", undated, rel.Start, rel.End)
	}

	// The description is the note, if any, and one `source:id: "quote"`
	// value per piece of evidence.
	var notes []string
	for _, v := range r.all("description") {
		if !strings.HasPrefix(v, domain.KindSource.Prefix()+":") {
			notes = append(notes, v)
			continue
		}
		field := fmt.Sprintf("evidence[%d]", len(rel.Evidence))
		ev, err := export.ParseEvidenceLine(v)
		if err != nil {
			r.problem("description", "%s: %v", field, err)
			pos.bad[field] = true
		}
		rel.Evidence = append(rel.Evidence, ev)
	}
	switch len(notes) {
	case 0:
	case 1:
		rel.Note = notes[0]
	default:
		r.problem("description", "%d values are not evidence (source:id: \"quote\"), want at most one: the note", len(notes))
	}
	pos.names["note"] = "description"
	for _, p := range ftmRelationProperties {
		r.read[p] = true // read above, or derived from the evidence
	}
	r.unread("a " + e.Schema + " link")

	im.l.addRelation(&relationEntry{position: pos, rel: rel, idGiven: idGiven})
}

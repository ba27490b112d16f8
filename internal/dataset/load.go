package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// MaxProblems caps the problems one load reports.
const MaxProblems = 50

// problem is one validation failure, located in a file.
type problem struct {
	file string
	line int
	msg  string
}

func (p problem) String() string {
	if p.line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.file, p.line, p.msg)
	}
	return fmt.Sprintf("%s: %s", p.file, p.msg)
}

// textReader returns a source text named by a `text:` field of the YAML
// file at yamlPath, and the name of the file it was read from.
type textReader func(yamlPath, text string) (content, name string, err error)

type nodeEntry struct {
	node     *domain.Node
	file     string
	line     int
	text     string // `text:` field of a Source node
	textLine int
	yamlPath string
	read     textReader
	lines    map[string]int // field → line
}

type relationEntry struct {
	rel       *domain.Relation
	file      string
	line      int
	label     string
	lines     map[string]int
	evLines   []map[string]int
	idGiven   bool
	endsValid bool
}

type loader struct {
	problems  []problem
	nodes     map[string]*nodeEntry
	nodeOrder []*nodeEntry
	rels      []*relationEntry
}

func newLoader() *loader {
	return &loader{nodes: map[string]*nodeEntry{}}
}

func (l *loader) add(file string, line int, format string, args ...any) {
	l.problems = append(l.problems, problem{file: file, line: line, msg: fmt.Sprintf(format, args...)})
}

var yamlLinePattern = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseFile parses one YAML file (every document in it) and records its
// entries. name is how problems refer to the file; yamlPath is how texts
// are resolved relative to it.
func (l *loader) parseFile(name, yamlPath string, data []byte, read textReader) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			msg := err.Error()
			line := 0
			if m := yamlLinePattern.FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
				msg = m[2]
			} else {
				msg = strings.TrimPrefix(msg, "yaml: ")
			}
			l.add(name, line, "YAML syntax error: %s", msg)
			return
		}
		if len(doc.Content) == 0 {
			continue
		}
		top := doc.Content[0]
		if top.Kind == yaml.ScalarNode && top.ShortTag() == "!!null" {
			continue
		}
		if top.Kind != yaml.MappingNode {
			l.add(name, top.Line, "file must be a mapping with a nodes: and/or relations: list, got %s", describe(top))
			continue
		}
		seen := map[string]int{}
		for i := 0; i+1 < len(top.Content); i += 2 {
			k, v := top.Content[i], top.Content[i+1]
			if first, dup := seen[k.Value]; dup {
				l.add(name, k.Line, "%s: key repeated (first at line %d)", k.Value, first)
				continue
			}
			seen[k.Value] = k.Line
			switch k.Value {
			case "nodes", "relations":
				if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
					continue
				}
				if v.Kind != yaml.SequenceNode {
					l.add(name, v.Line, "%s: must be a list, got %s", k.Value, describe(v))
					continue
				}
				for idx, entry := range v.Content {
					if k.Value == "nodes" {
						l.parseNode(name, yamlPath, idx, entry, read)
					} else {
						l.parseRelation(name, idx, entry)
					}
				}
			default:
				l.add(name, k.Line, "unknown top-level key %q: a dataset file has nodes: and/or relations:", k.Value)
			}
		}
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		tag := strings.TrimPrefix(n.ShortTag(), "!!")
		return fmt.Sprintf("%s %q", tag, n.Value)
	}
	return "nothing"
}

var nodeFields = []string{"id", "name", "aliases", "description", "orgType", "isoCode", "title", "scope",
	"budget", "location", "status", "start", "end", "url", "publisher", "text"}

// nodeFieldKind names the kind a node field is restricted to.
var nodeFieldKind = map[string]domain.Kind{
	"orgType": domain.KindOrganization, "isoCode": domain.KindCountry, "title": domain.KindPerson,
	"scope": domain.KindProgramme, "budget": domain.KindProgramme, "location": domain.KindEvent,
	"status": domain.KindAgreement, "url": domain.KindSource, "publisher": domain.KindSource,
	"text": domain.KindSource,
}

var relationFields = []string{"id", "type", "from", "to", "role", "status", "start", "end", "confidence",
	"note", "evidence"}

var evidenceFields = []string{"source", "quote"}

// entry is one mapping entry being parsed: its fields by name, where it
// is, and how problems name it.
type entry struct {
	l      *loader
	file   string
	label  string
	fields map[string]*yaml.Node
	lines  map[string]int
	line   int
}

// fieldsOf checks a mapping's keys against known and returns its fields.
// label is filled in by the caller once the id is known.
func (l *loader) fieldsOf(file, label string, n *yaml.Node, known []string) *entry {
	e := &entry{l: l, file: file, label: label, fields: map[string]*yaml.Node{}, lines: map[string]int{}, line: n.Line}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if first, dup := e.lines[k.Value]; dup {
			l.add(file, k.Line, "%s: %s: field repeated (first at line %d)", label, k.Value, first)
			continue
		}
		e.lines[k.Value] = k.Line
		if !slices.Contains(known, k.Value) {
			l.add(file, k.Line, "%s: %s: unknown field; known fields: %s", label, k.Value, strings.Join(known, ", "))
			continue
		}
		e.fields[k.Value] = v
	}
	return e
}

func (e *entry) problem(field string, format string, args ...any) {
	line := e.line
	if l, ok := e.lines[field]; ok {
		line = l
	}
	e.problemAt(line, field, format, args...)
}

func (e *entry) problemAt(line int, field string, format string, args ...any) {
	e.l.add(e.file, line, "%s: %s: %s", e.label, field, fmt.Sprintf(format, args...))
}

// str returns a string field, "" when absent.
func (e *entry) str(field string) string {
	v, ok := e.fields[field]
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		e.problem(field, "must be a string, got %s (quote it)", describe(v))
		return ""
	}
	return v.Value
}

// date returns a partial-date field.
func (e *entry) date(field string) domain.PartialDate {
	v, ok := e.fields[field]
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		e.problem(field, "must be a quoted date string such as \"2023\", \"2023-09\" or \"2023-09-26\", got %s", describe(v))
		return ""
	}
	d, err := domain.ParsePartialDate(v.Value)
	if err != nil {
		e.problem(field, "%s", domain.ErrorMessage(err))
		return ""
	}
	return d
}

// strList returns a list-of-strings field.
func (e *entry) strList(field string) []string {
	v, ok := e.fields[field]
	if !ok {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		e.problem(field, "must be a list of strings, got %s", describe(v))
		return nil
	}
	var out []string
	for i, item := range v.Content {
		if item.Kind != yaml.ScalarNode || item.ShortTag() != "!!str" || strings.TrimSpace(item.Value) == "" {
			e.problemAt(item.Line, fmt.Sprintf("%s[%d]", field, i), "must be a non-empty string, got %s", describe(item))
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

// checkSpan reports an end before start.
func (e *entry) checkSpan(start, end domain.PartialDate) {
	if start != "" && end != "" && end.Before(start) {
		e.problem("end", "%s is before start %s", end, start)
	}
}

func (l *loader) parseNode(file, yamlPath string, idx int, n *yaml.Node, read textReader) {
	label := fmt.Sprintf("nodes[%d]", idx)
	if n.Kind != yaml.MappingNode {
		l.add(file, n.Line, "%s: must be a mapping of fields, got %s", label, describe(n))
		return
	}
	if id := peekScalar(n, "id"); id != "" {
		label = "node " + id
	}
	e := l.fieldsOf(file, label, n, nodeFields)
	id := e.str("id")
	var kind domain.Kind
	idOK := false
	switch {
	case id == "":
		if _, present := e.fields["id"]; !present {
			e.problem("id", "required, e.g. country:hungary")
		}
	default:
		k, _, err := domain.ParseID(id)
		if err != nil {
			e.problem("id", "%s", domain.ErrorMessage(err))
		} else {
			kind, idOK = k, true
		}
	}
	node := &domain.Node{
		ID:          id,
		Kind:        kind,
		Name:        e.str("name"),
		Aliases:     e.strList("aliases"),
		Description: e.str("description"),
		OrgType:     domain.OrgType(e.str("orgType")),
		ISOCode:     e.str("isoCode"),
		Title:       e.str("title"),
		Scope:       e.str("scope"),
		Budget:      e.str("budget"),
		Location:    e.str("location"),
		Status:      e.str("status"),
		Start:       e.date("start"),
		End:         e.date("end"),
		URL:         e.str("url"),
		Publisher:   e.str("publisher"),
	}
	text := e.str("text")
	if strings.TrimSpace(node.Name) == "" {
		e.problem("name", "required")
	}
	e.checkSpan(node.Start, node.End)
	if idOK {
		for _, f := range nodeFields {
			want, restricted := nodeFieldKind[f]
			if _, present := e.fields[f]; present && restricted && want != kind {
				e.problem(f, "applies to %s nodes only, not %s", want, kind)
			}
		}
		if kind == domain.KindOrganization {
			if _, present := e.fields["orgType"]; !present {
				e.problem("orgType", "required for organizations; one of %s", joinOrgTypes())
			} else if node.OrgType != "" && !node.OrgType.Valid() {
				e.problem("orgType", "unknown organization type %q; one of %s", node.OrgType, joinOrgTypes())
			}
		}
		if kind == domain.KindCountry && node.ISOCode != "" && !isoPattern.MatchString(node.ISOCode) {
			e.problem("isoCode", "%q is not an ISO 3166-1 alpha-2 code (two capital letters)", node.ISOCode)
		}
		if kind == domain.KindSource {
			if _, present := e.fields["text"]; !present {
				e.problem("text", "required for sources: the file under %s/ that quotes are checked against", SourcesDir)
			} else if text != "" && !validTextName(text) {
				e.problem("text", "%q must be a relative file name without \"..\"", text)
				text = ""
			}
		}
	}
	if !idOK {
		return
	}
	if first, dup := l.nodes[id]; dup {
		e.problem("id", "duplicate node id, first defined at %s:%d", first.file, first.line)
		return
	}
	ne := &nodeEntry{node: node, file: file, line: n.Line, text: text, textLine: e.lines["text"],
		yamlPath: yamlPath, read: read, lines: e.lines}
	l.nodes[id] = ne
	l.nodeOrder = append(l.nodeOrder, ne)
}

// peekScalar returns the raw scalar value of key in mapping n, "" if none.
func peekScalar(n *yaml.Node, key string) string {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == key && v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	return ""
}

var isoPattern = regexp.MustCompile(`^[A-Z]{2}$`)

func validTextName(s string) bool {
	if strings.HasPrefix(s, "/") || strings.Contains(s, "\\") {
		return false
	}
	for _, part := range strings.Split(s, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}

func joinOrgTypes() string {
	parts := make([]string, len(domain.OrgTypes))
	for i, t := range domain.OrgTypes {
		parts[i] = string(t)
	}
	return strings.Join(parts, ", ")
}

func joinRelationTypes() string {
	parts := make([]string, len(domain.RelationTypes))
	for i, t := range domain.RelationTypes {
		parts[i] = string(t)
	}
	return strings.Join(parts, ", ")
}

func (l *loader) parseRelation(file string, idx int, n *yaml.Node) {
	label := fmt.Sprintf("relations[%d]", idx)
	if n.Kind != yaml.MappingNode {
		l.add(file, n.Line, "%s: must be a mapping of fields, got %s", label, describe(n))
		return
	}
	// Name the entry first, so every problem carries the name.
	if id := peekScalar(n, "id"); id != "" {
		label = "relation " + id
	} else if from, typ, to := peekScalar(n, "from"), peekScalar(n, "type"), peekScalar(n, "to"); from != "" && typ != "" && to != "" {
		label = "relation " + domain.RelationID(from, domain.RelationType(typ), to)
	}
	e := l.fieldsOf(file, label, n, relationFields)
	r := &domain.Relation{
		ID:         e.str("id"),
		Type:       domain.RelationType(e.str("type")),
		From:       e.str("from"),
		To:         e.str("to"),
		Role:       e.str("role"),
		Status:     e.str("status"),
		Start:      e.date("start"),
		End:        e.date("end"),
		Confidence: domain.Confidence(e.str("confidence")),
		Note:       e.str("note"),
	}
	re := &relationEntry{rel: r, file: file, line: n.Line, lines: e.lines, idGiven: r.ID != ""}
	if r.ID == "" && r.From != "" && r.To != "" && r.Type != "" {
		r.ID = domain.RelationID(r.From, r.Type, r.To)
	}
	re.label = e.label
	if _, present := e.fields["type"]; !present {
		e.problem("type", "required; one of %s", joinRelationTypes())
	} else if r.Type != "" && !r.Type.Valid() {
		e.problem("type", "unknown relation type %q; one of %s", r.Type, joinRelationTypes())
	}
	re.endsValid = true
	for _, f := range []string{"from", "to"} {
		v := r.From
		if f == "to" {
			v = r.To
		}
		if _, present := e.fields[f]; !present {
			e.problem(f, "required: the id of a node")
			re.endsValid = false
			continue
		}
		if v == "" {
			re.endsValid = false
			continue
		}
		if _, _, err := domain.ParseID(v); err != nil {
			e.problem(f, "%s", domain.ErrorMessage(err))
			re.endsValid = false
		}
	}
	if re.endsValid && r.From == r.To {
		e.problem("to", "same node as from (%s)", r.From)
	}
	if _, present := e.fields["confidence"]; !present {
		e.problem("confidence", "required: HIGH (primary source), MEDIUM (researched source) or LOW (unverified or inferred)")
	} else if r.Confidence != "" && !r.Confidence.Valid() {
		e.problem("confidence", "%q is not HIGH, MEDIUM or LOW", r.Confidence)
	}
	e.checkSpan(r.Start, r.End)
	ev, present := e.fields["evidence"]
	switch {
	case !present:
		e.problem("evidence", "required: at least one {source, quote}")
	case ev.Kind != yaml.SequenceNode:
		e.problem("evidence", "must be a list of {source, quote}, got %s", describe(ev))
	case len(ev.Content) == 0:
		e.problem("evidence", "empty: at least one {source, quote} is required")
	default:
		for i, item := range ev.Content {
			field := fmt.Sprintf("evidence[%d]", i)
			if item.Kind != yaml.MappingNode {
				e.problemAt(item.Line, field, "must be a mapping {source, quote}, got %s", describe(item))
				re.evLines = append(re.evLines, nil)
				r.Evidence = append(r.Evidence, domain.Evidence{})
				continue
			}
			sub := &entry{l: l, file: file, label: e.label, fields: map[string]*yaml.Node{}, lines: map[string]int{}, line: item.Line}
			for j := 0; j+1 < len(item.Content); j += 2 {
				k, v := item.Content[j], item.Content[j+1]
				name := field + "." + k.Value
				if first, dup := sub.lines[name]; dup {
					l.add(file, k.Line, "%s: %s: field repeated (first at line %d)", e.label, name, first)
					continue
				}
				sub.lines[name] = k.Line
				if !slices.Contains(evidenceFields, k.Value) {
					l.add(file, k.Line, "%s: %s: unknown field; known fields: %s", e.label, name, strings.Join(evidenceFields, ", "))
					continue
				}
				sub.fields[name] = v
			}
			src, quote := sub.str(field+".source"), sub.str(field+".quote")
			if _, ok := sub.fields[field+".source"]; !ok {
				sub.problem(field+".source", "required: the id of a source node")
			}
			if _, ok := sub.fields[field+".quote"]; !ok {
				sub.problem(field+".quote", "required: a short verbatim excerpt of the source's text")
			} else if strings.TrimSpace(quote) == "" {
				sub.problem(field+".quote", "empty: give a short verbatim excerpt of the source's text")
			}
			lines := map[string]int{"source": item.Line, "quote": item.Line}
			if ln, ok := sub.lines[field+".source"]; ok {
				lines["source"] = ln
			}
			if ln, ok := sub.lines[field+".quote"]; ok {
				lines["quote"] = ln
			}
			re.evLines = append(re.evLines, lines)
			r.Evidence = append(r.Evidence, domain.Evidence{SourceID: src, Quote: quote})
		}
	}
	l.rels = append(l.rels, re)
}

// endKinds says which kinds each relation type may join, following the
// directions documented on domain.RelationType.
var endKinds = func() map[domain.RelationType][2][]domain.Kind {
	actors := []domain.Kind{domain.KindCountry, domain.KindOrganization, domain.KindPerson}
	venues := []domain.Kind{domain.KindProgramme, domain.KindEvent, domain.KindAgreement}
	c, o, p := domain.KindCountry, domain.KindOrganization, domain.KindPerson
	pr, ev, ag := domain.KindProgramme, domain.KindEvent, domain.KindAgreement
	return map[domain.RelationType][2][]domain.Kind{
		domain.RelMemberOf:       {{c, o}, {o}},
		domain.RelPartOf:         {{o, pr, ev, ag}, {c, o, pr, ev}},
		domain.RelHoldsPosition:  {{p}, {o}},
		domain.RelRepresents:     {{p, o}, {c, o}},
		domain.RelParticipatesIn: {actors, {pr}},
		domain.RelAttended:       {actors, {ev}},
		domain.RelChaired:        {actors, {ev}},
		domain.RelFunds:          {actors, venues},
		domain.RelImplements:     {{c, o}, {pr}},
		domain.RelSupports:       {actors, venues},
		domain.RelAddresses:      {venues, {domain.KindTopic}},
		domain.RelPartyTo:        {actors, {ag}},
		domain.RelCooperatesWith: {actors, actors},
		domain.RelReviewed:       {{ev}, {pr, ag}},
		domain.RelVisited:        {{p}, {c}},
		// SUCCEEDED_BY joins two nodes of the same kind, checked separately.
	}
}()

func kindList(kinds []domain.Kind) string {
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = k.Prefix()
	}
	if len(parts) == 1 {
		return "a " + parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// finish checks references, source texts and quotes, then builds the graph.
func (l *loader) finish() (*Dataset, error) {
	texts := map[string]string{}
	normTexts := map[string]string{}
	files := map[string]string{}
	for _, ne := range l.nodeOrder {
		n := ne.node
		if n.Kind != domain.KindSource || ne.text == "" {
			continue
		}
		content, _, err := ne.read(ne.yamlPath, ne.text)
		if err != nil {
			l.add(ne.file, ne.textLine, "node %s: text: source text %s/%s not found", n.ID, SourcesDir, ne.text)
			continue
		}
		texts[n.ID] = content
		normTexts[n.ID] = collapseSpace(content)
		files[n.ID] = ne.text
	}

	relIDs := map[string]*relationEntry{}
	for _, re := range l.rels {
		r := re.rel
		e := &entry{l: l, file: re.file, label: re.label, lines: re.lines, line: re.line}
		if r.ID != "" {
			if first, dup := relIDs[r.ID]; dup {
				field := "id"
				if !re.idGiven {
					field = "from/type/to"
				}
				e.problem(field, "duplicate relation id, first defined at %s:%d; give one of them an explicit id", first.file, first.line)
			} else {
				relIDs[r.ID] = re
			}
		}
		var ends [2]*domain.Node
		if re.endsValid {
			for i, f := range []string{"from", "to"} {
				id := r.From
				if i == 1 {
					id = r.To
				}
				ne, ok := l.nodes[id]
				if !ok {
					e.problem(f, "%s is not defined", id)
					continue
				}
				ends[i] = ne.node
			}
		}
		if ends[0] != nil && ends[1] != nil && r.Type.Valid() {
			if r.Type == domain.RelSucceededBy {
				if ends[0].Kind != ends[1].Kind || ends[0].Kind == domain.KindSource {
					e.problem("to", "SUCCEEDED_BY joins two nodes of the same kind, got %s → %s", ends[0].Kind, ends[1].Kind)
				}
			} else if allowed, ok := endKinds[r.Type]; ok {
				if !slices.Contains(allowed[0], ends[0].Kind) {
					e.problem("from", "%s starts at %s, got %s", r.Type, kindList(allowed[0]), r.From)
				}
				if !slices.Contains(allowed[1], ends[1].Kind) {
					e.problem("to", "%s goes to %s, got %s", r.Type, kindList(allowed[1]), r.To)
				}
			}
		}
		for i, ev := range r.Evidence {
			lines := re.evLines[i]
			if lines == nil || ev.SourceID == "" {
				continue
			}
			field := fmt.Sprintf("evidence[%d]", i)
			if _, _, err := domain.ParseID(ev.SourceID); err != nil {
				e.problemAt(lines["source"], field+".source", "%s", domain.ErrorMessage(err))
				continue
			}
			src, ok := l.nodes[ev.SourceID]
			if !ok {
				e.problemAt(lines["source"], field+".source", "%s is not defined", ev.SourceID)
				continue
			}
			if src.node.Kind != domain.KindSource {
				e.problemAt(lines["source"], field+".source", "%s is a %s, not a source", ev.SourceID, src.node.Kind)
				continue
			}
			norm, ok := normTexts[ev.SourceID]
			if !ok || strings.TrimSpace(ev.Quote) == "" {
				continue // the source's own problem is reported already
			}
			if !strings.Contains(norm, collapseSpace(ev.Quote)) {
				e.problemAt(lines["quote"], field+".quote", "not found verbatim in %s", ev.SourceID)
			}
		}
	}

	// The domain's own checks, as a safety net for anything missed above.
	if len(l.problems) == 0 {
		for _, ne := range l.nodeOrder {
			if err := ne.node.Validate(); err != nil {
				l.add(ne.file, ne.line, "%s", domain.ErrorMessage(err))
			}
		}
		for _, re := range l.rels {
			if err := re.rel.Validate(); err != nil {
				l.add(re.file, re.line, "%s", domain.ErrorMessage(err))
			}
		}
	}

	if len(l.problems) > 0 {
		return nil, l.err()
	}

	g := &domain.Graph{}
	for _, ne := range l.nodeOrder {
		g.Nodes = append(g.Nodes, ne.node)
	}
	for _, re := range l.rels {
		g.Relations = append(g.Relations, re.rel)
	}
	slices.SortFunc(g.Nodes, func(a, b *domain.Node) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Relations, func(a, b *domain.Relation) int { return strings.Compare(a.ID, b.ID) })
	return &Dataset{Graph: g, SourceTexts: texts, SourceFiles: files}, nil
}

func (l *loader) err() error {
	ps := slices.Clone(l.problems)
	slices.SortStableFunc(ps, func(a, b problem) int {
		if c := strings.Compare(a.file, b.file); c != 0 {
			return c
		}
		return a.line - b.line
	})
	ps = slices.CompactFunc(ps, func(a, b problem) bool { return a == b })
	lines := make([]string, 0, min(len(ps), MaxProblems)+1)
	for i, p := range ps {
		if i == MaxProblems {
			lines = append(lines, fmt.Sprintf("… and %d more problems", len(ps)-MaxProblems))
			break
		}
		lines = append(lines, p.String())
	}
	return &domain.Error{Code: domain.EINVALID, Message: strings.Join(lines, "\n")}
}

// collapseSpace replaces every run of white space with one space and trims
// both ends, so quotes may wrap differently from their source.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// ContainsQuote reports whether quote occurs in text verbatim, ignoring only
// differences in white space (runs of spaces, tabs and line breaks).
func ContainsQuote(text, quote string) bool {
	q := collapseSpace(quote)
	return q != "" && strings.Contains(collapseSpace(text), q)
}

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

// position says where an entry and its fields are, so that the domain's
// problems, which name a field, can be reported at a file and line.
type position struct {
	file  string
	line  int            // of the entry
	label string         // how problems name the entry, e.g. "node country:peru"
	lines map[string]int // field → line; "evidence[0].quote" and the like too
	// bad holds the fields whose value was malformed and reported already,
	// so the domain's verdict on the (empty) value is not reported again.
	bad map[string]bool
	// names renames the domain's fields to what the file calls them
	// (isoCode → jurisdiction), for formats whose names differ; nil for none.
	names map[string]string
}

// fileField is how the file names field: the domain's name, or its
// rename in names, which applies to the field's parts too
// ("evidence[0].quote" under a rename of "evidence").
func (p *position) fileField(field string) string {
	for head := field; head != ""; head = parentField(head) {
		if name, ok := p.names[head]; ok {
			return name + field[len(head):]
		}
	}
	return field
}

// lineOf returns the line of field, or of the field it is part of
// ("evidence[0].quote" → "evidence[0]" → "evidence"), or of the entry.
func (p *position) lineOf(field string) int {
	for f := field; f != ""; f = parentField(f) {
		if line, ok := p.lines[f]; ok {
			return line
		}
	}
	return p.line
}

// reported says whether field, or the field it is part of, was reported
// as malformed.
func (p *position) reported(field string) bool {
	for f := field; f != ""; f = parentField(f) {
		if p.bad[f] {
			return true
		}
	}
	return false
}

func parentField(f string) string {
	if i := strings.LastIndexAny(f, ".["); i >= 0 {
		return f[:i]
	}
	return ""
}

// report adds the domain's problems with an entry at their lines.
func (l *loader) report(p *position, ps []domain.Problem) {
	for _, pr := range ps {
		if !p.reported(pr.Field) {
			l.add(p.file, p.lineOf(pr.Field), "%s: %s", p.label, domain.Problem{Field: p.fileField(pr.Field), Message: pr.Message})
		}
	}
}

type nodeEntry struct {
	position
	node     *domain.Node
	text     string // `text:` field of a Source node
	yamlPath string
	read     textReader
}

type relationEntry struct {
	position
	rel     *domain.Relation
	idGiven bool
}

type statementEntry struct {
	position
	st      *domain.Statement
	idGiven bool
}

type loader struct {
	problems   []problem
	nodes      map[string]*nodeEntry
	nodeOrder  []*nodeEntry
	rels       []*relationEntry
	statements []*statementEntry
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
			l.add(name, top.Line, "file must be a mapping with a nodes:, relations: and/or statements: list, got %s", describe(top))
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
			case "nodes", "relations", "statements":
				if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
					continue
				}
				if v.Kind != yaml.SequenceNode {
					l.add(name, v.Line, "%s: must be a list, got %s", k.Value, describe(v))
					continue
				}
				for idx, entry := range v.Content {
					switch k.Value {
					case "nodes":
						l.parseNode(name, yamlPath, idx, entry, read)
					case "relations":
						l.parseRelation(name, idx, entry)
					default:
						l.parseStatement(name, idx, entry)
					}
				}
			default:
				l.add(name, k.Line, "unknown top-level key %q: a dataset file has nodes:, relations: and/or statements:", k.Value)
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
	"budget", "location", "status", "start", "end", "url", "publisher", "language", "text"}

var relationFields = []string{"id", "type", "from", "to", "role", "status", "start", "end", "confidence",
	"note", "evidence"}

var evidenceFields = []string{"source", "quote"}

var statementFields = []string{"id", "speaker", "onBehalfOf", "about", "stance", "date", "event", "confidence",
	"note", "source", "quote"}

// entry is one mapping entry being parsed: its fields by name, where it
// is, and how problems name it.
type entry struct {
	l      *loader
	file   string
	label  string
	fields map[string]*yaml.Node
	lines  map[string]int
	bad    map[string]bool
	line   int
}

// fieldsOf checks a mapping's keys against known and returns its fields.
// label is filled in by the caller once the id is known.
func (l *loader) fieldsOf(file, label string, n *yaml.Node, known []string) *entry {
	e := &entry{l: l, file: file, label: label, fields: map[string]*yaml.Node{}, lines: map[string]int{}, bad: map[string]bool{}, line: n.Line}
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
	e.bad[field] = true
	line := e.line
	if l, ok := e.lines[field]; ok {
		line = l
	}
	e.problemAt(line, field, format, args...)
}

func (e *entry) problemAt(line int, field string, format string, args ...any) {
	e.bad[field] = true
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

// date returns a partial-date field, unchecked: whether it is a date is
// the domain's rule.
func (e *entry) date(field string) domain.PartialDate {
	v, ok := e.fields[field]
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		e.problem(field, "must be a quoted date string such as \"2023\", \"2023-09\" or \"2023-09-26\", got %s", describe(v))
		return ""
	}
	return domain.PartialDate(v.Value)
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
		if item.Kind != yaml.ScalarNode || item.ShortTag() != "!!str" {
			e.problemAt(item.Line, fmt.Sprintf("%s[%d]", field, i), "must be a string, got %s", describe(item))
			continue
		}
		e.lines[fmt.Sprintf("%s[%d]", field, len(out))] = item.Line
		out = append(out, item.Value)
	}
	return out
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
	kind, _, idErr := domain.ParseID(id)
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
		Language:    e.str("language"),
	}
	text := e.str("text")
	ne := &nodeEntry{position: e.position(), node: node, yamlPath: yamlPath, read: read}
	l.report(&ne.position, node.Problems())
	if idErr != nil {
		return
	}
	// Where a Source's text is kept is the dataset format's business, not
	// the domain's: a file under sources/.
	if _, present := e.fields["text"]; present && kind != domain.KindSource {
		e.problem("text", "applies to %s nodes only, not %s", domain.KindSource, kind)
	}
	if kind == domain.KindSource {
		if _, present := e.fields["text"]; !present {
			e.problem("text", "required for sources: the file under %s/ that quotes are checked against", SourcesDir)
		} else if text != "" && !validTextName(text) {
			e.problem("text", "%q must be a relative file name without \"..\"", text)
			text = ""
		}
	}
	ne.text = text
	l.addNode(ne)
}

// addNode records a node whose ID is well formed, unless the ID is taken.
func (l *loader) addNode(ne *nodeEntry) {
	if first, dup := l.nodes[ne.node.ID]; dup {
		l.add(ne.file, ne.lineOf("id"), "%s: id: duplicate node id, first defined at %s:%d", ne.label, first.file, first.line)
		return
	}
	l.nodes[ne.node.ID] = ne
	l.nodeOrder = append(l.nodeOrder, ne)
}

// position returns where the entry and its fields are.
func (e *entry) position() position {
	return position{file: e.file, line: e.line, label: e.label, lines: e.lines, bad: e.bad}
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
	idGiven := r.ID != ""
	if !idGiven && r.From != "" && r.To != "" && r.Type != "" {
		r.ID = domain.RelationID(r.From, r.Type, r.To)
	}
	ev, present := e.fields["evidence"]
	switch {
	case !present:
	case ev.Kind != yaml.SequenceNode:
		e.problem("evidence", "must be a list of {source, quote}, got %s", describe(ev))
	default:
		for i, item := range ev.Content {
			field := fmt.Sprintf("evidence[%d]", i)
			if item.Kind != yaml.MappingNode {
				e.problemAt(item.Line, field, "must be a mapping {source, quote}, got %s", describe(item))
				r.Evidence = append(r.Evidence, domain.Evidence{})
				continue
			}
			e.lines[field] = item.Line
			sub := &entry{l: l, file: file, label: e.label, fields: map[string]*yaml.Node{}, lines: e.lines, bad: e.bad, line: item.Line}
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
			r.Evidence = append(r.Evidence, domain.Evidence{SourceID: src, Quote: quote})
		}
	}
	re := &relationEntry{position: e.position(), rel: r, idGiven: idGiven}
	l.addRelation(re)
}

// addRelation reports the domain's problems with a relation and records it.
func (l *loader) addRelation(re *relationEntry) {
	ps := re.rel.Problems()
	if !re.idGiven {
		// The ID is made from from, type and to, whose problems say why not.
		ps = slices.DeleteFunc(ps, func(p domain.Problem) bool { return p.Field == "id" })
	}
	l.report(&re.position, ps)
	l.rels = append(l.rels, re)
}

func (l *loader) parseStatement(file string, idx int, n *yaml.Node) {
	label := fmt.Sprintf("statements[%d]", idx)
	if n.Kind != yaml.MappingNode {
		l.add(file, n.Line, "%s: must be a mapping of fields, got %s", label, describe(n))
		return
	}
	if id := peekScalar(n, "id"); id != "" {
		label = "statement " + id
	} else if speaker, quote := peekScalar(n, "speaker"), peekScalar(n, "quote"); speaker != "" && quote != "" {
		label = "statement " + domain.StatementID(speaker, quote)
	}
	e := l.fieldsOf(file, label, n, statementFields)
	st := &domain.Statement{
		ID:         e.str("id"),
		Speaker:    e.str("speaker"),
		OnBehalfOf: e.str("onBehalfOf"),
		About:      e.strList("about"),
		Stance:     domain.Stance(e.str("stance")),
		Date:       e.date("date"),
		Event:      e.str("event"),
		Confidence: domain.Confidence(e.str("confidence")),
		Note:       e.str("note"),
		Evidence:   domain.Evidence{SourceID: e.str("source"), Quote: e.str("quote")},
	}
	idGiven := st.ID != ""
	if !idGiven && st.Speaker != "" && strings.TrimSpace(st.Evidence.Quote) != "" {
		st.ID = domain.StatementID(st.Speaker, st.Evidence.Quote)
	}
	l.addStatementEntry(&statementEntry{position: e.position(), st: st, idGiven: idGiven})
}

// addStatementEntry reports a statement's own problems and keeps it for
// the checks of references and quotes in finish.
func (l *loader) addStatementEntry(se *statementEntry) {
	ps := se.st.Problems()
	if !se.idGiven {
		// The ID is made from speaker and quote, whose problems say why not.
		ps = slices.DeleteFunc(ps, func(p domain.Problem) bool { return p.Field == "id" })
	}
	l.report(&se.position, ps)
	l.statements = append(l.statements, se)
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
			l.add(ne.file, ne.lineOf("text"), "node %s: text: source text %s/%s not found", n.ID, SourcesDir, ne.text)
			continue
		}
		texts[n.ID] = content
		normTexts[n.ID] = domain.NormalizeQuote(content)
		files[n.ID] = ne.text
	}

	exists := func(id string) bool { _, ok := l.nodes[id]; return ok }
	text := func(id string) (string, bool) { t, ok := normTexts[id]; return t, ok }
	relIDs := map[string]*relationEntry{}
	for _, re := range l.rels {
		r := re.rel
		if r.ID != "" {
			if first, dup := relIDs[r.ID]; dup {
				field := "id"
				if !re.idGiven {
					field = "from/type/to"
				}
				l.add(re.file, re.lineOf(field), "%s: %s: duplicate relation id, first defined at %s:%d; give one of them an explicit id",
					re.label, field, first.file, first.line)
			} else {
				relIDs[r.ID] = re
			}
		}
		l.report(&re.position, r.ReferenceProblems(exists))
		l.report(&re.position, r.QuoteProblems(text))
	}

	statementIDs := map[string]*statementEntry{}
	for _, se := range l.statements {
		if id := se.st.ID; id != "" {
			if first, dup := statementIDs[id]; dup {
				field := "id"
				if !se.idGiven {
					field = "speaker/quote"
				}
				l.add(se.file, se.lineOf(field), "%s: %s: duplicate statement id, first defined at %s:%d", se.label, field, first.file, first.line)
			} else {
				statementIDs[id] = se
			}
		}
		l.report(&se.position, se.st.ReferenceProblems(exists))
		l.report(&se.position, se.st.QuoteProblems(text))
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
	for _, se := range l.statements {
		slices.Sort(se.st.About)
		g.Statements = append(g.Statements, se.st)
	}
	domain.SortStatements(g.Statements)
	slices.SortFunc(g.Nodes, func(a, b *domain.Node) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Relations, func(a, b *domain.Relation) int { return strings.Compare(a.ID, b.ID) })
	// The check every store makes: what the loader accepts, they accept.
	if err := g.Validate(); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "%s", domain.ErrorMessage(err))
	}
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

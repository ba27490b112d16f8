package dataset

import (
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
)

// isStatementLink reports whether a link entity is a statement's, as the
// FtM export writes them: an UnknownLink whose summary leads with
// export.FtMStatementSummary's word, which no relation type is.
func isStatementLink(e export.FtMEntity) bool {
	return e.Schema == export.FtMUnknownLink && slices.ContainsFunc(e.Properties["summary"], func(v string) bool {
		return strings.HasPrefix(v, export.StatementEdgeType+"; ")
	})
}

// ftmStatementProperties are the properties read for a statement link,
// beyond subject and object; proof, sourceUrl and publisher are derived
// from its source.
var ftmStatementProperties = []string{"role", "date", "recordId", "summary", "description", "proof", "sourceUrl", "publisher"}

// readStatements reads the statement links: one per node a statement is
// about, sharing the statement's ID as recordId and everything else but
// the object, which the links must agree on. A statement's problems are
// reported at its first link.
func (im *ftmImport) readStatements(links []ftmEntity) {
	byID := map[string]*statementEntry{}
	var order []*statementEntry
	for _, e := range links {
		se, target := im.readStatementLink(e)
		if se == nil {
			continue
		}
		first, seen := byID[se.st.ID]
		if !seen {
			if se.st.ID != "" {
				byID[se.st.ID] = se
			}
			order = append(order, se)
			continue
		}
		a, b := *first.st, *se.st
		a.About, b.About = nil, nil
		if !domain.SameStatement(&a, &b) {
			im.l.add(im.file, e.line, "%s: differs from the link of the same statement at line %d in more than its object; the links of one statement agree on all else", se.label, first.line)
			continue
		}
		if target != "" {
			first.st.About = append(first.st.About, target)
		}
	}
	for _, se := range order {
		slices.Sort(se.st.About)
		im.l.report(&se.position, se.st.Problems())
		im.l.statements = append(im.l.statements, se)
	}
}

// readStatementLink reads one statement link as a statement about its
// object alone, and returns that object's node ID.
func (im *ftmImport) readStatementLink(e ftmEntity) (*statementEntry, string) {
	pos := position{file: im.file, line: e.line, label: "entity " + e.ID, lines: map[string]int{}, bad: map[string]bool{}}
	r := &entityReader{im: im, e: e, pos: &pos, read: map[string]bool{}}
	st := &domain.Statement{ID: r.one("recordId")}
	if st.ID == "" {
		r.problem("recordId", "required: the statement's ID (statement:slug)")
		return nil, ""
	}
	pos.label = "statement " + st.ID
	pos.names = map[string]string{"id": "recordId", "speaker": "subject", "about": "object", "stance": "summary",
		"confidence": "summary", "date": "date", "event": "summary event", "onBehalfOf": "summary onBehalfOf",
		"note": "description", "evidence": "description", "source": "description", "quote": "description"}
	st.Speaker = im.readEnd(r, "subject", "speaker")
	target := im.readEnd(r, "object", "about")
	if target != "" {
		st.About = []string{target}
	}
	st.Date = domain.PartialDate(r.one("date"))

	given := map[string]bool{}
	for _, v := range r.all("summary") {
		if head, ok := strings.CutPrefix(v, export.StatementEdgeType+"; "); ok {
			for _, part := range strings.Split(head, "; ") {
				switch name, value, _ := strings.Cut(part, " "); {
				case name == "stance" && st.Stance == "":
					st.Stance = domain.Stance(value)
				case name == "confidence" && st.Confidence == "":
					st.Confidence = domain.Confidence(value)
				default:
					r.problem("summary", "%q: want \"%s; stance STANCE; confidence LEVEL\"", v, export.StatementEdgeType)
				}
			}
			continue
		}
		field, value, _ := strings.Cut(v, ": ")
		targets := map[string]*string{"event": &st.Event, "onBehalfOf": &st.OnBehalfOf}
		switch t := targets[field]; {
		case t == nil:
			r.problem("summary", "%q: want \"event: ID\" or \"onBehalfOf: ID\" beside the statement's stance and confidence", v)
		case given[field]:
			r.problem("summary", "%s: given twice", field)
		default:
			given[field] = true
			*t = value
		}
	}
	if role := r.one("role"); role != "" && role != strings.ToLower(string(st.Stance)) {
		r.problem("role", "%q differs from the stance %s; a statement link's role is its stance in words", role, st.Stance)
	}

	// The description is the note, if any, and the one `source:id: "quote"`
	// value of the statement's evidence.
	var notes, evidence []string
	for _, v := range r.all("description") {
		if strings.HasPrefix(v, domain.KindSource.Prefix()+":") {
			evidence = append(evidence, v)
		} else {
			notes = append(notes, v)
		}
	}
	switch len(evidence) {
	case 0:
	case 1:
		ev, err := export.ParseEvidenceLine(evidence[0])
		if err != nil {
			r.problem("description", "evidence: %v", err)
			pos.bad["evidence"], pos.bad["source"], pos.bad["quote"] = true, true, true
		}
		st.Evidence = ev
	default:
		r.problem("description", "%d evidence values (source:id: \"quote\"), want one: a statement has one quote", len(evidence))
		pos.bad["source"], pos.bad["quote"] = true, true
	}
	switch len(notes) {
	case 0:
	case 1:
		st.Note = notes[0]
	default:
		r.problem("description", "%d values are not evidence (source:id: \"quote\"), want at most one: the note", len(notes))
	}
	for _, p := range ftmStatementProperties {
		r.read[p] = true // read above, or derived from the source
	}
	r.unread("a statement link")
	return &statementEntry{position: pos, st: st, idGiven: true}, target
}

package domain

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/language"
)

// This file is the one home of the rules a node or relation must follow,
// whoever writes it: the dataset loader, the CSV importer, the stores and
// (later) the mutations. Each check lists every problem it finds, naming the
// field at fault, so a loader can point at a file and line; Validate wraps
// the first problem in an *Error for callers that stop at one.

// Problem is one rule an entry breaks.
type Problem struct {
	// Field is the field at fault as dataset files and the API name it,
	// e.g. "isoCode", "to" or "evidence[1].quote"; "" for the entry as a
	// whole.
	Field   string
	Message string
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.Message
	}
	return p.Field + ": " + p.Message
}

// FieldKinds maps each node field that only one kind may carry to that
// kind. Fields not listed (id, name, aliases, description, start, end)
// apply to every kind.
var FieldKinds = map[string]Kind{
	"orgType": KindOrganization, "isoCode": KindCountry, "title": KindPerson,
	"scope": KindProgramme, "budget": KindProgramme, "location": KindEvent,
	"status": KindAgreement, "url": KindSource, "publisher": KindSource,
	"language": KindSource,
}

// kindFieldValues lists the values of the fields in FieldKinds.
func (n *Node) kindFieldValues() map[string]string {
	return map[string]string{
		"orgType": string(n.OrgType), "isoCode": n.ISOCode, "title": n.Title, "scope": n.Scope,
		"budget": n.Budget, "location": n.Location, "status": n.Status, "url": n.URL, "publisher": n.Publisher,
		"language": n.Language,
	}
}

var isoCodePattern = regexp.MustCompile(`^[A-Z]{2}$`)

// Problems lists every rule the node breaks on its own (not whether other
// nodes refer to it): a well-formed ID whose prefix is the kind, a name,
// the fields its kind may carry, a known organization type, an ISO code,
// valid dates in order.
func (n *Node) Problems() []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	kind, kindOK := Kind(""), false
	if n.ID == "" {
		add("id", "required, e.g. country:hungary")
	} else if k, _, err := ParseID(n.ID); err != nil {
		add("id", "%s", ErrorMessage(err))
	} else if n.Kind == "" {
		add("kind", "required: %s, as the id says", k)
	} else if n.Kind != k {
		add("kind", "%s, but the id says %s", n.Kind, k)
	} else {
		kind, kindOK = k, true
	}
	if strings.TrimSpace(n.Name) == "" {
		add("name", "required")
	}
	for i, a := range n.Aliases {
		if strings.TrimSpace(a) == "" {
			add(fmt.Sprintf("aliases[%d]", i), "must be a non-empty string")
		}
	}
	start, end := checkDate(&ps, "start", n.Start), checkDate(&ps, "end", n.End)
	if start && end {
		checkOrder(&ps, n.Start, n.End)
	}
	if !kindOK {
		return ps // the kind's own rules need the kind
	}
	values := n.kindFieldValues()
	for _, field := range slices.Sorted(maps.Keys(FieldKinds)) {
		if want := FieldKinds[field]; values[field] != "" && want != kind {
			add(field, "applies to %s nodes only, not %s", want, kind)
		}
	}
	switch kind {
	case KindOrganization:
		if n.OrgType == "" {
			add("orgType", "required for organizations; one of %s", joinNames(OrgTypes))
		} else if !n.OrgType.Valid() {
			add("orgType", "unknown organization type %q; one of %s", n.OrgType, joinNames(OrgTypes))
		}
	case KindCountry:
		if n.ISOCode != "" && !isoCodePattern.MatchString(n.ISOCode) {
			add("isoCode", "%q is not an ISO 3166-1 alpha-2 code (two capital letters)", n.ISOCode)
		}
	case KindSource:
		if n.Language != "" {
			if _, err := language.Parse(n.Language); err != nil {
				add("language", "%q is not a BCP 47 language tag such as es, en or es-EC", n.Language)
			}
		}
	}
	return ps
}

// checkDate adds a problem when d is not a partial date and reports
// whether it is one.
func checkDate(ps *[]Problem, field string, d PartialDate) bool {
	if _, err := ParsePartialDate(string(d)); err != nil {
		*ps = append(*ps, Problem{Field: field, Message: ErrorMessage(err)})
		return false
	}
	return true
}

func checkOrder(ps *[]Problem, start, end PartialDate) {
	if start != "" && end != "" && end.Before(start) {
		*ps = append(*ps, Problem{Field: "end", Message: fmt.Sprintf("%s is before start %s", end, start)})
	}
}

func joinNames[T ~string](names []T) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = string(n)
	}
	return strings.Join(parts, ", ")
}

// endKinds says which kinds each relation type may join, following the
// directions documented on RelationType. SUCCEEDED_BY is not listed: it
// joins two nodes of the same kind.
var endKinds = func() map[RelationType][2][]Kind {
	actors := []Kind{KindCountry, KindOrganization, KindPerson}
	venues := []Kind{KindProgramme, KindEvent, KindAgreement}
	c, o, p := KindCountry, KindOrganization, KindPerson
	pr, ev, ag := KindProgramme, KindEvent, KindAgreement
	return map[RelationType][2][]Kind{
		RelMemberOf:       {{c, o}, {o}},
		RelPartOf:         {{o, pr, ev, ag}, {c, o, pr, ev}},
		RelHoldsPosition:  {{p}, {o}},
		RelRepresents:     {{p, o}, {c, o}},
		RelParticipatesIn: {actors, {pr}},
		RelAttended:       {actors, {ev}},
		RelChaired:        {actors, {ev}},
		RelFunds:          {actors, venues},
		RelImplements:     {{c, o}, {pr}},
		RelSupports:       {actors, venues},
		RelAddresses:      {venues, {KindTopic}},
		RelPartyTo:        {actors, {ag}},
		RelCooperatesWith: {actors, actors},
		RelReviewed:       {{ev}, {pr, ag}},
		RelVisited:        {{p}, {c}},
	}
}()

// EndKinds returns the kinds a relation of type t may start and end at;
// ok is false for SUCCEEDED_BY (two nodes of one kind) and unknown types.
func EndKinds(t RelationType) (from, to []Kind, ok bool) {
	k, ok := endKinds[t]
	return k[0], k[1], ok
}

func kindList(kinds []Kind) string {
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = k.Prefix()
	}
	if len(parts) == 1 {
		if strings.ContainsRune("aeiou", rune(parts[0][0])) {
			return "an " + parts[0]
		}
		return "a " + parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// Problems lists every rule the relation breaks on its own: an ID, a known
// type joining the kinds it may join (kinds come from the end IDs), two
// different ends, a confidence, valid dates in order, and at least one
// piece of evidence citing a source ID with a non-empty quote. Whether the
// ends and sources exist is ReferenceProblems; whether quotes are verbatim
// is QuoteProblems.
func (r *Relation) Problems() []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if r.ID == "" {
		add("id", "required")
	}
	typeOK := false
	switch {
	case r.Type == "":
		add("type", "required; one of %s", joinNames(RelationTypes))
	case !r.Type.Valid():
		add("type", "unknown relation type %q; one of %s", r.Type, joinNames(RelationTypes))
	default:
		typeOK = true
	}
	var kinds [2]Kind
	endsOK := true
	for i, end := range [2]struct{ field, id string }{{"from", r.From}, {"to", r.To}} {
		if end.id == "" {
			add(end.field, "required: the id of a node")
			endsOK = false
			continue
		}
		k, _, err := ParseID(end.id)
		if err != nil {
			add(end.field, "%s", ErrorMessage(err))
			endsOK = false
			continue
		}
		kinds[i] = k
	}
	if endsOK && r.From == r.To {
		add("to", "same node as from (%s)", r.From)
	}
	if endsOK && typeOK {
		if r.Type == RelSucceededBy {
			if kinds[0] != kinds[1] || kinds[0] == KindSource {
				add("to", "SUCCEEDED_BY joins two nodes of the same kind, got %s → %s", kinds[0], kinds[1])
			}
		} else if from, to, ok := EndKinds(r.Type); ok {
			if !slices.Contains(from, kinds[0]) {
				add("from", "%s starts at %s, got %s", r.Type, kindList(from), r.From)
			}
			if !slices.Contains(to, kinds[1]) {
				add("to", "%s goes to %s, got %s", r.Type, kindList(to), r.To)
			}
		}
	}
	switch {
	case r.Confidence == "":
		add("confidence", "required: HIGH (primary source), MEDIUM (researched source) or LOW (unverified or inferred)")
	case !r.Confidence.Valid():
		add("confidence", "%q is not HIGH, MEDIUM or LOW", r.Confidence)
	}
	start, end := checkDate(&ps, "start", r.Start), checkDate(&ps, "end", r.End)
	if start && end {
		checkOrder(&ps, r.Start, r.End)
	}
	if len(r.Evidence) == 0 {
		add("evidence", "required: at least one {source, quote}")
	}
	for i, e := range r.Evidence {
		field := fmt.Sprintf("evidence[%d]", i)
		if e.SourceID == "" {
			add(field+".source", "required: the id of a source node")
		} else if k, _, err := ParseID(e.SourceID); err != nil {
			add(field+".source", "%s", ErrorMessage(err))
		} else if k != KindSource {
			add(field+".source", "%s is a %s, not a source", e.SourceID, k)
		}
		if strings.TrimSpace(e.Quote) == "" {
			add(field+".quote", "required: a short verbatim excerpt of the source's text")
		}
	}
	return ps
}

// ReferenceProblems lists the relation's ends and evidence sources that
// name no node; exists says whether a node with the given ID is in the
// graph. IDs that are malformed are Problems' business and skipped here.
func (r *Relation) ReferenceProblems(exists func(id string) bool) []Problem {
	return append(r.EndProblems(exists), r.SourceProblems(exists)...)
}

// EndProblems is ReferenceProblems for the relation's two ends only.
func (r *Relation) EndProblems(exists func(id string) bool) []Problem {
	var ps []Problem
	for _, end := range [2]struct{ field, id string }{{"from", r.From}, {"to", r.To}} {
		if _, _, err := ParseID(end.id); err == nil && !exists(end.id) {
			ps = append(ps, Problem{Field: end.field, Message: end.id + " is not defined"})
		}
	}
	return ps
}

// SourceProblems is ReferenceProblems for the evidence sources only.
func (r *Relation) SourceProblems(exists func(id string) bool) []Problem {
	var ps []Problem
	for i, e := range r.Evidence {
		if k, _, err := ParseID(e.SourceID); err == nil && k == KindSource && !exists(e.SourceID) {
			ps = append(ps, Problem{Field: fmt.Sprintf("evidence[%d].source", i), Message: e.SourceID + " is not defined"})
		}
	}
	return ps
}

// QuoteProblems lists the evidence quotes not found verbatim (see
// ContainsQuote) in their source's text. text returns the text of a source;
// a source without one (false) is the source's own problem, reported where
// its text is missing, so its quotes are not checked here.
func (r *Relation) QuoteProblems(text func(sourceID string) (string, bool)) []Problem {
	var ps []Problem
	for i, e := range r.Evidence {
		if strings.TrimSpace(e.Quote) == "" {
			continue // Problems says so
		}
		t, ok := text(e.SourceID)
		if ok && !ContainsQuote(t, e.Quote) {
			ps = append(ps, Problem{Field: fmt.Sprintf("evidence[%d].quote", i), Message: "not found verbatim in " + e.SourceID})
		}
	}
	return ps
}

// NormalizeQuote replaces every run of white space with one space and trims
// both ends. It is the only normalisation a quote gets before it is looked
// for in its source, so a quote may wrap differently from the source but
// must otherwise be the source's words, punctuation and case.
func NormalizeQuote(s string) string {
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

// ContainsQuote reports whether a non-empty quote occurs in text verbatim
// after NormalizeQuote of both.
func ContainsQuote(text, quote string) bool {
	q := NormalizeQuote(quote)
	return q != "" && strings.Contains(NormalizeQuote(text), q)
}

// problemsError turns the first problem of an entry into an EINVALID error
// naming the entry, e.g. "node country:peru: isoCode: …".
func problemsError(entry string, ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return Errorf(EINVALID, "%s: %s", entry, ps[0])
}

package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Stance is a statement's position on what it is about, as Discourse
// Network Analysis codes it: agreement or disagreement with a concept.
type Stance string

// The stances.
const (
	StanceSupports Stance = "SUPPORTS"
	StanceOpposes  Stance = "OPPOSES"
	StanceNeutral  Stance = "NEUTRAL"
)

// Stances lists every stance.
var Stances = []Stance{StanceSupports, StanceOpposes, StanceNeutral}

// Valid reports whether s is a known stance.
func (s Stance) Valid() bool { return slices.Contains(Stances, s) }

// StatementPrefix is the prefix of every statement ID: statements are not
// nodes, so it is no Kind.
const StatementPrefix = "statement"

// MaxStatementAbout bounds the concepts one statement is about.
const MaxStatementAbout = 10

// Statement is something an actor said, as a source reports it: the
// speaker (a person or organization), optionally the actor it spoke for,
// the concepts it is about (topics, or a programme or agreement), its
// stance on them, when and where (an event) it was said, and the verbatim
// quote with its source, checked like every relation's evidence.
type Statement struct {
	ID         string
	Speaker    string
	OnBehalfOf string   // optional: the country or organization spoken for
	About      []string // topic, programme or agreement IDs, sorted
	Stance     Stance
	Date       PartialDate
	Event      string // optional: the event where it was said
	Confidence Confidence
	Note       string
	Evidence   Evidence
}

// StatementID is the default ID of a statement: its speaker's slug and a
// hash of its normalised quote, so the same words by the same speaker get
// the same ID however they wrap.
func StatementID(speaker, quote string) string {
	_, slug, _ := strings.Cut(speaker, ":")
	sum := sha256.Sum256([]byte(NormalizeQuote(quote)))
	return StatementPrefix + ":" + slug + "-" + hex.EncodeToString(sum[:4])
}

// aboutKinds are the kinds a statement may be about.
var aboutKinds = []Kind{KindTopic, KindProgramme, KindAgreement}

// Validate checks the statement on its own: the first of its Problems, as
// an EINVALID error.
func (s *Statement) Validate() error { return problemsError("statement "+s.ID, s.Problems()) }

// Problems lists every rule the statement breaks on its own: an ID of the
// form statement:slug, a speaker that is a person or organization, an
// on-behalf-of actor other than the speaker, one to MaxStatementAbout
// distinct topics, programmes or agreements, a stance, a confidence, a
// valid date, an event ID, and evidence citing a source with a non-empty
// quote. Whether the IDs exist is ReferenceProblems; whether the quote is
// verbatim is QuoteProblems.
func (s *Statement) Problems() []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if prefix, slug, ok := strings.Cut(s.ID, ":"); !ok || prefix != StatementPrefix || !validSlug(slug) {
		add("id", "%q is not of the form statement:slug (lower-case letters, digits and single hyphens)", s.ID)
	}
	kindOf := func(field, id string, allowed []Kind) {
		if id == "" {
			add(field, "required: the id of %s", kindList(allowed))
			return
		}
		k, _, err := ParseID(id)
		if err != nil {
			add(field, "%s", ErrorMessage(err))
		} else if !slices.Contains(allowed, k) {
			add(field, "must be %s, got %s", kindList(allowed), id)
		}
	}
	kindOf("speaker", s.Speaker, []Kind{KindPerson, KindOrganization})
	if s.OnBehalfOf != "" {
		kindOf("onBehalfOf", s.OnBehalfOf, []Kind{KindCountry, KindOrganization})
		if s.OnBehalfOf == s.Speaker {
			add("onBehalfOf", "same as the speaker; leave it out")
		}
	}
	switch {
	case len(s.About) == 0:
		add("about", "required: at least one topic, programme or agreement the statement is about")
	case len(s.About) > MaxStatementAbout:
		add("about", "%d concepts; the limit is %d", len(s.About), MaxStatementAbout)
	}
	seen := map[string]bool{}
	for i, id := range s.About {
		field := fmt.Sprintf("about[%d]", i)
		if seen[id] {
			add(field, "%s is listed twice", id)
			continue
		}
		seen[id] = true
		kindOf(field, id, aboutKinds)
	}
	switch {
	case s.Stance == "":
		add("stance", "required: SUPPORTS, OPPOSES or NEUTRAL")
	case !s.Stance.Valid():
		add("stance", "%q is not SUPPORTS, OPPOSES or NEUTRAL", s.Stance)
	}
	switch {
	case s.Confidence == "":
		add("confidence", "required: HIGH (primary source), MEDIUM (researched source) or LOW (unverified or inferred)")
	case !s.Confidence.Valid():
		add("confidence", "%q is not HIGH, MEDIUM or LOW", s.Confidence)
	}
	checkDate(&ps, "date", s.Date)
	if s.Event != "" {
		kindOf("event", s.Event, []Kind{KindEvent})
	}
	if s.Evidence.SourceID == "" {
		add("source", "required: the id of a source node")
	} else if k, _, err := ParseID(s.Evidence.SourceID); err != nil {
		add("source", "%s", ErrorMessage(err))
	} else if k != KindSource {
		add("source", "%s is a %s, not a source", s.Evidence.SourceID, k)
	}
	if strings.TrimSpace(s.Evidence.Quote) == "" {
		add("quote", "required: the speaker's words as the source gives them, verbatim")
	}
	return ps
}

// References lists the node IDs the statement names, each with the field
// naming it: speaker, onBehalfOf, about[i], event and source.
func (s *Statement) References() []Problem {
	refs := []Problem{{Field: "speaker", Message: s.Speaker}}
	if s.OnBehalfOf != "" {
		refs = append(refs, Problem{Field: "onBehalfOf", Message: s.OnBehalfOf})
	}
	for i, id := range s.About {
		refs = append(refs, Problem{Field: fmt.Sprintf("about[%d]", i), Message: id})
	}
	if s.Event != "" {
		refs = append(refs, Problem{Field: "event", Message: s.Event})
	}
	return append(refs, Problem{Field: "source", Message: s.Evidence.SourceID})
}

// Mentions reports whether the statement names node id.
func (s *Statement) Mentions(id string) bool {
	for _, r := range s.References() {
		if r.Message == id {
			return true
		}
	}
	return false
}

// ReferenceProblems lists the IDs the statement names that are no node;
// malformed IDs are Problems' business and skipped here.
func (s *Statement) ReferenceProblems(exists func(id string) bool) []Problem {
	var ps []Problem
	for _, r := range s.References() {
		if _, _, err := ParseID(r.Message); err == nil && !exists(r.Message) {
			ps = append(ps, Problem{Field: r.Field, Message: r.Message + " is not defined"})
		}
	}
	return ps
}

// QuoteProblems reports the quote when it is not found verbatim (see
// ContainsQuote) in its source's text; a source without a text is not
// checked here (see Relation.QuoteProblems).
func (s *Statement) QuoteProblems(text func(sourceID string) (string, bool)) []Problem {
	if strings.TrimSpace(s.Evidence.Quote) == "" {
		return nil
	}
	if t, ok := text(s.Evidence.SourceID); ok && !ContainsQuote(t, s.Evidence.Quote) {
		return []Problem{{Field: "quote", Message: "not found verbatim in " + s.Evidence.SourceID}}
	}
	return nil
}

// MadeBy reports whether the statement was made on or before asOf (always
// when asOf is empty; an undated statement counts at every date).
func (s *Statement) MadeBy(asOf PartialDate) bool {
	return asOf == "" || s.Date == "" || !asOf.Before(s.Date)
}

// CloneStatement returns a copy of s that shares nothing mutable with it.
func CloneStatement(s *Statement) *Statement {
	if s == nil {
		return nil
	}
	c := *s
	c.About = slices.Clone(s.About)
	return &c
}

// SameStatement reports whether two statement values are equal field by
// field.
func SameStatement(a, b *Statement) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	if !slices.Equal(x.About, y.About) {
		return false
	}
	x.About, y.About = nil, nil
	return reflect.DeepEqual(x, y)
}

// SortStatements orders statements by ID, the order every store answers in.
func SortStatements(sts []*Statement) {
	slices.SortFunc(sts, func(a, b *Statement) int { return strings.Compare(a.ID, b.ID) })
}

// StatementQuery selects statements; empty fields do not restrict.
type StatementQuery struct {
	Speaker string // said by this actor, or on its behalf
	Topic   string // about this topic, programme or agreement
	Event   string
	Stance  Stance
	AsOf    PartialDate // made on or before this date
	After   string      // page cursor: only statements with a greater ID
	First   int         // page size
}

// Validate checks the query. The page size is the API's: 1 to MaxPageSize,
// DefaultPageSize when 0.
func (q *StatementQuery) Validate() error {
	for _, f := range []struct{ name, id string }{{"speaker", q.Speaker}, {"topic", q.Topic}, {"event", q.Event}} {
		if f.id != "" {
			if _, _, err := ParseID(f.id); err != nil {
				return Errorf(EINVALID, "%s: %s", f.name, ErrorMessage(err))
			}
		}
	}
	if q.Stance != "" && !q.Stance.Valid() {
		return Errorf(EINVALID, "stance %q is not SUPPORTS, OPPOSES or NEUTRAL", q.Stance)
	}
	if _, err := ParsePartialDate(string(q.AsOf)); err != nil {
		return err
	}
	return validatePageSize(&q.First, "first")
}

// NamedIDs: see NeighborhoodQuery.NamedIDs.
func (q *StatementQuery) NamedIDs() []string {
	var ids []string
	for _, id := range []string{q.Speaker, q.Topic, q.Event} {
		if id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// Matches reports whether s is selected by q (First aside).
func (q *StatementQuery) Matches(s *Statement) bool {
	return (q.Speaker == "" || s.Speaker == q.Speaker || s.OnBehalfOf == q.Speaker) &&
		(q.Topic == "" || slices.Contains(s.About, q.Topic)) &&
		(q.Event == "" || s.Event == q.Event) &&
		(q.Stance == "" || s.Stance == q.Stance) &&
		s.ID > q.After &&
		s.MadeBy(q.AsOf)
}

// SelectStatements returns the statements of all that q selects, by ID, at
// most q.First of them (all when 0); the embedded store answers through
// it, and Neo4j's query selects the same.
func SelectStatements(all []*Statement, q StatementQuery) []*Statement {
	var out []*Statement
	for _, s := range all {
		if q.Matches(s) {
			out = append(out, s)
		}
	}
	SortStatements(out)
	if q.First > 0 && len(out) > q.First {
		out = out[:q.First]
	}
	return out
}

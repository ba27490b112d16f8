package domain

import (
	"slices"
	"strconv"
	"time"
)

// Earliest is the first day the date can mean, as YYYY-MM-DD ("2023" →
// "2023-01-01"); empty for an unknown date.
func (d PartialDate) Earliest() string { return d.earliest() }

// Latest is the last day the date can mean, as YYYY-MM-DD ("2023-09" →
// "2023-09-30"); empty for an unknown date.
func (d PartialDate) Latest() string {
	switch len(d) {
	case 4:
		return string(d) + "-12-31"
	case 7:
		year, _ := strconv.Atoi(string(d[:4]))
		month, _ := strconv.Atoi(string(d[5:7]))
		last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
		return last.Format(time.DateOnly)
	}
	return string(d)
}

// Undated reports whether the relation has neither a start nor an end: it
// counts at every asOf date and is marked as undated.
func (r *Relation) Undated() bool { return r.Start == "" && r.End == "" }

// ActiveAt reports whether the relation holds on the day asOf (read as its
// earliest day): it has started (start ≤ asOf) and has not ended by then
// (end > asOf, so a relation ending on the day a successor starts hands over
// on that day). Missing dates do not restrict; an empty asOf means "any
// time" and every relation is active.
func (r *Relation) ActiveAt(asOf PartialDate) bool {
	if asOf == "" {
		return true
	}
	day := asOf.Earliest()
	if r.Start != "" && r.Start.Earliest() > day {
		return false
	}
	if r.End != "" && r.End.Latest() <= day {
		return false
	}
	return true
}

// ActiveDays is the first and the last day (YYYY-MM-DD) on which ActiveAt
// counts r; either is "" where r is open on that side. The last day is the
// day before the last day its end can mean, since on that day r has ended.
// A relation that ends on the day it starts holds on no day: its last day
// comes before its first.
func (r *Relation) ActiveDays() (first, last string) {
	first = r.Start.Earliest()
	if r.End != "" {
		end, _ := time.Parse(time.DateOnly, r.End.Latest())
		last = end.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return first, last
}

// OverlapsInTime reports whether some day exists on which both r and o are
// active (see ActiveAt): the later start comes before the earlier end.
// Missing dates do not restrict, so an undated relation overlaps any other.
func (r *Relation) OverlapsInTime(o *Relation) bool {
	start := max(r.Start.Earliest(), o.Start.Earliest()) // "" sorts first: no start
	var ends []string
	for _, e := range []PartialDate{r.End, o.End} {
		if e != "" {
			ends = append(ends, e.Latest())
		}
	}
	return len(ends) == 0 || start < slices.Min(ends)
}

// ConcernedTopics derives, for every relation of g, the IDs of the topics it
// concerns, sorted: the topic at its end when it has one (SEACOP ADDRESSES
// maritime security concerns maritime security only), otherwise every topic
// that a programme, event or agreement at either end ADDRESSES (FIIAPP
// IMPLEMENTS SEACOP concerns all of SEACOP's topics). Both stores compute it once
// from the same graph (Neo4j keeps it as a relation property), so topic
// filters agree by construction.
func ConcernedTopics(g *Graph) map[string][]string {
	kinds := make(map[string]Kind, len(g.Nodes))
	for _, n := range g.Nodes {
		kinds[n.ID] = n.Kind
	}
	addresses := map[string][]string{}
	for _, r := range g.Relations {
		if r.Type == RelAddresses && kinds[r.To] == KindTopic {
			addresses[r.From] = append(addresses[r.From], r.To)
		}
	}
	out := make(map[string][]string, len(g.Relations))
	for _, r := range g.Relations {
		out[r.ID] = ConcernsOf(r, Ends{kinds[r.From], kinds[r.To], addresses[r.From], addresses[r.To]})
	}
	return out
}

// Ends is what ConcernedTopics reads of a relation's ends: their kinds
// and the topics each ADDRESSES (in any order, repeats allowed). A store
// that keeps these instead of every relation's entry derives the entry,
// or tests a scope, from them.
type Ends struct {
	FromKind, ToKind     Kind
	FromTopics, ToTopics []string
}

// each yields the topics r concerns, unsorted and maybe repeated: the
// topics at its ends when it has any, else those its venue ends ADDRESS.
func (e Ends) each(r *Relation, yield func(string) bool) {
	if e.FromKind == KindTopic || e.ToKind == KindTopic {
		if e.FromKind == KindTopic && !yield(r.From) {
			return
		}
		if e.ToKind == KindTopic {
			yield(r.To)
		}
		return
	}
	for _, t := range e.venueTopics() {
		for _, topic := range t {
			if !yield(topic) {
				return
			}
		}
	}
}

// concernsAny reports whether r concerns one of topics.
func (e Ends) concernsAny(r *Relation, topics []string) bool {
	found := false
	e.each(r, func(t string) bool {
		found = slices.Contains(topics, t)
		return !found
	})
	return found
}

// venueTopics is the topics of the ends that are venues.
func (e Ends) venueTopics() [2][]string {
	var out [2][]string
	if e.FromKind.IsVenue() {
		out[0] = e.FromTopics
	}
	if e.ToKind.IsVenue() {
		out[1] = e.ToTopics
	}
	return out
}

// ConcernsOf is ConcernedTopics' entry for r, from its ends. The answer
// may be one of ends' slices: callers must not modify it.
func ConcernsOf(r *Relation, ends Ends) []string {
	// Most relations have no topic end and at most one end that addresses
	// topics: its list serves as it is when sorted without repeats.
	if ends.FromKind != KindTopic && ends.ToKind != KindTopic {
		switch t := ends.venueTopics(); {
		case len(t[1]) == 0 && strictlyAscending(t[0]):
			return t[0]
		case len(t[0]) == 0 && strictlyAscending(t[1]):
			return t[1]
		}
	}
	var topics []string
	ends.each(r, func(t string) bool { topics = append(topics, t); return true })
	slices.Sort(topics)
	return slices.Compact(topics)
}

func strictlyAscending(list []string) bool {
	for i := 1; i < len(list); i++ {
		if list[i-1] >= list[i] {
			return false
		}
	}
	return true
}

// Scope restricts which relations a traversal may use. The zero Scope
// allows every relation.
type Scope struct {
	RelationTypes []RelationType // only these types; all when empty
	Topics        []string       // only relations concerning one of these topics (see ConcernedTopics); all when empty
	AsOf          PartialDate    // only relations active on this date (see Relation.ActiveAt); all when empty
}

// Allows reports whether r is in scope; concerns is ConcernedTopics' entry for r.
func (s Scope) Allows(r *Relation, concerns []string) bool {
	return s.allows(r, len(s.Topics) == 0 || slices.ContainsFunc(concerns, func(t string) bool { return slices.Contains(s.Topics, t) }))
}

// AllowsBetween is Allows for a store that keeps r's ends (see Ends)
// rather than its entry of ConcernedTopics.
func (s Scope) AllowsBetween(r *Relation, ends Ends) bool {
	return s.allows(r, len(s.Topics) == 0 || ends.concernsAny(r, s.Topics))
}

// allows is Allows once it is known whether r concerns one of the topics.
func (s Scope) allows(r *Relation, concerned bool) bool {
	if len(s.RelationTypes) > 0 && !slices.Contains(s.RelationTypes, r.Type) {
		return false
	}
	return concerned && r.ActiveAt(s.AsOf)
}

// Validate checks the scope's types and topic IDs.
func (s *Scope) Validate() error {
	if err := validateRelationTypes(s.RelationTypes); err != nil {
		return err
	}
	for _, t := range s.Topics {
		if err := validateTopicID(t, "topic"); err != nil {
			return err
		}
	}
	if len(s.Topics) > MaxQueryIDs {
		return Errorf(EINVALID, "%d topics given; the limit is %d", len(s.Topics), MaxQueryIDs)
	}
	return nil
}

func validateTopicID(id, field string) error {
	kind, _, err := ParseID(id)
	if err != nil {
		return err
	}
	if kind != KindTopic {
		return Errorf(EINVALID, "%s %s is a %s, not a topic (e.g. topic:maritime-security)", field, id, kind)
	}
	return nil
}

package domain

// Sentence tells a timeline entry in one dated line. For a relation, from
// and to are its ends (read forwards, as in Hop.Sentence): "2023-10-26:
// Ecuador is party to Working agreement … (status: signed)", or with "ended: "
// before the clause when the relation ended then. For an event: "2023-09-26:
// III Round Table … took place", with " in <location>" when known. A nil end
// is shown by its ID, so a sentence is never empty.
func (e *TimelineEntry) Sentence(from, to *Node) string {
	prefix := e.Date.String() + ": "
	if e.Kind == TimelineEvent || e.Relation == nil {
		if e.Node == nil {
			return prefix + "an event took place"
		}
		s := prefix + e.Node.Name + " took place"
		if e.Node.Location != "" {
			s += " in " + e.Node.Location
		}
		return s
	}
	if from == nil {
		from = &Node{ID: e.Relation.From, Name: e.Relation.From}
	}
	if to == nil {
		to = &Node{ID: e.Relation.To, Name: e.Relation.To}
	}
	clause := Hop{From: from, To: to, Relation: e.Relation, Forward: true}.Sentence()
	if e.Kind == TimelineEnded {
		return prefix + "ended: " + clause
	}
	return prefix + clause
}

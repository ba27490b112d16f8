package export_test

import (
	"regexp"
	"testing"

	"github.com/stakegraph/stakegraph/internal/export"
)

// ftmIDRule is FollowTheMoney's rule for entity IDs; every token ID keeps it.
var ftmIDRule = regexp.MustCompile(`^[0-9a-zA-Z]([0-9a-zA-Z\.\-]*[0-9a-zA-Z])?$`)

func TestTokenIDs(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"node", export.NodeTokenID("country:hungary"), "country.hungary"},
		{"node with hyphens and digits", export.NodeTokenID("event:iii-round-table-2023"), "event.iii-round-table-2023"},
		{"relation", export.RelationTokenID("country:spain|FUNDS|programme:seacop"), "rel.country.3aspain.7cFUNDS.7cprogramme.3aseacop"},
		{"relation with a suffix", export.RelationTokenID("country:ecuador|PARTY_TO|agreement:x|signed"), "rel.country.3aecuador.7cPARTY.5fTO.7cagreement.3ax.7csigned"},
		{"dots and edge hyphens are escaped", export.RelationTokenID("-a.b-"), "rel..2da.2eb.2d"},
		{"non-ASCII bytes are escaped", export.RelationTokenID("é"), "rel..c3.a9"},
		{"not a node ID", export.NodeTokenID("Not an ID"), "node.Not.20an.20ID"},
		{"statement edge", export.StatementTokenID("statement:geurts-limits-2023", "topic:organised-crime"), "statement.geurts-limits-2023.topic.organised-crime"},
		{"not a statement ID", export.StatementTokenID("said:x", "topic:y"), "statement-edge.said.3ax.7ctopic.3ay"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
		if !ftmIDRule.MatchString(tt.got) {
			t.Errorf("%s: %q breaks FollowTheMoney's ID rule", tt.name, tt.got)
		}
	}
}

// TestTokenIDsAreDistinct: IDs that differ get different tokens, also
// where a careless escaping would merge them, and node, relation and
// statement edge tokens never meet.
func TestTokenIDsAreDistinct(t *testing.T) {
	nodes := []string{"country:hungary", "country:hungary-2", "organization:hungary", "node:x", "rel:x", "Not an ID", "country.hungary"}
	relations := []string{"country:hungary", "country.hungary", "country.3ahungary", "a|b", "a.7cb", "a-", "a.2d", "a-b", "a b", "a.20b", "rel.x", "x"}
	seen := map[string]string{}
	add := func(kind, id, token string) {
		if !ftmIDRule.MatchString(token) {
			t.Errorf("%s %q: token %q breaks FollowTheMoney's ID rule", kind, id, token)
		}
		if prev, dup := seen[token]; dup {
			t.Errorf("%s %q and %s share the token %q", kind, id, prev, token)
		}
		seen[token] = kind + " " + id
	}
	for _, id := range nodes {
		add("node", id, export.NodeTokenID(id))
	}
	for _, id := range relations {
		add("relation", id, export.RelationTokenID(id))
	}
	statements := []string{"statement:a", "statement:a-topic", "statement:a-", "statement:a.2d", "said:a", "statement:x"}
	targets := []string{"topic:x", "topic:a-topic", "agreement:x", "Not an ID", "2d.topic"}
	for _, st := range statements {
		for _, target := range targets {
			add("statement edge", st+" → "+target, export.StatementTokenID(st, target))
		}
	}
}

func FuzzRelationTokenID(f *testing.F) {
	f.Add("country:a|MEMBER_OF|organization:b", "country:a|MEMBER_OF|organization:b|x")
	f.Fuzz(func(t *testing.T, a, b string) {
		if a == "" || b == "" {
			return
		}
		ta, tb := export.RelationTokenID(a), export.RelationTokenID(b)
		if !ftmIDRule.MatchString(ta) {
			t.Errorf("%q: token %q breaks FollowTheMoney's ID rule", a, ta)
		}
		if (a == b) != (ta == tb) {
			t.Errorf("%q → %q and %q → %q", a, ta, b, tb)
		}
	})
}

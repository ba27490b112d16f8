package export

import (
	"fmt"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Token IDs stand for stakegraph IDs where a format allows only ASCII
// letters, digits, dots and hyphens, starting and ending with a letter or
// digit: FollowTheMoney entity IDs (which also makes them valid GraphML
// edge IDs, xs:NMTOKEN). The mapping is fixed, so the same node or relation
// always gets the same token, and one-to-one, so no two share one:
//
//	node     kind:slug → kind.slug   (country:hungary → country.hungary)
//	relation id        → "rel." + id with every byte other than a letter,
//	                     a digit or an inner hyphen written as "." and two
//	                     lower-case hex digits
//	                     (country:a|MEMBER_OF|organization:b →
//	                      rel.country.3aa.7cMEMBER.5fOF.7corganization.3ab)
//	statement edge       → "statement." + the statement's slug + "." + the
//	                       token of the node it is about
//	                       (statement:x-2023 about topic:drugs →
//	                        statement.x-2023.topic.drugs)
//
// A node ID is kind:slug with a slug of letters, digits and inner hyphens
// (domain.ParseID), so its token has exactly one dot, which the kind
// precedes; a relation token starts with "rel.", which no kind is; and the
// escaping reads back unambiguously, since a literal dot never appears. A
// statement edge's token starts with "statement.", which no kind is either
// (statements are not nodes), and its slug has no dot, so the target's
// token follows the second dot.
// The formats keep the stakegraph ID beside the token (see WriteFtM and
// WriteGraphML).

// NodeTokenID is the token ID of a node.
func NodeTokenID(id string) string {
	if _, slug, err := domain.ParseID(id); err == nil {
		prefix, _, _ := strings.Cut(id, ":")
		return prefix + "." + slug
	}
	// Not reached for a validated node; kept one-to-one all the same.
	return "node." + escapeToken(id)
}

// StatementTokenID is the token ID of the edge drawn for a statement to
// the node target it is about.
func StatementTokenID(statementID, target string) string {
	slug, ok := strings.CutPrefix(statementID, domain.StatementPrefix+":")
	if !ok {
		// Not reached for a validated statement; kept one-to-one all the same.
		return "statement-edge." + escapeToken(statementID+"|"+target)
	}
	return domain.StatementPrefix + "." + escapeToken(slug) + "." + NodeTokenID(target)
}

// RelationTokenID is the token ID of a relation.
func RelationTokenID(id string) string { return "rel." + escapeToken(id) }

func escapeToken(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case c == '-' && i > 0 && i < len(s)-1:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, ".%02x", c)
		}
	}
	return b.String()
}

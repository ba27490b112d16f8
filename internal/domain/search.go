package domain

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Search matching is defined here once, so every store returns the same hits
// in the same order: a node matches when every query token is a prefix of a
// token of its name or one of its aliases, after case and accent folding.

// Fold lower-cases s and strips accents: "Cancillería" → "cancilleria".
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.ToLower(folded)
}

// Tokens folds s and splits it into runs of letters and digits.
func Tokens(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// SearchText is the folded text of a node's name and aliases that search
// matches against; stores may keep it precomputed.
func SearchText(n *Node) string {
	parts := append([]string{n.Name}, n.Aliases...)
	return Fold(strings.Join(parts, " | "))
}

// MatchScore scores node n against the tokens of a query. Zero means no
// match. For each query token the best-matching name or alias token counts
// 2 when equal and 1 when it is only a prefix; an alias or name equal to the
// whole query adds 10, the name matching all tokens adds 1 over an alias, and
// the share of the label the query covers adds up to 1, so "paccto" ranks
// "EL PAcCTO" above "EL PAcCTO 2.0" and above long titles that mention it.
func MatchScore(n *Node, queryTokens []string) float64 {
	return ScoreLabels(LabelTokens(n), queryTokens)
}

// LabelTokens returns the tokens of the node's name, then of each alias.
// Stores that search often keep it per node and call ScoreLabels.
func LabelTokens(n *Node) [][]string {
	labels := make([][]string, 0, 1+len(n.Aliases))
	labels = append(labels, Tokens(n.Name))
	for _, a := range n.Aliases {
		labels = append(labels, Tokens(a))
	}
	return labels
}

// ScoreLabels is MatchScore over labels from LabelTokens.
func ScoreLabels(labels [][]string, queryTokens []string) float64 {
	if len(queryTokens) == 0 {
		return 0
	}
	best := 0.0
	for i, label := range labels {
		s := labelScore(label, queryTokens)
		if s == 0 {
			continue
		}
		if i == 0 {
			s++
		}
		best = max(best, s)
	}
	if best > 0 {
		return best
	}
	// Tokens may be spread across name and aliases ("europol agreement").
	return labelScore(slices.Concat(labels...), queryTokens)
}

func labelScore(labelTokens, queryTokens []string) float64 {
	score := 0.0
	for _, q := range queryTokens {
		tokenBest := 0.0
		for _, t := range labelTokens {
			switch {
			case t == q:
				tokenBest = 2
			case strings.HasPrefix(t, q) && tokenBest < 1:
				tokenBest = 1
			}
		}
		if tokenBest == 0 {
			return 0
		}
		score += tokenBest
	}
	if strings.Join(labelTokens, " ") == strings.Join(queryTokens, " ") {
		score += 10
	}
	return score + min(1, float64(len(queryTokens))/float64(len(labelTokens)))
}

package export

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// NodeColumns is the header row of nodes.csv as WriteCSV writes it.
func NodeColumns() []string { return append([]string{"id", "label"}, names(nodeAttrs)...) }

// StatementColumns is the header row of statements.csv as WriteCSV writes it.
func StatementColumns() []string { return slices.Clone(statementColumns) }

// EdgeColumns is the header row of edges.csv as WriteCSV writes it.
func EdgeColumns() []string { return append([]string{"id", "source", "target"}, names(edgeAttrs)...) }

// ParseEvidenceLine reads back one line of EvidenceText: a source ID, a
// colon and a space, then the quote as a double-quoted JSON string.
func ParseEvidenceLine(line string) (domain.Evidence, error) {
	source, quoted, ok := strings.Cut(line, `: "`)
	if !ok {
		return domain.Evidence{}, fmt.Errorf(`want source:id: "quote", got %q`, line)
	}
	var quote string
	if err := json.Unmarshal([]byte(`"`+quoted), &quote); err != nil {
		return domain.Evidence{}, fmt.Errorf(`the quote after %q must be one double-quoted JSON string, as the export writes it`, source+":")
	}
	return domain.Evidence{SourceID: source, Quote: quote}, nil
}

package export

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"time"
)

var zipDate = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// The files inside the CSV export.
const (
	NodesCSV = "nodes.csv"
	EdgesCSV = "edges.csv"
	// StatementsCSV is written only when the selection holds statements.
	StatementsCSV = "statements.csv"
)

// WriteCSV writes d as a ZIP holding nodes.csv and edges.csv: one download
// that every spreadsheet, Gephi's spreadsheet import and pandas can open
// after unzipping, with nodes and edges in the two tables they need.
//
// Both files are RFC 4180 CSV in UTF-8 with a header row. nodes.csv: id,
// label, then the node attributes (kind, orgType, …; aliases joined with
// "; "). edges.csv: id, source, target, then the edge attributes (type,
// role, …, undated as true/false, evidence as one `source: "quote"` line
// per piece inside the cell, evidenceSources and evidenceUrls). When the
// selection holds statements, statements.csv lists them: id, speaker,
// onBehalfOf, about (joined with "; "), stance, date, event, confidence,
// note, source and quote.
func WriteCSV(w io.Writer, d *Data) error {
	zw := zip.NewWriter(w)
	nodeRows := func(yield func([]string) bool) {
		for _, n := range d.Nodes {
			if !yield(append([]string{n.ID, n.Label()}, values(nodeAttrs, n, d)...)) {
				return
			}
		}
	}
	if err := writeCSVFile(zw, NodesCSV, append([]string{"id", "label"}, names(nodeAttrs)...), nodeRows); err != nil {
		return err
	}
	edgeRows := func(yield func([]string) bool) {
		for _, r := range d.Relations {
			if !yield(append([]string{r.ID, r.From, r.To}, values(relationColumns, edge{rel: r}, d)...)) {
				return
			}
		}
	}
	if err := writeCSVFile(zw, EdgesCSV, append([]string{"id", "source", "target"}, names(relationColumns)...), edgeRows); err != nil {
		return err
	}
	if len(d.Statements) > 0 {
		statementRows := func(yield func([]string) bool) {
			for _, st := range d.Statements {
				if !yield([]string{st.ID, st.Speaker, st.OnBehalfOf, strings.Join(st.About, "; "), string(st.Stance),
					string(st.Date), st.Event, string(st.Confidence), st.Note, st.Evidence.SourceID, st.Evidence.Quote}) {
					return
				}
			}
		}
		if err := writeCSVFile(zw, StatementsCSV, statementColumns, statementRows); err != nil {
			return err
		}
	}
	return zw.Close()
}

// statementColumns are the columns of statements.csv, in the order
// WriteCSV fills them.
var statementColumns = []string{"id", "speaker", "onBehalfOf", "about", "stance", "date", "event", "confidence", "note", "source", "quote"}

// relationColumns are the columns of edges.csv: the edge columns a
// relation fills. Statements have their own table, statements.csv.
var relationColumns = slices.DeleteFunc(slices.Clone(edgeAttrs), func(a attr[edge]) bool {
	return slices.Contains([]string{"kind", "statementId", "stance", "date", "event", "onBehalfOf"}, a.name)
})

func writeCSVFile(zw *zip.Writer, name string, header []string, rows func(func([]string) bool)) error {
	// A fixed date (the earliest a ZIP can hold) keeps the export
	// reproducible; a zero one shows as an invalid date in unzip tools.
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipDate})
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	if err := cw.Write(header); err != nil {
		return err
	}
	for row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func names[T any](attrs []attr[T]) []string {
	out := make([]string, len(attrs))
	for i, a := range attrs {
		out[i] = a.name
	}
	return out
}

func values[T any](attrs []attr[T], v T, d *Data) []string {
	out := make([]string, len(attrs))
	for i, a := range attrs {
		out[i] = a.get(v, d)
	}
	return out
}

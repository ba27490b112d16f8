package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
)

// CSVFile is one table to import: Name is how problems refer to it.
type CSVFile struct {
	Name string
	Data []byte
}

// TextColumn is the optional column of nodes.csv that names a Source
// node's text file in the sources directory. The export does not write it:
// its texts are found by source ID (see ImportCSV).
const TextColumn = "text"

// CSVTables are the tables of a CSV export to import. Statements is
// optional: the export writes statements.csv only when the selection holds
// statements; leave its Name empty when there is none.
type CSVTables struct {
	Nodes, Edges, Statements CSVFile
}

// ImportCSV reads a graph from the nodes.csv, edges.csv and (optionally)
// statements.csv tables that the CSV export writes (columns matched by
// header name, in any order; the derived columns undated, evidenceSources
// and evidenceUrls may be left out) and checks it with the rules every
// dataset obeys. Each problem names the CSV file and line.
//
// Quotes are checked against each Source node's text, taken from the first
// of: the file its `text` column names in sourcesDir; sourcesDir/<slug>.txt
// or sourcesDir/<slug>.md for source:<slug>; the shipped dataset's text for
// a source the shipped dataset holds. sourcesDir may be "".
func ImportCSV(tables CSVTables, sourcesDir string) (*Dataset, error) {
	l := newLoader()
	im := &csvImport{l: l, texts: newSourceTexts(l, sourcesDir)}
	im.readNodes(tables.Nodes)
	im.readEdges(tables.Edges)
	if tables.Statements.Name != "" {
		im.readStatements(tables.Statements)
	}
	return l.finish()
}

type csvImport struct {
	l     *loader
	texts *sourceTexts
}

// table is a CSV file read whole: its header and, per row, each cell's line.
type table struct {
	file    string
	columns map[string]int // column name → index
	rows    [][]string
	lines   [][]int // row → cell → line of the cell's start
}

// readTable parses a CSV file, reporting syntax errors and checking the
// header against known columns, of which required must be present.
func (im *csvImport) readTable(f CSVFile, known, required []string) *table {
	t := &table{file: f.Name, columns: map[string]int{}}
	r := csv.NewReader(bytes.NewReader(f.Data))
	header, err := r.Read()
	if err != nil {
		im.syntaxError(f.Name, err, "no header row")
		return nil
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // a spreadsheet's byte-order mark
	}
	for i, name := range header {
		switch {
		case !slices.Contains(known, name):
			im.l.add(f.Name, 1, "column %q: unknown; known columns: %s", name, strings.Join(known, ", "))
		default:
			if _, dup := t.columns[name]; dup {
				im.l.add(f.Name, 1, "column %q: repeated", name)
				continue
			}
			t.columns[name] = i
		}
	}
	for _, name := range required {
		if _, ok := t.columns[name]; !ok {
			im.l.add(f.Name, 1, "column %q: required", name)
		}
	}
	for {
		row, err := r.Read()
		if err != nil {
			if !errors.Is(err, csv.ErrFieldCount) {
				im.syntaxError(f.Name, err, "")
				break
			}
			line, _ := r.FieldPos(0)
			im.l.add(f.Name, line, "row has %d cells, the header %d", len(row), len(header))
			continue
		}
		lines := make([]int, len(row))
		for i := range row {
			lines[i], _ = r.FieldPos(i)
		}
		t.rows = append(t.rows, row)
		t.lines = append(t.lines, lines)
	}
	return t
}

// syntaxError reports a CSV reading error at its line; io.EOF is reported
// as empty, when what is missing is named.
func (im *csvImport) syntaxError(file string, err error, empty string) {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		line := pe.StartLine // where the broken row begins
		if line == 0 {
			line = pe.Line
		}
		im.l.add(file, line, "CSV syntax error: %v", pe.Err)
	case errors.Is(err, io.EOF):
		if empty != "" {
			im.l.add(file, 0, "%s: the file is empty", empty)
		}
	default:
		im.l.add(file, 0, "cannot read: %v", err)
	}
}

// cell returns a row's value in column and records where it is.
func (t *table) cell(row int, column string, pos *position) string {
	i, ok := t.columns[column]
	if !ok {
		return ""
	}
	pos.lines[column] = t.lines[row][i]
	return t.rows[row][i]
}

func (t *table) position(row int, label string) position {
	return position{file: t.file, line: t.lines[row][0], label: label, lines: map[string]int{}, bad: map[string]bool{}}
}

func (im *csvImport) readNodes(f CSVFile) {
	known := append(export.NodeColumns(), TextColumn)
	t := im.readTable(f, known, []string{"id", "label"})
	if t == nil {
		return
	}
	for row := range t.rows {
		label := fmt.Sprintf("row %d", row+1)
		if id := t.cell(row, "id", &position{lines: map[string]int{}}); id != "" {
			label = "node " + id
		}
		pos := t.position(row, label)
		c := func(column string) string { return t.cell(row, column, &pos) }
		id := c("id")
		kind, _, idErr := domain.ParseID(id)
		if given := c("kind"); given != "" {
			kind = domain.Kind(given)
		}
		var aliases []string
		if a := c("aliases"); a != "" {
			aliases = strings.Split(a, "; ")
		}
		n := &domain.Node{
			ID: id, Kind: kind, Name: c("label"), Aliases: aliases, Description: c("description"),
			OrgType: domain.OrgType(c("orgType")), ISOCode: c("isoCode"), Title: c("title"), Scope: c("scope"),
			Budget: c("budget"), Location: c("location"), Status: c("status"),
			Start: domain.PartialDate(c("start")), End: domain.PartialDate(c("end")),
			URL: c("url"), Publisher: c("publisher"), Language: c("language"),
		}
		if line, ok := pos.lines["label"]; ok {
			pos.lines["name"] = line // the domain's name is the table's label
		}
		ne := &nodeEntry{position: pos, node: n}
		im.l.report(&ne.position, n.Problems())
		if idErr != nil {
			continue
		}
		textName := c(TextColumn)
		if textName != "" && n.Kind != domain.KindSource {
			im.l.add(t.file, pos.lineOf(TextColumn), "%s: %s: applies to %s nodes only, not %s", label, TextColumn, domain.KindSource, n.Kind)
		}
		if n.Kind == domain.KindSource {
			im.texts.find(ne, TextColumn, textName)
		}
		im.l.addNode(ne)
	}
}

func (im *csvImport) readEdges(f CSVFile) {
	t := im.readTable(f, export.EdgeColumns(), []string{"source", "target", "type", "confidence", "evidence"})
	if t == nil {
		return
	}
	for row := range t.rows {
		peek := &position{lines: map[string]int{}}
		label := fmt.Sprintf("row %d", row+1)
		if id := t.cell(row, "id", peek); id != "" {
			label = "relation " + id
		} else if from, typ, to := t.cell(row, "source", peek), t.cell(row, "type", peek), t.cell(row, "target", peek); from != "" && typ != "" && to != "" {
			label = "relation " + domain.RelationID(from, domain.RelationType(typ), to)
		}
		pos := t.position(row, label)
		c := func(column string) string { return t.cell(row, column, &pos) }
		r := &domain.Relation{
			ID: c("id"), Type: domain.RelationType(c("type")), From: c("source"), To: c("target"),
			Role: c("role"), Status: c("status"), Start: domain.PartialDate(c("start")), End: domain.PartialDate(c("end")),
			Confidence: domain.Confidence(c("confidence")), Note: c("note"),
		}
		// The domain names the ends from and to; the table, source and target.
		for field, column := range map[string]string{"from": "source", "to": "target"} {
			if line, ok := pos.lines[column]; ok {
				pos.lines[field] = line
			}
		}
		idGiven := r.ID != ""
		if !idGiven && r.From != "" && r.To != "" && r.Type != "" {
			r.ID = domain.RelationID(r.From, r.Type, r.To)
		}
		evidence := c("evidence")
		evLine := pos.lines["evidence"]
		for i, line := range strings.Split(evidence, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			field := fmt.Sprintf("evidence[%d]", len(r.Evidence))
			pos.lines[field] = evLine + i
			e, err := export.ParseEvidenceLine(strings.TrimRight(line, "\r"))
			if err != nil {
				im.l.add(t.file, evLine+i, "%s: %s: %v", label, field, err)
				pos.bad[field] = true
			}
			r.Evidence = append(r.Evidence, e)
		}
		if u := c("undated"); u != "" && u != fmt.Sprint(r.Undated()) {
			im.l.add(t.file, pos.lineOf("undated"), "%s: undated: %q, but the relation has start %q and end %q", label, u, r.Start, r.End)
		}
		im.l.addRelation(&relationEntry{position: pos, rel: r, idGiven: idGiven})
	}
}

// readStatements reads statements.csv: one statement a row, what it is
// about joined with "; " as the export writes it.
func (im *csvImport) readStatements(f CSVFile) {
	t := im.readTable(f, export.StatementColumns(), []string{"speaker", "about", "stance", "source", "quote"})
	if t == nil {
		return
	}
	for row := range t.rows {
		peek := &position{lines: map[string]int{}}
		label := fmt.Sprintf("row %d", row+1)
		if id := t.cell(row, "id", peek); id != "" {
			label = "statement " + id
		} else if speaker, quote := t.cell(row, "speaker", peek), t.cell(row, "quote", peek); speaker != "" && strings.TrimSpace(quote) != "" {
			label = "statement " + domain.StatementID(speaker, quote)
		}
		pos := t.position(row, label)
		c := func(column string) string { return t.cell(row, column, &pos) }
		st := &domain.Statement{
			ID: c("id"), Speaker: c("speaker"), OnBehalfOf: c("onBehalfOf"),
			Stance: domain.Stance(c("stance")), Date: domain.PartialDate(c("date")), Event: c("event"),
			Confidence: domain.Confidence(c("confidence")), Note: c("note"),
			Evidence: domain.Evidence{SourceID: c("source"), Quote: c("quote")},
		}
		for _, about := range strings.Split(c("about"), ";") {
			if about = strings.TrimSpace(about); about != "" {
				st.About = append(st.About, about)
			}
		}
		idGiven := st.ID != ""
		if !idGiven && st.Speaker != "" && strings.TrimSpace(st.Evidence.Quote) != "" {
			st.ID = domain.StatementID(st.Speaker, st.Evidence.Quote)
		}
		im.l.addStatementEntry(&statementEntry{position: pos, st: st, idGiven: idGiven})
	}
}

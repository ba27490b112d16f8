package dataset

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// The files WriteDir writes: one per kind, named like the shipped ones,
// and one for every relation.
var kindFiles = map[domain.Kind]string{
	domain.KindCountry: "countries.yaml", domain.KindOrganization: "organizations.yaml",
	domain.KindPerson: "people.yaml", domain.KindProgramme: "programmes.yaml", domain.KindTopic: "topics.yaml",
	domain.KindEvent: "events.yaml", domain.KindAgreement: "agreements.yaml", domain.KindSource: "sources.yaml",
}

const (
	relationsFile  = "relations.yaml"
	statementsFile = "statements.yaml"
)

// yamlNode and the types below are an entry as the file format spells it,
// fields in the order the shipped files use.
type yamlNode struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Aliases     []string `yaml:"aliases,omitempty"`
	Description string   `yaml:"description,omitempty"`
	OrgType     string   `yaml:"orgType,omitempty"`
	ISOCode     string   `yaml:"isoCode,omitempty"`
	Title       string   `yaml:"title,omitempty"`
	Scope       string   `yaml:"scope,omitempty"`
	Budget      string   `yaml:"budget,omitempty"`
	Location    string   `yaml:"location,omitempty"`
	Status      string   `yaml:"status,omitempty"`
	Start       string   `yaml:"start,omitempty"`
	End         string   `yaml:"end,omitempty"`
	URL         string   `yaml:"url,omitempty"`
	Publisher   string   `yaml:"publisher,omitempty"`
	Language    string   `yaml:"language,omitempty"`
	Text        string   `yaml:"text,omitempty"`
}

type yamlRelation struct {
	ID         string         `yaml:"id,omitempty"`
	Type       string         `yaml:"type"`
	From       string         `yaml:"from"`
	To         string         `yaml:"to"`
	Role       string         `yaml:"role,omitempty"`
	Status     string         `yaml:"status,omitempty"`
	Start      string         `yaml:"start,omitempty"`
	End        string         `yaml:"end,omitempty"`
	Confidence string         `yaml:"confidence"`
	Note       string         `yaml:"note,omitempty"`
	Evidence   []yamlEvidence `yaml:"evidence"`
}

type yamlStatement struct {
	ID         string   `yaml:"id"`
	Speaker    string   `yaml:"speaker"`
	OnBehalfOf string   `yaml:"onBehalfOf,omitempty"`
	About      []string `yaml:"about"`
	Stance     string   `yaml:"stance"`
	Date       string   `yaml:"date,omitempty"`
	Event      string   `yaml:"event,omitempty"`
	Confidence string   `yaml:"confidence"`
	Note       string   `yaml:"note,omitempty"`
	Source     string   `yaml:"source"`
	Quote      string   `yaml:"quote"`
}

type yamlEvidence struct {
	Source string `yaml:"source"`
	Quote  string `yaml:"quote"`
}

// WriteDir writes d as a dataset directory in the shipped format: a YAML
// file per kind, relations.yaml, and the source texts under sources/.
// header is written as a comment at the top of each YAML file. dir must not
// exist or be empty; the files are written beside it and moved into place
// only once the written dataset loads back as d, so a failed write leaves
// nothing behind.
func WriteDir(d *Dataset, dir, header string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return domain.Errorf(domain.EINVALID, "%s is not empty: write the dataset to a new directory", dir)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return domain.WrapError(domain.EINVALID, err, "cannot create %s", parent)
	}
	tmp, err := os.MkdirTemp(parent, ".stakegraph-dataset-")
	if err != nil {
		return domain.WrapError(domain.EINVALID, err, "cannot write beside %s", dir)
	}
	defer os.RemoveAll(tmp) // gone after the rename; left over only on failure
	files, err := d.files(header)
	if err != nil {
		return err
	}
	for name, content := range files {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return domain.WrapError(domain.EINTERNAL, err, "cannot write %s", name)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return domain.WrapError(domain.EINTERNAL, err, "cannot write %s", name)
		}
	}
	back, err := LoadFilesDataset(tmp)
	if err != nil {
		return domain.WrapError(domain.EINTERNAL, err, "the written dataset does not load back")
	}
	if !reflect.DeepEqual(back.Graph, d.Graph) {
		return domain.Errorf(domain.EINTERNAL, "the written dataset loads back as another graph")
	}
	_ = os.Remove(dir) // an empty directory is replaced
	if err := os.Rename(tmp, dir); err != nil {
		return domain.WrapError(domain.EINVALID, err, "cannot move the dataset to %s", dir)
	}
	return nil
}

// files renders d as the files of a dataset directory, by relative path.
func (d *Dataset) files(header string) (map[string][]byte, error) {
	byKind := map[domain.Kind][]yamlNode{}
	for _, n := range d.Graph.Nodes {
		byKind[n.Kind] = append(byKind[n.Kind], yamlNode{
			ID: n.ID, Name: n.Name, Aliases: n.Aliases, Description: n.Description, OrgType: string(n.OrgType),
			ISOCode: n.ISOCode, Title: n.Title, Scope: n.Scope, Budget: n.Budget, Location: n.Location,
			Status: n.Status, Start: string(n.Start), End: string(n.End), URL: n.URL, Publisher: n.Publisher, Language: n.Language,
			Text: d.SourceFiles[n.ID],
		})
	}
	out := map[string][]byte{}
	for kind, nodes := range byKind {
		b, err := yamlFile(header, "nodes", nodes)
		if err != nil {
			return nil, err
		}
		out[kindFiles[kind]] = b
	}
	rels := make([]yamlRelation, 0, len(d.Graph.Relations))
	for _, r := range d.Graph.Relations {
		yr := yamlRelation{Type: string(r.Type), From: r.From, To: r.To, Role: r.Role, Status: r.Status,
			Start: string(r.Start), End: string(r.End), Confidence: string(r.Confidence), Note: r.Note}
		if r.ID != domain.RelationID(r.From, r.Type, r.To) {
			yr.ID = r.ID
		}
		for _, e := range r.Evidence {
			yr.Evidence = append(yr.Evidence, yamlEvidence{Source: e.SourceID, Quote: e.Quote})
		}
		rels = append(rels, yr)
	}
	if len(rels) > 0 {
		b, err := yamlFile(header, "relations", rels)
		if err != nil {
			return nil, err
		}
		out[relationsFile] = b
	}
	sts := make([]yamlStatement, 0, len(d.Graph.Statements))
	for _, st := range d.Graph.Statements {
		sts = append(sts, yamlStatement{ID: st.ID, Speaker: st.Speaker, OnBehalfOf: st.OnBehalfOf, About: st.About,
			Stance: string(st.Stance), Date: string(st.Date), Event: st.Event, Confidence: string(st.Confidence),
			Note: st.Note, Source: st.Evidence.SourceID, Quote: st.Evidence.Quote})
	}
	if len(sts) > 0 {
		b, err := yamlFile(header, "statements", sts)
		if err != nil {
			return nil, err
		}
		out[statementsFile] = b
	}
	for _, id := range slices.Sorted(maps.Keys(d.SourceFiles)) {
		out[SourcesDir+"/"+d.SourceFiles[id]] = []byte(d.SourceTexts[id])
	}
	return out, nil
}

// yamlFile renders one dataset file holding a list under key.
func yamlFile(header, key string, list any) ([]byte, error) {
	var b bytes.Buffer
	for _, line := range bytes.Split([]byte(header), []byte("\n")) {
		fmt.Fprintf(&b, "# %s\n", line)
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(map[string]any{key: list}); err != nil {
		return nil, domain.WrapError(domain.EINTERNAL, err, "cannot render %s", key)
	}
	if err := enc.Close(); err != nil {
		return nil, domain.WrapError(domain.EINTERNAL, err, "cannot render %s", key)
	}
	return b.Bytes(), nil
}

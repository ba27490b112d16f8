// Package synth builds synthetic stakegraph datasets of any size for the
// scale benchmark (bench/): deterministic for a seed, valid under the
// domain's rules, with every kind and relation type, skewed degrees (a few
// hubs, many nodes with a handful of relations) and evidence quotes that
// occur verbatim in generated source texts.
//
// The shape: non-source nodes are dealt into small communities. Part of the
// relations join two members of one community (local structure, so most
// nodes have small neighbourhoods); the rest pick each end by a power-law
// weight of the node's rank (Chung–Lu style), which makes a few nodes of
// every kind hubs. Every non-source node gets at least one relation.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// Options says what to generate. Zero fields take the defaults below.
type Options struct {
	Nodes int    // total nodes, sources included; at least MinNodes
	Seed  uint64 // same seed and options, same dataset
	// RelationsPerNode is relations ÷ nodes (default 10, as in issue 8's
	// 100k nodes / 1M relations).
	RelationsPerNode float64
	// LocalShare is the share of relations inside one community (default 0.6).
	LocalShare float64
	// Skew is the exponent α of the rank weight (rank+1)^-α that picks the
	// ends of the other relations (default 0.8): higher means bigger hubs.
	Skew float64
}

// MinNodes is the smallest graph that holds two nodes of every kind.
const MinNodes = 50

const (
	defaultRelationsPerNode = 10
	defaultLocalShare       = 0.6
	defaultSkew             = 0.8
	communitySize           = 24 // mean; sizes vary from half to one and a half of it
	sentencesPerSource      = 20
)

// kindShares is the share of each kind among the nodes; Organization takes
// what is left.
var kindShares = []struct {
	kind  domain.Kind
	share float64
}{
	{domain.KindCountry, 0.03}, {domain.KindPerson, 0.25}, {domain.KindProgramme, 0.10},
	{domain.KindTopic, 0.02}, {domain.KindEvent, 0.18}, {domain.KindAgreement, 0.06}, {domain.KindSource, 0.04},
}

// typeWeights is how often each relation type is drawn; every type appears.
var typeWeights = map[domain.RelationType]float64{
	domain.RelMemberOf: 6, domain.RelPartOf: 8, domain.RelHoldsPosition: 8, domain.RelRepresents: 5,
	domain.RelParticipatesIn: 15, domain.RelAttended: 15, domain.RelChaired: 3, domain.RelFunds: 6,
	domain.RelImplements: 6, domain.RelSupports: 5, domain.RelAddresses: 8, domain.RelPartyTo: 5,
	domain.RelCooperatesWith: 10, domain.RelReviewed: 3, domain.RelVisited: 3, domain.RelSucceededBy: 2,
}

// successionKinds are the kinds SUCCEEDED_BY is drawn between.
var successionKinds = []domain.Kind{domain.KindOrganization, domain.KindPerson, domain.KindProgramme,
	domain.KindEvent, domain.KindAgreement, domain.KindCountry, domain.KindTopic}

// Generate builds the dataset: the graph (nodes and relations ordered by
// ID, as the loader returns them) and one text per source.
func Generate(opts Options) (*dataset.Dataset, error) {
	if opts.Nodes < MinNodes {
		return nil, domain.Errorf(domain.EINVALID, "nodes %d is too small: use at least %d", opts.Nodes, MinNodes)
	}
	if opts.RelationsPerNode == 0 {
		opts.RelationsPerNode = defaultRelationsPerNode
	}
	if opts.LocalShare == 0 {
		opts.LocalShare = defaultLocalShare
	}
	if opts.Skew == 0 {
		opts.Skew = defaultSkew
	}
	if opts.RelationsPerNode < 1 || opts.RelationsPerNode > 100 {
		return nil, domain.Errorf(domain.EINVALID, "relations per node %g is out of range: use 1 to 100", opts.RelationsPerNode)
	}
	if opts.LocalShare < 0 || opts.LocalShare > 1 {
		return nil, domain.Errorf(domain.EINVALID, "local share %g is out of range: use 0 to 1", opts.LocalShare)
	}
	if opts.Skew < 0 || opts.Skew > 3 {
		return nil, domain.Errorf(domain.EINVALID, "skew %g is out of range: use 0 to 3", opts.Skew)
	}
	g := &generator{opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, uint64(opts.Nodes)))}
	g.makeNodes()
	g.makeSources()
	g.makeCommunities()
	g.makeWeights()
	g.makeRelations()
	return g.dataset(), nil
}

type generator struct {
	opts Options
	rng  *rand.Rand

	nodes  []*domain.Node
	byKind map[domain.Kind][]int // kind → node indexes
	// community of each non-source node, and each community's members by kind.
	community   []int
	communities []map[domain.Kind][]int
	// cumulative rank weights per kind, parallel to byKind.
	cumWeight map[domain.Kind][]float64

	sources   []int               // node indexes of the sources
	sentences map[string][]string // source ID → its sentences
	texts     map[string]string
	files     map[string]string

	relations []*domain.Relation
	seen      map[string]bool // relation IDs taken
}

func (g *generator) makeNodes() {
	n := g.opts.Nodes
	counts := map[domain.Kind]int{}
	rest := n
	for _, ks := range kindShares {
		c := max(2, int(math.Round(ks.share*float64(n))))
		counts[ks.kind] = c
		rest -= c
	}
	counts[domain.KindOrganization] = rest
	g.byKind = map[domain.Kind][]int{}
	for _, kind := range domain.Kinds {
		for i := range counts[kind] {
			node := g.node(kind, i)
			g.byKind[kind] = append(g.byKind[kind], len(g.nodes))
			g.nodes = append(g.nodes, node)
		}
	}
}

// Word lists the synthetic names and texts are made of.
var (
	adjectives = []string{"Andean", "Atlantic", "Boreal", "Central", "Coastal", "Eastern", "Federal", "Highland",
		"Insular", "Joint", "Lowland", "Maritime", "Northern", "Pacific", "Regional", "Southern", "Tropical",
		"United", "Western", "Amber", "Cobalt", "Crimson", "Golden", "Silver", "Verdant", "Azure", "Granite"}
	nouns = []string{"Border", "Customs", "Harbour", "Justice", "Police", "Prison", "Security", "Finance",
		"Intelligence", "Coastguard", "Forensics", "Migration", "Training", "Defence", "Cyber", "Firearms",
		"Narcotics", "Rights", "Aviation", "Corridor", "Archive", "Registry", "Network", "Resilience"}
	orgWords   = []string{"Agency", "Ministry", "Directorate", "Institute", "Office", "Council", "Unit", "Service", "Foundation", "Alliance"}
	givenNames = []string{"Ana", "Bruno", "Carla", "Diego", "Elena", "Felipe", "Greta", "Hugo", "Ines", "Jonas",
		"Karin", "Luis", "Marta", "Nils", "Olga", "Pablo", "Rosa", "Stefan", "Teresa", "Viktor", "Wanda", "Ximena"}
	familyNames = []string{"Almeida", "Berger", "Castro", "Dumont", "Egger", "Ferreira", "Garcia", "Horvath",
		"Iglesias", "Jansen", "Kowalski", "Lindqvist", "Moreno", "Novak", "Oliveira", "Petrov", "Quintero",
		"Rossi", "Suarez", "Toth", "Urbina", "Varga", "Weber", "Zamora"}
	topicWords = []string{"Organised Crime", "Maritime Security", "Money Laundering", "Drug Trafficking",
		"Human Trafficking", "Cybercrime", "Prison Reform", "Border Management", "Firearms Control",
		"Judicial Cooperation", "Police Training", "Port Security", "Corruption", "Environmental Crime"}
	verbs = []string{"reviewed", "funded", "assessed", "signed", "launched", "extended", "audited", "discussed",
		"endorsed", "renewed", "coordinated", "monitored"}
	titles   = []string{"Minister", "Director", "Ambassador", "Commissioner", "Head of Unit", "Programme Officer", "Adviser", "Prosecutor"}
	statuses = []string{"negotiating", "signed", "in force", "ended"}
	scopes   = []string{"bilateral", "regional", "global"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
)

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// node makes the i-th node of a kind. The number in every name keeps names
// and IDs unique.
func (g *generator) node(kind domain.Kind, i int) *domain.Node {
	r := g.rng
	n := &domain.Node{Kind: kind}
	num := i + 1
	switch kind {
	case domain.KindCountry:
		n.Name = fmt.Sprintf("Republic of %s %s %d", pick(r, adjectives), pick(r, nouns), num)
		if i < 26*26 {
			n.ISOCode = string([]byte{byte('A' + i/26), byte('A' + i%26)})
		}
	case domain.KindOrganization:
		n.Name = fmt.Sprintf("%s %s %s %d", pick(r, adjectives), pick(r, nouns), pick(r, orgWords), num)
		n.OrgType = pick(r, domain.OrgTypes)
		if r.IntN(10) == 0 {
			n.Aliases = []string{acronym(n.Name) + fmt.Sprint(num)}
		}
	case domain.KindPerson:
		n.Name = fmt.Sprintf("%s %s %d", pick(r, givenNames), pick(r, familyNames), num)
		n.Title = pick(r, titles)
	case domain.KindProgramme:
		n.Name = fmt.Sprintf("%s %s Programme %d", pick(r, adjectives), pick(r, nouns), num)
		n.Scope = pick(r, scopes)
		n.Budget = fmt.Sprintf("EUR %dM", 1+r.IntN(90))
		n.Start, n.End = g.period()
	case domain.KindTopic:
		n.Name = fmt.Sprintf("%s %d", pick(r, topicWords), num)
	case domain.KindEvent:
		n.Name = fmt.Sprintf("%s %s Round Table %d", pick(r, adjectives), pick(r, nouns), num)
		n.Location = fmt.Sprintf("%s City", pick(r, adjectives))
		n.Start = g.day()
	case domain.KindAgreement:
		n.Name = fmt.Sprintf("%s %s Agreement %d", pick(r, adjectives), pick(r, nouns), num)
		n.Status = pick(r, statuses)
		n.Start = g.month()
	case domain.KindSource:
		n.Name = fmt.Sprintf("%s %s Bulletin %d", pick(r, adjectives), pick(r, nouns), num)
		n.URL = fmt.Sprintf("https://example.org/synthetic/source-%d", num)
		n.Publisher = fmt.Sprintf("%s Press", pick(r, adjectives))
	}
	n.ID = kind.Prefix() + ":" + slug(n.Name)
	n.Description = fmt.Sprintf("Synthetic %s made for the scale benchmark.", strings.ToLower(string(kind)))
	return n
}

func acronym(name string) string {
	var b strings.Builder
	for w := range strings.FieldsSeq(name) {
		if c := w[0]; c >= 'A' && c <= 'Z' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// slug turns a name of ASCII letters, digits and spaces into an ID slug.
func slug(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), "-")
}

func (g *generator) year() int { return 2000 + g.rng.IntN(26) }

func (g *generator) month() domain.PartialDate {
	return domain.PartialDate(fmt.Sprintf("%d-%02d", g.year(), 1+g.rng.IntN(12)))
}

func (g *generator) day() domain.PartialDate {
	return domain.PartialDate(fmt.Sprintf("%d-%02d-%02d", g.year(), 1+g.rng.IntN(12), 1+g.rng.IntN(28)))
}

// period is a start and an end after it, each sometimes unknown.
func (g *generator) period() (start, end domain.PartialDate) {
	switch g.rng.IntN(4) {
	case 0:
		return "", ""
	case 1:
		return g.month(), ""
	}
	y := g.year()
	start = domain.PartialDate(fmt.Sprintf("%d-%02d", y, 1+g.rng.IntN(12)))
	return start, domain.PartialDate(fmt.Sprint(y + 1 + g.rng.IntN(6)))
}

// makeSources writes each source's text: numbered sentences, unique to the
// source, that the evidence quotes are drawn from.
func (g *generator) makeSources() {
	g.sources = g.byKind[domain.KindSource]
	g.sentences = map[string][]string{}
	g.texts = map[string]string{}
	g.files = map[string]string{}
	for i, idx := range g.sources {
		src := g.nodes[idx]
		var sentences []string
		var text strings.Builder
		fmt.Fprintf(&text, "%s\n\n", src.Name)
		for j := range sentencesPerSource {
			s := fmt.Sprintf("In %s %d the %s %s working group %s item %d of bulletin %d.",
				pick(g.rng, months), g.year(), strings.ToLower(pick(g.rng, adjectives)),
				strings.ToLower(pick(g.rng, nouns)), pick(g.rng, verbs), j+1, i+1)
			sentences = append(sentences, s)
			text.WriteString(s)
			if j%4 == 3 {
				text.WriteString("\n\n")
			} else {
				text.WriteString(" ")
			}
		}
		g.sentences[src.ID] = sentences
		g.texts[src.ID] = text.String()
		g.files[src.ID] = fmt.Sprintf("synthetic-%05d.txt", i+1)
	}
}

// makeCommunities deals the non-source nodes, shuffled, into communities.
func (g *generator) makeCommunities() {
	var members []int
	for _, kind := range domain.Kinds {
		if kind != domain.KindSource {
			members = append(members, g.byKind[kind]...)
		}
	}
	g.rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	g.community = make([]int, len(g.nodes))
	for start := 0; start < len(members); {
		size := communitySize/2 + g.rng.IntN(communitySize+1)
		end := min(start+size, len(members))
		c := map[domain.Kind][]int{}
		for _, idx := range members[start:end] {
			g.community[idx] = len(g.communities)
			c[g.nodes[idx].Kind] = append(c[g.nodes[idx].Kind], idx)
		}
		g.communities = append(g.communities, c)
		start = end
	}
}

// makeWeights gives every node a weight (rank+1)^-Skew, the rank being its
// place in a random order of its kind, and keeps the running sums per kind.
func (g *generator) makeWeights() {
	g.cumWeight = map[domain.Kind][]float64{}
	for _, kind := range domain.Kinds {
		idxs := g.byKind[kind]
		ranks := g.rng.Perm(len(idxs))
		cum := make([]float64, len(idxs))
		total := 0.0
		for i := range idxs {
			total += math.Pow(float64(ranks[i]+1), -g.opts.Skew)
			cum[i] = total
		}
		g.cumWeight[kind] = cum
	}
}

// byWeight picks a node of kind with probability proportional to its weight.
func (g *generator) byWeight(kind domain.Kind) int {
	cum := g.cumWeight[kind]
	x := g.rng.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	return g.byKind[kind][min(i, len(cum)-1)]
}

// endKinds returns the kinds a relation of type t may join.
func endKinds(t domain.RelationType) (from, to []domain.Kind) {
	if t == domain.RelSucceededBy {
		return successionKinds, successionKinds
	}
	from, to, _ = domain.EndKinds(t)
	return from, to
}

func (g *generator) makeRelations() {
	target := int(math.Round(g.opts.RelationsPerNode * float64(g.opts.Nodes)))
	g.seen = make(map[string]bool, target)
	types, cum := typeTable()
	drawType := func() domain.RelationType {
		i, _ := slices.BinarySearch(cum, g.rng.Float64()*cum[len(cum)-1])
		return types[min(i, len(types)-1)]
	}
	// Every non-source node first gets one relation inside its community
	// (or, when no partner of a fitting kind is there, to a weighted pick).
	for idx, n := range g.nodes {
		if n.Kind == domain.KindSource {
			continue
		}
		for range 20 {
			t := drawType()
			from, to := endKinds(t)
			var a, b int
			switch {
			case slices.Contains(from, n.Kind):
				a, b = idx, g.partner(idx, pickKind(g.rng, to, t, n.Kind))
			case slices.Contains(to, n.Kind):
				a, b = g.partner(idx, pickKind(g.rng, from, t, n.Kind)), idx
			default:
				continue
			}
			if g.add(t, a, b) {
				break
			}
		}
	}
	for attempts := 0; len(g.relations) < target && attempts < 20*target; attempts++ {
		t := drawType()
		from, to := endKinds(t)
		fromKind := pick(g.rng, from)
		toKind := pickKind(g.rng, to, t, fromKind)
		var a, b int
		if g.rng.Float64() < g.opts.LocalShare {
			if ms := g.communities[g.rng.IntN(len(g.communities))][fromKind]; len(ms) > 0 {
				a = pick(g.rng, ms)
			} else {
				a = g.byWeight(fromKind)
			}
			b = g.partner(a, toKind)
		} else {
			a, b = g.byWeight(fromKind), g.byWeight(toKind)
		}
		g.add(t, a, b)
	}
}

// typeTable lists the relation types with running sums of their weights.
func typeTable() ([]domain.RelationType, []float64) {
	types := domain.RelationTypes
	cum := make([]float64, len(types))
	total := 0.0
	for i, t := range types {
		total += typeWeights[t]
		cum[i] = total
	}
	return types, cum
}

// pickKind picks the kind of the other end; SUCCEEDED_BY keeps the kind.
func pickKind(r *rand.Rand, kinds []domain.Kind, t domain.RelationType, this domain.Kind) domain.Kind {
	if t == domain.RelSucceededBy {
		return this
	}
	return pick(r, kinds)
}

// partner picks a node of kind from idx's community, or by weight when the
// community has none.
func (g *generator) partner(idx int, kind domain.Kind) int {
	if ms := g.communities[g.community[idx]][kind]; len(ms) > 0 {
		return pick(g.rng, ms)
	}
	return g.byWeight(kind)
}

// add appends a relation of type t from node a to node b unless it would
// join a node to itself or repeat an ID; it reports whether it did.
func (g *generator) add(t domain.RelationType, a, b int) bool {
	if a == b {
		return false
	}
	from, to := g.nodes[a].ID, g.nodes[b].ID
	id := domain.RelationID(from, t, to)
	if g.seen[id] {
		return false
	}
	g.seen[id] = true
	r := &domain.Relation{ID: id, Type: t, From: from, To: to,
		Confidence: pick(g.rng, []domain.Confidence{domain.ConfidenceHigh, domain.ConfidenceHigh, domain.ConfidenceMedium, domain.ConfidenceLow})}
	if g.rng.IntN(5) < 3 {
		r.Start, r.End = g.period()
	}
	switch t {
	case domain.RelHoldsPosition:
		r.Role = pick(g.rng, titles)
	case domain.RelPartyTo:
		r.Status = pick(g.rng, statuses)
	}
	for range 1 + g.rng.IntN(3)/2 { // one piece of evidence, sometimes two
		src := g.nodes[pick(g.rng, g.sources)].ID
		r.Evidence = append(r.Evidence, domain.Evidence{SourceID: src, Quote: pick(g.rng, g.sentences[src])})
	}
	g.relations = append(g.relations, r)
	return true
}

// dataset orders the graph as the loader does and bundles the texts.
func (g *generator) dataset() *dataset.Dataset {
	graph := &domain.Graph{Nodes: slices.Clone(g.nodes), Relations: g.relations}
	slices.SortFunc(graph.Nodes, func(a, b *domain.Node) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(graph.Relations, func(a, b *domain.Relation) int { return strings.Compare(a.ID, b.ID) })
	return &dataset.Dataset{Graph: graph, SourceTexts: g.texts, SourceFiles: g.files}
}

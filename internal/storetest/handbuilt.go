package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// HandGraph is a small graph whose answers the tests below spell out by hand:
//
//	aa ─r01,r02─ bb ─r03─ zz      two parallel relations aa–bb
//	aa ─r04─ cc ─r05─ zz          bb ─r10─ cc
//	aa ─r06─ pp ─r07─ dd ─r08─ zz pp and ee address topic tt
//	dd ─r11─ ee ─r12─ zz
//	aa, yy ─r14..r17─ gg          negotiating 2023-09 .. 2023-10-26, then signed
//	xx ─r19─ yy                   2023-08-15 .. 2023-09 (a month: ends on its last day)
//	vv ─r20─ ww                   ended in 2022, start unknown
//
// Relation IDs are chosen so that ID order is easy to follow.
func HandGraph() *domain.Graph {
	node := func(id string, start domain.PartialDate) *domain.Node {
		kind, slug, _ := domain.ParseID(id)
		n := &domain.Node{ID: id, Kind: kind, Name: strings.ToUpper(slug), Start: start}
		if kind == domain.KindOrganization {
			n.OrgType = domain.OrgGovernmentAgency
		}
		return n
	}
	rel := func(id, from string, t domain.RelationType, to, status string, start, end domain.PartialDate) *domain.Relation {
		return &domain.Relation{ID: id, Type: t, From: from, To: to, Status: status, Start: start, End: end,
			Confidence: domain.ConfidenceHigh, Evidence: []domain.Evidence{{SourceID: "source:hand", Quote: "by hand"}}}
	}
	const (
		aa, zz, yy     = "country:aa", "country:zz", "country:yy"
		bb, cc, dd     = "organization:bb", "organization:cc", "organization:dd"
		pp, ee, gg, xx = "programme:pp", "event:ee", "agreement:gg", "person:xx"
		tt, uu         = "topic:tt", "topic:uu"
		vv, ww         = "person:vv", "organization:ww"
	)
	return &domain.Graph{
		Nodes: []*domain.Node{
			node(aa, ""), node(zz, ""), node(yy, ""), node(bb, ""), node(cc, ""), node(dd, ""),
			node(pp, ""), node(ee, "2023-09-01"), node(gg, ""), node(xx, ""), node(tt, ""), node(uu, ""),
			node(vv, ""), node(ww, ""), node("source:hand", ""),
		},
		Relations: []*domain.Relation{
			rel("r01", aa, domain.RelCooperatesWith, bb, "", "", ""),
			rel("r02", aa, domain.RelMemberOf, bb, "", "", ""),
			rel("r03", bb, domain.RelCooperatesWith, zz, "", "", ""),
			rel("r04", aa, domain.RelCooperatesWith, cc, "", "", ""),
			rel("r05", zz, domain.RelCooperatesWith, cc, "", "", ""),
			rel("r06", aa, domain.RelParticipatesIn, pp, "", "", ""),
			rel("r07", dd, domain.RelParticipatesIn, pp, "", "", ""),
			rel("r08", dd, domain.RelCooperatesWith, zz, "", "", ""),
			rel("r09", pp, domain.RelAddresses, tt, "", "", ""),
			rel("r10", bb, domain.RelCooperatesWith, cc, "", "", ""),
			rel("r11", dd, domain.RelAttended, ee, "", "", ""),
			rel("r12", zz, domain.RelAttended, ee, "", "", ""),
			rel("r13", ee, domain.RelAddresses, tt, "", "", ""),
			rel("r14", aa, domain.RelPartyTo, gg, "negotiating", "2023-09", "2023-10-26"),
			rel("r15", aa, domain.RelPartyTo, gg, "signed", "2023-10-26", ""),
			rel("r16", yy, domain.RelPartyTo, gg, "negotiating", "2023-09", "2023-10-26"),
			rel("r17", yy, domain.RelPartyTo, gg, "signed", "2023-10-26", ""),
			rel("r18", gg, domain.RelAddresses, uu, "", "", ""),
			rel("r19", xx, domain.RelVisited, yy, "", "2023-08-15", "2023-09"),
			rel("r20", vv, domain.RelHoldsPosition, ww, "", "", "2022"),
		},
	}
}

// short drops an ID's kind prefix, to keep hand-written expectations short.
func short(id string) string {
	_, slug, ok := strings.Cut(id, ":")
	if !ok {
		return id
	}
	return slug
}

// shortPath writes a path as "node node … | rel rel …" with short IDs.
func shortPath(p *domain.Path) string {
	var b strings.Builder
	for _, n := range p.Nodes {
		b.WriteString(short(n.ID) + " ")
	}
	b.WriteString("|")
	for _, r := range p.Relations {
		b.WriteString(" " + r.ID)
	}
	return b.String()
}

func testHandBuilt(ctx context.Context, t *testing.T, open OpenFunc) {
	g := HandGraph()
	if err := g.Validate(); err != nil {
		t.Fatalf("hand-built graph: %v", err)
	}
	s := open(t, g)
	ref := newReference(g)
	t.Run("Version", func(t *testing.T) {
		testVersion(ctx, t, s, g)
		if g.Version() == ShippedGraph(t).Version() {
			t.Fatalf("hand-built and shipped graphs share a version")
		}
	})
	t.Run("Paths", func(t *testing.T) { testHandPaths(ctx, t, s, ref) })
	t.Run("Neighborhood", func(t *testing.T) { testHandNeighborhood(ctx, t, s, ref) })
	t.Run("Graph", func(t *testing.T) { testHandGraph(ctx, t, s, ref) })
	t.Run("Cooperation", func(t *testing.T) { testHandCooperation(ctx, t, s, ref) })
	t.Run("CommonConnections", func(t *testing.T) { testHandCommonConnections(ctx, t, s, ref) })
	t.Run("CoParticipation", func(t *testing.T) { testHandCoParticipation(ctx, t, s, ref) })
	t.Run("Timeline", func(t *testing.T) { testHandTimeline(ctx, t, s, ref) })
	t.Run("ReferenceSweep", func(t *testing.T) { testHandSweep(ctx, t, s, ref) })
}

func testHandPaths(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	const aa, zz, yy = "country:aa", "country:zz", "country:yy"
	q := func(mode domain.PathMode, from, to string, hops, limit int) domain.PathQuery {
		return domain.PathQuery{From: from, To: to, Mode: mode, MaxHops: hops, Limit: limit}
	}
	with := func(p domain.PathQuery, f func(*domain.PathQuery)) domain.PathQuery { f(&p); return p }
	cases := []struct {
		name string
		q    domain.PathQuery
		want []string
	}{
		{"shortest: parallel relations make two paths, ordered by relation ID",
			q(domain.PathShortest, aa, zz, 6, 10),
			[]string{"aa bb zz | r01 r03", "aa bb zz | r02 r03", "aa cc zz | r04 r05"}},
		{"shortest: the cut falls between parallel paths",
			q(domain.PathShortest, aa, zz, 6, 1),
			[]string{"aa bb zz | r01 r03"}},
		{"shortest: too few hops find nothing",
			q(domain.PathShortest, aa, zz, 1, 10), nil},
		{"k-shortest: all of length 2, then the first of length 3 by node IDs",
			q(domain.PathKShortest, aa, zz, 4, 4),
			[]string{"aa bb zz | r01 r03", "aa bb zz | r02 r03", "aa cc zz | r04 r05", "aa bb cc zz | r01 r10 r05"}},
		{"k-shortest: a tie at the cut is broken by relation IDs",
			q(domain.PathKShortest, aa, zz, 4, 5),
			[]string{"aa bb zz | r01 r03", "aa bb zz | r02 r03", "aa cc zz | r04 r05", "aa bb cc zz | r01 r10 r05", "aa bb cc zz | r02 r10 r05"}},
		{"k-shortest: every path up to 3 hops",
			q(domain.PathKShortest, aa, zz, 3, 100),
			[]string{"aa bb zz | r01 r03", "aa bb zz | r02 r03", "aa cc zz | r04 r05",
				"aa bb cc zz | r01 r10 r05", "aa bb cc zz | r02 r10 r05", "aa cc bb zz | r04 r10 r03", "aa pp dd zz | r06 r07 r08"}},
		{"all simple: route order, country:zz sorts before organization:cc",
			q(domain.PathAllSimple, aa, zz, 3, 100),
			[]string{"aa bb zz | r01 r03", "aa bb zz | r02 r03", "aa bb cc zz | r01 r10 r05", "aa bb cc zz | r02 r10 r05",
				"aa cc zz | r04 r05", "aa cc bb zz | r04 r10 r03", "aa pp dd zz | r06 r07 r08"}},
		{"all simple: limit cuts in route order",
			q(domain.PathAllSimple, aa, zz, 3, 3),
			[]string{"aa bb zz | r01 r03", "aa bb zz | r02 r03", "aa bb cc zz | r01 r10 r05"}},
		{"all simple: four hops add the routes through the event",
			q(domain.PathAllSimple, aa, zz, 4, 100),
			[]string{"aa bb zz | r01 r03", "aa bb zz | r02 r03", "aa bb cc zz | r01 r10 r05", "aa bb cc zz | r02 r10 r05",
				"aa cc zz | r04 r05", "aa cc bb zz | r04 r10 r03", "aa pp dd zz | r06 r07 r08", "aa pp dd ee zz | r06 r07 r11 r12",
				"aa pp tt ee zz | r06 r09 r13 r12"}},
		{"avoid one node",
			with(q(domain.PathShortest, aa, zz, 6, 10), func(p *domain.PathQuery) { p.Avoid = []string{"organization:bb"} }),
			[]string{"aa cc zz | r04 r05"}},
		{"avoid two nodes: the shortest gets longer",
			with(q(domain.PathShortest, aa, zz, 6, 10), func(p *domain.PathQuery) { p.Avoid = []string{"organization:bb", "organization:cc"} }),
			[]string{"aa pp dd zz | r06 r07 r08"}},
		{"avoid three nodes",
			with(q(domain.PathKShortest, aa, zz, 4, 10), func(p *domain.PathQuery) {
				p.Avoid = []string{"organization:bb", "organization:cc", "organization:dd"}
			}),
			[]string{"aa pp tt ee zz | r06 r09 r13 r12"}},
		{"topic: only relations concerning tt, directly or through pp and ee",
			with(q(domain.PathShortest, aa, zz, 6, 10), func(p *domain.PathQuery) { p.Topics = []string{"topic:tt"} }),
			[]string{"aa pp dd ee zz | r06 r07 r11 r12", "aa pp tt ee zz | r06 r09 r13 r12"}},
		{"topic: nothing concerns uu between aa and zz",
			with(q(domain.PathShortest, aa, zz, 6, 10), func(p *domain.PathQuery) { p.Topics = []string{"topic:uu"} }), nil},
		{"topic: any of two topics",
			with(q(domain.PathAllSimple, aa, yy, 4, 10), func(p *domain.PathQuery) { p.Topics = []string{"topic:tt", "topic:uu"} }),
			[]string{"aa gg yy | r14 r16", "aa gg yy | r14 r17", "aa gg yy | r15 r16", "aa gg yy | r15 r17"}},
		{"asOf during the negotiation",
			with(q(domain.PathShortest, aa, yy, 4, 10), func(p *domain.PathQuery) { p.AsOf = "2023-09-27" }),
			[]string{"aa gg yy | r14 r16"}},
		{"asOf the day before the signing",
			with(q(domain.PathKShortest, aa, yy, 4, 10), func(p *domain.PathQuery) { p.AsOf = "2023-10-25" }),
			[]string{"aa gg yy | r14 r16"}},
		{"asOf the signing day: the ending relation is gone, the starting one holds",
			with(q(domain.PathShortest, aa, yy, 4, 10), func(p *domain.PathQuery) { p.AsOf = "2023-10-26" }),
			[]string{"aa gg yy | r15 r17"}},
		{"asOf a month reads as its first day",
			with(q(domain.PathAllSimple, aa, yy, 4, 10), func(p *domain.PathQuery) { p.AsOf = "2023-10" }),
			[]string{"aa gg yy | r14 r16"}},
		{"asOf the first day of a start given as a month",
			with(q(domain.PathShortest, aa, yy, 4, 10), func(p *domain.PathQuery) { p.AsOf = "2023-09-01" }),
			[]string{"aa gg yy | r14 r16"}},
		{"asOf before any party",
			with(q(domain.PathShortest, aa, yy, 4, 10), func(p *domain.PathQuery) { p.AsOf = "2023-08-31" }), nil},
		{"no asOf: every party relation, in any combination",
			q(domain.PathShortest, aa, yy, 4, 10),
			[]string{"aa gg yy | r14 r16", "aa gg yy | r14 r17", "aa gg yy | r15 r16", "aa gg yy | r15 r17"}},
		{"a relation ending with a month holds until the month's last day",
			with(q(domain.PathShortest, "person:xx", "agreement:gg", 4, 10), func(p *domain.PathQuery) { p.AsOf = "2023-09-29" }),
			[]string{"xx yy gg | r19 r16"}},
		{"and not on it",
			with(q(domain.PathShortest, "person:xx", "agreement:gg", 4, 10), func(p *domain.PathQuery) { p.AsOf = "2023-09-30" }), nil},
		{"relation types",
			with(q(domain.PathKShortest, aa, zz, 4, 10), func(p *domain.PathQuery) {
				p.RelationTypes = []domain.RelationType{domain.RelMemberOf, domain.RelCooperatesWith}
			}),
			[]string{"aa bb zz | r01 r03", "aa bb zz | r02 r03", "aa cc zz | r04 r05",
				"aa bb cc zz | r01 r10 r05", "aa bb cc zz | r02 r10 r05", "aa cc bb zz | r04 r10 r03"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			paths, err := s.Paths(ctx, c.q)
			noErr(t, err)
			compareRows(t, "paths", renderAll(paths, shortPath), c.want)
			// The reference must agree with the hand-written answer too.
			valid := c.q
			noErr(t, valid.Validate())
			compareRows(t, "reference paths", renderAll(ref.paths(valid), shortPath), c.want)
		})
	}
}

func testHandNeighborhood(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []struct {
		q                   domain.NeighborhoodQuery
		wantNodes, wantRels []string
	}{
		{domain.NeighborhoodQuery{Root: "agreement:gg", Depth: 1, AsOf: "2023-09-27"},
			[]string{"agreement:gg", "country:aa", "country:yy", "topic:uu"}, []string{"r14", "r16", "r18"}},
		{domain.NeighborhoodQuery{Root: "agreement:gg", Depth: 1, AsOf: "2023-10-26"},
			[]string{"agreement:gg", "country:aa", "country:yy", "topic:uu"}, []string{"r15", "r17", "r18"}},
		{domain.NeighborhoodQuery{Root: "agreement:gg", Depth: 1},
			[]string{"agreement:gg", "country:aa", "country:yy", "topic:uu"}, []string{"r14", "r15", "r16", "r17", "r18"}},
		{domain.NeighborhoodQuery{Root: "country:yy", Depth: 1, AsOf: "2023-09-30"},
			[]string{"agreement:gg", "country:yy"}, []string{"r16"}},
		{domain.NeighborhoodQuery{Root: "country:yy", Depth: 1, AsOf: "2023-09-29"},
			[]string{"agreement:gg", "country:yy", "person:xx"}, []string{"r16", "r19"}},
		{domain.NeighborhoodQuery{Root: "country:yy", Depth: 1, AsOf: "2023-09"},
			[]string{"agreement:gg", "country:yy", "person:xx"}, []string{"r16", "r19"}},
		{domain.NeighborhoodQuery{Root: "country:yy", Depth: 1, AsOf: "2023-08-15"},
			[]string{"country:yy", "person:xx"}, []string{"r19"}},
		{domain.NeighborhoodQuery{Root: "country:yy", Depth: 1, AsOf: "2023-08-14"},
			[]string{"country:yy"}, nil},
		// An end given as a year holds until the year's last day.
		{domain.NeighborhoodQuery{Root: "organization:ww", Depth: 1, AsOf: "2022-12-30"},
			[]string{"organization:ww", "person:vv"}, []string{"r20"}},
		{domain.NeighborhoodQuery{Root: "organization:ww", Depth: 1, AsOf: "2022-12-31"},
			[]string{"organization:ww"}, nil},
		{domain.NeighborhoodQuery{Root: "organization:ww", Depth: 1, AsOf: "1990"},
			[]string{"organization:ww", "person:vv"}, []string{"r20"}},
		{domain.NeighborhoodQuery{Root: "country:aa", Depth: 2, Topic: "topic:uu"},
			[]string{"agreement:gg", "country:aa", "country:yy", "topic:uu"}, []string{"r14", "r15", "r16", "r17", "r18"}},
		{domain.NeighborhoodQuery{Root: "country:aa", Depth: 2, Topic: "topic:uu", AsOf: "2023-10-27"},
			[]string{"agreement:gg", "country:aa", "country:yy", "topic:uu"}, []string{"r15", "r17", "r18"}},
		{domain.NeighborhoodQuery{Root: "country:aa", Depth: 1, Topic: "topic:tt"},
			[]string{"country:aa", "programme:pp"}, []string{"r06"}},
		{domain.NeighborhoodQuery{Root: "country:aa", Depth: 2, Topic: "topic:tt"},
			[]string{"country:aa", "organization:dd", "programme:pp", "topic:tt"}, []string{"r06", "r07", "r09"}},
		{domain.NeighborhoodQuery{Root: "country:aa", Depth: 3, Topic: "topic:tt"},
			[]string{"country:aa", "event:ee", "organization:dd", "programme:pp", "topic:tt"}, []string{"r06", "r07", "r09", "r11", "r13"}},
		// Kinds limit the nodes entered; the root is in whatever its kind.
		{domain.NeighborhoodQuery{Root: "country:aa", Depth: 2, Kinds: []domain.Kind{domain.KindOrganization}},
			[]string{"country:aa", "organization:bb", "organization:cc"}, []string{"r01", "r02", "r04", "r10"}},
	}
	for _, c := range cases {
		t.Run(neighborhoodName(c.q), func(t *testing.T) {
			sub, err := s.Neighborhood(ctx, c.q)
			noErr(t, err)
			checkSubgraph(t, ref, sub, c.wantNodes, c.wantRels)
			refNodes, refRels, refCapped := ref.neighborhood(c.q)
			compareRows(t, "reference nodes", orEmpty(refNodes), c.wantNodes)
			compareRows(t, "reference relations", orEmpty(refRels), c.wantRels)
			compareRows(t, "reference capped", refCapped, nil)
			compareRows(t, "capped", sub.Capped, nil)
		})
	}
}

func testHandGraph(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	allNodes := []string{"agreement:gg", "country:aa", "country:yy", "country:zz", "event:ee", "organization:bb", "organization:cc",
		"organization:dd", "organization:ww", "person:vv", "person:xx", "programme:pp", "source:hand", "topic:tt", "topic:uu"}
	without := func(ids ...string) []string {
		var out []string
		for i := 1; i <= 20; i++ {
			if id := fmt.Sprintf("r%02d", i); !slices.Contains(ids, id) {
				out = append(out, id)
			}
		}
		return out
	}
	cases := []struct {
		q                   domain.GraphQuery
		wantNodes, wantRels []string
	}{
		{domain.GraphQuery{}, allNodes, without()},
		{domain.GraphQuery{AsOf: "2023-09-27"}, allNodes, without("r15", "r17", "r20")},
		{domain.GraphQuery{AsOf: "2023-10-26"}, allNodes, without("r14", "r16", "r19", "r20")},
		{domain.GraphQuery{AsOf: "2023-08-01"}, allNodes, without("r14", "r15", "r16", "r17", "r19", "r20")},
		{domain.GraphQuery{AsOf: "2022-12-30"}, allNodes, without("r14", "r15", "r16", "r17", "r19")},
		{domain.GraphQuery{Topic: "topic:tt"},
			[]string{"country:aa", "country:zz", "event:ee", "organization:dd", "programme:pp", "topic:tt"},
			[]string{"r06", "r07", "r09", "r11", "r12", "r13"}},
		{domain.GraphQuery{Topic: "topic:tt", Kinds: []domain.Kind{domain.KindCountry, domain.KindProgramme, domain.KindTopic}},
			[]string{"country:aa", "programme:pp", "topic:tt"}, []string{"r06", "r09"}},
		{domain.GraphQuery{Topic: "topic:uu", AsOf: "2023-10-27"},
			[]string{"agreement:gg", "country:aa", "country:yy", "topic:uu"}, []string{"r15", "r17", "r18"}},
		// No relation is left between topics, yet the topic itself stays.
		{domain.GraphQuery{Topic: "topic:uu", Kinds: []domain.Kind{domain.KindTopic}}, []string{"topic:uu"}, nil},
		{domain.GraphQuery{Kinds: []domain.Kind{domain.KindCountry, domain.KindAgreement}, AsOf: "2023-09-27"},
			[]string{"agreement:gg", "country:aa", "country:yy", "country:zz"}, []string{"r14", "r16"}},
		{domain.GraphQuery{RelationTypes: []domain.RelationType{domain.RelPartyTo}, AsOf: "2023-10-27"}, allNodes, []string{"r15", "r17"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("kinds %v types %v topic %q asOf %q", c.q.Kinds, c.q.RelationTypes, c.q.Topic, c.q.AsOf), func(t *testing.T) {
			sub, err := s.Graph(ctx, c.q)
			noErr(t, err)
			checkSubgraph(t, ref, sub, c.wantNodes, c.wantRels)
			refNodes, refRels := ref.graph(c.q)
			compareRows(t, "reference nodes", orEmpty(refNodes), c.wantNodes)
			compareRows(t, "reference relations", orEmpty(refRels), c.wantRels)
		})
	}
}

func testHandCooperation(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []struct {
		q    domain.CooperationQuery
		want []string
	}{
		{domain.CooperationQuery{Actor: "country:aa", AsOf: "2023-09-27"}, []string{
			`country:yy via "agreement:gg" topics [topic:uu] relations [r14 r16]`,
			`organization:bb via "" topics [] relations [r01]`,
			`organization:cc via "" topics [] relations [r04]`,
			`organization:dd via "programme:pp" topics [topic:tt] relations [r06 r07]`,
		}},
		{domain.CooperationQuery{Actor: "country:aa", AsOf: "2023-10-27", Partner: "country:yy"}, []string{
			`country:yy via "agreement:gg" topics [topic:uu] relations [r15 r17]`,
		}},
		{domain.CooperationQuery{Actor: "country:aa", Partner: "country:yy"}, []string{
			`country:yy via "agreement:gg" topics [topic:uu] relations [r14 r15 r16 r17]`,
		}},
		{domain.CooperationQuery{Actor: "country:aa", AsOf: "2023-08-31", Topic: "topic:uu"}, nil},
		{domain.CooperationQuery{Actor: "country:yy", AsOf: "2023-10-26"}, []string{
			`country:aa via "agreement:gg" topics [topic:uu] relations [r15 r17]`,
		}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s partner %q topic %q asOf %q", c.q.Actor, c.q.Partner, c.q.Topic, c.q.AsOf), func(t *testing.T) {
			rows, err := s.Cooperation(ctx, c.q)
			noErr(t, err)
			compareRows(t, "cooperation", renderAll(rows, renderCooperation), c.want)
			compareRows(t, "reference cooperation", orEmpty(ref.cooperation(c.q)), c.want)
		})
	}
}

func testHandCommonConnections(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	const aa, zz, dd, yy = "country:aa", "country:zz", "organization:dd", "country:yy"
	cases := []struct {
		q    domain.CommonConnectionsQuery
		want []string
	}{
		{domain.CommonConnectionsQuery{IDs: []string{aa, zz}}, []string{
			"organization:bb connects [country:aa country:zz] through [r01 r02 r03]",
			"organization:cc connects [country:aa country:zz] through [r04 r05]",
		}},
		// zz and dd are related directly, but given nodes never connect others.
		{domain.CommonConnectionsQuery{IDs: []string{zz, dd, aa}}, []string{
			"event:ee connects [country:zz organization:dd] through [r11 r12]",
			"organization:bb connects [country:aa country:zz] through [r01 r02 r03]",
			"organization:cc connects [country:aa country:zz] through [r04 r05]",
			"programme:pp connects [country:aa organization:dd] through [r06 r07]",
		}},
		{domain.CommonConnectionsQuery{IDs: []string{zz, dd, aa}, Kinds: []domain.Kind{domain.KindProgramme, domain.KindEvent}}, []string{
			"event:ee connects [country:zz organization:dd] through [r11 r12]",
			"programme:pp connects [country:aa organization:dd] through [r06 r07]",
		}},
		{domain.CommonConnectionsQuery{IDs: []string{zz, dd, aa}, First: 1}, []string{
			"event:ee connects [country:zz organization:dd] through [r11 r12]",
		}},
		{domain.CommonConnectionsQuery{IDs: []string{aa, zz}, RelationTypes: []domain.RelationType{domain.RelCooperatesWith}}, []string{
			"organization:bb connects [country:aa country:zz] through [r01 r03]",
			"organization:cc connects [country:aa country:zz] through [r04 r05]",
		}},
		// bb connects all three of aa, zz and cc: it ranks first.
		{domain.CommonConnectionsQuery{IDs: []string{aa, zz, "organization:cc"}}, []string{
			"organization:bb connects [country:aa country:zz organization:cc] through [r01 r02 r03 r10]",
		}},
		{domain.CommonConnectionsQuery{IDs: []string{aa, yy}, AsOf: "2023-09-27"}, []string{
			"agreement:gg connects [country:aa country:yy] through [r14 r16]",
		}},
		{domain.CommonConnectionsQuery{IDs: []string{aa, yy}, AsOf: "2023-10-26"}, []string{
			"agreement:gg connects [country:aa country:yy] through [r15 r17]",
		}},
		{domain.CommonConnectionsQuery{IDs: []string{aa, yy}}, []string{
			"agreement:gg connects [country:aa country:yy] through [r14 r15 r16 r17]",
		}},
		{domain.CommonConnectionsQuery{IDs: []string{aa, yy}, AsOf: "2023-08"}, nil},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%v kinds %v types %v asOf %q first %d", c.q.IDs, c.q.Kinds, c.q.RelationTypes, c.q.AsOf, c.q.First), func(t *testing.T) {
			rows, err := s.CommonConnections(ctx, c.q)
			noErr(t, err)
			compareRows(t, "common connections", renderAll(rows, renderCommonConnection), c.want)
			valid := c.q
			noErr(t, valid.Validate())
			compareRows(t, "reference common connections", ref.commonConnections(valid), c.want)
		})
	}
}

func testHandCoParticipation(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	// Venues: aa {gg, pp}, dd {ee, pp}, zz {ee}, yy {gg}; bb, cc and xx none.
	cases := []struct {
		q    domain.CoParticipationQuery
		want []string
	}{
		{domain.CoParticipationQuery{}, []string{
			"country:aa & country:yy share [agreement:gg] of 2/1 venues (jaccard 0.5000)",
			"country:zz & organization:dd share [event:ee] of 1/2 venues (jaccard 0.5000)",
			"country:aa & organization:dd share [programme:pp] of 2/2 venues (jaccard 0.3333)",
		}},
		{domain.CoParticipationQuery{First: 2}, []string{
			"country:aa & country:yy share [agreement:gg] of 2/1 venues (jaccard 0.5000)",
			"country:zz & organization:dd share [event:ee] of 1/2 venues (jaccard 0.5000)",
		}},
		{domain.CoParticipationQuery{Kinds: []domain.Kind{domain.KindCountry}}, []string{
			"country:aa & country:yy share [agreement:gg] of 2/1 venues (jaccard 0.5000)",
		}},
		{domain.CoParticipationQuery{Topic: "topic:tt"}, []string{
			"country:aa & organization:dd share [programme:pp] of 1/2 venues (jaccard 0.5000)",
			"country:zz & organization:dd share [event:ee] of 1/2 venues (jaccard 0.5000)",
		}},
		// Before the agreement: aa keeps only pp, and ties go by A's ID.
		{domain.CoParticipationQuery{AsOf: "2023-08-01"}, []string{
			"country:aa & organization:dd share [programme:pp] of 1/2 venues (jaccard 0.5000)",
			"country:zz & organization:dd share [event:ee] of 1/2 venues (jaccard 0.5000)",
		}},
		{domain.CoParticipationQuery{Kinds: []domain.Kind{domain.KindPerson}}, nil},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("kinds %v topic %q asOf %q first %d", c.q.Kinds, c.q.Topic, c.q.AsOf, c.q.First), func(t *testing.T) {
			rows, err := s.CoParticipation(ctx, c.q)
			noErr(t, err)
			compareRows(t, "co-participation", renderAll(rows, renderCoParticipation), c.want)
			valid := c.q
			noErr(t, valid.Validate())
			compareRows(t, "reference co-participation", ref.coParticipation(valid), c.want)
		})
	}
}

func testHandTimeline(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	all := []string{
		"2022 ENDED r20", // a relation known only to have ended
		"2023-08-15 STARTED r19",
		"2023-09-01 EVENT event:ee", // as early as 2023-09 but more precise: first
		"2023-09 ENDED r19",
		"2023-09 STARTED r14",
		"2023-09 STARTED r16",
		"2023-10-26 ENDED r14",
		"2023-10-26 ENDED r16",
		"2023-10-26 STARTED r15",
		"2023-10-26 STARTED r17",
	}
	cases := []struct {
		q    domain.TimelineQuery
		want []string
	}{
		{domain.TimelineQuery{}, all},
		{domain.TimelineQuery{First: 2}, all[:2]},
		{domain.TimelineQuery{Actor: "country:aa"}, []string{"2023-09 STARTED r14", "2023-10-26 ENDED r14", "2023-10-26 STARTED r15"}},
		{domain.TimelineQuery{Actor: "country:zz"}, []string{"2023-09-01 EVENT event:ee"}},
		{domain.TimelineQuery{Actor: "country:yy", To: "2023-09-15"},
			[]string{"2023-08-15 STARTED r19", "2023-09 ENDED r19", "2023-09 STARTED r16"}},
		{domain.TimelineQuery{Actor: "organization:bb"}, nil},
		{domain.TimelineQuery{From: "2023-10"}, all[6:]},
		// A month or a year overlaps a window inside it.
		{domain.TimelineQuery{From: "2023-09-15", To: "2023-09-20"}, all[3:6]},
		{domain.TimelineQuery{From: "2022-07-01", To: "2022-07-01"}, all[:1]},
		{domain.TimelineQuery{From: "2023"}, all[1:]},
		{domain.TimelineQuery{To: "2023-09-01"}, all[:6]},
		{domain.TimelineQuery{From: "2023-10-26", To: "2023-10-26"}, all[6:]},
		{domain.TimelineQuery{Actor: "organization:ww"}, all[:1]},
		{domain.TimelineQuery{From: "2023-10-27"}, nil},
	}
	for _, c := range cases {
		t.Run(timelineName(c.q), func(t *testing.T) {
			entries, err := s.Timeline(ctx, c.q)
			noErr(t, err)
			compareRows(t, "timeline", renderAll(entries, renderTimelineEntry), c.want)
			valid := c.q
			noErr(t, valid.Validate())
			compareRows(t, "reference timeline", ref.timeline(valid), c.want)
		})
	}
}

// testHandSweep compares the store with the reference on every pair of
// nodes of the hand-built graph, in every mode and at every date boundary.
func testHandSweep(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	dates := []domain.PartialDate{"", "2022-12-30", "2022-12-31", "2023-08-14", "2023-08-15", "2023-09", "2023-09-29", "2023-09-30", "2023-10-25", "2023-10-26"}
	ids := ref.allIDs()
	for i, from := range ids {
		for j, to := range ids {
			if from == to {
				continue
			}
			asOf := dates[(i+j)%len(dates)]
			for _, mode := range []domain.PathMode{domain.PathShortest, domain.PathKShortest, domain.PathAllSimple} {
				q := domain.PathQuery{From: from, To: to, Mode: mode, MaxHops: 4, Limit: 1 + (i*j)%8, AsOf: asOf}
				t.Run(pathName(q), func(t *testing.T) { checkPaths(ctx, t, s, ref, q) })
			}
		}
		for _, d := range dates {
			q := domain.TimelineQuery{Actor: from, From: d}
			t.Run(timelineName(q), func(t *testing.T) { checkTimeline(ctx, t, s, ref, q) })
		}
	}
}

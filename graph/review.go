package graph

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/ingest"
)

// This file is the review queue: ingestDocument turns a document into
// proposals with the ingest engine and records them in history with the
// source (domain.ActionIngestDocument); the queue and its decisions are
// read back from history (domain.ReviewQueue), which is read whole: fine
// for the thousands of changes a curated graph gathers, linear in them.

// engineCache keeps one ingest engine per data version: building one reads
// every node, and an engine is read-only and safe to share.
type engineCache struct {
	mu       sync.Mutex
	version  int64
	engine   *ingest.Engine
	variants *ingest.Variants
}

func (r *Resolver) engine(ctx context.Context) (*ingest.Engine, error) {
	version, err := r.writer.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := &r.engines
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.engine != nil && c.version == version {
		return c.engine, nil
	}
	if c.variants == nil {
		v, err := ingest.ShippedVariants()
		if err != nil {
			return nil, domain.WrapError(domain.EINTERNAL, err, "cannot read the shipped name variants")
		}
		c.variants = &v
	}
	e, err := ingest.NewFromStore(ctx, r.store, *c.variants)
	if err != nil {
		return nil, err
	}
	c.engine, c.version = e, version
	return e, nil
}

// history reads every change, page by page.
func (r *Resolver) history(ctx context.Context) ([]*domain.Change, error) {
	var out []*domain.Change
	q := domain.ChangeQuery{First: domain.MaxPageSize}
	for {
		page, err := r.writer.Changes(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Changes...)
		if !page.HasNextPage || len(page.Changes) == 0 {
			return out, nil
		}
		q.Since = page.Changes[len(page.Changes)-1].Seq
	}
}

func (r *Resolver) ingestDocument(ctx context.Context, in model.DocumentInput) (*model.Ingestion, error) {
	if _, err := r.actor(ctx, domain.ActionIngestDocument); err != nil {
		return nil, err
	}
	src := &domain.Node{Kind: domain.KindSource, Name: strings.TrimSpace(in.Title), URL: deref(in.URL),
		Publisher: deref(in.Publisher), Start: derefDate(in.Published), Language: deref(in.Language)}
	if slug := domain.Slug(src.Name); slug != "" {
		src.ID = domain.KindSource.Prefix() + ":" + slug
	}
	if err := src.Validate(); err != nil {
		return nil, err
	}
	e, err := r.engine(ctx)
	if err != nil {
		return nil, err
	}
	res, err := e.Ingest(ingest.Document{SourceID: src.ID, Title: src.Name, URL: src.URL, Publisher: src.Publisher,
		Published: src.Start.String(), Language: src.Language, Text: in.Text})
	if err != nil {
		return nil, err
	}
	changes, err := r.history(ctx)
	if err != nil {
		return nil, err
	}
	proposals := undecided(proposalsOf(res, src), domain.DecidedKeys(changes))
	c, err := r.apply(ctx, &domain.Write{Action: domain.ActionIngestDocument, Node: src, Text: in.Text,
		Review: &domain.Review{Proposals: proposals}})
	if err != nil {
		return nil, err
	}
	source, _ := model.Wrap(afterNode(c, c.Target)).(*model.Source)
	out := &model.Ingestion{ID: int(c.Seq), Source: source, Proposals: []*model.Proposal{}}
	for _, s := range res.Sentences {
		out.Sentences = append(out.Sentences, &model.TextSpan{Start: s.Start, End: s.End, Text: s.Text})
	}
	for _, m := range res.Mentions {
		out.Mentions = append(out.Mentions, &model.IngestMention{NodeID: m.NodeID, Start: m.Start, End: m.End, Text: m.Text})
	}
	for _, k := range res.Candidates {
		out.Candidates = append(out.Candidates, &model.IngestCandidate{Name: k.Name, Kind: k.Kind, Reason: k.Reason, Start: k.Start, End: k.End})
	}
	for _, q := range domain.ReviewQueue([]*domain.Change{c}) {
		out.Proposals = append(out.Proposals, model.NewProposal(q))
	}
	return out, nil
}

// proposalsOf turns the engine's result into proposals citing src, each
// with the value accepting it writes.
func proposalsOf(res *ingest.Result, src *domain.Node) []domain.Proposal {
	var out []domain.Proposal
	for _, p := range res.Relations {
		out = append(out, domain.Proposal{Kind: domain.ProposalRelation, Key: p.DecisionKey(), Relation: p.Relation(src.ID),
			Quote: p.Quote, Reason: p.Reason, Confidence: p.Confidence})
	}
	for _, p := range res.Statements {
		st := &domain.Statement{ID: domain.StatementID(p.Speaker, p.Quote), Speaker: p.Speaker, OnBehalfOf: p.OnBehalfOf,
			About: slices.Sorted(slices.Values(p.Topics)), Stance: domain.Stance(p.Stance), Date: src.Start,
			Confidence: ingest.ConfidenceLevel(p.Confidence), Evidence: domain.Evidence{SourceID: src.ID, Quote: p.Quote}}
		out = append(out, domain.Proposal{Kind: domain.ProposalStatement, Key: p.DecisionKey(), Statement: st,
			Quote: p.Quote, Reason: p.Reason, Confidence: p.Confidence})
	}
	for _, k := range res.Candidates {
		n := &domain.Node{Kind: k.Kind, Name: k.Name, Aliases: k.Aliases}
		if slug := domain.Slug(k.Name); slug != "" && k.Kind.Valid() {
			n.ID = k.Kind.Prefix() + ":" + slug
		}
		var quote string
		for _, s := range res.Sentences {
			if s.Start <= k.Start && k.Start < s.End {
				quote = s.Text
			}
		}
		out = append(out, domain.Proposal{Kind: domain.ProposalStakeholder, Key: k.DecisionKey(), Stakeholder: n,
			Quote: quote, Reason: k.Reason})
	}
	return out
}

// undecided drops the proposals whose item has been decided, and repeats
// within the document: a decision is never asked for twice.
func undecided(ps []domain.Proposal, decided map[string]bool) []domain.Proposal {
	out := ps[:0]
	seen := map[string]bool{}
	for _, p := range ps {
		if !decided[p.Key] && !seen[p.Key] {
			seen[p.Key] = true
			out = append(out, p)
		}
	}
	return out
}

func (r *Resolver) proposals(ctx context.Context, status *domain.ProposalStatus, ingestion, first *int) ([]*model.Proposal, error) {
	if r.writer == nil {
		return nil, domain.Errorf(domain.EUNAVAILABLE, "this store keeps no history, so it has no review queue")
	}
	limit, err := pageSize(first, domain.MaxPageSize)
	if err != nil {
		return nil, err
	}
	if limit > domain.MaxPageSize {
		return nil, domain.Errorf(domain.EINVALID, "first %d is out of range: use 1 to %d", limit, domain.MaxPageSize)
	}
	changes, err := r.history(ctx)
	if err != nil {
		return nil, err
	}
	if v, past := r.versionOf(ctx); past {
		// @asKnown: the queue as it stood at that version.
		changes = slices.DeleteFunc(changes, func(c *domain.Change) bool { return c.Seq > v })
	}
	out := []*model.Proposal{}
	for _, q := range domain.ReviewQueue(changes) {
		if (status == nil || q.Status == *status) && (ingestion == nil || q.Ingestion == int64(*ingestion)) && len(out) < limit {
			out = append(out, model.NewProposal(q))
		}
	}
	return out, nil
}

// queued finds proposal id in the queue; ECONFLICT once decided.
func (r *Resolver) queued(ctx context.Context, id string) (*domain.QueuedProposal, error) {
	seq, index, err := domain.ParseProposalID(id)
	if err != nil {
		return nil, err
	}
	changes, err := r.history(ctx)
	if err != nil {
		return nil, err
	}
	for _, q := range domain.ReviewQueue(changes) {
		if q.Ingestion != seq || q.Index != index {
			continue
		}
		if q.Status != domain.ProposalOpen {
			return nil, domain.Errorf(domain.ECONFLICT, "proposal %s is decided already (%s)", id, q.Status)
		}
		return q, nil
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "no proposal %s: list them with proposals", id)
}

func (r *Resolver) acceptProposal(ctx context.Context, id string, edits *model.ProposalEdits) (*model.ProposalPayload, error) {
	if _, err := r.actor(ctx, domain.ActionDecideProposal); err != nil {
		return nil, err
	}
	q, err := r.queued(ctx, id)
	if err != nil {
		return nil, err
	}
	if edits == nil {
		edits = &model.ProposalEdits{}
	}
	w := &domain.Write{Reason: "accepted proposal " + id,
		Review: &domain.Review{Decision: &domain.Decision{Ingestion: q.Ingestion, Proposal: q.Index, Key: q.Key, Accepted: true}}}
	switch q.Kind {
	case domain.ProposalRelation:
		rel := domain.CloneRelation(q.Relation)
		if edits.Confidence != nil {
			rel.Confidence = *edits.Confidence
		}
		if edits.Note != nil {
			rel.Note = strings.TrimSpace(*edits.Note)
		}
		w.Action, w.Relation = domain.ActionAddRelation, rel
	case domain.ProposalStatement:
		st := domain.CloneStatement(q.Statement)
		if edits.Confidence != nil {
			st.Confidence = *edits.Confidence
		}
		if edits.Note != nil {
			st.Note = strings.TrimSpace(*edits.Note)
		}
		w.Action, w.Statement = domain.ActionAddStatement, st
	default:
		n := domain.CloneNode(q.Stakeholder)
		if edits.Kind != nil && *edits.Kind != n.Kind {
			n.Kind, n.ID = *edits.Kind, ""
		}
		if edits.OrgType != nil {
			n.OrgType = *edits.OrgType
		}
		w.Action, w.Node = domain.ActionUpsertStakeholder, n
	}
	c, err := r.apply(ctx, w)
	if w.Action == domain.ActionAddRelation && domain.ErrorCode(err) == domain.ECONFLICT {
		// The graph has the relation already: the sentence becomes more
		// evidence for it.
		c, err = r.apply(ctx, &domain.Write{Action: domain.ActionAddEvidence, Target: w.Relation.ID,
			Evidence: w.Relation.Evidence, Reason: w.Reason, Review: w.Review})
	}
	if err != nil {
		return nil, err
	}
	q.Status = domain.ProposalAccepted
	return &model.ProposalPayload{Change: model.NewChange(c), Proposal: model.NewProposal(q)}, nil
}

func (r *Resolver) rejectProposal(ctx context.Context, id, reason string) (*model.ProposalPayload, error) {
	if _, err := r.actor(ctx, domain.ActionDecideProposal); err != nil {
		return nil, err
	}
	q, err := r.queued(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := r.apply(ctx, &domain.Write{Action: domain.ActionDecideProposal, Target: q.Source, Reason: reason,
		Review: &domain.Review{Decision: &domain.Decision{Ingestion: q.Ingestion, Proposal: q.Index, Key: q.Key}}})
	if err != nil {
		return nil, err
	}
	q.Status = domain.ProposalRejected
	return &model.ProposalPayload{Change: model.NewChange(c), Proposal: model.NewProposal(q)}, nil
}

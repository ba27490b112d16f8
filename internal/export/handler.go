package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// DefaultRequestTimeout bounds one export, store calls included.
const DefaultRequestTimeout = 10 * time.Second

// HandlerOptions configures Handler; zero fields take defaults.
type HandlerOptions struct {
	RequestTimeout time.Duration // DefaultRequestTimeout when zero
	Logger         *slog.Logger  // slog.Default() when nil
	// StreamThreshold is DefaultStreamThreshold when zero.
	StreamThreshold int
}

// The query parameters of an export.
const (
	paramRoot          = "root"
	paramDepth         = "depth"
	paramKinds         = "kinds"
	paramRelationTypes = "relationTypes"
	paramTopic         = "topic"
	paramAsOf          = "asOf"
)

var knownParams = []string{paramRoot, paramDepth, paramKinds, paramRelationTypes, paramTopic, paramAsOf}

// Selection is what an export request asks for: a neighborhood when Root
// is set, else (part of) the whole graph.
type Selection struct {
	Root          string
	Depth         int
	Kinds         []domain.Kind
	RelationTypes []domain.RelationType
	Topic         string
	AsOf          domain.PartialDate
}

// ParseSelection reads and checks the query parameters; errors are EINVALID
// with a message saying what to change.
func ParseSelection(q url.Values) (Selection, error) {
	var s Selection
	for name := range q {
		if !slices.Contains(knownParams, name) {
			return s, domain.Errorf(domain.EINVALID, "unknown parameter %q; use %s", name, strings.Join(knownParams, ", "))
		}
	}
	single := func(name string) (string, error) {
		switch vs := q[name]; len(vs) {
		case 0:
			return "", nil
		case 1:
			return strings.TrimSpace(vs[0]), nil
		default:
			return "", domain.Errorf(domain.EINVALID, "parameter %s is given %d times; give it once", name, len(vs))
		}
	}
	var err error
	if s.Root, err = single(paramRoot); err != nil {
		return s, err
	}
	depth, err := single(paramDepth)
	if err != nil {
		return s, err
	}
	switch {
	case depth != "" && s.Root == "":
		return s, domain.Errorf(domain.EINVALID, "depth applies to a neighborhood: give root too (e.g. root=country:hungary&depth=2), or drop depth to export the whole graph")
	case depth == "":
		s.Depth = 1
	default:
		if s.Depth, err = strconv.Atoi(depth); err != nil {
			return s, domain.Errorf(domain.EINVALID, "depth %q is not a number: use 1 to %d", depth, domain.MaxNeighborhoodDepth)
		}
	}
	for _, v := range listParam(q[paramKinds]) {
		k, ok := matchName(v, domain.Kinds)
		if !ok {
			return s, domain.Errorf(domain.EINVALID, "unknown kind %q; use %s", v, joinNames(domain.Kinds))
		}
		s.Kinds = append(s.Kinds, k)
	}
	for _, v := range listParam(q[paramRelationTypes]) {
		t, ok := matchName(v, domain.RelationTypes)
		if !ok {
			return s, domain.Errorf(domain.EINVALID, "unknown relation type %q; use %s", v, joinNames(domain.RelationTypes))
		}
		s.RelationTypes = append(s.RelationTypes, t)
	}
	if s.Topic, err = single(paramTopic); err != nil {
		return s, err
	}
	asOf, err := single(paramAsOf)
	if err != nil {
		return s, err
	}
	if s.AsOf, err = domain.ParsePartialDate(asOf); err != nil {
		return s, domain.Errorf(domain.EINVALID, "asOf: %s", domain.ErrorMessage(err))
	}
	if s.Root != "" {
		q := s.neighborhoodQuery()
		return s, q.Validate()
	}
	g := s.graphQuery()
	return s, g.Validate()
}

// listParam splits repeated and comma-separated values, dropping blanks.
func listParam(vs []string) []string {
	var out []string
	for _, v := range vs {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// matchName finds v among names ignoring case, so kinds=country and
// relationTypes=attended work as well as the GraphQL spelling.
func matchName[T ~string](v string, names []T) (T, bool) {
	for _, n := range names {
		if strings.EqualFold(string(n), v) {
			return n, true
		}
	}
	return "", false
}

func joinNames[T ~string](names []T) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = string(n)
	}
	return strings.Join(parts, ", ")
}

func (s Selection) neighborhoodQuery() domain.NeighborhoodQuery {
	return domain.NeighborhoodQuery{Root: s.Root, Depth: s.Depth, RelationTypes: s.RelationTypes, Kinds: s.Kinds, Topic: s.Topic, AsOf: s.AsOf}
}

func (s Selection) graphQuery() domain.GraphQuery {
	return domain.GraphQuery{Kinds: s.Kinds, RelationTypes: s.RelationTypes, Topic: s.Topic, AsOf: s.AsOf}
}

// Title describes the selection in words, for the file's own metadata.
func (s Selection) Title() string {
	var b strings.Builder
	if s.Root != "" {
		fmt.Fprintf(&b, "stakegraph: neighborhood of %s, depth %d", s.Root, s.Depth)
	} else {
		b.WriteString("stakegraph: whole graph")
	}
	if len(s.Kinds) > 0 {
		fmt.Fprintf(&b, ", kinds %s", joinNames(s.Kinds))
	}
	if len(s.RelationTypes) > 0 {
		fmt.Fprintf(&b, ", relation types %s", joinNames(s.RelationTypes))
	}
	if s.Topic != "" {
		fmt.Fprintf(&b, ", topic %s", s.Topic)
	}
	if s.AsOf != "" {
		fmt.Fprintf(&b, ", as of %s", s.AsOf)
	}
	return b.String()
}

// FileName is the download's name: stakegraph-<root>-d<depth> for a
// neighborhood, stakegraph-graph for the whole graph, then the topic's slug
// and the asOf date when given, then the format's extension; e.g.
// stakegraph-country-hungary-d2.gexf,
// stakegraph-graph-maritime-security-asof-2023-09-27.graphml. Kinds and
// relation types are left out to keep names short.
func (s Selection) FileName(f Format) string {
	name := "stakegraph-graph"
	if s.Root != "" {
		name = fmt.Sprintf("stakegraph-%s-d%d", strings.ReplaceAll(s.Root, ":", "-"), s.Depth)
	}
	if s.Topic != "" {
		_, slug, _ := strings.Cut(s.Topic, ":")
		name += "-" + slug
	}
	if s.AsOf != "" {
		name += "-asof-" + string(s.AsOf)
	}
	return name + f.Extension
}

// Select asks store for the selection, the statements it holds (see
// Data.Statements) and the nodes outside it that its evidence and
// statements name. An unknown root or topic is ENOTFOUND.
func Select(ctx context.Context, store domain.Store, s Selection) (*Data, error) {
	if s.Topic != "" {
		// Check the topic exists so a typo is a 404, not an empty export.
		if _, err := store.Node(ctx, s.Topic); err != nil {
			return nil, err
		}
	}
	var sub *domain.Subgraph
	var err error
	if s.Root != "" {
		sub, err = store.Neighborhood(ctx, s.neighborhoodQuery())
	} else {
		sub, err = store.Graph(ctx, s.graphQuery())
	}
	if err != nil {
		return nil, err
	}
	d := &Data{Title: s.Title(), Nodes: sub.Nodes, Relations: sub.Relations, Sources: map[string]*domain.Node{}, Mentioned: map[string]*domain.Node{}}
	sts, err := domain.AllStatements(ctx, store, domain.StatementQuery{AsOf: s.AsOf})
	if err != nil {
		return nil, err
	}
	inSelection := make(map[string]bool, len(sub.Nodes))
	for _, n := range sub.Nodes {
		inSelection[n.ID] = true
	}
	for _, st := range sts {
		if inSelection[st.Speaker] && slices.ContainsFunc(st.About, func(id string) bool { return inSelection[id] }) {
			d.Statements = append(d.Statements, st)
		}
	}
	var sourceIDs, mentionedIDs []string
	seen := map[string]bool{}
	for _, r := range sub.Relations {
		for _, e := range r.Evidence {
			if !seen[e.SourceID] {
				seen[e.SourceID] = true
				sourceIDs = append(sourceIDs, e.SourceID)
			}
		}
	}
	for _, st := range d.Statements {
		if id := st.Evidence.SourceID; !seen[id] {
			seen[id] = true
			sourceIDs = append(sourceIDs, id)
		}
		for _, id := range []string{st.Event, st.OnBehalfOf} {
			if id != "" && !inSelection[id] && !seen[id] {
				seen[id] = true
				mentionedIDs = append(mentionedIDs, id)
			}
		}
	}
	if ids := append(slices.Clone(sourceIDs), mentionedIDs...); len(ids) > 0 {
		nodes, err := store.Nodes(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			switch {
			case n == nil:
			case slices.Contains(sourceIDs, n.ID):
				d.Sources[n.ID] = n
			default:
				d.Mentioned[n.ID] = n
			}
		}
	}
	return d, nil
}

// Handler serves GET /export/{format}; mount it at "/export/". See the
// package doc for parameters, formats and errors.
func Handler(store domain.Store, opts HandlerOptions) http.Handler {
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.StreamThreshold <= 0 {
		opts.StreamThreshold = DefaultStreamThreshold
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/export/")
		f, ok := Lookup(name)
		if !ok && name == "" {
			writeError(w, http.StatusNotFound, domain.ENOTFOUND,
				fmt.Sprintf("give a format: /export/{format} with one of: %s (e.g. /export/gexf?root=country:hungary&depth=2)", strings.Join(FormatNames(), ", ")))
			return
		}
		if !ok {
			writeError(w, http.StatusNotFound, domain.ENOTFOUND,
				fmt.Sprintf("no export format %q; use one of: %s (e.g. /export/gexf?root=country:hungary&depth=2)", name, strings.Join(FormatNames(), ", ")))
			return
		}
		sel, err := ParseSelection(r.URL.Query())
		if err != nil {
			writeStoreError(w, opts.Logger, err)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), opts.RequestTimeout)
		defer cancel()
		d, err := Select(ctx, store, sel)
		if err != nil {
			if ctx.Err() != nil && r.Context().Err() == nil {
				err = domain.WrapError(domain.EUNAVAILABLE, err, "the store did not answer within %s; try a smaller selection or again later", opts.RequestTimeout)
			}
			writeStoreError(w, opts.Logger, err)
			return
		}
		out := &spillWriter{w: w, head: r.Method == http.MethodHead, limit: opts.StreamThreshold, header: func(h http.Header) {
			h.Set("Content-Type", f.ContentType)
			h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": sel.FileName(f)}))
			h.Set("X-Content-Type-Options", "nosniff")
		}}
		if err := f.Write(out, d); err != nil {
			if out.streaming {
				// The status line is gone: abort the response so the client
				// sees a broken transfer, never a file that looks whole.
				opts.Logger.Error("export failed while streaming", "format", f.Name, "err", err)
				panic(http.ErrAbortHandler)
			}
			writeStoreError(w, opts.Logger, domain.WrapError(domain.EINTERNAL, err, "writing %s", f.Name))
			return
		}
		if err := out.finish(); err != nil {
			opts.Logger.Warn("export: client went away", "format", f.Name, "err", err)
		}
	})
}

// DefaultStreamThreshold is how much of an export is held back before the
// first byte: smaller files go out whole with their length (and a failure
// is still a clean error answer); larger ones stream as they are written,
// so memory follows the writer's buffer, not the file.
const DefaultStreamThreshold = 1 << 20

// spillWriter buffers an export up to limit bytes, then sends the headers
// and streams the rest straight to the client.
type spillWriter struct {
	w         http.ResponseWriter
	header    func(http.Header)
	head      bool // HEAD: headers only
	limit     int
	buf       bytes.Buffer
	out       *bufio.Writer
	streaming bool
}

func (s *spillWriter) Write(p []byte) (int, error) {
	if s.streaming {
		if s.head {
			return len(p), nil
		}
		return s.out.Write(p)
	}
	if s.buf.Len()+len(p) <= s.limit {
		return s.buf.Write(p)
	}
	s.streaming = true
	s.header(s.w.Header())
	s.w.WriteHeader(http.StatusOK)
	if s.head {
		return len(p), nil
	}
	s.out = bufio.NewWriterSize(s.w, 64<<10)
	if _, err := s.buf.WriteTo(s.out); err != nil {
		return 0, err
	}
	return s.out.Write(p)
}

// finish sends what is left: the whole file with its length when it never
// reached the limit, else the buffered tail.
func (s *spillWriter) finish() error {
	if s.streaming {
		if s.out == nil {
			return nil
		}
		return s.out.Flush()
	}
	s.header(s.w.Header())
	s.w.Header().Set("Content-Length", strconv.Itoa(s.buf.Len()))
	s.w.WriteHeader(http.StatusOK)
	if s.head {
		return nil
	}
	_, err := s.buf.WriteTo(s.w)
	return err
}

// ErrorBody is the JSON body of every export error.
type ErrorBody struct {
	Error struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	} `json:"error"`
}

// statusOf maps an error code to the HTTP status: the caller's mistakes are
// 4xx, an unreachable store 503, anything else 500.
func statusOf(code string) int {
	switch code {
	case domain.EINVALID:
		return http.StatusBadRequest
	case domain.ENOTFOUND:
		return http.StatusNotFound
	case domain.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeStoreError(w http.ResponseWriter, logger *slog.Logger, err error) {
	code, msg := domain.ErrorCode(err), domain.ErrorMessage(err)
	if code == domain.EINTERNAL && errors.Is(err, context.DeadlineExceeded) {
		code, msg = domain.EUNAVAILABLE, "the store did not answer in time; try a smaller selection or again later"
	}
	switch code {
	case domain.EINTERNAL:
		logger.Error("export failed", "err", err)
		msg = "internal error"
	case domain.EUNAVAILABLE:
		logger.Warn("export: store unavailable", "err", err)
	}
	writeError(w, statusOf(code), code, msg)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	var body ErrorBody
	body.Error.Message, body.Error.Code = message, code
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // messages show example URLs with "&"
	_ = enc.Encode(body)
}

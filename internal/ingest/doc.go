// Package ingest turns a document into proposals for the stakeholder graph:
// its sentences, the mentions of known nodes, candidate new stakeholders, and
// relations and statements proposed with their sentence as the verbatim quote.
// It depends only on internal/domain, so the GraphQL ingestDocument mutation
// and the review queue can call it on either store.
//
// Libraries, and why:
//
//   - Sentence splitting: github.com/neurosnap/sentences, a Go port of the
//     Punkt algorithm whose English model is compiled into the binary, so it
//     runs air-gapped with no model file to load. Its word-level heuristics
//     (initials, ordinals, numbers, orthographic context) carry over to
//     Spanish; the module ships no compiled Spanish model, so the supervised
//     abbreviations of both languages ("Sr.", "Sra.", "EE.UU.", "p. ej.",
//     "No." …, see abbreviations in sentences.go) are added to its model. Around
//     it this package keeps what Punkt does not see: line structure (headings
//     without final punctuation, numbered and bulleted lists), quotations that
//     run over several sentences (“…”, «…», "…") and closing guillemets.
//   - Folding: domain.Fold (golang.org/x/text/unicode/norm and runes), the one
//     home of case and accent folding that search uses too, applied per token
//     so every mention keeps its byte offsets into the original text.
//   - Country names for candidates: golang.org/x/text/language/display, the
//     CLDR names of every ISO 3166 country in English and Spanish, from a
//     module the project already uses. The other word lists of the candidate
//     finder (function words, months, titles, head words) are data in
//     candidates.yaml, embedded: no Go stopword module is among those the
//     project may install, and most of the lists are specific to the domain.
//
// Mentions are found with a trie over folded tokens of every name and alias
// (and of the curated variants in variants.yaml), leftmost-longest, so the
// time is linear in the text for a bounded longest name. Relations and
// statements are proposed by cues (cues.go); each proposal names the cue that
// fired as its reason and passes domain.Relation.Problems.
//
// What the write side calls:
//
//	e, err := ingest.NewFromStore(ctx, store, variants) // or ingest.New(nodes, variants); keep one per data version
//	res, err := e.Ingest(ingest.Document{SourceID: "source:…", Text: text, …})
//	// res.Sentences, res.Mentions (offsets), res.Candidates (suggested kind),
//	// res.Relations and res.Statements (quote = the sentence, reason, confidence)
//	rel := res.Relations[i].Relation(sourceID) // a *domain.Relation for the write path, evidence included
//	key := res.Relations[i].DecisionKey()      // what a review decision is remembered under
//
// Quality is measured on the corpus in testdata/corpus (real texts with
// hand-made answer keys): go run ./internal/ingest/cmd/quality [-v].
package ingest

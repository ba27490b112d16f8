package ingest

import (
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// The cue lexicons, English and Spanish, written as they appear in text and
// folded when the engine starts. Each relation cue says which relation type
// it suggests and where its actors stand relative to it (see agentRule).

// agentRule says where a cue's actors (the relation's from side) are found.
type agentRule int

const (
	agentsAll    agentRule = iota // every actor of the allowed kinds in the sentence
	agentsBefore                  // the nearest actor before the cue, with those listed with it
	agentsAfter                   // the actors after the cue, up to the next cue
	agentsNear                    // the actor nearest the cue on either side
)

// objectRule says where a cue's objects (the relation's to side) are found.
type objectRule int

const (
	objectsAll     objectRule = iota // every node of the allowed kinds in the sentence
	objectsNearest                   // the one nearest the cue
	objectsAfter                     // the first one after the cue
)

type relationCue struct {
	reason  string // the cue's name, given as the proposal's reason
	typ     domain.RelationType
	phrases []string
	agents  agentRule
	from    []domain.Kind // allowed agent kinds, within the type's rule
	objects objectRule
	to      []domain.Kind
	// focal: with no object in the sentence, the document's focal node of
	// this kind is taken (a report of a meeting speaks of that meeting).
	focal domain.Kind
	// focalAgent: with no agent in the sentence, the document's focal node
	// of the first agent kind is taken ("destacaron …" after a sentence on
	// the meeting's participants).
	focalAgent bool
	// peopleFirst: when people are among the agents, only they are kept
	// (a meeting "chaired by the undersecretary of the Ministry …, Albornoz").
	peopleFirst bool
	confidence  float64
}

var (
	actors    = []domain.Kind{domain.KindCountry, domain.KindOrganization, domain.KindPerson}
	states    = []domain.Kind{domain.KindCountry, domain.KindOrganization}
	countries = []domain.Kind{domain.KindCountry}
	orgs      = []domain.Kind{domain.KindOrganization}
	people    = []domain.Kind{domain.KindPerson}
	events    = []domain.Kind{domain.KindEvent}
	progs     = []domain.Kind{domain.KindProgramme}
	progsAgr  = []domain.Kind{domain.KindProgramme, domain.KindAgreement}
	venues    = []domain.Kind{domain.KindProgramme, domain.KindEvent, domain.KindAgreement}
	agrs      = []domain.Kind{domain.KindAgreement}
)

var relationCues = []relationCue{
	{reason: "attendance", typ: domain.RelAttended, agents: agentsAll, from: actors, objects: objectsAll, to: events,
		focal: domain.KindEvent, confidence: 0.7, phrases: []string{
			"participated in", "participate in", "participates in", "took part in", "take part in", "attended",
			"attend", "was present", "were present", "present at", "participaron en", "participó en",
			"participa en", "participan en", "asistió", "asistieron", "acudieron", "acudió", "estuvo presente",
			"estuvieron presentes", "tomaron parte"}},
	{reason: "participation", typ: domain.RelParticipatesIn, agents: agentsBefore, from: actors, objects: objectsAll,
		to: progs, confidence: 0.6, phrases: []string{
			"participates", "participate", "participating", "participa", "participan", "beneficiary",
			"beneficiaries", "beneficiario", "beneficiarios"}},
	{reason: "participating countries", typ: domain.RelParticipatesIn, agents: agentsAll, from: countries,
		objects: objectsAll, to: progs, confidence: 0.5, phrases: []string{"countries", "países", "partner countries"}},
	{reason: "funding", typ: domain.RelFunds, agents: agentsNear, from: actors, objects: objectsAll, to: progsAgr,
		confidence: 0.7, phrases: []string{
			"funded", "financed", "funding", "budget", "co-funded", "financiado", "financiada", "financiados",
			"financiadas", "financiación", "financiamiento", "presupuesto", "fondos de", "donation", "donación"}},
	{reason: "implementation", typ: domain.RelImplements, agents: agentsAfter, from: states, objects: objectsAll,
		to: progs, focal: domain.KindProgramme, confidence: 0.6, phrases: []string{
			"implemented by", "implementation", "implementing", "executed by", "managed by", "led by", "run by",
			"consortium", "ejecutado por", "ejecutada por", "ejecutados por", "gestionado por", "gestionada por",
			"liderado por", "liderada por", "implementado por", "implementada por", "consorcio", "a cargo de"}},
	{reason: "support", typ: domain.RelSupports, agents: agentsAfter, from: actors, objects: objectsAll, to: venues,
		focal: domain.KindProgramme, confidence: 0.55, phrases: []string{
			"with the support of", "supported by", "with support from", "in collaboration with", "backed by",
			"con el apoyo de", "con la colaboración de", "en colaboración con", "con el respaldo de", "apoyo de"}},
	{reason: "promotion", typ: domain.RelSupports, agents: agentsBefore, from: actors, objects: objectsAll, to: venues,
		confidence: 0.5, phrases: []string{"promoted", "promotes", "championed", "promovió", "impulsó", "impulsa"}},
	{reason: "membership", typ: domain.RelMemberOf, agents: agentsAll, from: countries, objects: objectsNearest,
		to: orgs, confidence: 0.75, phrases: []string{
			"member states", "member state", "member of", "members of", "estados miembros", "estado miembro",
			"miembro de", "miembros de"}},
	{reason: "review", typ: domain.RelReviewed, agents: agentsAll, from: events, objects: objectsAll, to: progsAgr,
		focalAgent: true, confidence: 0.6, phrases: []string{
			"assessed", "reviewed", "evaluated", "assessment of", "review of", "took stock", "welcomed",
			"evaluación de", "evaluó", "evaluaron", "revisaron", "se revisaron", "analizaron", "se analizaron",
			"destacaron los esfuerzos"}},
	{reason: "signature", typ: domain.RelPartyTo, agents: agentsBefore, from: actors, objects: objectsAll, to: agrs,
		confidence: 0.65, phrases: []string{
			"signed", "sign", "signing", "signature", "negotiating", "negotiation", "negotiate", "concluded",
			"ratified", "firmó", "firmaron", "firma", "firmar", "suscribió", "suscribieron", "suscribir",
			"negociación", "negociar", "ratificó"}},
	{reason: "chairing", typ: domain.RelChaired, agents: agentsAfter, from: actors, objects: objectsAll, to: events,
		focal: domain.KindEvent, peopleFirst: true, confidence: 0.65, phrases: []string{
			"chaired by", "co-chaired by", "presided by", "presided over by", "led by", "hosted by",
			"presidido por", "presidida por", "copresidido por", "copresidida por", "encabezado por",
			"encabezada por", "liderado por", "liderada por", "inaugurado por", "inaugurada por"}},
	{reason: "chairing", typ: domain.RelChaired, agents: agentsBefore, from: actors, objects: objectsAll, to: events,
		confidence: 0.65, phrases: []string{"chaired", "co-chaired", "presided over", "presidió", "copresidió", "encabezó"}},
	{reason: "representation", typ: domain.RelRepresents, agents: agentsBefore, from: []domain.Kind{domain.KindPerson, domain.KindOrganization},
		objects: objectsAfter, to: states, confidence: 0.6, phrases: []string{
			"present for", "on behalf of", "representing", "en nombre de", "en representación de", "representando a"}},
	{reason: "visit", typ: domain.RelVisited, agents: agentsNear, from: people, objects: objectsAll, to: countries,
		confidence: 0.6, phrases: []string{"visit of", "visit to", "visited", "visiting", "visita de", "visita a", "visitó"}},
}

// cooperationPhrases mark cooperation between two actors (COOPERATES_WITH).
var cooperationPhrases = []string{
	"cooperation", "cooperate", "cooperating", "collaborators", "collaborator", "coordination", "partner",
	"joint work", "work together", "cooperación", "cooperar", "coopera", "cooperante", "cooperantes",
	"coordinación", "socio", "trabajo conjunto", "trabajar juntos"}

// betweenWords introduce the two sides of a cooperation.
var betweenWords = []string{"between", "entre", "with", "con"}

// Titles before or after a person's name tie the person to the
// organization named with them: representatives REPRESENT it, other titles
// HOLD a POSITION in it.
var (
	representativeTitles = []string{"ambassador", "embajador", "embajadora", "representative", "representante", "envoy", "enviado", "enviada"}
	positionTitles       = []string{
		"minister", "ministra", "ministro", "undersecretary", "under-secretary", "subsecretario", "subsecretaria",
		"secretary", "secretario", "secretaria", "director", "directora", "head", "jefe", "jefa", "commissioner",
		"comisario", "comisaria", "president", "presidente", "presidenta", "chief", "officer", "adviser", "advisor",
		"asesor", "asesora", "spokesperson", "portavoz", "commander", "comandante", "chair", "chairman",
		"chairwoman", "coordinator", "coordinador", "coordinadora", "viceministro", "viceministra", "canciller",
		"inspector", "general", "governor", "gobernador", "gobernadora", "deputy"}
)

// Statement verbs, and the pronouns that point back to the last person named.
var (
	statementVerbs = []string{
		"said", "says", "stated", "asserted", "declared", "noted", "stressed", "added", "pointed out",
		"underlined", "underscored", "affirmed", "explained", "told", "highlighted", "emphasised", "emphasized",
		"remarked", "warned", "insisted", "acknowledged", "argued", "concluded", "indicated", "mentioned",
		"dijo", "afirmó", "señaló", "destacó", "aseguró", "indicó", "expresó", "subrayó", "manifestó", "agregó",
		"añadió", "explicó", "recalcó", "enfatizó", "sostuvo", "declaró", "detalla", "detalló", "apuntó",
		"insistió", "resaltó", "advirtió", "reconoció", "puso en valor", "comentó", "mencionó", "afirma",
		"señala", "destaca", "asegura"}
	pronouns = []string{"he", "she", "él", "ella"}

	opposeCues = []string{
		"limits", "limit", "oppose", "opposes", "opposed", "reject", "rejects", "rejected", "criticised",
		"criticized", "insufficient", "fails", "failure", "not enough", "rechaza", "rechazó", "critica",
		"criticó", "límites", "insuficiente", "fracaso", "se opone", "no es suficiente", "no basta"}
	supportCues = []string{
		"support", "supports", "welcome", "welcomes", "welcomed", "strong", "strengthen", "must", "important",
		"appreciate", "appreciates", "willingness", "responds", "promoted", "commitment", "key", "apoyo",
		"apoya", "respalda", "fortalecer", "reforzar", "importante", "debemos", "voluntad", "compromiso",
		"clave", "celebra", "valor", "poderosa", "inversión", "refuerza", "impulsar", "fortalece", "strengthens"}
)

// Anaphora: a definite description of the document's focal event or
// programme ("This technical workspace", "el programa"), and "the
// Government" for the document's focal country.
var (
	determiners   = []string{"this", "the", "these", "that", "el", "la", "los", "las", "este", "esta", "estos", "estas", "dicho", "dicha", "del", "al"}
	eventHeads    = []string{"workspace", "meeting", "roundtable", "event", "summit", "seminar", "conference", "interlocutors", "encuentro", "mesa", "reunión", "evento", "cumbre", "seminario", "conferencia", "interlocutores", "contrapartes"}
	programHeads  = []string{"programme", "program", "project", "component", "programa", "proyecto", "componente"}
	countryHeads  = []string{"government", "gobierno"}
	agreementHead = []string{"agreement", "memorandum", "mou", "protocol", "convention", "accord", "treaty", "acuerdo", "memorando", "memorándum", "protocolo", "convenio", "tratado"}
)

// stopwords are left out when the words near an agreement's head word are
// compared with the graph's agreement names.
var stopwords = foldedSet([]string{"with", "which", "will", "that", "this", "from", "into", "have", "been",
	"their", "there", "para", "como", "entre", "sobre", "para", "desde", "hasta", "será", "that", "also",
	"efforts", "process"})

// Words that, just before a name inside another node's name, say the node
// is not part of it: "Delegation of the European Union to Ecuador",
// "programs financed by the EU".
var notPartBefore = foldedSet([]string{"to", "in", "en", "a", "ante", "for", "para", "by", "por", "with", "con"})
var articles = foldedSet([]string{"the", "el", "la", "los", "las"})
var notPartAfter = foldedSet([]string{"funded", "financed", "financiado", "financiados", "financiada", "financiadas"})

// folded returns each phrase as folded tokens.
func folded(phrases []string) [][]string {
	out := make([][]string, 0, len(phrases))
	for _, p := range phrases {
		if t := domain.Tokens(p); len(t) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// foldedSet returns the folded single words of list.
func foldedSet(words []string) map[string]bool {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[strings.Join(domain.Tokens(w), " ")] = true
	}
	return set
}

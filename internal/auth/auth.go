// Package auth holds the bearer tokens that let people write to the graph:
// each token has a name (recorded in history with every change it makes)
// and a role. Tokens are kept as SHA-256 hashes only, so the tokens file
// never holds a usable secret, and are compared in constant time.
package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// TokenPrefix starts every token NewToken makes, so one found in a log or a
// file is recognisable.
const TokenPrefix = "sg_"

// entry is one configured token.
type entry struct {
	actor domain.Actor
	hash  [sha256.Size]byte
}

// Tokens is the set of configured tokens. The zero value and nil hold none:
// reads are open and every write is refused.
type Tokens struct {
	entries []entry
}

// Len is how many tokens are configured.
func (t *Tokens) Len() int {
	if t == nil {
		return 0
	}
	return len(t.entries)
}

// Hash returns the hex SHA-256 of token, the form the tokens file holds.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns a new random token: TokenPrefix and 32 random bytes in
// URL-safe base64.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", domain.WrapError(domain.EINTERNAL, err, "cannot read random bytes for a token")
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// Line returns the tokens-file line for a token of the given name and role.
func Line(name string, role domain.Role, token string) string {
	return fmt.Sprintf("%s %s %s", name, role, Hash(token))
}

// LoadFile reads a tokens file (see Parse).
func LoadFile(path string) (*Tokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, domain.WrapError(domain.EINVALID, err, "cannot read the tokens file %s: %v", path, err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads tokens, one per line: a name, a role (reader, editor or
// admin) and the hex SHA-256 of the token, separated by white space. Blank
// lines and lines starting with # are ignored. Names and hashes must be
// unique. Every problem is listed with its line; file names them.
func Parse(r io.Reader, file string) (*Tokens, error) {
	t := &Tokens{}
	var problems []string
	names := map[string]int{}
	hashes := map[[sha256.Size]byte]int{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
		}
		fields := strings.Fields(text)
		if len(fields) != 3 {
			bad("want three fields, name role sha256, got %d", len(fields))
			continue
		}
		name, role, hash := fields[0], domain.Role(fields[1]), fields[2]
		var e entry
		e.actor = domain.Actor{Name: name, Role: role}
		if !role.Valid() {
			bad("role %q is not one of reader, editor, admin", role)
		}
		raw, err := hex.DecodeString(hash)
		if err != nil || len(raw) != sha256.Size {
			bad("the third field must be the token's SHA-256 in hex (64 characters; `stakegraph token` prints it), never the token itself")
		} else {
			copy(e.hash[:], raw)
			if first, dup := hashes[e.hash]; dup {
				bad("the same token as line %d", first)
			}
			hashes[e.hash] = line
		}
		if first, dup := names[name]; dup {
			bad("name %q is already used on line %d; the name is what history records", name, first)
		}
		names[name] = line
		t.entries = append(t.entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, domain.WrapError(domain.EINVALID, err, "cannot read the tokens file %s: %v", file, err)
	}
	if len(problems) > 0 {
		return nil, domain.Errorf(domain.EINVALID, "%s", strings.Join(problems, "\n"))
	}
	return t, nil
}

// lookup returns the actor whose token is token. Every entry is compared,
// in constant time, so the time taken says nothing about which matched.
func (t *Tokens) lookup(token string) (domain.Actor, bool) {
	sum := sha256.Sum256([]byte(token))
	var found domain.Actor
	match := 0
	for _, e := range t.entries {
		if subtle.ConstantTimeCompare(sum[:], e.hash[:]) == 1 {
			found, match = e.actor, 1
		}
	}
	return found, match == 1
}

// Presence says what a request's credentials amount to.
type Presence int

// The presences.
const (
	None    Presence = iota // no Authorization header
	Invalid                 // a header that is malformed or names no configured token
	Valid                   // a configured token
)

// Identity is who a request says it is.
type Identity struct {
	Presence Presence
	Actor    domain.Actor // set when Valid
	Problem  string       // why, when Invalid
}

// Identify reads the request's Authorization header. It never logs or
// returns the token.
func (t *Tokens) Identify(r *http.Request) Identity {
	header := r.Header.Get("Authorization")
	if header == "" {
		return Identity{}
	}
	scheme, token, ok := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return Identity{Presence: Invalid, Problem: "the Authorization header must be `Bearer <token>`"}
	}
	if t.Len() == 0 {
		return Identity{Presence: Invalid, Problem: "this server has no tokens configured, so it knows no token"}
	}
	actor, ok := t.lookup(token)
	if !ok {
		return Identity{Presence: Invalid, Problem: "the bearer token is not one this server knows (revoked, mistyped, or for another server)"}
	}
	return Identity{Presence: Valid, Actor: actor}
}

type identityKey struct{}

// WithIdentity returns ctx carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// FromContext returns the identity in ctx; None when there is none.
func FromContext(ctx context.Context) Identity {
	id, _ := ctx.Value(identityKey{}).(Identity)
	return id
}

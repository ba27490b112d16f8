package auth_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/domain"
)

func TestParseAndIdentify(t *testing.T) {
	alice, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	root, _ := auth.NewToken()
	if alice == root || !strings.HasPrefix(alice, auth.TokenPrefix) {
		t.Fatalf("NewToken: got %q and %q, want two different tokens with the prefix", alice, root)
	}
	file := "# who may write\n\n" + auth.Line("alice", domain.RoleEditor, alice) + "\n  " + auth.Line("root", domain.RoleAdmin, root) + "  \n"
	if strings.Contains(file, alice) || strings.Contains(file, root) {
		t.Fatalf("the tokens file holds a token itself:\n%s", file)
	}
	tokens, err := auth.Parse(strings.NewReader(file), "tokens")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if tokens.Len() != 2 {
		t.Errorf("Len: got %d, want 2", tokens.Len())
	}
	tests := []struct {
		header   string
		presence auth.Presence
		actor    domain.Actor
	}{
		{"", auth.None, domain.Actor{}},
		{"Bearer " + alice, auth.Valid, domain.Actor{Name: "alice", Role: domain.RoleEditor}},
		{"bearer " + root, auth.Valid, domain.Actor{Name: "root", Role: domain.RoleAdmin}},
		{"Bearer " + alice + "x", auth.Invalid, domain.Actor{}},
		{"Bearer ", auth.Invalid, domain.Actor{}},
		{"Basic " + alice, auth.Invalid, domain.Actor{}},
		{alice, auth.Invalid, domain.Actor{}},
		{"Bearer " + auth.Hash(alice), auth.Invalid, domain.Actor{}}, // the hash is not the token
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", "/graphql", nil)
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		id := tokens.Identify(req)
		if id.Presence != tt.presence || id.Actor != tt.actor {
			t.Errorf("Identify(%.12q…): got %v %+v, want %v %+v", tt.header, id.Presence, id.Actor, tt.presence, tt.actor)
		}
		if strings.Contains(id.Problem, alice) || strings.Contains(id.Problem, root) {
			t.Errorf("Identify: the problem %q repeats a token", id.Problem)
		}
	}
	var none *auth.Tokens
	req := httptest.NewRequest("POST", "/graphql", nil)
	req.Header.Set("Authorization", "Bearer "+alice)
	if id := none.Identify(req); id.Presence != auth.Invalid || none.Len() != 0 {
		t.Errorf("no tokens: got %v, want Invalid", id.Presence)
	}
}

func TestParseProblems(t *testing.T) {
	hash := auth.Hash("sg_one")
	file := strings.Join([]string{
		"alice editor " + hash,             // 1
		"bob writer " + auth.Hash("sg_2"),  // 2: unknown role
		"carol admin sg_plaintext",         // 3: not a hash
		"alice admin " + auth.Hash("sg_3"), // 4: name taken
		"dave reader " + hash,              // 5: same token as line 1
		"erin editor",                      // 6: two fields
	}, "\n")
	_, err := auth.Parse(strings.NewReader(file), "tokens.txt")
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("Parse: got %v, want EINVALID", err)
	}
	msg := domain.ErrorMessage(err)
	for _, want := range []string{
		`tokens.txt:2: role "writer" is not one of reader, editor, admin`,
		"tokens.txt:3: the third field must be the token's SHA-256",
		`tokens.txt:4: name "alice" is already used on line 1`,
		"tokens.txt:5: the same token as line 1",
		"tokens.txt:6: want three fields",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems lack %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "tokens.txt:1:") {
		t.Errorf("line 1 is fine, got a problem for it:\n%s", msg)
	}
}

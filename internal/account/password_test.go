package account

import (
	"errors"
	"testing"
)

func TestPolicy(t *testing.T) {
	p := Policy{MinLength: 8, MinClasses: 3, Argon2: Argon2Params{Time: 1, Memory: 1024, Threads: 1}}
	tests := []struct {
		pw string
		ok bool
	}{
		{"Abcdef1!", true},
		{"abcdef12", false},  // two classes
		{"Abc1!", false},     // too short
		{"检察Abc123", true},   // CJK counts as a symbol class
		{"ABCDEFGH1", false}, // two classes
	}
	for _, tt := range tests {
		err := p.CheckPolicy(tt.pw)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrWeakPassword)) {
			t.Errorf("CheckPolicy(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
		}
	}
	h, err := p.Hash("Abcdef1!")
	if err != nil {
		t.Fatal(err)
	}
	if !Verify(h, "Abcdef1!") || Verify(h, "Abcdef1?") || Verify("garbage", "Abcdef1!") {
		t.Error("Verify accepts the wrong thing")
	}
	h2, _ := p.Hash("Abcdef1!")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt missing")
	}
}

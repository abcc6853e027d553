package audit

import (
	"errors"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	prev := ""
	for i := 1; i <= n; i++ {
		r := Record{Actor: Actor{UserID: int64(i), Username: "u"}, Action: "case.view", ObjectType: "case", ObjectID: "1", Result: ResultOK}
		at := time.UnixMilli(int64(1000 * i))
		h := Chain(SHA256{}, int64(i), at.UnixMilli(), r, prev)
		out = append(out, Entry{Seq: int64(i), At: at, Record: r, PrevHash: prev, Hash: h})
		prev = h
	}
	return out
}

func verify(es []Entry, head Head) error {
	v := NewVerifier(SHA256{})
	for _, e := range es {
		if err := v.Next(e); err != nil {
			return err
		}
	}
	_, err := v.Finish(head)
	return err
}

func TestVerifier(t *testing.T) {
	good := chain(5)
	head := Head{Seq: 5, Hash: good[4].Hash}
	if err := verify(good, head); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	edit := chain(5)
	edit[2].Record.Detail = "x"
	swap := chain(5)
	swap[1], swap[2] = swap[2], swap[1]
	tests := []struct {
		name   string
		es     []Entry
		head   Head
		reason string
		seq    int64
	}{
		{"edit", edit, head, "hash", 3},
		{"delete middle", append(chain(5)[:2], chain(5)[3:]...), head, "gap", 4},
		{"delete last", chain(5)[:4], head, "head", 5},
		{"swap", swap, head, "gap", 3},
	}
	for _, tt := range tests {
		err := verify(tt.es, tt.head)
		var p *Problem
		if !errors.As(err, &p) || p.Reason != tt.reason || p.Seq != tt.seq {
			t.Errorf("%s: got %v, want %s at %d", tt.name, err, tt.reason, tt.seq)
		}
	}
	// Length prefixes: moving a character between fields changes the hash.
	a := Canonical(1, 1, Record{Action: "ab", ObjectType: "c"}, "")
	b := Canonical(1, 1, Record{Action: "a", ObjectType: "bc"}, "")
	if string(a) == string(b) {
		t.Error("canonical encoding is ambiguous")
	}
}

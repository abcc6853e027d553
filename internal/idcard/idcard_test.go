package idcard

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	// 11010519491231002X is the standard's own worked example.
	good, err := Build("990101", time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), 123)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want error
	}{
		{"11010519491231002X", nil},
		{"11010519491231002x", nil},
		{good, nil},
		{"110105194912310021", ErrChecksum},
		{"1101051949123100", ErrLength},
		{"1101051949123100A2", ErrFormat},
		{"11010519491331002X", ErrBirth},
		{"11010518990230002X", ErrBirth},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, err, tt.want)
		}
	}
	info, _ := Parse(good)
	if info.Female || info.Area != "990101" || info.Birth.Year() != 1990 {
		t.Errorf("info = %+v", info)
	}
}

func TestEverySingleDigitChangeIsCaught(t *testing.T) {
	n, _ := Build("990202", time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC), 456)
	for i := 0; i < 17; i++ {
		for d := byte('0'); d <= '9'; d++ {
			if d == n[i] {
				continue
			}
			b := []byte(n)
			b[i] = d
			if _, err := Parse(string(b)); err == nil {
				t.Fatalf("changing position %d to %c was not detected: %s", i, d, b)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("11010519491231002X")
	f.Add("")
	f.Add("99010119900517123X")
	f.Fuzz(func(t *testing.T, s string) {
		info, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Build(info.Area, info.Birth, int(s[14]-'0')*100+int(s[15]-'0')*10+int(s[16]-'0'))
		if err != nil || (again != s && again != s[:17]+"X") {
			t.Fatalf("round trip %q → %q (%v)", s, again, err)
		}
	})
}

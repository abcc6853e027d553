package assign

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func mem(id int64, name string, m, n int) Member {
	return Member{UserID: id, Name: name, M: m, N: n}
}

// run makes k rotation decisions and returns who got each case, as
// "name@round", and the final state.
func run(t *testing.T, members []Member, st State, k int) ([]string, State) {
	t.Helper()
	var got []string
	for range k {
		d, err := Next(members, st)
		if err != nil {
			t.Fatalf("Next(%+v): %v", st, err)
		}
		got = append(got, fmt.Sprintf("%s@%d", d.Name, d.Round))
		st = d.Next
	}
	return got, st
}

func TestNextRotation(t *testing.T) {
	a, b, c := mem(1, "甲", 1, 1), mem(2, "乙", 1, 1), mem(3, "丙", 1, 1)
	absentB := b
	absentB.Absent = true
	tests := []struct {
		name    string
		members []Member
		st      State
		k       int
		want    []string
		next    State
	}{
		{"full load in pool order", []Member{a, b, c}, State{}, 7,
			[]string{"甲@1", "乙@1", "丙@1", "甲@2", "乙@2", "丙@2", "甲@3"}, State{3, 1}},
		{"resumes from the cursor", []Member{a, b, c}, State{5, 2}, 2,
			[]string{"丙@5", "甲@6"}, State{6, 1}},
		{"cursor past a shrunk pool starts the next round", []Member{a, b}, State{4, 3}, 1,
			[]string{"甲@5"}, State{5, 1}},
		{"1/2 member every other round", []Member{a, mem(2, "乙", 1, 2)}, State{}, 6,
			[]string{"甲@1", "乙@1", "甲@2", "甲@3", "乙@3", "甲@4"}, State{4, 1}},
		{"2/3 member takes two rounds, skips one", []Member{a, mem(2, "乙", 2, 3)}, State{}, 8,
			[]string{"甲@1", "乙@1", "甲@2", "乙@2", "甲@3", "甲@4", "乙@4", "甲@5"}, State{5, 1}},
		{"1/3 member alone waits for its round", []Member{mem(2, "乙", 1, 3)}, State{2, 0}, 2,
			[]string{"乙@4", "乙@7"}, State{8, 0}},
		{"absent member passed over", []Member{a, absentB, c}, State{}, 4,
			[]string{"甲@1", "丙@1", "甲@2", "丙@2"}, State{3, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, next := run(t, tt.members, tt.st, tt.k)
			if !slices.Equal(got, tt.want) || next != tt.next {
				t.Errorf("got %v next %+v, want %v next %+v", got, next, tt.want, tt.next)
			}
		})
	}
}

func TestAbsenceIsNotCompensated(t *testing.T) {
	a, b, c := mem(1, "甲", 1, 1), mem(2, "乙", 1, 1), mem(3, "丙", 1, 1)
	b.Absent = true
	_, st := run(t, []Member{a, b, c}, State{}, 4) // 乙 misses rounds 1 and 2
	b.Absent = false
	got, _ := run(t, []Member{a, b, c}, st, 6)
	want := []string{"甲@3", "乙@3", "丙@3", "甲@4", "乙@4", "丙@4"}
	if !slices.Equal(got, want) {
		t.Errorf("after return got %v, want %v (no catch-up)", got, want)
	}
}

func TestCompensationServedFirst(t *testing.T) {
	a, b, c := mem(1, "甲", 1, 1), mem(2, "乙", 1, 2), mem(3, "丙", 1, 1)
	b.Compensation = 2
	absentC := c
	absentC.Absent, absentC.Compensation = true, 5
	tests := []struct {
		name    string
		members []Member
		want    string
	}{
		{"owed member first, weight ignored", []Member{a, b, c}, "乙"},
		{"first owed member in pool order", []Member{a, c, b, func() Member { c := c; c.UserID = 4; c.Compensation = 1; return c }()}, "乙"},
		{"absent owed member waits", []Member{a, absentC}, "甲"},
	}
	st := State{Round: 2, Cursor: 1}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Next(tt.members, st)
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != tt.want {
				t.Fatalf("got %s, want %s", d.Name, tt.want)
			}
		})
	}

	d, _ := Next([]Member{a, b, c}, st)
	if !d.Compensated || d.Next != st || d.Round != 2 || len(d.Steps) != 1 || d.Steps[0].Kind != StepCompensation {
		t.Errorf("compensated decision = %+v, want Compensated, state unchanged, one step", d)
	}
	// The caller decrements; the rotation then carries on where it was.
	b.Compensation = 0
	got, _ := run(t, []Member{a, b, c}, d.Next, 2)
	if want := []string{"丙@2", "甲@3"}; !slices.Equal(got, want) {
		t.Errorf("after compensation got %v, want %v", got, want)
	}
}

func TestNoEligibleMember(t *testing.T) {
	a, b := mem(1, "甲", 1, 1), mem(2, "乙", 1, 12)
	a.Absent, b.Absent = true, true
	for name, ms := range map[string][]Member{"empty": nil, "all absent": {a, b}} {
		if _, err := Next(ms, State{}); !errors.Is(err, ErrNoEligibleMember) {
			t.Errorf("%s: err = %v, want ErrNoEligibleMember", name, err)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := mem(1, "甲", 1, 1)
	with := func(f func(*Member)) Member { m := mem(2, "乙", 1, 2); f(&m); return m }
	tests := []struct {
		name    string
		members []Member
		want    error
	}{
		{"empty pool", nil, nil},
		{"valid weights", []Member{ok, mem(2, "乙", 1, 2), mem(3, "丙", 2, 3), mem(4, "丁", 12, 12)}, nil},
		{"m zero", []Member{ok, with(func(m *Member) { m.M = 0 })}, ErrInvalidWeight},
		{"m above n", []Member{ok, with(func(m *Member) { m.M, m.N = 3, 2 })}, ErrInvalidWeight},
		{"n above max", []Member{ok, with(func(m *Member) { m.N = MaxN + 1 })}, ErrInvalidWeight},
		{"n zero", []Member{ok, with(func(m *Member) { m.M, m.N = 0, 0 })}, ErrInvalidWeight},
		{"no user id", []Member{ok, with(func(m *Member) { m.UserID = 0 })}, ErrInvalidMember},
		{"blank name", []Member{ok, with(func(m *Member) { m.Name = " " })}, ErrInvalidMember},
		{"negative compensation", []Member{ok, with(func(m *Member) { m.Compensation = -1 })}, ErrInvalidCompensation},
		{"duplicate", []Member{ok, with(func(m *Member) { m.UserID = 1 })}, ErrDuplicateMember},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.members)
			if (tt.want == nil) != (err == nil) || !errors.Is(err, tt.want) {
				t.Errorf("Validate = %v, want %v", err, tt.want)
			}
			if tt.want != nil {
				if _, err := Next(tt.members, State{}); !errors.Is(err, tt.want) {
					t.Errorf("Next = %v, want %v", err, tt.want)
				}
			}
		})
	}
	both := with(func(m *Member) { m.M, m.Compensation = 0, -1 })
	if err := Validate([]Member{both}); !errors.Is(err, ErrInvalidWeight) || !errors.Is(err, ErrInvalidCompensation) {
		t.Errorf("Validate reports every problem, got %v", err)
	}
}

func TestDesignate(t *testing.T) {
	h := mem(7, "李某某", 1, 2)
	h.Absent = true // a designation is a deliberate decision, not a turn
	st := State{Round: 17, Cursor: 3}
	tests := []struct {
		name, by, reason string
		handler          Member
		want             error
	}{
		{"recorded", "张检察长", "重大疑难案件", h, nil},
		{"blank reason", "张检察长", " \t", h, ErrReasonRequired},
		{"no reason", "张检察长", "", h, ErrReasonRequired},
		{"blank designator", "  ", "重大疑难案件", h, ErrDesignatorRequired},
		{"handler without id", "张检察长", "重大疑难案件", Member{Name: "某"}, ErrInvalidMember},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Designate(st, tt.handler, tt.by, tt.reason)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			if !d.Designated || d.UserID != 7 || d.Designator != "张检察长" || d.Reason != "重大疑难案件" ||
				d.Next != st || d.Round != 17 || d.Compensated {
				t.Errorf("decision = %+v", d)
			}
		})
	}
}

// Equal-weight members never differ by more than one case, wherever the
// rotation starts and however many cases come.
func TestFairnessEqualWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(2015, 26))
	for trial := range 300 {
		n := 1 + r.IntN(20)
		members := make([]Member, n)
		for i := range members {
			members[i] = mem(int64(i+1), fmt.Sprint("成员", i), 1, 1)
		}
		st := State{Round: 1 + r.IntN(50), Cursor: r.IntN(n)}
		k := 1 + r.IntN(500)
		counts := make([]int, n)
		for i := range k {
			d, err := Next(members, st)
			if err != nil {
				t.Fatal(err)
			}
			counts[d.UserID-1]++
			st = d.Next
			if lo, hi := slices.Min(counts), slices.Max(counts); hi-lo > 1 {
				t.Fatalf("trial %d (n=%d): after %d cases counts %v differ by %d", trial, n, i+1, counts, hi-lo)
			}
		}
	}
}

// Over long runs cases follow the weights m/n.
func TestWeightProportions(t *testing.T) {
	t.Run("1/1 vs 1/2 is 2:1 within one at every point", func(t *testing.T) {
		members := []Member{mem(1, "甲", 1, 1), mem(2, "乙", 1, 2)}
		var a, b int
		st := State{}
		for i := range 3000 {
			d, err := Next(members, st)
			if err != nil {
				t.Fatal(err)
			}
			if d.UserID == 1 {
				a++
			} else {
				b++
			}
			st = d.Next
			if diff := a - 2*b; diff < -1 || diff > 1 {
				t.Fatalf("after %d cases 甲 %d, 乙 %d", i+1, a, b)
			}
		}
	})
	t.Run("mixed weights per cycle of lcm rounds", func(t *testing.T) {
		members := []Member{mem(1, "甲", 1, 1), mem(2, "乙", 1, 2), mem(3, "丙", 2, 3), mem(4, "丁", 1, 3)}
		// Six rounds (lcm of 1, 2, 3) give 6 + 3 + 4 + 2 = 15 cases.
		counts := map[int64]int{}
		st := State{}
		for range 15 * 100 {
			d, err := Next(members, st)
			if err != nil {
				t.Fatal(err)
			}
			counts[d.UserID]++
			st = d.Next
		}
		want := map[int64]int{1: 600, 2: 300, 3: 400, 4: 200}
		for id, w := range want {
			if got := counts[id]; got < w-1 || got > w+1 {
				t.Errorf("member %d got %d cases, want %d±1", id, got, w)
			}
		}
		// Round 600 is the last of a cycle, where only 甲 takes part.
		if st != (State{Round: 600, Cursor: 1}) {
			t.Errorf("after 100 cycles state = %+v", st)
		}
	})
}

func BenchmarkNext(b *testing.B) {
	members := make([]Member, 20)
	for i := range members {
		n := 1 + i%4
		members[i] = mem(int64(i+1), "成员", 1+i%n, n)
		members[i].Absent = i%7 == 3
	}
	st := State{}
	for b.Loop() {
		d, err := Next(members, st)
		if err != nil {
			b.Fatal(err)
		}
		st = d.Next
	}
}

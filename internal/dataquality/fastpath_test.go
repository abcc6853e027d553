package dataquality

import (
	"slices"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// TestFastPathAgrees compiles every shipped rule with and without the
// fast path and runs both on every card of the rule cases (hits and near
// misses of all rules, each on every rule): the answers must be the same.
func TestFastPathAgrees(t *testing.T) {
	rules, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	type pair struct {
		id         string
		fast, slow *vm.Program
	}
	var progs []pair
	rewritten := 0
	for _, r := range rules {
		fast, err := compileWhen(r.When)
		if err != nil {
			t.Fatal(err)
		}
		pc := &constPatterns{}
		slow, err := expr.Compile(r.When, append(slices.Clip(exprOptions), expr.Patch(pc))...)
		if err != nil {
			t.Fatal(err)
		}
		if len(fast.Bytecode) != len(slow.Bytecode) || !slices.Equal(fast.Bytecode, slow.Bytecode) {
			rewritten++
		}
		progs = append(progs, pair{r.ID, fast, slow})
	}
	if rewritten < 30 {
		t.Errorf("the fast path rewrote %d rules; want most of those using blank or before", rewritten)
	}
	envs := 0
	for _, rc := range loadCases(t) {
		for _, cc := range append(slices.Clone(rc.Hit), rc.Miss...) {
			env := cc.env(t, rc.Base)
			envs++
			for _, p := range progs {
				f, ferr := expr.Run(p.fast, env)
				s, serr := expr.Run(p.slow, env)
				if (ferr != nil) != (serr != nil) || f != s {
					t.Errorf("%s on a case of %s: fast %v (%v), slow %v (%v)", p.id, rc.Rule, f, ferr, s, serr)
				}
			}
		}
	}
	if envs < 150 {
		t.Fatalf("only %d cards compared", envs)
	}
}

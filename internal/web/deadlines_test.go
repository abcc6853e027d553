package web_test

import (
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// The case page shows the statutory clocks derived from the timeline: a
// prosecution review received on 2 March 2026 with the suspect in custody
// runs one month to 2 April (CPL 172), then the 15-day extension and the
// return for supplementary investigation recorded on it, step by step.
func TestCasePageShowsDeadlines(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		r := e.login(t, "a_case_manager").get("/cases/" + itoa(e.assigned))
		if r.status != 200 {
			t.Fatalf("case page: %d", r.status)
		}
		for _, want := range []string{"法定期限", "审查起诉期限", "《刑事诉讼法》第一百七十二条", "3月2日受理", "1个月 → 4月2日",
			"退回补充侦查期限", "在押不顺延"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		noMissingKeys(t, "case page", r)
	})
}

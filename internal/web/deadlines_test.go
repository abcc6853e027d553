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

// The calculator refuses an impossible date at its field and names an event
// the engine cannot apply, with nothing stored either way (it stores nothing).
func TestCalculatorRefusals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		c := e.login(t, "a_prosecutor")
		r := c.get("/deadlines/calc?category=prosecution_review&events%5B0%5D.type=received&events%5B0%5D.date=2025-02-30")
		if r.status != 422 || !strings.Contains(r.body, "第1个事件：不是有效日期") {
			t.Errorf("impossible date: %d", r.status)
		}
		r = c.get("/deadlines/calc?category=prosecution_review&today=2025-05-01&events%5B0%5D.type=received&events%5B0%5D.date=2025-03-04" +
			"&events%5B1%5D.type=resubmitted&events%5B1%5D.date=2025-03-10")
		if r.status != 422 || !strings.Contains(r.body, "未退回补充侦查，不能重新移送") {
			t.Errorf("resubmission without return: %d", r.status)
		}
		noMissingKeys(t, "calculator", r)
		if r := c.get("/deadlines/calc"); r.status != 200 || strings.Contains(r.body, "计算结果") {
			t.Errorf("empty calculator: %d", r.status)
		}
	})
}

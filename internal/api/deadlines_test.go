package api_test

import (
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
)

// A case read through the API carries its statutory clocks: received on
// 2 March 2026 with the suspect in custody, the review runs one month to
// 2 April (CPL 172); a return stops it and starts the one-month
// supplementary investigation (CPL 175).
func TestCaseCarriesDeadlines(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		id := e.register(t, apptest.Intake(1))
		e.designate(t, id, "a_prosecutor")
		e.event(t, id, "a_prosecutor", "returned", "2026-03-10", "")
		var got struct {
			Deadlines []struct {
				Kind, Name, Basis, Start, Due, State, Colour string
				InCustody                                    bool `json:"in_custody"`
				Explanation                                  []string
			}
		}
		e.do(t, "a_case_manager", "GET", "/api/v1/cases/"+itoa(id), nil).decode(t, &got)
		var kinds []string
		for _, d := range got.Deadlines {
			kinds = append(kinds, d.Kind+":"+d.State+":"+d.Due)
			if d.Kind == "prosecution_review" && (!d.InCustody || !strings.Contains(strings.Join(d.Explanation, "；"), "3月2日受理") ||
				d.Name != "审查起诉期限" || !strings.Contains(d.Basis, "第一百七十二条")) {
				t.Errorf("review clock %+v", d)
			}
		}
		all := strings.Join(kinds, " ")
		for _, want := range []string{"prosecution_review:stopped:2026-04-02", "supplementary_investigation:running:2026-04-10"} {
			if !strings.Contains(all, want) {
				t.Errorf("deadlines %s lack %s", all, want)
			}
		}
	})
}

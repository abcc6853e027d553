package api

import (
	"net/http"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/org"
)

// What the aided units share beyond aggregates (共享内容): each aided
// unit's evaluation review and anonymised problem list, as the agreement
// says. reviews is null when the agreement does not share reviews, and
// problems empty when it does not share problem lists.

type aidSharedUnitJSON struct {
	Unit          aid.Unit            `json:"unit"`
	Reviews       *aidReviewJSON      `json:"reviews"`
	Problems      []aid.SharedProblem `json:"problems"`
	ProblemsTotal int                 `json:"problems_total"`
}

type aidReviewJSON struct {
	Records      int              `json:"records"`
	WithProblems int              `json:"with_problems"`
	WithSerious  int              `json:"with_serious"`
	Items        []aid.ReviewItem `json:"items"`
}

type aidSharedJSON struct {
	Shares aid.Shares          `json:"shares"`
	From   string              `json:"from"`
	To     string              `json:"to"`
	Units  []aidSharedUnitJSON `json:"units"`
}

func (h *Handler) aidGetShared(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := h.Aid.Shared(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	out := aidSharedJSON{Shares: s.Pairing.Shares, From: s.From, To: s.To, Units: []aidSharedUnitJSON{}}
	for _, su := range s.Units {
		j := aidSharedUnitJSON{Unit: su.Unit, Problems: aidList(su.Problems), ProblemsTotal: su.ProblemsTotal}
		if rv := su.Reviews; rv != nil {
			j.Reviews = &aidReviewJSON{Records: rv.Records, WithProblems: rv.WithProblems, WithSerious: rv.WithSerious,
				Items: aidList(rv.Items)}
		}
		out.Units = append(out.Units, j)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

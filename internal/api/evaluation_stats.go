package api

import (
	"net/http"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// statistics answers with the evaluation statistics of one grade scale
// (grades of different scales do not mix): the final grades by unit,
// department, handler, category or evaluator, the items most often found
// wanting, and each evaluator's calibration.
func (h *Handler) statistics(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	f := evaluation.StatsFilter{ScaleCode: q.Get("scale"), Category: q.Get("category"), From: q.Get("from"),
		To: q.Get("to"), ActivityID: queryID(q, "activity_id", v)}
	by := evaluation.GroupBy(q.Get("by"))
	if by == "" {
		by = evaluation.ByUnit
	}
	if err := v.Err(); err != nil {
		return err
	}
	ctx, req := r.Context(), evalRequest(r, u)
	sc, err := h.scaleByCode(r, u, f.ScaleCode)
	if err != nil {
		return err
	}
	f.ScaleCode = sc.Code
	rows, err := h.Evaluation.GradeDistribution(ctx, req, f, by)
	if err != nil {
		return err
	}
	frequent, err := h.Evaluation.FrequentFindings(ctx, req, f, 20)
	if err != nil {
		return err
	}
	cal, err := h.Evaluation.Calibration(ctx, req, f)
	if err != nil {
		return err
	}
	out := evalStatisticsJSON{ScaleCode: sc.Code, Grades: gradeJSON(sc), By: string(by), Rows: []evalGradeRowJSON{},
		Frequent: []evalFindingCountJSON{}, Calibration: []evalCalibrationJSON{}}
	for _, row := range rows {
		out.Rows = append(out.Rows, evalGradeRowJSON{Key: row.Key, Name: row.Name, Counts: nonNil(row.Counts),
			Total: row.Total})
	}
	for _, fc := range frequent {
		out.Frequent = append(out.Frequent, evalFindingCountJSON{ItemCode: fc.ItemCode, Title: fc.Title,
			Aspect: string(fc.Aspect), Flaws: fc.Flaws, Serious: fc.Serious, Total: fc.Total, Records: fc.Records})
	}
	for _, c := range cal {
		out.Calibration = append(out.Calibration, evalCalibrationJSON{EvaluatorID: c.EvaluatorID, Name: c.Name,
			Records: c.Records, Grades: nonNil(c.Grades), Findings: c.Findings, Objected: c.Objected,
			Overturned: c.Overturned, OverturnedShare: c.OverturnedShare()})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// scaleByCode finds a stored template's scale by its code ("": the
// newest code, as the page shows by default); an unknown code is refused
// on "scale".
func (h *Handler) scaleByCode(r *http.Request, u org.User, code string) (evaluation.Scale, error) {
	ctx, req := r.Context(), evalRequest(r, u)
	infos, err := h.Evaluation.Templates(ctx, req)
	if err != nil {
		return evaluation.Scale{}, err
	}
	var id int64
	newest := ""
	for _, i := range infos {
		if i.ScaleCode == code || (code == "" && i.ScaleCode > newest) {
			id, newest = i.ID, i.ScaleCode
		}
	}
	if id == 0 {
		v := &apperr.Validation{}
		v.AddLabeled("scale", "evaluation.field.scale_code", "err.unknown_value")
		return evaluation.Scale{}, v
	}
	t, err := h.Evaluation.Template(ctx, req, id)
	return t.Scale, err
}

func nonNil(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

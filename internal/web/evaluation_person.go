package web

import (
	"net/http"
	"sort"

	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// PersonQualityPage is a prosecutor's quality record (办案质量档案): their
// self-checks and evaluated cases, the final grades under each scale and
// the points they bring by the unit's rule.
type PersonQualityPage struct {
	QualityBase
	Q      evaluation.QualityRecord
	Grades []ScaleGrades
	Checks []CheckRow
	Recs   []RecordRow
}

// ScaleGrades counts one scale's final grades.
type ScaleGrades struct {
	Name   string
	Grades []LabelCount
}

// LabelCount is a labelled count.
type LabelCount struct {
	Label  string
	Count  int
	Points int
}

func (h *Handler) personQuality(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	q, err := h.Evaluation.QualityRecord(ctx, req, id)
	if err != nil {
		return err
	}
	p := &PersonQualityPage{Q: q}
	p.QualityBase = h.qualityBase(u, h.T.T("ui.evaluation.person_title", q.Name), "")
	today := h.Evaluation.Today()
	for _, c := range q.SelfChecks {
		p.Checks = append(p.Checks, h.checkRow(c, today))
	}
	if p.Recs, err = h.recordRows(ctx, req, q.Records); err != nil {
		return err
	}
	// The scale of each record's template names the grades counted.
	sc := h.scalesFor(ctx, req)
	scalesByCode := map[string]evaluation.Scale{}
	for _, rec := range q.Records {
		s, err := sc.of(rec.TemplateID)
		if err != nil {
			return err
		}
		scalesByCode[s.Code] = s
	}
	codes := make([]string, 0, len(q.Grades))
	for code := range q.Grades {
		codes = append(codes, code)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(codes)))
	for _, code := range codes {
		s := scalesByCode[code]
		g := ScaleGrades{Name: s.Name}
		for _, gr := range s.Grades {
			g.Grades = append(g.Grades, LabelCount{Label: gr.Label, Count: q.Grades[code][gr.Code], Points: gr.Points})
		}
		p.Grades = append(p.Grades, g)
	}
	return h.render(w, r, http.StatusOK, "evaluation_person", p)
}

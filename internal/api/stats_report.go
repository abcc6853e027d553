package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/org"
)

// statsReport answers with a unit's monthly analysis report (业务数据分析
// 研判) as a Word document: the same figures as /stats/values, with the
// trend and comparison charts as images.
func (h *Handler) statsReport(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	v := &apperr.Validation{}
	unit := queryID(q, "unit", v)
	if err := v.Err(); err != nil {
		return err
	}
	if unit == 0 {
		unit = u.UnitID
	}
	month := q.Get("month")
	if month == "" {
		month = h.Stats.Month()
	}
	doc, err := h.Stats.MonthlyReport(r.Context(), statsRequest(r, u), unit, month, h.T.T)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, doc); err != nil {
		return err
	}
	w.Header().Set("Content-Type", docxMediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="analysis-%s.docx"; filename*=UTF-8''%s`,
		url.PathEscape(month), strings.ReplaceAll(url.QueryEscape(doc.Title+".docx"), "+", "%20")))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

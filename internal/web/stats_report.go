package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/org"
)

// statsReport downloads the monthly analysis report (业务数据分析研判) of a
// unit as DOCX: the month's indicators against the previous month and a
// year earlier, trend and comparison charts as images, and the
// definitions. Without a month it is the current month.
func (h *Handler) statsReport(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	unit := u.UnitID
	if s := q.Get("unit"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return apperr.Invalid("unit", "err.id_invalid")
		}
		unit = id
	}
	month := q.Get("month")
	if month == "" {
		month = h.Stats.Month()
	}
	doc, err := h.Stats.MonthlyReport(r.Context(), h.statsRequest(r, u), unit, month, h.T.T)
	if err != nil {
		return err
	}
	// Written to a buffer first: a failure sends an error page, not half
	// a document.
	var buf bytes.Buffer
	if err := docx.Write(&buf, doc); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), docxType, doc.Title+".docx", "analysis-"+month+".docx")
}

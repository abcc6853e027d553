package api

import (
	"net/http"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/org"
)

// clockList is the answer of GET /cases/{id}/clocks.
type clockList struct {
	Today  string         `json:"today"`
	Clocks []deadlineJSON `json:"clocks"`
}

// caseClocks answers with the statutory clocks of one case, explained.
func (h *Handler) caseClocks(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := h.Cases.Get(r.Context(), request(r, u), id)
	if err != nil {
		return err
	}
	deadlines, err := h.Cases.Deadlines(d)
	if err != nil {
		return err
	}
	out := clockList{Today: h.Cases.Today(), Clocks: []deadlineJSON{}}
	for _, dl := range deadlines {
		out.Clocks = append(out.Clocks, toDeadlineJSON(dl, h.T.T))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// boardRowJSON is one running clock on the monitoring board.
type boardRowJSON struct {
	ClockID        int64  `json:"clock_id"`
	CaseID         int64  `json:"case_id"`
	CaseName       string `json:"case_name"`
	StageNo        string `json:"stage_no"`
	Category       string `json:"category"`
	Kind           string `json:"kind"`
	Name           string `json:"name"`
	Seq            int    `json:"seq"`
	Start          string `json:"start"`
	Due            string `json:"due"`
	Colour         string `json:"colour"`
	DaysLeft       int    `json:"days_left"`
	InCustody      bool   `json:"in_custody"`
	BeyondCalendar bool   `json:"beyond_calendar"`
	HandlerID      *int64 `json:"handler_id"`
	HandlerName    string `json:"handler_name"`
	DepartmentID   *int64 `json:"department_id"`
	DepartmentName string `json:"department_name"`
}

// colourCountsJSON counts running clocks per warning colour.
type colourCountsJSON struct {
	Red    int `json:"red"`
	Orange int `json:"orange"`
	Yellow int `json:"yellow"`
	None   int `json:"none"`
	Total  int `json:"total"`
}

// boardJSON is one page of the board with the counts of the same filter.
type boardJSON struct {
	Today  string           `json:"today"`
	Counts colourCountsJSON `json:"counts"`
	Items  []boardRowJSON   `json:"items"`
	Next   *string          `json:"next"`
}

func optionalID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// board answers with one page of the monitoring board.
func (h *Handler) board(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	f := casefile.BoardFilter{Category: q.Get("category"), Kind: q.Get("kind"), Colour: q.Get("colour"), After: q.Get("next")}
	v := &apperr.Validation{}
	f.DepartmentID = queryID(q, "department_id", v)
	f.HandlerID = queryID(q, "handler_id", v)
	f.Limit = queryLimit(q, v)
	if err := v.Err(); err != nil {
		return err
	}
	req := request(r, u)
	rows, next, err := h.Board.List(r.Context(), req, f)
	if err != nil {
		return err
	}
	cc, err := h.Board.CountsFor(r.Context(), req.P, f)
	if err != nil {
		return err
	}
	today := h.Cases.Today()
	out := boardJSON{Today: today, Items: []boardRowJSON{},
		Counts: colourCountsJSON{Red: cc.Red, Orange: cc.Orange, Yellow: cc.Yellow, None: cc.None, Total: cc.Total}}
	for _, b := range rows {
		out.Items = append(out.Items, boardRowJSON{ClockID: b.ClockID, CaseID: b.CaseID, CaseName: b.CaseName,
			StageNo: b.StageNo, Category: b.Category, Kind: b.Kind, Name: h.T.T("deadline.kind." + b.Kind), Seq: b.Seq,
			Start: b.Start, Due: b.Due, Colour: string(b.Colour(today)), DaysLeft: b.DaysLeft(today),
			InCustody: b.InCustody, BeyondCalendar: b.BeyondCalendar, HandlerID: optionalID(b.HandlerID),
			HandlerName: b.HandlerName, DepartmentID: optionalID(b.DepartmentID), DepartmentName: b.DepartmentName})
	}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

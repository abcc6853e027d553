package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/org"
)

// BoardPage is the monitoring board (流程监控台): every running statutory
// clock in the principal's scope, the most urgent first, with a count per
// warning colour.
type BoardPage struct {
	Base
	Filter      casefile.BoardFilter
	Rows        []casefile.BoardRow
	Counts      casefile.ColourCounts
	Today       string
	Categories  []casefile.Category
	Kinds       []string
	Departments []org.Department
	MultiUnit   bool
	NextURL     string
	// ColourURL gives the page filtered by a colour, keeping the other
	// filters (the counts are links).
	ColourURL map[string]string
}

func boardFilter(q url.Values) casefile.BoardFilter {
	f := casefile.BoardFilter{Category: q.Get("category"), Kind: q.Get("kind"), Colour: q.Get("colour"),
		After: q.Get("after"), Limit: 50}
	if id, err := strconv.ParseInt(q.Get("department"), 10, 64); err == nil && id > 0 {
		f.DepartmentID = id
	}
	if id, err := strconv.ParseInt(q.Get("handler_id"), 10, 64); err == nil && id > 0 {
		f.HandlerID = id
	}
	return f
}

func (h *Handler) board(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	p := &BoardPage{Filter: boardFilter(q), Today: h.Cases.Today(), ColourURL: map[string]string{}}
	p.Title = h.T.T("ui.nav.board")
	if q.Get("handler") == "me" {
		p.Filter.HandlerID = u.ID
	}
	req := h.request(r, u)
	p.MultiUnit = access.CaseScope(req.P).UnitPathPrefix != ""
	var err error
	if p.Categories, err = h.Cases.Categories(r.Context()); err != nil {
		return err
	}
	p.Kinds = h.Cases.Clocker().Engine.Rules().Kinds()
	if !p.MultiUnit {
		if p.Departments, err = h.Org.Departments(r.Context(), u.UnitID); err != nil {
			return err
		}
	}
	var next string
	p.Rows, next, err = h.Board.List(r.Context(), req, p.Filter)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, http.StatusUnprocessableEntity, "board", p)
	}
	if err != nil {
		return err
	}
	if p.Counts, err = h.Board.CountsFor(r.Context(), req.P, p.Filter); err != nil {
		return err
	}
	for _, c := range []string{"", "red", "orange", "yellow", "none"} {
		cq := url.Values{}
		for k, v := range q {
			if k != "after" && k != "colour" {
				cq[k] = v
			}
		}
		if c != "" {
			cq.Set("colour", c)
		}
		p.ColourURL[c] = "/board?" + cq.Encode()
	}
	if next != "" {
		nq := url.Values{}
		for k, v := range q {
			if k != "after" {
				nq[k] = v
			}
		}
		nq.Set("after", next)
		p.NextURL = "/board?" + nq.Encode()
	}
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Target") == "board-table" {
		return h.fragment(w, "board", "board_table", p)
	}
	return h.render(w, r, http.StatusOK, "board", p)
}

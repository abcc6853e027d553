package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/org"
)

// calcRows is how many event rows the calculator form offers.
const calcRows = 8

// CalcRow is one event row of the calculator form.
type CalcRow struct {
	I    int
	Code string
	Date string
}

// CalculatorPage is the deadline calculator (期限计算器): the engine behind
// the case pages, open to every signed-in user with no case data, so a new
// case manager can check a deadline and see each step of the count.
type CalculatorPage struct {
	Base
	In         deadline.Case
	Today      string
	Rows       []CalcRow
	Categories []string
	Kinds      []string
	Events     []string
	Computed   bool
	Clocks     []casefile.Deadline
	Problems   []string
}

func (h *Handler) calculator(w http.ResponseWriter, r *http.Request, _ org.User) error {
	q := r.URL.Query()
	p := &CalculatorPage{Categories: deadline.Categories(), Events: deadline.EventCodes(), Today: q.Get("today")}
	// A kind named like a category (prosecution_review) is computed by the
	// category; list only the kinds that are periods of their own.
	for _, k := range deadline.DefaultRules().Kinds() {
		if !slices.Contains(p.Categories, k) {
			p.Kinds = append(p.Kinds, k)
		}
	}
	p.Title = h.T.T("ui.nav.calculator")
	p.In = deadline.Case{Category: q.Get("category"), InCustody: q.Get("in_custody") != "",
		FastTrack: q.Get("fast_track") != "", SentenceOverOneYear: q.Get("sentence_over_1y") != "",
		Major: q.Get("major") != "", Urgent: q.Get("urgent") != ""}
	if p.Today == "" {
		p.Today = deadline.Today(h.Now()).String()
	}
	errs := fieldErrors{}
	today, err := deadline.ParseDate(p.Today)
	if err != nil {
		errs.add("today", h.T.T("ui.calc.today")+"："+h.T.T("err.date_invalid"))
	}
	for i := 0; i < calcRows; i++ {
		row := CalcRow{I: i, Code: q.Get(fmt.Sprintf("events[%d].type", i)), Date: strings.TrimSpace(q.Get(fmt.Sprintf("events[%d].date", i)))}
		p.Rows = append(p.Rows, row)
		if row.Code == "" && row.Date == "" {
			continue
		}
		field := fmt.Sprintf("events[%d].date", i)
		d, err := deadline.ParseDate(row.Date)
		if err != nil {
			errs.add(field, h.T.T("ui.calc.event_n", i+1)+"："+h.T.T("err.date_invalid"))
			continue
		}
		p.In.Events = append(p.In.Events, deadline.Event{Code: row.Code, Date: d})
	}
	if p.In.Category == "" {
		// The empty form: nothing to compute yet.
		return h.render(w, r, http.StatusOK, "calculator", p)
	}
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, http.StatusUnprocessableEntity, "calculator", p)
	}
	clocks, problems := h.Cases.Calculate(p.In, today)
	p.Clocks = clocks
	for _, pr := range problems {
		p.Problems = append(p.Problems, pr.Message(h.T.T))
	}
	p.Computed = true
	status := http.StatusOK
	if len(p.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, r, status, "calculator", p)
}

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

func (h *Handler) request(r *http.Request, u org.User) casefile.Request {
	return casefile.Request{P: u.Principal(), Client: reqctx.Client(r.Context()), RequestID: reqctx.RequestID(r.Context())}
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// HomePage is the workbench start page.
type HomePage struct {
	Base
	Handles   bool // prosecutors and assistants handle cases of their own
	MyCases   []casefile.Case
	MyOpen    int
	Recent    []casefile.Case // latest intakes in scope, for everyone else
	Pending   []casefile.Case
	PendingN  int
	Awaiting  int
	UnitOpen  int
	SeesCases bool
	Today     string
	// Clocks counts the running clocks per warning colour: one's own cases
	// for those who handle them, the unit (or subtree) for the others.
	Clocks   casefile.ColourCounts
	BoardFor string // the board's query for the same scope ("handler=me" or "")
	// Findings counts the open monitoring findings in the user's scope
	// (for prosecutors: those on their own cases, which they answer).
	SeesFindings bool
	Findings     monitor.Counts
	// Quality is the case-quality panel: the self-checks the user owes
	// and the cases they evaluate.
	Quality HomeQuality
	// DataProblems counts the open data-quality problems on the cards a
	// handler handles (their own list to correct).
	DataProblems int
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request, u org.User) error {
	var err error
	p := &HomePage{Today: h.Cases.Today()}
	p.Title = h.T.T("ui.nav.home")
	req := h.request(r, u)
	p.SeesCases = !access.CaseScope(req.P).None()
	p.Handles = req.P.HasAny(access.Prosecutor, access.Assistant)
	if p.SeesCases {
		if p.Handles {
			mine := casefile.Filter{HandlerID: u.ID, OpenOnly: true, Limit: 10}
			if p.DataProblems, err = h.Data.MyOpenProblems(r.Context(), dataquality.Request(req)); err != nil {
				return err
			}
			if p.MyCases, _, err = h.Cases.List(r.Context(), req, mine); err != nil {
				return err
			}
			if p.MyOpen, err = h.Cases.Count(r.Context(), req, mine); err != nil {
				return err
			}
		} else if p.Recent, _, err = h.Cases.List(r.Context(), req, casefile.Filter{Limit: 10}); err != nil {
			return err
		}
		if u.Principal().Has(access.CaseManager) {
			pend := casefile.Filter{Status: casefile.StatusPendingAssignment, Limit: 10}
			if p.Pending, _, err = h.Cases.List(r.Context(), req, pend); err != nil {
				return err
			}
			if p.PendingN, err = h.Cases.Count(r.Context(), req, pend); err != nil {
				return err
			}
			if p.Awaiting, err = h.Cases.Count(r.Context(), req, casefile.Filter{Status: casefile.StatusAwaitingSupplement}); err != nil {
				return err
			}
		}
		if p.UnitOpen, err = h.Cases.Count(r.Context(), req, casefile.Filter{OpenOnly: true}); err != nil {
			return err
		}
		if p.Clocks, err = h.Board.Counts(r.Context(), req.P); err != nil {
			return err
		}
		if casefile.OwnClocksOnly(req.P) {
			p.BoardFor = "handler=me&" // the board link shows what the counts count
		}
		if p.SeesFindings = !access.MonitorScope(req.P).None(); p.SeesFindings {
			if p.Findings, err = h.Monitor.Counts(r.Context(), monitor.Request(req)); err != nil {
				return err
			}
		}
	}
	if p.Quality, err = h.homeQuality(r.Context(), r, u); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "home", p)
}

// CaseListPage is the filtered case list.
type CaseListPage struct {
	Base
	Filter     casefile.Filter
	Handler    string
	Categories []casefile.Category
	Statuses   []string
	Cases      []casefile.Case
	Total      int
	MultiUnit  bool // the scope spans several units: show the unit column
	Capped     bool // a text search found more than Cap cases
	Cap        int
	Next       string
	NextURL    string
}

func (h *Handler) caseList(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	f := casefile.Filter{Category: q.Get("category"), Status: q.Get("status"), ReceivedFrom: q.Get("from"),
		ReceivedTo: q.Get("to"), Query: q.Get("q"), After: q.Get("after"), Limit: 50}
	p := &CaseListPage{Filter: f, Handler: q.Get("handler"), Statuses: casefile.Statuses()}
	p.Title = h.T.T("ui.nav.cases")
	if q.Get("handler") == "me" {
		p.Filter.HandlerID = u.ID
	} else if id, err := strconv.ParseInt(q.Get("handler_id"), 10, 64); err == nil && id > 0 {
		p.Filter.HandlerID = id
	}
	var err error
	if p.Categories, err = h.Cases.Categories(r.Context()); err != nil {
		return err
	}
	req := h.request(r, u)
	p.MultiUnit = access.CaseScope(req.P).UnitPathPrefix != ""
	p.Cases, p.Next, err = h.Cases.List(r.Context(), req, p.Filter)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, http.StatusUnprocessableEntity, "cases", p)
	}
	if err != nil {
		return err
	}
	if p.Total, err = h.Cases.Count(r.Context(), req, p.Filter); err != nil {
		return err
	}
	p.Cap, p.Capped = casefile.CountCap, p.Total > casefile.CountCap
	if p.Next != "" {
		nq := url.Values{}
		for k, v := range q {
			if k != "after" {
				nq[k] = v
			}
		}
		nq.Set("after", p.Next)
		p.NextURL = "/cases?" + nq.Encode()
	}
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Target") == "case-table" {
		return h.fragment(w, "cases", "case_table", p)
	}
	return h.render(w, r, http.StatusOK, "cases", p)
}

// CaseDetailPage shows one case.
type CaseDetailPage struct {
	Base
	D          casefile.Detail
	Deadlines  []casefile.Deadline // statutory clocks derived from the events
	Procedure  casefile.Procedure
	CanEvent   bool
	CanAssign  bool
	CanDesig   bool
	CanResolve bool
	Handlers   []casefile.Load
	Today      string
	EventForm  casefile.Event
	DesigForm  DesigForm
}

// DesigForm keeps the designation form's values on re-render.
type DesigForm struct {
	HandlerID    int64
	DesignatedBy string
	Reason       string
}

func (h *Handler) caseDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showCase(w, r, u, http.StatusOK, nil)
}

func (h *Handler) showCase(w http.ResponseWriter, r *http.Request, u org.User, status int, fill func(*CaseDetailPage)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	req := h.request(r, u)
	d, err := h.Cases.Get(r.Context(), req, id)
	if err != nil {
		return err
	}
	p := &CaseDetailPage{D: d, Procedure: casefile.ProcedureFor(d.Case.Category), Today: h.Cases.Today()}
	if p.Deadlines, err = h.Cases.Deadlines(d); err != nil {
		return err
	}
	p.Title = d.Case.Name
	pr := u.Principal()
	ref := access.CaseRef{UnitID: d.Case.UnitID, UnitPath: d.Case.UnitPath, HandlerID: d.Case.HandlerID, Sealed: d.Case.Sealed}
	pending := d.Case.Status == casefile.StatusPendingAssignment
	p.CanEvent = access.CanRecordEvent(pr, ref) && d.Case.Status != casefile.StatusClosed
	p.CanAssign = pending && access.CanAssign(pr, ref)
	p.CanDesig = pending && access.CanDesignate(pr, ref)
	p.CanResolve = d.Case.Status == casefile.StatusAwaitingSupplement && access.CanIntake(pr, d.Case.UnitID)
	if p.CanDesig {
		if p.Handlers, err = h.Pools.Workload(r.Context(), req); err != nil {
			return err
		}
	}
	p.EventForm.OccurredOn = p.Today
	p.DesigForm.DesignatedBy = u.Name
	if fill != nil {
		fill(p)
	}
	return h.render(w, r, status, "case", p)
}

func (h *Handler) addEvent(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e := casefile.Event{Code: r.PostFormValue("code"), OccurredOn: r.PostFormValue("occurred_on"),
		Outcome: r.PostFormValue("outcome"), Note: r.PostFormValue("note")}
	_, err = h.Cases.AddEvent(r.Context(), h.request(r, u), id, e)
	if errs, ok := h.formErrors(err); ok {
		return h.showCase(w, r, u, http.StatusUnprocessableEntity, func(p *CaseDetailPage) {
			p.invalid(errs, h.T.T("err.validation"))
			p.EventForm = e
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?flash=flash.event_added#timeline")
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = h.Assigner.Rotate(r.Context(), h.request(r, u), id)
	if errs, ok := h.formErrors(err); ok {
		return h.showCase(w, r, u, http.StatusUnprocessableEntity, func(p *CaseDetailPage) {
			p.refused(errs)
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?flash=flash.assigned")
}

func (h *Handler) designate(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := DesigForm{DesignatedBy: r.PostFormValue("designated_by"), Reason: r.PostFormValue("reason")}
	f.HandlerID, _ = strconv.ParseInt(r.PostFormValue("handler_id"), 10, 64)
	_, err = h.Assigner.Designate(r.Context(), h.request(r, u), id, f.HandlerID, f.DesignatedBy, f.Reason)
	if errs, ok := h.formErrors(err); ok {
		return h.showCase(w, r, u, http.StatusUnprocessableEntity, func(p *CaseDetailPage) {
			p.invalid(errs, h.T.T("err.validation"))
			p.DesigForm = f
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?flash=flash.assigned")
}

func (h *Handler) resolveIntake(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = h.Cases.ResolveIntake(r.Context(), h.request(r, u), id, r.PostFormValue("outcome"), r.PostFormValue("outcome_note"))
	if errs, ok := h.formErrors(err); ok {
		return h.showCase(w, r, u, http.StatusUnprocessableEntity, func(p *CaseDetailPage) {
			p.invalid(errs, h.T.T("err.validation"))
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?flash=flash.intake_resolved")
}

// trimmed reads a form value without surrounding space.
func trimmed(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// The business-data supervision pages (业务数据监管): the overview, the
// problem list pushed to each handler, the case cards and their
// correction, the import of the national system's card files, the rule
// library and the reports (accuracy, weekly trend, the monthly
// notification list and its look-back). This file holds what they share.

// dataNav is the navigation entry every data page marks.
const dataNav = "/data"

// dataReaders have a DataScope: the office, the unit's leaders, upper
// supervisors, and handlers for the cards they handle. The service
// narrows each list to the reader's scope.
var dataReaders = caseReaders

// cardEditors may post a card correction: the office for its unit's
// imported cards, a handler for the imported cards they handle; the
// service decides per card.
var cardEditors = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant}

func (h *Handler) dataRequest(r *http.Request, u org.User) dataquality.Request {
	return dataquality.Request(h.request(r, u))
}

// DataBase is what every data page carries: the tabs between its parts
// that the user may open.
type DataBase struct {
	Base
	Tabs []NavItem
}

// dataBase starts a data page: its title, the navigation entry marked
// whatever the path, and the tabs of the user's roles (the system
// administrator keeps the rules only; the reports are the office's and
// its leaders').
func (h *Handler) dataBase(u org.User, title, current string) DataBase {
	b := DataBase{Base: Base{Title: title, NavPath: dataNav}}
	p := u.Principal()
	var tabs [][2]string
	if !access.DataScope(p).None() {
		tabs = append(tabs, [2]string{"/data", "ui.data.tab.home"}, [2]string{"/data/problems", "ui.data.tab.problems"},
			[2]string{"/data/cards", "ui.data.tab.cards"})
	} else {
		b.NavPath = "/data/rules"
	}
	if access.CanImportCards(p, u.UnitID) {
		tabs = append(tabs, [2]string{"/data/import", "ui.data.tab.import"})
	}
	if access.CanReadDataReports(p) {
		tabs = append(tabs, [2]string{"/data/reports", "ui.data.tab.reports"})
	}
	tabs = append(tabs, [2]string{"/data/rules", "ui.data.tab.rules"})
	for _, tb := range tabs {
		b.Tabs = append(b.Tabs, NavItem{Href: tb[0], Label: h.T.T(tb[1]), Active: tb[0] == current})
	}
	return b
}

// ProblemView is a problem as the pages and the export show it, every
// code rendered in the reader's language.
type ProblemView struct {
	ID           int64
	CardID       int64
	StageNo      string
	CaseName     string
	UnitName     string
	RuleID       string
	RuleVersion  int
	Title        string
	Hint         string
	Kind         string
	KindCode     string
	Severity     string
	SeverityCode string
	Item         string // the item's Chinese name
	ItemKey      string
	Handler      string
	Department   string
	Status       string
	StatusCode   string
	DetectedOn   string
	DueOn        string
	FixedOn      string
	Overdue      bool
	WaivedBy     string
	WaiveReason  string
	Notified     string
	Version      int
}

func (h *Handler) problemView(p dataquality.Problem, today string) ProblemView {
	v := ProblemView{ID: p.ID, CardID: p.CardID, StageNo: p.StageNo, CaseName: p.CaseName, UnitName: p.UnitName,
		RuleID: p.RuleID, RuleVersion: p.RuleVersion, Title: p.Title, Hint: p.Hint,
		Kind: h.T.T("dq_kind." + p.Kind), KindCode: p.Kind,
		Severity: h.T.T("dq_severity." + p.Severity), SeverityCode: p.Severity,
		Item: columnHeader(p.Item), ItemKey: p.Item, Handler: p.Handler, Department: p.Department,
		Status: h.T.T("dq_status." + p.Status), StatusCode: p.Status, DetectedOn: p.DetectedOn, DueOn: p.DueOn,
		FixedOn: p.FixedOn, Overdue: p.Overdue(today), WaivedBy: p.WaivedBy, WaiveReason: p.WaiveReason,
		Notified: p.NotifiedMonth, Version: p.Version}
	if v.Title == "" {
		v.Title = p.RuleID // a rule no longer in the library
	}
	return v
}

func (h *Handler) problemViews(ps []dataquality.Problem, today string) []ProblemView {
	out := make([]ProblemView, len(ps))
	for i, p := range ps {
		out[i] = h.problemView(p, today)
	}
	return out
}

// columnHeader is the Chinese name of a card item, or the key itself for
// an item the layout does not know.
func columnHeader(key string) string {
	for _, c := range casecard.Columns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}

// msTime is an instant kept as unix milliseconds (0: none).
func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// percent shows a rate with one decimal, as the reports print it.
func percent(rate float64) string { return fmt.Sprintf("%.1f%%", rate) }

// formInt reads a whole number from a form, 0 when absent or malformed
// (the service refuses a version that does not match).
func formInt(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// DataHomePage is the overview: the unit's accuracy, the open problems by
// kind, the latest scans and, for the office, the button to scan now.
type DataHomePage struct {
	DataBase
	// Reports: the reader may see the unit's figures (the office and its
	// leaders); a handler sees their own open problems only.
	Reports  bool
	Accuracy []AccuracyView
	ByKind   []KindCount
	Open     int
	Mine     int
	Handles  bool
	Scans    []ScanView
	CanScan  bool
	UnitID   int64
	UnitName string
}

// AccuracyView is one line of an accuracy table.
type AccuracyView struct {
	Key          string
	Cards        int
	WithProblems int
	Rate         string
	Width        string // the bar's width, a CSS percentage
}

// accuracyView shows a rate; with no card there is nothing to rate (a
// week before the first import), so it reads "—" rather than 100%.
func accuracyView(a dataquality.AccuracyRow) AccuracyView {
	if a.Cards == 0 {
		return AccuracyView{Key: a.Key, Rate: "—", Width: "0%"}
	}
	return AccuracyView{Key: a.Key, Cards: a.Cards, WithProblems: a.WithProblems, Rate: percent(a.Rate()),
		Width: fmt.Sprintf("%.1f%%", a.Rate())}
}

// KindCount is the open problems of one kind.
type KindCount struct {
	Code, Name          string
	Open, Fixed, Waived int
}

// ScanView is one scan of the scan log.
type ScanView struct {
	Kind, Started, Finished           string
	Cards, Rules, Hits, Opened, Fixed int
	Evaluations                       int64
	UnitScan                          bool
}

func (h *Handler) dataHome(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showDataHome(w, r, u, http.StatusOK, nil)
}

func (h *Handler) showDataHome(w http.ResponseWriter, r *http.Request, u org.User, status int, refused error) error {
	ctx, req := r.Context(), h.dataRequest(r, u)
	pr := u.Principal()
	p := &DataHomePage{DataBase: h.dataBase(u, h.T.T("ui.nav.data"), "/data"), UnitID: u.UnitID, UnitName: u.UnitName,
		Reports: access.CanReadDataReports(pr), CanScan: access.CanImportCards(pr, u.UnitID),
		Handles: pr.HasAny(access.Prosecutor, access.Assistant)}
	var err error
	if p.Open, err = h.Data.CountProblems(ctx, req, dataquality.ProblemFilter{Status: dataquality.StatusOpen}); err != nil {
		return err
	}
	if p.Handles {
		if p.Mine, err = h.Data.MyOpenProblems(ctx, req); err != nil {
			return err
		}
	}
	if p.Reports {
		rows, err := h.Data.Accuracy(ctx, req, dataquality.ByUnit)
		if err != nil {
			return err
		}
		for _, a := range rows {
			p.Accuracy = append(p.Accuracy, accuracyView(a))
		}
		if p.ByKind, err = h.kindCounts(ctx, req); err != nil {
			return err
		}
		scans, err := h.Data.LastScans(ctx, req, u.UnitID)
		if err != nil {
			return err
		}
		for _, s := range scans {
			p.Scans = append(p.Scans, h.scanView(s))
		}
	}
	if refused != nil {
		errs, ok := h.formErrors(refused)
		if !ok {
			return refused
		}
		p.refused(errs)
	}
	return h.render(w, r, status, "dataquality_home", p)
}

// kindCounts lists every kind in display order, with its counts.
func (h *Handler) kindCounts(ctx context.Context, req dataquality.Request) ([]KindCount, error) {
	rows, err := h.Data.ProblemCounts(ctx, req, dataquality.ByKind)
	if err != nil {
		return nil, err
	}
	by := map[string]dataquality.CountRow{}
	for _, c := range rows {
		by[c.Key] = c
	}
	out := make([]KindCount, 0, len(dataquality.Kinds))
	for _, k := range dataquality.Kinds {
		c := by[k]
		out = append(out, KindCount{Code: k, Name: h.T.T("dq_kind." + k), Open: c.Open, Fixed: c.Fixed, Waived: c.Waived})
	}
	return out, nil
}

func (h *Handler) scanView(s dataquality.ScanRecord) ScanView {
	return ScanView{Kind: h.T.T("dq_scan." + s.Kind), Started: clock(msTime(s.StartedAt)), Finished: clock(msTime(s.FinishedAt)),
		Cards: s.Cards, Rules: s.Rules, Hits: s.Hits, Opened: s.Opened, Fixed: s.Fixed, Evaluations: s.Evaluations,
		UnitScan: s.UnitID != 0}
}

// dataScan scans the cards of the user's unit now. The form names the
// unit, so a post without it (not from the button) changes nothing.
func (h *Handler) dataScan(w http.ResponseWriter, r *http.Request, u org.User) error {
	unit, err := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if err != nil || unit <= 0 {
		v := &apperr.Validation{}
		v.AddLabeled("unit", "field.unit", "err.required")
		return h.showDataHome(w, r, u, http.StatusUnprocessableEntity, v)
	}
	rec, err := h.Data.ScanUnitNow(r.Context(), h.dataRequest(r, u), unit)
	if err != nil {
		return err
	}
	flash := "flash.data_scanned"
	if rec.Opened > 0 || rec.Fixed > 0 {
		flash = "flash.data_scanned_changed"
	}
	return seeOther(w, r, "/data?"+url.Values{"flash": {flash}}.Encode())
}

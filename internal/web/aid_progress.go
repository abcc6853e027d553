package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/org"
)

// The goals' progress of a pairing (援助目标进展, DOMAIN §1): per aided
// unit each goal's measure against its target, the checklist and
// position detail, a trend over the last quarters (an ECharts line chart
// per goal, with the same figures in a table for print and screen
// readers), the quarterly report, and the goals' parameters for whoever
// may manage the pairing.

// AidProgressPage is one pairing's goals and their progress.
type AidProgressPage struct {
	AidBase
	AsOf     string
	Goals    []AidGoalView
	Labels   []string // the trend's as-of labels, oldest first
	Charts   []AidTrendChart
	Quarters []string // quarters the report may be asked for, latest first
	Quarter  string   // the current quarter
	CanEdit  bool
	Saved    bool // the parameters were saved (else the defaults apply)
	Settings aid.GoalSettings
	Form     AidGoalsForm
}

// AidGoalView is one goal with its measure per unit.
type AidGoalView struct {
	Code, Title, Rule string
	Units             []AidGoalUnitView
}

// AidGoalUnitView is one unit's measure of a goal, its detail rows and its
// trend.
type AidGoalUnitView struct {
	Unit    string
	Measure string
	Met     bool
	Detail  [][3]string // label, value, met ("" when not applicable)
	Note    string
	Trend   []AidTrendCell
}

// AidTrendCell is one point of a goal's trend table.
type AidTrendCell struct {
	Label, Text string
	Value       int
	Met         bool
}

// AidTrendChart is the data of one goal's trend chart, read by the page's
// script from the JSON the template writes.
type AidTrendChart struct {
	ID     string          `json:"id"`
	Title  string          `json:"title"`
	Labels []string        `json:"labels"`
	Series []AidTrendSerie `json:"series"`
	Max    int             `json:"max"`
}

// AidTrendSerie is one unit's line.
type AidTrendSerie struct {
	Name   string `json:"name"`
	Values []int  `json:"values"`
}

// AidGoalsForm holds the parameters form: its choices and what was sent.
type AidGoalsForm struct {
	Levels     []aid.Level
	Peers      []AidChoice
	Indicators []AidChoice
	Checks     []AidCheckField
	EchLevels  []AidChoice
	MinLevel   string
	Target     string
	TopPct     string
	Window     string
	MinPer     string
	Errors     map[string]string
}

// AidChoice is a checkbox.
type AidChoice struct {
	Value   string
	Label   string
	Checked bool
}

// AidCheckField is one checklist item's threshold input (empty: not in
// the checklist).
type AidCheckField struct {
	Code, Label, Unit, Value string
}

func (h *Handler) aidProgress(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showProgress(w, r, u, id, nil, http.StatusOK, nil)
}

// showProgress renders the page; sent, when set, is a refused form shown
// again with its errors.
func (h *Handler) showProgress(w http.ResponseWriter, r *http.Request, u org.User, id int64, sent *aid.GoalSettings,
	status int, v *apperr.Validation) error {
	req := h.aidRequest(r, u)
	pg, err := h.Aid.ProgressView(r.Context(), req, id)
	if err != nil {
		return err
	}
	pr := pg.Pairing
	p := &AidProgressPage{AidBase: h.aidBase(r, u, pr, h.T.T("aid.goals.page_title", pr.Name), fmt.Sprintf("/aid/pairings/%d/progress", id)),
		AsOf: pg.AsOf, CanEdit: h.Aid.CanEditGoals(req, pr), Saved: len(pg.Settings.Saved) > 0, Settings: pg.Settings}
	t := h.T.T
	if len(pg.Units) > 0 {
		for _, m := range pg.Units[0].Points {
			p.Labels = append(p.Labels, m.Label)
		}
	}
	for gi, code := range aid.GoalCodes() {
		gv := AidGoalView{Code: code, Title: t("aid.report.goal_heading", gi+1, t("aid.goals.title."+code)), Rule: t("aid.goals.rule." + code)}
		ch := AidTrendChart{ID: code, Title: gv.Title, Labels: p.Labels}
		for _, up := range pg.Units {
			cur := up.Current()
			uv := AidGoalUnitView{Unit: up.Unit.Name, Measure: aid.MeasureText(t, code, cur), Met: cur.Met(code)}
			uv.Detail, uv.Note = h.goalDetail(code, cur)
			serie := AidTrendSerie{Name: shortUnitName(up.Unit.Name)}
			for _, m := range up.Points {
				uv.Trend = append(uv.Trend, AidTrendCell{Label: m.Label, Text: aid.MeasureText(t, code, m), Value: m.Value(code), Met: m.Met(code)})
				serie.Values = append(serie.Values, m.Value(code))
			}
			ch.Max = max(ch.Max, goalScale(code, cur))
			ch.Series = append(ch.Series, serie)
			gv.Units = append(gv.Units, uv)
		}
		p.Goals = append(p.Goals, gv)
		p.Charts = append(p.Charts, ch)
	}
	q := aid.QuarterOf(pg.AsOf)
	p.Quarter = q.String()
	first := aid.QuarterOf(pr.StartOn)
	for i := 0; i < 40 && q.String() >= first.String(); i++ {
		p.Quarters = append(p.Quarters, q.String())
		q = q.Prev()
	}
	if len(p.Quarters) == 0 {
		p.Quarters = []string{p.Quarter}
	}
	set := pg.Settings
	if sent != nil {
		set = *sent
	}
	if p.CanEdit {
		p.Form = h.goalsForm(r, pg, set)
	}
	if v != nil {
		fe := fieldErrors{}
		p.Form.Errors = map[string]string{}
		for _, f := range v.Fields {
			group, _, _ := strings.Cut(f.Field, "[")
			msg := h.T.Message(f)
			fe.add(group, msg)
			if _, ok := p.Form.Errors[group]; !ok {
				p.Form.Errors[group] = msg
			}
		}
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_progress", p)
}

// goalScale is the top of a goal's chart: the most the measure can be.
func goalScale(code string, m aid.Measures) int {
	switch code {
	case aid.GoalStaff:
		return max(m.Staff.Target, m.Staff.Count)
	case aid.GoalPosition:
		return len(m.Position.Indicators)
	case aid.GoalInfo:
		return len(m.Info.Items)
	default:
		return len(m.Echelon.Levels)
	}
}

// goalDetail lists a goal's parts as rows: label, value, met.
func (h *Handler) goalDetail(code string, m aid.Measures) ([][3]string, string) {
	t := h.T.T
	met := func(ok bool) string {
		if ok {
			return t("ui.aid.goal_met")
		}
		return t("ui.aid.goal_not_met")
	}
	var rows [][3]string
	switch code {
	case aid.GoalStaff:
		names := strings.Join(m.Staff.Names, "、")
		if names == "" {
			names = "—"
		}
		return [][3]string{{t("ui.aid.goal_names"), names, ""}}, ""
	case aid.GoalPosition:
		for _, ip := range m.Position.Indicators {
			ok := ""
			if ip.Defined {
				ok = met(ip.Upper)
			}
			rows = append(rows, [3]string{ip.Name, aid.PositionText(t, ip), ok})
		}
		return rows, t("aid.goals.position_period", m.Position.From, m.Position.To)
	case aid.GoalInfo:
		for _, c := range m.Info.Items {
			rows = append(rows, [3]string{t("aid.goals.check." + c.Code), aid.CheckText(t, c), met(c.Met)})
		}
		return rows, t("aid.goals.window", m.Info.From, m.Info.To)
	default:
		for _, l := range m.Echelon.Levels {
			rows = append(rows, [3]string{l.Name, strconv.Itoa(l.Count), met(l.Count >= m.Echelon.MinPerLevel)})
		}
		return rows, ""
	}
}

// goalsForm builds the parameters form: peer units at the aided units'
// level, the directional indicators, the checklist and the levels.
func (h *Handler) goalsForm(r *http.Request, pg aid.Progress, set aid.GoalSettings) AidGoalsForm {
	f := AidGoalsForm{Levels: pg.Framework.Levels, MinLevel: set.Staff.MinLevel, Target: strconv.Itoa(set.Staff.Target),
		TopPct: strconv.Itoa(set.Position.TopPct), Window: strconv.Itoa(set.Info.WindowDays), MinPer: strconv.Itoa(set.Echelon.MinPerLevel)}
	units, err := h.Org.Units(r.Context())
	if err == nil {
		for _, u := range units {
			if aid.IsPeerLevel(pg.Pairing, u.Path) {
				f.Peers = append(f.Peers, AidChoice{Value: strconv.FormatInt(u.ID, 10), Label: u.Name,
					Checked: slices.Contains(set.Position.PeerUnitIDs, u.ID)})
			}
		}
	}
	for _, in := range h.Stats.Catalogue().Indicators {
		if in.Available && (in.Direction == "up" || in.Direction == "down") {
			f.Indicators = append(f.Indicators, AidChoice{Value: in.ID, Label: in.Name + " " + arrow(in.Direction),
				Checked: slices.Contains(set.Position.Indicators, in.ID)})
		}
	}
	for _, code := range aid.CheckCodes() {
		cf := AidCheckField{Code: code, Label: h.T.T("aid.goals.check." + code), Unit: "%"}
		if code == aid.CheckEvaluation {
			cf.Unit = h.T.T("aid.goals.unit_count")
		}
		for _, it := range set.Info.Items {
			if it.Code == code {
				cf.Value = strconv.Itoa(it.Threshold)
			}
		}
		f.Checks = append(f.Checks, cf)
	}
	for _, l := range pg.Framework.Levels {
		f.EchLevels = append(f.EchLevels, AidChoice{Value: l.Code, Label: l.Name, Checked: slices.Contains(set.Echelon.Levels, l.Code)})
	}
	return f
}

// atoiOr reads a number field; text that is no number becomes -1, which
// every range check refuses with the field's name.
func atoiOr(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

// aidSaveGoals stores the goals' parameters from the form.
func (h *Handler) aidSaveGoals(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	in := aid.GoalSettings{
		Staff:    aid.StaffGoal{MinLevel: r.PostFormValue("min_level"), Target: atoiOr(r.PostFormValue("staff_target"))},
		Position: aid.PositionGoal{Indicators: r.PostForm["indicators"], TopPct: atoiOr(r.PostFormValue("top_pct"))},
		Info:     aid.InfoGoal{WindowDays: atoiOr(r.PostFormValue("window_days"))},
		Echelon:  aid.EchelonGoal{Levels: r.PostForm["levels"], MinPerLevel: atoiOr(r.PostFormValue("min_per_level"))},
	}
	for _, s := range r.PostForm["peer_unit_ids"] {
		n, _ := strconv.ParseInt(s, 10, 64)
		in.Position.PeerUnitIDs = append(in.Position.PeerUnitIDs, n)
	}
	for _, code := range aid.CheckCodes() {
		if v := strings.TrimSpace(r.PostFormValue("threshold_" + code)); v != "" {
			in.Info.Items = append(in.Info.Items, aid.CheckItem{Code: code, Threshold: atoiOr(v)})
		}
	}
	err = h.Aid.SaveGoals(r.Context(), h.aidRequest(r, u), id, in)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showProgress(w, r, u, id, &in, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/pairings/%d/progress?flash=flash.saved", id))
}

// aidReport downloads the quarterly progress report (?quarter=2026Q3; the
// current quarter when absent). A bad quarter is a validation error page.
func (h *Handler) aidReport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query().Get("quarter")
	if q == "" {
		q = aid.QuarterOf(h.Aid.Today()).String()
	}
	doc, err := h.Aid.Report(r.Context(), h.aidRequest(r, u), id, q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, doc); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), docxType, doc.Title+".docx", fmt.Sprintf("aid-progress-%d-%s.docx", id, q))
}

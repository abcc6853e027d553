package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// SelfCheckListPage lists the self-checks (案件质量检查) in the user's
// scope, the most urgent first: a handler's own, a department head's
// department, the unit's for the office and the chief.
type SelfCheckListPage struct {
	QualityBase
	Filter   evaluation.CheckFilter
	Statuses []evaluation.CheckStatus
	Rows     []CheckRow
	NextURL  string
	// FilterErrors are a refused filter's messages at its controls.
	FilterErrors map[string]string
}

func (h *Handler) selfCheckList(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	p := &SelfCheckListPage{QualityBase: h.qualityBase(u, h.T.T("ui.evaluation.selfchecks_title"), "/quality/selfchecks"),
		Statuses: evaluation.CheckStatuses(),
		Filter: evaluation.CheckFilter{Status: evaluation.CheckStatus(q.Get("status")), Overdue: q.Get("overdue") == "1",
			ClosedFrom: q.Get("closed_from"), ClosedTo: q.Get("closed_to"), After: q.Get("after"), Limit: 50}}
	if q.Get("handler") == "me" {
		p.Filter.HandlerID = u.ID
	}
	rows, next, err := h.Evaluation.ListSelfChecks(r.Context(), h.evalRequest(r, u), p.Filter)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		p.FilterErrors = errs.byField
		return h.render(w, r, http.StatusUnprocessableEntity, "evaluation_selfchecks", p)
	}
	if err != nil {
		return err
	}
	today := h.Evaluation.Today()
	for _, c := range rows {
		p.Rows = append(p.Rows, h.checkRow(c, today))
	}
	p.NextURL = nextURL("/quality/selfchecks", q, next)
	return h.render(w, r, http.StatusOK, "evaluation_selfchecks", p)
}

// nextURL is the list's address for the page after cursor next ("" when
// there is none), keeping the other filters.
func nextURL(path string, q url.Values, next string) string {
	if next == "" {
		return ""
	}
	nq := url.Values{}
	for k, v := range q {
		if k != "after" {
			nq[k] = v
		}
	}
	nq.Set("after", next)
	return path + "?" + nq.Encode()
}

// SelfCheckPage is one self-check: the case, the due date with its
// explanation, the findings and the verification, and the form of the
// step the viewer may take (the handler files; the head verifies).
type SelfCheckPage struct {
	QualityBase
	C          CheckRow
	Check      evaluation.SelfCheck
	Template   string
	DueLines   []string
	DueBasis   string
	Verifier   string
	Findings   []QualityFinding
	Tally      evaluation.Tally
	CanSubmit  bool
	Groups     []ItemGroup
	Summary    string
	CanVerify  bool
	Verdicts   []VerdictField
	Added      []AddedRow
	AllItems   []evaluation.Item
	AllOptions []evaluation.Option
	Note       string
}

// VerdictField is the verifier's control for one of the handler's
// findings.
type VerdictField struct {
	Code, Title, Option, Note string
	Verdict                   string // agree, disagree or "" (not chosen)
	Reason                    string
	Error                     string
}

// AddedRow is one problem the verifier adds.
type AddedRow struct {
	Index                  int
	ItemCode, Option, Note string
	Error                  string
}

// addedRows is how many problems the verification form offers to add.
const addedRows = 3

// checkForm is what a refused self-check form sent, with its messages.
type checkForm struct {
	action   string
	choices  itemChoices
	summary  string
	verdicts map[string][2]string // code → verdict, reason
	added    []AddedRow
	note     string
	errs     fieldErrors
	byCode   map[string]string
	byRow    map[int]string
}

func (h *Handler) selfCheckDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showSelfCheck(w, r, u, http.StatusOK, nil)
}

func (h *Handler) showSelfCheck(w http.ResponseWriter, r *http.Request, u org.User, status int, posted *checkForm) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	req := h.evalRequest(r, u)
	c, err := h.Evaluation.GetSelfCheck(r.Context(), req, id)
	if err != nil {
		return err
	}
	t, err := h.Evaluation.Template(r.Context(), req, c.TemplateID)
	if err != nil {
		return err
	}
	today := h.Evaluation.Today()
	p := &SelfCheckPage{C: h.checkRow(c, today), Check: c, DueLines: c.DueClock().Lines(h.T.T), DueBasis: c.DueBasis,
		Verifier: c.VerifierName, Findings: h.qualityFindings(t, c.Findings, false), Tally: c.Tally(),
		Template: h.T.T("evaluation.report.template_version", t.Name, t.Version)}
	p.QualityBase = h.qualityBase(u, h.T.T("ui.evaluation.selfcheck_title", c.Case.Name), "/quality/selfchecks")
	pr := u.Principal()
	p.CanSubmit = c.Status == evaluation.CheckPending && canFile(pr, c)
	p.CanVerify = c.Status == evaluation.CheckSubmitted && canVerify(pr, c)
	if posted == nil {
		posted = &checkForm{}
	}
	if p.CanSubmit {
		choices := posted.choices
		if posted.action != "submit" {
			choices = choicesOf(nil)
		}
		p.Groups = h.itemGroups(t, choices, posted.byCode)
		p.Summary = posted.summary
	}
	if p.CanVerify {
		p.AllItems, p.AllOptions, p.Note = t.Items(), t.Options, posted.note
		for _, f := range c.Findings {
			if f.Source != evaluation.SourceSelf {
				continue
			}
			vf := VerdictField{Code: f.ItemCode, Title: f.Title, Option: f.Option, Note: f.Note, Error: posted.byCode[f.ItemCode]}
			if it, ok := t.Item(f.ItemCode); ok {
				if o, ok := t.Option(it, f.Option); ok {
					vf.Option = o.Label
				}
			}
			if v, ok := posted.verdicts[f.ItemCode]; ok {
				vf.Verdict, vf.Reason = v[0], v[1]
			}
			p.Verdicts = append(p.Verdicts, vf)
		}
		for i := range addedRows {
			row := AddedRow{Index: i}
			if i < len(posted.added) {
				row = posted.added[i]
			}
			row.Error = posted.byRow[i]
			p.Added = append(p.Added, row)
		}
	}
	if !posted.errs.empty() {
		p.invalid(posted.errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "evaluation_selfcheck", p)
}

// selfCheckAction files or verifies a self-check.
func (h *Handler) selfCheckAction(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	form := &checkForm{action: r.PostFormValue("action")}
	switch form.action {
	case "submit":
		c, err := h.Evaluation.GetSelfCheck(ctx, req, id)
		if err != nil {
			return err
		}
		t, err := h.Evaluation.Template(ctx, req, c.TemplateID)
		if err != nil {
			return err
		}
		form.choices, form.summary = postedChoices(r), r.PostFormValue("summary")
		in, codes := form.choices.inputs(t)
		err = h.Evaluation.SubmitSelfCheck(ctx, req, id, evaluation.SelfCheckInput{Findings: in, Summary: form.summary})
		if errs, ok := h.formErrors(err); ok {
			form.errs = errs
			form.byCode = byItem(errs, "findings", codes)
			return h.showSelfCheck(w, r, u, http.StatusUnprocessableEntity, form)
		}
		if err != nil {
			return err
		}
		return seeOther(w, r, "/quality/selfchecks/"+strconv.FormatInt(id, 10)+"?flash=flash.evaluation_selfcheck_submitted")
	case "verify":
		in, codes := h.verifyInput(r, form)
		err = h.Evaluation.VerifySelfCheck(ctx, req, id, in)
		if errs, ok := h.formErrors(err); ok {
			form.errs = errs
			form.byCode = byItem(errs, "verdicts", codes)
			form.byRow = map[int]string{}
			added := byItem(errs, "added", addedIndexes(form.added))
			for k, msg := range added {
				i, _ := strconv.Atoi(k)
				form.byRow[i] = msg
			}
			return h.showSelfCheck(w, r, u, http.StatusUnprocessableEntity, form)
		}
		if err != nil {
			return err
		}
		return seeOther(w, r, "/quality/selfchecks/"+strconv.FormatInt(id, 10)+"?flash=flash.evaluation_selfcheck_verified")
	}
	form.errs = h.unknownAction()
	return h.showSelfCheck(w, r, u, http.StatusUnprocessableEntity, form)
}

// verifyInput reads the verification form: a verdict per finding of the
// handler (those chosen; the service names any missing), the problems
// added (rows with an item), and the note. It returns the item code of
// each verdict, so a message on "verdicts[i]" lands at its finding.
func (h *Handler) verifyInput(r *http.Request, form *checkForm) (evaluation.VerifyInput, []string) {
	form.verdicts, form.note = map[string][2]string{}, r.PostFormValue("note")
	var in evaluation.VerifyInput
	var codes []string
	for k, vs := range r.PostForm {
		code, ok := strings.CutPrefix(k, "verdict.")
		if !ok || len(vs) == 0 || vs[0] == "" {
			continue
		}
		reason := r.PostFormValue("reason." + code)
		form.verdicts[code] = [2]string{vs[0], reason}
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		v := form.verdicts[code]
		in.Verdicts = append(in.Verdicts, evaluation.VerdictInput{ItemCode: code, Agree: v[0] != "disagree", Reason: v[1]})
	}
	for i := range addedRows {
		p := "added[" + strconv.Itoa(i) + "]."
		row := AddedRow{Index: i, ItemCode: r.PostFormValue(p + "item_code"), Option: r.PostFormValue(p + "option"),
			Note: r.PostFormValue(p + "note")}
		form.added = append(form.added, row)
		if row.ItemCode != "" {
			in.Added = append(in.Added, evaluation.FindingInput{ItemCode: row.ItemCode, Option: row.Option, Note: row.Note})
		}
	}
	in.Note = form.note
	return in, codes
}

// addedIndexes names, for each added input sent to the service, the form
// row it came from (blank rows are not sent), as strings for byItem.
func addedIndexes(rows []AddedRow) []string {
	var out []string
	for _, row := range rows {
		if row.ItemCode != "" {
			out = append(out, strconv.Itoa(row.Index))
		}
	}
	return out
}

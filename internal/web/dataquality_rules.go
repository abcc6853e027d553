package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// The rule library (规则库): every data-quality rule with its check, its
// reference and its fix hint, readable by anyone (it is knowledge, not
// case content) and kept by the system administrator, version by version.

// RuleListPage lists the rules in use.
type RuleListPage struct {
	DataBase
	Rows    []RuleRow
	CanEdit bool
	Enabled int
}

// RuleRow is a rule as the list and the detail show it.
type RuleRow struct {
	dataquality.Rule
	KindName, SeverityName, ItemName string
	CategoryNames, SourceNames       string
}

func (h *Handler) ruleRow(rl dataquality.Rule, cats map[string]string) RuleRow {
	row := RuleRow{Rule: rl, KindName: h.T.T("dq_kind." + rl.Kind), SeverityName: h.T.T("dq_severity." + rl.Severity),
		ItemName: columnHeader(rl.Item)}
	names := make([]string, len(rl.Categories))
	for i, c := range rl.Categories {
		names[i] = cats[c]
		if names[i] == "" {
			names[i] = c
		}
	}
	row.CategoryNames = strings.Join(names, "、")
	if len(names) == 0 {
		row.CategoryNames = h.T.T("ui.data.rule.all_categories")
	}
	srcs := make([]string, len(rl.Sources))
	for i, s := range rl.Sources {
		srcs[i] = h.T.T("dq_source." + s)
	}
	row.SourceNames = strings.Join(srcs, "、")
	if len(srcs) == 0 {
		row.SourceNames = h.T.T("ui.data.rule.all_sources")
	}
	return row
}

func (h *Handler) ruleList(w http.ResponseWriter, r *http.Request, u org.User) error {
	rules, err := h.Data.Rules(h.dataRequest(r, u))
	if err != nil {
		return err
	}
	cats, err := h.categoryNames(r.Context())
	if err != nil {
		return err
	}
	p := &RuleListPage{DataBase: h.dataBase(u, h.T.T("ui.data.rules_title"), "/data/rules"),
		CanEdit: access.CanEditDataRules(u.Principal())}
	for _, rl := range rules {
		p.Rows = append(p.Rows, h.ruleRow(rl, cats))
		if !rl.Disabled {
			p.Enabled++
		}
	}
	return h.render(w, r, http.StatusOK, "dataquality_rules", p)
}

// RulePage is one rule with its versions and, for the system
// administrator, the form of its next version (or of a new rule).
type RulePage struct {
	DataBase
	New     bool
	Rule    RuleRow
	History []RuleRow
	CanEdit bool
	Form    RuleForm
	// The choices of the form.
	Kinds      []CodeChoice
	Severities []CodeChoice
	Categories []CodeChoice
	Sources    []CodeChoice
	Items      []CodeChoice
	Functions  []dataquality.Function
	FormErrors map[string]string
}

// RuleForm is the rule form as shown or as posted.
type RuleForm struct {
	ID, Title, Kind, Severity, Item, When, Reference, Hint, FixDays string
	Categories, Sources                                             []string
	Disabled                                                        bool
}

// HasCategory reports whether the form names category c.
func (f RuleForm) HasCategory(c string) bool { return slices.Contains(f.Categories, c) }

// HasSource reports whether the form names source s.
func (f RuleForm) HasSource(s string) bool { return slices.Contains(f.Sources, s) }

func ruleForm(rl dataquality.Rule) RuleForm {
	return RuleForm{ID: rl.ID, Title: rl.Title, Kind: rl.Kind, Severity: rl.Severity, Item: rl.Item, When: rl.When,
		Reference: rl.Reference, Hint: rl.Hint, FixDays: strconv.Itoa(rl.FixDays), Categories: rl.Categories,
		Sources: rl.Sources, Disabled: rl.Disabled}
}

func postedRuleForm(f url.Values) RuleForm {
	return RuleForm{ID: strings.TrimSpace(f.Get("id")), Title: f.Get("title"), Kind: f.Get("kind"), Severity: f.Get("severity"),
		Item: f.Get("item"), When: f.Get("when"), Reference: f.Get("reference"), Hint: f.Get("hint"),
		FixDays: strings.TrimSpace(f.Get("fix_days")), Categories: f["categories"], Sources: f["sources"],
		Disabled: f.Get("disabled") == "1"}
}

// rule is the rule the form describes.
func (f RuleForm) rule() dataquality.Rule {
	days, _ := strconv.Atoi(f.FixDays) // not a number: 0, which the service refuses at its field
	return dataquality.Rule{ID: f.ID, Title: strings.TrimSpace(f.Title), Kind: f.Kind, Severity: f.Severity,
		Categories: f.Categories, Sources: f.Sources, Item: f.Item, When: f.When, Reference: strings.TrimSpace(f.Reference),
		Hint: strings.TrimSpace(f.Hint), FixDays: days, Disabled: f.Disabled}
}

func (h *Handler) ruleDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showRule(w, r, u, r.PathValue("id"), http.StatusOK, nil, fieldErrors{})
}

func (h *Handler) ruleNew(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showRule(w, r, u, "", http.StatusOK, nil, fieldErrors{})
}

// showRule renders a rule (id "" for a new one); posted and errs are a
// refused form's.
func (h *Handler) showRule(w http.ResponseWriter, r *http.Request, u org.User, id string, status int, posted *RuleForm,
	errs fieldErrors) error {
	ctx, req := r.Context(), h.dataRequest(r, u)
	cats, err := h.categoryNames(ctx)
	if err != nil {
		return err
	}
	p := &RulePage{New: id == "", CanEdit: access.CanEditDataRules(u.Principal()),
		Kinds: h.codeChoices("dq_kind.", dataquality.Kinds), Severities: h.codeChoices("dq_severity.", dataquality.Severities),
		Sources:   h.codeChoices("dq_source.", []string{casecard.SourceCase, casecard.SourceImport}),
		Functions: dataquality.Functions}
	if p.New {
		if !p.CanEdit {
			return apperr.ErrForbidden
		}
		p.DataBase = h.dataBase(u, h.T.T("ui.data.rule.new_title"), "/data/rules")
		p.Form = RuleForm{Kind: dataquality.KindWrong, Severity: dataquality.SeverityNormal, FixDays: "5"}
	} else {
		rules, err := h.Data.Rules(req)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(rules, func(rl dataquality.Rule) bool { return rl.ID == id })
		if i < 0 {
			return apperr.ErrNotFound
		}
		p.Rule = h.ruleRow(rules[i], cats)
		p.DataBase = h.dataBase(u, rules[i].ID+" "+rules[i].Title, "/data/rules")
		p.Form = ruleForm(rules[i])
		history, err := h.Data.RuleHistory(ctx, req, id)
		if err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return err // not found: the shipped rules are not installed yet, no version is stored
		}
		for _, old := range history {
			p.History = append(p.History, h.ruleRow(old, cats))
		}
	}
	if posted != nil {
		p.Form = *posted
	}
	if p.CanEdit {
		catList, err := h.categoryChoices(ctx)
		if err != nil {
			return err
		}
		p.Categories = catList
		for _, col := range casecard.Columns {
			p.Items = append(p.Items, CodeChoice{Code: col.Key, Label: col.Header + "（" + col.Key + "）"})
		}
	}
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
		// A list's errors ("categories[1]") are shown at the list.
		p.FormErrors = map[string]string{}
		for f, msg := range errs.byField {
			if i := strings.IndexByte(f, '['); i >= 0 {
				f = f[:i]
			}
			if _, seen := p.FormErrors[f]; !seen {
				p.FormErrors[f] = msg
			}
		}
	}
	return h.render(w, r, status, "dataquality_rule", p)
}

// ruleCreate stores a new rule.
func (h *Handler) ruleCreate(w http.ResponseWriter, r *http.Request, u org.User) error {
	form := postedRuleForm(r.PostForm)
	var err error
	if _, exists := h.Data.Library().Rule(form.ID); exists && form.ID != "" {
		// A new rule must not silently become the next version of
		// another: editing is done on the rule's own page.
		v := &apperr.Validation{}
		v.AddLabeled("id", "dataquality.rfield.id", "err.duplicate")
		err = v
	} else {
		_, err = h.Data.SaveRule(r.Context(), h.dataRequest(r, u), form.rule())
	}
	return h.afterRuleSave(w, r, u, "", form, err)
}

// ruleSave stores the next version of a rule.
func (h *Handler) ruleSave(w http.ResponseWriter, r *http.Request, u org.User) error {
	id := r.PathValue("id")
	if _, ok := h.Data.Library().Rule(id); !ok {
		return apperr.ErrNotFound
	}
	form := postedRuleForm(r.PostForm)
	form.ID = id // the id is the rule's, whatever the form says
	_, err := h.Data.SaveRule(r.Context(), h.dataRequest(r, u), form.rule())
	return h.afterRuleSave(w, r, u, id, form, err)
}

func (h *Handler) afterRuleSave(w http.ResponseWriter, r *http.Request, u org.User, id string, form RuleForm, err error) error {
	if v, ok := apperr.AsValidation(err); ok {
		return h.showRule(w, r, u, id, http.StatusUnprocessableEntity, &form, h.messages(v, nil))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/data/rules/"+url.PathEscape(form.ID)+"?flash=flash.data_rule_saved")
}

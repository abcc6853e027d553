package web

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/evaluation"
)

// The scoring widget of the self-check and the evaluation record: the
// template's items grouped by the eight aspects, each with its standard,
// basis and guidance, its finding options and a note. Controls are named
// "opt.<item code>" and "note.<item code>", so a refused form keeps every
// choice and each message lands at its item.

// ItemGroup is one aspect with its items.
type ItemGroup struct {
	Aspect string
	Code   string
	Items  []ItemField
	// Problems counts the items of the aspect marked as a problem.
	Problems int
}

// ItemField is one checklist item on a form (or read-only on a page).
type ItemField struct {
	Code, Title, Standard, Basis, Guidance, Verify string
	Options                                        []OptionChoice
	Note                                           string
	Error                                          string
	// Chosen is the label of the option chosen, Problem its class is a
	// problem (for read-only display and highlighting).
	Chosen  string
	Class   string
	Problem bool
	// Restricted: the item offers only some of the template's options.
	Restricted bool
}

// OptionChoice is one finding option of an item.
type OptionChoice struct {
	Code, Label, Class string
	Deduction          int
	Checked            bool
}

// itemChoices are the options and notes per item code, as stored or as
// posted.
type itemChoices struct {
	opt  map[string]string
	note map[string]string
}

func choicesOf(fs []evaluation.Finding) itemChoices {
	c := itemChoices{opt: map[string]string{}, note: map[string]string{}}
	for _, f := range fs {
		c.opt[f.ItemCode], c.note[f.ItemCode] = f.Option, f.Note
	}
	return c
}

// postedChoices reads the widget's controls from a form.
func postedChoices(r *http.Request) itemChoices {
	c := itemChoices{opt: map[string]string{}, note: map[string]string{}}
	for k, vs := range r.PostForm {
		if len(vs) == 0 {
			continue
		}
		if code, ok := strings.CutPrefix(k, "opt."); ok {
			c.opt[code] = vs[0]
		}
		if code, ok := strings.CutPrefix(k, "note."); ok {
			c.note[code] = vs[0]
		}
	}
	return c
}

// noneOption is the item's first option of class none: the default of an
// item not marked.
func noneOption(t evaluation.Template, it evaluation.Item) string {
	for _, o := range t.ItemOptions(it) {
		if o.Class == evaluation.ClassNone {
			return o.Code
		}
	}
	return ""
}

// inputs turns the choices into the service's input: items marked with an
// option other than the default or with a note, in template order, then
// any code the template does not have (the service refuses those by
// name). codes lists the item of each input, so a message on
// "findings[i]" can be put at its item.
func (c itemChoices) inputs(t evaluation.Template) (in []evaluation.FindingInput, codes []string) {
	known := map[string]bool{}
	for _, it := range t.Items() {
		known[it.Code] = true
		opt, note := c.opt[it.Code], strings.TrimSpace(c.note[it.Code])
		if opt == "" {
			opt = noneOption(t, it)
		}
		if opt == noneOption(t, it) && note == "" {
			continue
		}
		in = append(in, evaluation.FindingInput{ItemCode: it.Code, Option: opt, Note: note})
		codes = append(codes, it.Code)
	}
	var unknown []string
	for code := range c.opt {
		if !known[code] {
			unknown = append(unknown, code)
		}
	}
	sort.Strings(unknown)
	for _, code := range unknown {
		in = append(in, evaluation.FindingInput{ItemCode: code, Option: c.opt[code], Note: c.note[code]})
		codes = append(codes, code)
	}
	return in, codes
}

// itemGroups lays out the template's items with the choices and the
// messages by item code.
func (h *Handler) itemGroups(t evaluation.Template, c itemChoices, errs map[string]string) []ItemGroup {
	var out []ItemGroup
	for _, s := range t.Sections {
		g := ItemGroup{Aspect: h.T.T(s.Aspect.Key()), Code: string(s.Aspect)}
		for _, it := range s.Items {
			it.Aspect = s.Aspect
			chosen := c.opt[it.Code]
			if chosen == "" {
				chosen = noneOption(t, it)
			}
			f := ItemField{Code: it.Code, Title: it.Title, Standard: it.Standard, Basis: it.Basis,
				Guidance: it.Guidance, Verify: it.Verify, Note: c.note[it.Code], Error: errs[it.Code],
				Restricted: len(it.Options) > 0}
			for _, o := range t.ItemOptions(it) {
				f.Options = append(f.Options, OptionChoice{Code: o.Code, Label: o.Label, Class: string(o.Class),
					Deduction: o.Deduction, Checked: o.Code == chosen})
				if o.Code == chosen {
					f.Chosen, f.Class, f.Problem = o.Label, string(o.Class), o.Class.Problem()
				}
			}
			if f.Problem {
				g.Problems++
			}
			g.Items = append(g.Items, f)
		}
		out = append(out, g)
	}
	return out
}

var indexedRE = regexp.MustCompile(`^([a-z_]+)\[(\d+)\](?:\.(.*))?$`)

// byItem picks the messages on "<list>[i]…" fields and files them under
// the item code of input i (codes), so each lands at its item.
func byItem(fe fieldErrors, list string, codes []string) map[string]string {
	items := map[string]string{}
	for field, msg := range fe.byField {
		m := indexedRE.FindStringSubmatch(field)
		if m == nil || m[1] != list {
			continue
		}
		if i, err := strconv.Atoi(m[2]); err == nil && i < len(codes) {
			if _, seen := items[codes[i]]; !seen {
				items[codes[i]] = msg
			}
		}
	}
	return items
}

// QualityFinding is a stored finding as a page shows it.
type QualityFinding struct {
	ItemCode, Aspect, Title, Option, Class, Note string
	Deduction                                    int
	Problem                                      bool
	// Self-check: the verifier's addition and verdict.
	Added         bool
	Verdict       string
	VerdictCode   string
	VerdictReason string
	// Evaluation: the objection and the committee's decision.
	Objected     bool
	Objection    string
	Decided      bool
	Overturned   bool
	DecisionNote string
}

func (h *Handler) qualityFindings(t evaluation.Template, fs []evaluation.Finding, decided bool) []QualityFinding {
	out := make([]QualityFinding, 0, len(fs))
	for _, f := range fs {
		v := QualityFinding{ItemCode: f.ItemCode, Aspect: h.T.T(f.Aspect.Key()), Title: f.Title, Option: f.Option,
			Class: string(f.Class), Note: f.Note, Deduction: f.Deduction, Problem: f.Class.Problem(),
			Added: f.Source == evaluation.SourceVerifier, Objected: f.Objected, Objection: f.Objection,
			Decided: decided && f.Objected, Overturned: f.Overturned, DecisionNote: f.DecisionNote}
		if it, ok := t.Item(f.ItemCode); ok {
			if o, ok := t.Option(it, f.Option); ok {
				v.Option = o.Label
			}
		}
		if f.Verdict != "" {
			v.Verdict, v.VerdictCode, v.VerdictReason = h.T.T(f.Verdict.Key()), string(f.Verdict), f.VerdictReason
		}
		out = append(out, v)
	}
	// In the order of the checklist, as the scoring form shows them.
	pos := map[string]int{}
	for i, it := range t.Items() {
		pos[it.Code] = i
	}
	slices.SortStableFunc(out, func(a, b QualityFinding) int { return pos[a.ItemCode] - pos[b.ItemCode] })
	return out
}

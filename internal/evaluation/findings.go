package evaluation

import (
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
)

// FindingInput is one item as a form or API call scores it: the item, the
// option chosen and a note. Items not given are "no problem found".
type FindingInput struct {
	ItemCode string
	Option   string
	Note     string
}

// Finding is a scored item, as stored: the option with its class and
// deduction, and the item's aspect and title copied in (so statistics and
// reports need not read the template). Self-checks use Source and the
// verdict; evaluation records use the objection and decision fields.
type Finding struct {
	ItemCode  string
	Option    string
	Class     Class
	Deduction int
	Aspect    Aspect
	Title     string
	Note      string

	// Self-check: who recorded it and the verifier's verdict on it.
	Source        Source
	Verdict       Verdict
	VerdictReason string

	// Evaluation: the handler's objection and the committee's decision.
	Objected     bool
	Objection    string
	Overturned   bool
	DecisionNote string
}

// resolve checks findings typed against template t and returns them with
// class, deduction, aspect and title filled in. field is the input's name
// ("findings"): every problem is reported at once under
// "findings[i].item_code" and the like. A problem (flaw or serious) needs
// a note saying what was wrong.
func resolve(t Template, in []FindingInput, field string, v *apperr.Validation) []Finding {
	out := make([]Finding, 0, len(in))
	seen := map[string]bool{}
	for i, f := range in {
		p := fmt.Sprintf("%s[%d]", field, i)
		note := strings.TrimSpace(f.Note)
		it, ok := t.Item(f.ItemCode)
		switch {
		case f.ItemCode == "":
			add(v, p+".item_code", "err.required")
			continue
		case !ok:
			add(v, p+".item_code", "err.evaluation_item_unknown", f.ItemCode)
			continue
		case seen[f.ItemCode]:
			add(v, p+".item_code", "err.duplicate")
			continue
		}
		seen[f.ItemCode] = true
		o, ok := t.Option(it, f.Option)
		if !ok {
			add(v, p+".option", "err.evaluation_option_unknown", f.Option)
			continue
		}
		checkText(v, p+".note", note, maxNote, o.Class.Problem())
		out = append(out, Finding{ItemCode: it.Code, Option: o.Code, Class: o.Class, Deduction: o.Deduction,
			Aspect: it.Aspect, Title: it.Title, Note: note})
	}
	return out
}

// Problems lists the findings that are problems (flaw or serious), in
// order.
func Problems(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Class.Problem() {
			out = append(out, f)
		}
	}
	return out
}

package evaluation

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/i18n"
)

// Every key the package renders exists in the catalogue: the vocabularies,
// the labels of every field a validation error can name (found in the
// source, since they are built from field paths), the template fields, the
// report and assignment texts.
func TestCatalogueKeys(t *testing.T) {
	c := i18n.MustLoad(i18n.DefaultLang)
	var keys []string
	for _, a := range Aspects() {
		keys = append(keys, a.Key())
	}
	for _, x := range Classes() {
		keys = append(keys, x.Key())
	}
	for _, k := range Kinds() {
		keys = append(keys, k.Key())
	}
	for _, s := range ActivityStatuses() {
		keys = append(keys, s.Key())
	}
	for _, s := range []Selection{SelectRandom, SelectRule, SelectManual} {
		keys = append(keys, s.Key())
	}
	for _, s := range Statuses() {
		keys = append(keys, s.Key())
	}
	for _, k := range ActionKinds() {
		keys = append(keys, k.Key())
	}
	for _, r := range []Response{RespAgree, RespObject, RespLapsed} {
		keys = append(keys, r.Key())
	}
	for _, k := range FollowUpKinds() {
		keys = append(keys, k.Key())
	}
	for _, s := range CheckStatuses() {
		keys = append(keys, s.Key())
	}
	for _, v := range []Verdict{VerdictAgree, VerdictDisagree} {
		keys = append(keys, v.Key())
	}
	for _, r := range []MemberRole{RoleEvaluator, RoleCommittee} {
		keys = append(keys, r.Key())
	}
	for _, r := range Recusals() {
		keys = append(keys, r.Key(), r.ErrKey())
	}
	for _, code := range SelectionRules() {
		keys = append(keys, RuleKey(code))
	}
	for _, g := range GroupBys() {
		keys = append(keys, g.Key())
	}
	for _, cp := range AllCapacities() {
		keys = append(keys, "evaluation.capacity."+string(cp))
	}
	for _, l := range tplLabels {
		keys = append(keys, "evaluation.tfield."+l)
	}
	for _, l := range reportLabels {
		keys = append(keys, "evaluation.report."+l)
	}
	keys = append(keys, "evaluation.tfield.unknown", "evaluation.self_check", "evaluation.list_sep")
	// Labels of form fields: every literal field name passed to add,
	// invalid and checkText, and every ".name" appended to a path.
	re := regexp.MustCompile(`(?:add\(v, |invalid\(|checkText\(v, )"([a-z_]+)|\+"\.([a-z_]+)"|Sprintf\("([a-z_]+)\[`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "template_json.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			name := m[1] + m[2] + m[3]
			keys = append(keys, "evaluation.field."+name)
		}
	}
	for _, k := range keys {
		if !c.Has(k) {
			t.Errorf("key %s is not in the catalogue", k)
		}
	}
	if len(keys) < 150 {
		t.Errorf("only %d keys checked: the scan is broken", len(keys))
	}
}

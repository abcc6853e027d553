package dataquality

import (
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/i18n"
)

func validRule() Rule {
	return Rule{ID: "SH-12", Version: 1, Title: "审查起诉案件未填移送单位", Kind: KindMissing, Severity: SeverityNormal,
		Categories: []string{"prosecution_review"}, Sources: []string{"import"}, Item: "transferring_organ",
		When: `blank(card.TransferringOrgan)`, Reference: "《检察业务案卡填录规范》（填录规范）", Hint: "请补填移送单位。", FixDays: 5}
}

func TestValidateRule(t *testing.T) {
	known := knownCategories()
	if err := ValidateRule(validRule(), known); err != nil {
		t.Fatalf("valid rule refused: %v", err)
	}
	for _, id := range []string{"DQ-001", "DQ-1234", "GDJC-3", "AB-123456"} {
		r := validRule()
		r.ID = id
		if err := ValidateRule(r, known); err != nil {
			t.Errorf("id %s refused: %v", id, err)
		}
	}
	for _, tc := range []struct {
		name   string
		change func(*Rule)
		field  string
		key    string
	}{
		{"id blank", func(r *Rule) { r.ID = " " }, "id", "err.required"},
		{"id short", func(r *Rule) { r.ID = "DQ-01" }, "id", "err.dq_rule_id"},
		{"id lower", func(r *Rule) { r.ID = "sh-12" }, "id", "err.dq_rule_id"},
		{"id long prefix", func(r *Rule) { r.ID = "ABCDEFGHI-1" }, "id", "err.dq_rule_id"},
		{"id long number", func(r *Rule) { r.ID = "SH-1234567" }, "id", "err.dq_rule_id"},
		{"version", func(r *Rule) { r.Version = -1 }, "version", "err.unknown_value"},
		{"title blank", func(r *Rule) { r.Title = "" }, "title", "err.required"},
		{"title short", func(r *Rule) { r.Title = "空" }, "title", "err.dq_rule_title_length"},
		{"title long", func(r *Rule) { r.Title = strings.Repeat("长", 81) }, "title", "err.dq_rule_title_length"},
		{"kind blank", func(r *Rule) { r.Kind = "" }, "kind", "err.required"},
		{"kind", func(r *Rule) { r.Kind = "typo" }, "kind", "err.unknown_value"},
		{"severity", func(r *Rule) { r.Severity = "critical" }, "severity", "err.unknown_value"},
		{"category", func(r *Rule) { r.Categories = []string{"prosecution_review", "appeal"} }, "categories[1]", "err.unknown_category"},
		{"category twice", func(r *Rule) { r.Categories = []string{"pil_admin", "pil_admin"} }, "categories[1]", "err.duplicate"},
		{"source", func(r *Rule) { r.Sources = []string{"excel"} }, "sources[0]", "err.unknown_value"},
		{"item blank", func(r *Rule) { r.Item = "" }, "item", "err.required"},
		{"item", func(r *Rule) { r.Item = "TransferringOrgan" }, "item", "err.dq_rule_item"},
		{"when blank", func(r *Rule) { r.When = "  " }, "when", "err.required"},
		{"when long", func(r *Rule) { r.When = "true" + strings.Repeat(" ", MaxWhen) }, "when", "err.too_long"},
		{"when syntax", func(r *Rule) { r.When = "blank(card.Name" }, "when", "err.dq_rule_when"},
		{"when not bool", func(r *Rule) { r.When = "card.Name" }, "when", "err.dq_rule_when"},
		{"reference", func(r *Rule) { r.Reference = "" }, "reference", "err.required"},
		{"hint", func(r *Rule) { r.Hint = " " }, "hint", "err.required"},
		{"hint long", func(r *Rule) { r.Hint = strings.Repeat("长", MaxText+1) }, "hint", "err.too_long"},
		{"fix days zero", func(r *Rule) { r.FixDays = 0 }, "fix_days", "err.dq_rule_fix_days"},
		{"fix days", func(r *Rule) { r.FixDays = 31 }, "fix_days", "err.dq_rule_fix_days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validRule()
			tc.change(&r)
			v, ok := apperr.AsValidation(ValidateRule(r, known))
			if !ok {
				t.Fatalf("no validation error")
			}
			if len(v.Fields) != 1 || v.Fields[0].Field != tc.field || v.Fields[0].Key != tc.key {
				t.Errorf("fields = %+v, want %s %s", v.Fields, tc.field, tc.key)
			}
		})
	}
}

// Every message and label ValidateRule can produce renders in Chinese,
// with the compile error in the message.
func TestValidateRuleMessages(t *testing.T) {
	cat := i18n.MustLoad(i18n.DefaultLang)
	bad := Rule{ID: "x", Version: -1, Title: "空", Kind: "k", Severity: "s", Categories: []string{"nope", "nope"},
		Sources: []string{"x"}, Item: "x", When: "card.Nope", FixDays: 99}
	v, ok := apperr.AsValidation(ValidateRule(bad, knownCategories()))
	if !ok {
		t.Fatal("no validation error")
	}
	long := validRule()
	long.When = strings.Repeat("x", MaxWhen+1)
	lv, _ := apperr.AsValidation(ValidateRule(long, knownCategories()))
	empty, _ := apperr.AsValidation(ValidateRule(Rule{}, knownCategories()))
	fields := append(append(v.Fields, lv.Fields...), empty.Fields...)
	for _, fe := range fields {
		if !cat.Has(fe.Key) || !cat.Has(fe.Label) {
			t.Errorf("%s: key %q or label %q missing from the catalogue", fe.Field, fe.Key, fe.Label)
		}
		if msg := cat.Message(fe); strings.Contains(msg, "⟦") || strings.Contains(msg, "%!") {
			t.Errorf("%s renders as %q", fe.Field, msg)
		}
	}
	for _, fe := range v.Fields {
		if fe.Field == "when" {
			msg := cat.Message(fe)
			if !strings.HasPrefix(msg, "检查表达式：检查表达式无法编译：") || !strings.Contains(msg, "Nope") || strings.Contains(msg, "\n") {
				t.Errorf("when message = %q", msg)
			}
		}
	}
}

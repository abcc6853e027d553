package evaluation

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
)

func TestShippedTemplates(t *testing.T) {
	ts, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"arrest_review":           {"arrest_review"},
		"prosecution_review":      {"prosecution_review"},
		"civil_admin_supervision": {"civil_supervision", "admin_supervision"},
		"public_interest":         {"pil_admin", "pil_civil"},
	}
	if len(ts) != len(want) {
		t.Fatalf("%d templates, want %d", len(ts), len(want))
	}
	std, _ := StandardScale("2026")
	for _, tpl := range ts {
		cats, ok := want[tpl.Code]
		if !ok || !slices.Equal(tpl.Categories, cats) {
			t.Errorf("%s: categories %v, want %v", tpl.Code, tpl.Categories, cats)
		}
		if n := tpl.ItemCount(); n < 30 {
			t.Errorf("%s: %d items, want at least 30", tpl.Code, n)
		}
		var aspects []Aspect
		for _, s := range tpl.Sections {
			aspects = append(aspects, s.Aspect)
		}
		if !slices.Equal(aspects, Aspects()) {
			t.Errorf("%s: aspects %v, want all eight in order", tpl.Code, aspects)
		}
		if !reflect.DeepEqual(tpl.Scale, std) {
			t.Errorf("%s: scale differs from the standard 2026 scale", tpl.Code)
		}
		for _, it := range tpl.Items() {
			if !strings.Contains(it.Basis, "《") {
				t.Errorf("%s %s: basis %q cites no rule", tpl.Code, it.Code, it.Basis)
			}
			if it.Standard == "" || it.Guidance == "" || it.Title == "" {
				t.Errorf("%s %s: title, standard and guidance are required", tpl.Code, it.Code)
			}
		}
	}
}

func TestStandardScales(t *testing.T) {
	tests := map[string][]string{
		"2017": {"优质案件", "合格案件", "瑕疵案件", "不合格案件"},
		"2026": {"优质案件", "合格案件", "基本合格案件", "不合格案件"},
	}
	for code, labels := range tests {
		s, ok := StandardScale(code)
		if !ok {
			t.Fatalf("no scale %s", code)
		}
		var got []string
		for _, g := range s.Grades {
			got = append(got, g.Label)
		}
		if !slices.Equal(got, labels) {
			t.Errorf("scale %s: %v, want %v", code, got, labels)
		}
		// The scale is valid as a template's.
		tpl := minimalTemplate()
		tpl.Scale = s
		if err := tpl.Validate(nil); err != nil {
			t.Errorf("scale %s: %v", code, err)
		}
	}
}

// minimalTemplate is a valid one-item template.
func minimalTemplate() Template {
	s, _ := StandardScale("2026")
	return Template{Format: Format, Code: "test_template", Name: "测试模板", Categories: []string{"prosecution_review"},
		Scale: s, Options: []Option{{Code: "none", Label: "无问题", Class: ClassNone},
			{Code: "flaw", Label: "瑕疵", Class: ClassFlaw, Deduction: 2},
			{Code: "serious", Label: "严重问题", Class: ClassSerious, Deduction: 10}},
		Sections: []Section{{Aspect: AspectProcedure, Items: []Item{{Code: "T-PC-01", Title: "是否在法定期限内审结",
			Standard: "一个月内审结", Basis: "《刑事诉讼法》第一百七十二条", Guidance: "核对受理和决定日期"}}}}}
}

func TestExportParseRoundTrip(t *testing.T) {
	ts, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range ts {
		b, err := ExportTemplate(tpl)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseTemplate(b, []string{"arrest_review", "prosecution_review", "civil_supervision",
			"admin_supervision", "pil_admin", "pil_civil"})
		if err != nil {
			t.Fatalf("%s: %v", tpl.Code, err)
		}
		if !reflect.DeepEqual(back, tpl) {
			t.Errorf("%s: round trip changed the template", tpl.Code)
		}
		again, _ := ExportTemplate(back)
		if string(again) != string(b) {
			t.Errorf("%s: export is not stable", tpl.Code)
		}
	}
}

// fields lists the field paths and keys of a validation error.
func fields(err error) map[string]string {
	out := map[string]string{}
	if v, ok := apperr.AsValidation(err); ok {
		for _, f := range v.Fields {
			if _, dup := out[f.Field]; !dup {
				out[f.Field] = f.Key
			}
		}
	}
	return out
}

func TestParseTemplateStrict(t *testing.T) {
	base, err := ExportTemplate(minimalTemplate())
	if err != nil {
		t.Fatal(err)
	}
	edit := func(fn func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(base, &m); err != nil {
			t.Fatal(err)
		}
		fn(m)
		b, _ := json.Marshal(m)
		return b
	}
	item := func(m map[string]any) map[string]any {
		return m["aspects"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)
	}
	tests := []struct {
		name string
		in   []byte
		want map[string]string // field → key; every one must be reported
	}{
		{"not JSON", []byte("{"), map[string]string{"template": "err.json_malformed"}},
		{"not an object", []byte(`[]`), map[string]string{"template": "err.json_type_object"}},
		{"unknown fields and wrong types, all at once", edit(func(m map[string]any) {
			m["colour"] = "red"
			m["version"] = "one"
			item(m)["weight"] = 3
			item(m)["title"] = 7
			m["scale"].(map[string]any)["grades"].([]any)[0].(map[string]any)["points"] = 1.5
		}), map[string]string{"colour": "err.json_unknown_field", "version": "err.json_type_number",
			"aspects[0].items[0].weight": "err.json_unknown_field", "aspects[0].items[0].title": "err.json_type_string",
			"scale.grades[0].points": "err.evaluation_integer"}},
		{"content problems, all at once", edit(func(m map[string]any) {
			m["format"] = "other"
			m["code"] = "Bad Code"
			m["categories"] = []any{"prosecution_review", "prosecution_review", "traffic"}
			it := item(m)
			it["title"] = ""
			it["options"] = []any{"flaw", "mystery"}
			m["options"].([]any)[0].(map[string]any)["deduction"] = 3
			m["aspects"] = append(m["aspects"].([]any), map[string]any{"aspect": "procedure", "items": []any{}})
		}), map[string]string{"format": "err.evaluation_format", "code": "err.evaluation_code_format",
			"categories[1]": "err.duplicate", "categories[2]": "err.unknown_category",
			"aspects[0].items[0].title": "err.required", "aspects[0].items[0].options[1]": "err.unknown_value",
			"aspects[0].items[0].options": "err.evaluation_item_needs_none",
			"options[0].deduction":        "err.evaluation_none_no_deduction",
			"aspects[1].aspect":           "err.duplicate", "aspects[1].items": "err.evaluation_empty_section"}},
		{"scale problems", edit(func(m map[string]any) {
			sc := m["scale"].(map[string]any)
			for _, g := range sc["grades"].([]any) {
				delete(g.(map[string]any), "fails")
			}
			r := sc["rule"].(map[string]any)
			r["default"] = "excellent"
			r["steps"] = []any{map[string]any{"grade": "nonesuch"}}
		}), map[string]string{"scale.grades": "err.evaluation_scale_fails",
			"scale.rule.excellent":      "err.evaluation_excellent_default",
			"scale.rule.steps[0].grade": "err.evaluation_scale_grade_unknown",
			"scale.rule.steps[0]":       "err.evaluation_step_empty"}},
		{"duplicate item codes", edit(func(m map[string]any) {
			sec := m["aspects"].([]any)[0].(map[string]any)
			sec["items"] = append(sec["items"].([]any), sec["items"].([]any)[0])
		}), map[string]string{"aspects[0].items[1].code": "err.duplicate"}},
	}
	for _, tt := range tests {
		_, err := ParseTemplate(tt.in, []string{"prosecution_review", "arrest_review"})
		got := fields(err)
		for f, k := range tt.want {
			if got[f] != k {
				t.Errorf("%s: field %s = %q, want %q (all: %v)", tt.name, f, got[f], k, got)
			}
		}
	}
	if _, err := ParseTemplate(base, []string{"prosecution_review"}); err != nil {
		t.Errorf("the valid template was refused: %v", err)
	}
}

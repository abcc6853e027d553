package evaluation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
)

// Limits of a template.
const (
	maxItems      = 500
	maxTitle      = 200
	maxStandard   = 1000
	maxBasisText  = 1000
	maxGuidance   = 1000
	maxVerifyNote = 300
	maxDeduction  = 100
	maxNameLen    = 100
	maxNoteLen    = 500
	maxFileBytes  = 1 << 20
)

var (
	codeRE     = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)
	itemCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,19}$`)
	optionRE   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,19}$`)
	gradeRE    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,19}$`)
	// Scale codes are usually the year of the rules ("2026").
	scaleCodeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,19}$`)
)

// shape is the expected JSON shape of a template file, so a strict import
// names every unknown field and every wrong type with its path instead of
// stopping at the first (encoding/json reports neither path nor more than
// one problem).
type shape struct {
	kind   byte // 'o' object, 'a' array, 's' string, 'i' integer, 'b' bool
	fields map[string]*shape
	elem   *shape
}

var (
	sString = &shape{kind: 's'}
	sInt    = &shape{kind: 'i'}
	sBool   = &shape{kind: 'b'}
)

func obj(fields map[string]*shape) *shape { return &shape{kind: 'o', fields: fields} }
func arr(elem *shape) *shape              { return &shape{kind: 'a', elem: elem} }

var templateShape = obj(map[string]*shape{
	"format": sString, "code": sString, "version": sInt, "name": sString, "categories": arr(sString),
	"basis": sString, "note": sString,
	"scale": obj(map[string]*shape{
		"code": sString, "name": sString, "basis": sString,
		"grades": arr(obj(map[string]*shape{"code": sString, "label": sString, "points": sInt, "fails": sBool})),
		"rule": obj(map[string]*shape{
			"steps": arr(obj(map[string]*shape{"min_serious": sInt, "min_flaws": sInt, "min_deduction": sInt,
				"grade": sString})),
			"default": sString, "excellent": sString, "excellent_max_flaws": sInt,
		}),
	}),
	"options": arr(obj(map[string]*shape{"code": sString, "label": sString, "class": sString, "deduction": sInt})),
	"aspects": arr(obj(map[string]*shape{
		"aspect": sString,
		"items": arr(obj(map[string]*shape{"code": sString, "title": sString, "standard": sString, "basis": sString,
			"guidance": sString, "options": arr(sString), "verify": sString})),
	})),
})

// walk checks v against s, adding a problem per unknown field or wrong type.
func (s *shape) walk(v *apperr.Validation, path string, val any) {
	if val == nil {
		return // null: treated as absent; required fields are checked later
	}
	switch s.kind {
	case 'o':
		m, ok := val.(map[string]any)
		if !ok {
			tplProblem(v, path, "err.json_type_object")
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			sub, known := s.fields[k]
			p := joinPath(path, k)
			if !known {
				v.AddLabeled(p, "evaluation.tfield.unknown", "err.json_unknown_field")
				continue
			}
			sub.walk(v, p, m[k])
		}
	case 'a':
		a, ok := val.([]any)
		if !ok {
			tplProblem(v, path, "err.json_type_array")
			return
		}
		for i, e := range a {
			s.elem.walk(v, fmt.Sprintf("%s[%d]", path, i), e)
		}
	case 's':
		if _, ok := val.(string); !ok {
			tplProblem(v, path, "err.json_type_string")
		}
	case 'b':
		if _, ok := val.(bool); !ok {
			tplProblem(v, path, "err.json_type_bool")
		}
	case 'i':
		n, ok := val.(json.Number)
		if !ok {
			tplProblem(v, path, "err.json_type_number")
			return
		}
		if _, err := n.Int64(); err != nil {
			tplProblem(v, path, "err.evaluation_integer")
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// tplLabels are the catalogue labels of template fields, by the last name
// of a path.
var tplLabels = []string{"format", "code", "version", "name", "categories", "basis", "note", "scale", "grades",
	"label", "points", "fails", "rule", "steps", "min_serious", "min_flaws", "min_deduction", "grade", "default",
	"excellent", "excellent_max_flaws", "options", "class", "deduction", "aspects", "aspect", "items", "title",
	"standard", "guidance", "verify", "template"}

// tplProblem records a problem of a template field, labelled by the last
// name of its path ("aspects[2].items[0].title" → "evaluation.tfield.title").
func tplProblem(v *apperr.Validation, path, key string, args ...any) {
	leaf := path
	if i := strings.LastIndex(leaf, "."); i >= 0 {
		leaf = leaf[i+1:]
	}
	if i := strings.Index(leaf, "["); i >= 0 {
		leaf = leaf[:i]
	}
	if !slices.Contains(tplLabels, leaf) {
		leaf = "template"
	}
	field := path
	if field == "" {
		field = "template"
	}
	v.AddLabeled(field, "evaluation.tfield."+leaf, key, args...)
}

// ParseTemplate reads a template file strictly: it must be JSON of the
// template layout with no unknown field and every value of the right type,
// and pass Validate. Every problem is reported at once, each with its field
// path ("aspects[3].items[0].options[1]"), as an *apperr.Validation.
// categories are the known case categories (nil: not checked).
func ParseTemplate(b []byte, categories []string) (Template, error) {
	v := &apperr.Validation{}
	if len(b) > maxFileBytes {
		tplProblem(v, "", "err.body_too_large")
		return Template{}, v
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil || dec.More() {
		tplProblem(v, "", "err.json_malformed")
		return Template{}, v
	}
	if _, ok := raw.(map[string]any); !ok {
		tplProblem(v, "", "err.json_type_object")
		return Template{}, v
	}
	templateShape.walk(v, "", raw)
	if err := v.Err(); err != nil {
		return Template{}, err
	}
	var t Template
	strict := json.NewDecoder(bytes.NewReader(b))
	strict.DisallowUnknownFields()
	if err := strict.Decode(&t); err != nil {
		// The shape walk accepts exactly what decodes; reaching this is a
		// defect of the shape, reported rather than hidden.
		return Template{}, fmt.Errorf("evaluation: template decode: %w", err)
	}
	if err := t.Validate(categories); err != nil {
		return Template{}, err
	}
	return t, nil
}

// ExportTemplate writes a template as its JSON file (the layout
// ParseTemplate reads), indented for people to edit.
func ExportTemplate(t Template) ([]byte, error) {
	t.Format = Format
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Validate checks a template's content and reports every problem with its
// field path. categories are the known case categories (nil: not checked).
func (t *Template) Validate(categories []string) error {
	v := &apperr.Validation{}
	if t.Format != Format {
		tplProblem(v, "format", "err.evaluation_format", Format)
	}
	switch {
	case t.Code == "":
		tplProblem(v, "code", "err.required")
	case !codeRE.MatchString(t.Code):
		tplProblem(v, "code", "err.evaluation_code_format")
	}
	tplText(v, "name", t.Name, maxNameLen, true)
	tplText(v, "basis", t.Basis, maxBasisText, false)
	tplText(v, "note", t.Note, maxNoteLen, false)
	if len(t.Categories) == 0 {
		tplProblem(v, "categories", "err.required")
	}
	for i, c := range t.Categories {
		p := fmt.Sprintf("categories[%d]", i)
		switch {
		case c == "":
			tplProblem(v, p, "err.required")
		case slices.Index(t.Categories, c) < i:
			tplProblem(v, p, "err.duplicate")
		case categories != nil && !slices.Contains(categories, c):
			tplProblem(v, p, "err.unknown_category")
		}
	}
	t.Scale.validate(v, "scale")
	t.validateOptions(v)
	t.validateSections(v)
	return v.Err()
}

// tplText checks presence and length of a text field.
func tplText(v *apperr.Validation, path, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		tplProblem(v, path, "err.required")
	case len([]rune(s)) > max:
		tplProblem(v, path, "err.too_long", max)
	}
}

func (s *Scale) validate(v *apperr.Validation, path string) {
	switch {
	case s.Code == "":
		tplProblem(v, path+".code", "err.required")
	case !scaleCodeRE.MatchString(s.Code):
		tplProblem(v, path+".code", "err.evaluation_code_format")
	}
	tplText(v, path+".name", s.Name, maxNameLen, true)
	tplText(v, path+".basis", s.Basis, maxBasisText, false)
	if len(s.Grades) < 2 {
		tplProblem(v, path+".grades", "err.evaluation_scale_grades")
	}
	fails := 0
	for i, g := range s.Grades {
		p := fmt.Sprintf("%s.grades[%d]", path, i)
		switch {
		case g.Code == "":
			tplProblem(v, p+".code", "err.required")
		case !gradeRE.MatchString(g.Code):
			tplProblem(v, p+".code", "err.evaluation_code_format")
		case s.rank(g.Code) < i:
			tplProblem(v, p+".code", "err.duplicate")
		}
		tplText(v, p+".label", g.Label, 20, true)
		if g.Points < -100 || g.Points > 100 {
			tplProblem(v, p+".points", "err.evaluation_points_range")
		}
		if g.Fails {
			fails++
		}
	}
	if len(s.Grades) >= 2 && fails != 1 {
		tplProblem(v, path+".grades", "err.evaluation_scale_fails")
	}
	r := s.Rule
	rp := path + ".rule"
	gradeRef := func(p, code string) {
		switch {
		case code == "":
			tplProblem(v, p, "err.required")
		case s.rank(code) < 0:
			tplProblem(v, p, "err.evaluation_scale_grade_unknown")
		}
	}
	gradeRef(rp+".default", r.Default)
	gradeRef(rp+".excellent", r.Excellent)
	if r.Excellent != "" && r.Excellent == r.Default {
		tplProblem(v, rp+".excellent", "err.evaluation_excellent_default")
	}
	if r.ExcellentMaxFlaws < 0 {
		tplProblem(v, rp+".excellent_max_flaws", "err.evaluation_negative")
	}
	for i, st := range r.Steps {
		p := fmt.Sprintf("%s.steps[%d]", rp, i)
		gradeRef(p+".grade", st.Grade)
		if st.Grade != "" && st.Grade == r.Excellent {
			tplProblem(v, p+".grade", "err.evaluation_excellent_default")
		}
		if st.MinSerious < 0 || st.MinFlaws < 0 || st.MinDeduction < 0 {
			tplProblem(v, p, "err.evaluation_negative")
		} else if st.MinSerious == 0 && st.MinFlaws == 0 && st.MinDeduction == 0 {
			tplProblem(v, p, "err.evaluation_step_empty")
		}
	}
}

func (t *Template) validateOptions(v *apperr.Validation) {
	if len(t.Options) == 0 {
		tplProblem(v, "options", "err.required")
	}
	none := false
	for i, o := range t.Options {
		p := fmt.Sprintf("options[%d]", i)
		switch {
		case o.Code == "":
			tplProblem(v, p+".code", "err.required")
		case !optionRE.MatchString(o.Code):
			tplProblem(v, p+".code", "err.evaluation_code_format")
		case slices.IndexFunc(t.Options, func(x Option) bool { return x.Code == o.Code }) < i:
			tplProblem(v, p+".code", "err.duplicate")
		}
		tplText(v, p+".label", o.Label, 20, true)
		if !o.Class.Valid() {
			tplProblem(v, p+".class", "err.unknown_value")
		}
		switch {
		case o.Deduction < 0 || o.Deduction > maxDeduction:
			tplProblem(v, p+".deduction", "err.evaluation_deduction_range", maxDeduction)
		case o.Class == ClassNone && o.Deduction != 0:
			tplProblem(v, p+".deduction", "err.evaluation_none_no_deduction")
		}
		none = none || o.Class == ClassNone
	}
	if len(t.Options) > 0 && !none {
		tplProblem(v, "options", "err.evaluation_options_need_none")
	}
}

func (t *Template) validateSections(v *apperr.Validation) {
	if len(t.Sections) == 0 {
		tplProblem(v, "aspects", "err.evaluation_no_items")
	}
	seen := map[string]bool{}
	total := 0
	for i, s := range t.Sections {
		p := fmt.Sprintf("aspects[%d]", i)
		switch {
		case !s.Aspect.Valid():
			tplProblem(v, p+".aspect", "err.unknown_value")
		case slices.IndexFunc(t.Sections, func(x Section) bool { return x.Aspect == s.Aspect }) < i:
			tplProblem(v, p+".aspect", "err.duplicate")
		}
		if len(s.Items) == 0 {
			tplProblem(v, p+".items", "err.evaluation_empty_section")
		}
		for j, it := range s.Items {
			total++
			ip := fmt.Sprintf("%s.items[%d]", p, j)
			switch {
			case it.Code == "":
				tplProblem(v, ip+".code", "err.required")
			case !itemCodeRE.MatchString(it.Code):
				tplProblem(v, ip+".code", "err.evaluation_item_code_format")
			case seen[it.Code]:
				tplProblem(v, ip+".code", "err.duplicate")
			}
			seen[it.Code] = true
			tplText(v, ip+".title", it.Title, maxTitle, true)
			tplText(v, ip+".standard", it.Standard, maxStandard, true)
			tplText(v, ip+".basis", it.Basis, maxBasisText, true)
			tplText(v, ip+".guidance", it.Guidance, maxGuidance, true)
			tplText(v, ip+".verify", it.Verify, maxVerifyNote, false)
			none := len(it.Options) == 0
			for k, code := range it.Options {
				op := fmt.Sprintf("%s.options[%d]", ip, k)
				o, ok := t.optionByCode(code)
				switch {
				case !ok:
					tplProblem(v, op, "err.unknown_value")
				case slices.Index(it.Options, code) < k:
					tplProblem(v, op, "err.duplicate")
				}
				none = none || (ok && o.Class == ClassNone)
			}
			if !none {
				tplProblem(v, ip+".options", "err.evaluation_item_needs_none")
			}
		}
	}
	if total > maxItems {
		tplProblem(v, "aspects", "err.too_many", maxItems)
	}
}

func (t *Template) optionByCode(code string) (Option, bool) {
	i := slices.IndexFunc(t.Options, func(o Option) bool { return o.Code == code })
	if i < 0 {
		return Option{}, false
	}
	return t.Options[i], true
}

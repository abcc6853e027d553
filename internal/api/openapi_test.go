package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/api"
	"github.com/anguan/anguan/internal/casefile"
)

// The OpenAPI document's paths are relative to its one server URL.
const apiBase = "/api/v1"

// openAPIDoc is the parsed document with just enough of a JSON Schema
// validator (the keywords the document uses) to hold every response the
// tests see against it.
type openAPIDoc struct {
	root  map[string]any
	paths map[string]any
}

func loadDoc(t testing.TB) *openAPIDoc {
	t.Helper()
	var root map[string]any
	dec := json.NewDecoder(bytes.NewReader(api.OpenAPI()))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	paths, _ := root["paths"].(map[string]any)
	return &openAPIDoc{root: root, paths: paths}
}

// docPath converts a ServeMux pattern ("GET /api/v1/cases/{id}") to the
// document's method and path ("get", "/cases/{id}").
func docPath(pattern string) (method, path string, err error) {
	m, p, ok := strings.Cut(pattern, " ")
	if !ok {
		return "", "", fmt.Errorf("pattern %q has no method", pattern)
	}
	rel, ok := strings.CutPrefix(p, apiBase)
	if !ok || rel == "" {
		return "", "", fmt.Errorf("pattern %q is outside %s", pattern, apiBase)
	}
	// ServeMux wildcards {name} and {name...} become OpenAPI {name}.
	rel = strings.ReplaceAll(rel, "...}", "}")
	return strings.ToLower(m), rel, nil
}

// match finds the documented path template of a concrete request path.
func (d *openAPIDoc) match(path string) (string, bool) {
	path, _, _ = strings.Cut(path, "?")
	rel, ok := strings.CutPrefix(path, apiBase)
	if !ok {
		return "", false
	}
	segs := strings.Split(rel, "/")
	for tmpl := range d.paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		ok := true
		for i := range ts {
			if !(strings.HasPrefix(ts[i], "{") && segs[i] != "") && ts[i] != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return tmpl, true
		}
	}
	return "", false
}

func (d *openAPIDoc) resolve(v any) map[string]any {
	m, _ := v.(map[string]any)
	for m != nil {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		var cur any = d.root
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cm, _ := cur.(map[string]any)
			cur = cm[part]
		}
		m, _ = cur.(map[string]any)
	}
	return m
}

// conform fails the test when the response's status is not documented for
// the operation or its body does not match the documented schema. Paths
// outside the document (e.g. unknown routes) are not checked here.
func (d *openAPIDoc) conform(t testing.TB, method, path string, r response) {
	t.Helper()
	tmpl, ok := d.match(path)
	if !ok {
		return
	}
	op := d.resolve(d.resolve(d.paths[tmpl])[strings.ToLower(method)])
	if op == nil {
		return // method not documented: the coverage test reports routes
	}
	responses := d.resolve(op["responses"])
	spec := d.resolve(responses[fmt.Sprint(r.status)])
	if spec == nil {
		t.Errorf("%s %s answered %d, which the OpenAPI document does not list: %s", method, tmpl, r.status, r.body)
		return
	}
	content, _ := spec["content"].(map[string]any)
	if content == nil {
		if len(r.body) != 0 {
			t.Errorf("%s %s %d: documented without a body, got %s", method, tmpl, r.status, r.body)
		}
		return
	}
	if _, isJSON := content["application/json"]; !isJSON {
		// A file (the notice as Word): its media type must be the one
		// documented; the tests that read it check its content.
		if ct := r.header.Get("Content-Type"); content[ct] == nil {
			t.Errorf("%s %s %d: Content-Type %q is not documented", method, tmpl, r.status, ct)
		}
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s %d: Content-Type %q", method, tmpl, r.status, ct)
	}
	media := d.resolve(content["application/json"])
	var body any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Errorf("%s %s %d: body is not JSON: %v", method, tmpl, r.status, err)
		return
	}
	for _, p := range d.validate(media["schema"], body, "$") {
		t.Errorf("%s %s %d: does not match the documented schema: %s", method, tmpl, r.status, p)
	}
}

var (
	dateRE     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)
)

// validate checks v against schema s: $ref, allOf, type, enum, properties,
// required, additionalProperties, items, pattern, format (date, date-time),
// minimum, maximum.
func (d *openAPIDoc) validate(schema any, v any, at string) []string {
	s := d.resolve(schema)
	if s == nil {
		return nil
	}
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, at+": "+fmt.Sprintf(format, args...)) }
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			probs = append(probs, d.validate(sub, v, at)...)
		}
	}
	if ty, ok := s["type"]; ok {
		var types []string
		switch x := ty.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, y := range x {
				types = append(types, y.(string))
			}
		}
		if !slices.Contains(types, jsonType(v)) && !(jsonType(v) == "integer" && slices.Contains(types, "number")) {
			bad("type %s, want %v", jsonType(v), types)
			return probs
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		bad("%v is not one of %v", v, enum)
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asStrings(s["required"]) {
			if _, ok := x[r]; !ok {
				bad("required property %q missing", r)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				probs = append(probs, d.validate(ps, x[k], at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					bad("property %q is not documented", k)
				}
			case map[string]any:
				probs = append(probs, d.validate(ap, x[k], at+"."+k)...)
			}
		}
	case []any:
		for i, e := range x {
			probs = append(probs, d.validate(s["items"], e, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case string:
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			bad("%q does not match %s", x, p)
		}
		switch s["format"] {
		case "date":
			if _, err := time.Parse(time.DateOnly, x); err != nil || !dateRE.MatchString(x) {
				bad("%q is not a date", x)
			}
		case "date-time":
			if !dateTimeRE.MatchString(x) {
				bad("%q is not an RFC 3339 date-time", x)
			}
		}
	case json.Number:
		f, _ := x.Float64()
		if m, ok := s["minimum"].(json.Number); ok {
			if lo, _ := m.Float64(); f < lo {
				bad("%v < minimum %v", x, m)
			}
		}
		if m, ok := s["maximum"].(json.Number); ok {
			if hi, _ := m.Float64(); f > hi {
				bad("%v > maximum %v", x, m)
			}
		}
	}
	return probs
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func asStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// TestOpenAPIDocument: the document is OpenAPI 3.1 JSON with relative
// paths under one server URL, every registered route is documented, every
// documented operation is registered, public routes need no token and the
// others require the bearer scheme.
func TestOpenAPIDocument(t *testing.T) {
	d := loadDoc(t)
	if v, _ := d.root["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	servers, _ := d.root["servers"].([]any)
	if len(servers) != 1 || d.resolve(servers[0])["url"] != apiBase {
		t.Errorf("servers = %v, want one server at %s (the paths are relative to it)", servers, apiBase)
	}
	scheme := d.resolve(d.resolve(d.resolve(d.root["components"])["securitySchemes"])["bearerAuth"])
	if scheme["type"] != "http" || scheme["scheme"] != "bearer" {
		t.Errorf("bearerAuth scheme = %v", scheme)
	}
	if sec, _ := d.root["security"].([]any); len(sec) != 1 || d.resolve(sec[0])["bearerAuth"] == nil {
		t.Errorf("top-level security = %v, want bearerAuth", d.root["security"])
	}
	for _, k := range []string{"title", "version", "description"} {
		if s, _ := d.resolve(d.root["info"])[k].(string); s == "" {
			t.Errorf("info.%s is empty", k)
		}
	}

	h := api.New(api.Deps{})
	registered := map[string]api.Route{}
	for _, rt := range h.Routes() {
		m, p, err := docPath(rt.Pattern)
		if err != nil {
			t.Fatal(err)
		}
		registered[m+" "+p] = rt
		op := d.resolve(d.resolve(d.paths[p])[m])
		if op == nil {
			t.Errorf("route %q is not documented (want paths[%q].%s)", rt.Pattern, p, m)
			continue
		}
		if op["operationId"] == "" || op["summary"] == "" {
			t.Errorf("%s: operationId and summary are required", rt.Pattern)
		}
		sec, hasSec := op["security"].([]any)
		switch {
		case rt.Public && !(hasSec && len(sec) == 0):
			t.Errorf("%s is public: document it with security: []", rt.Pattern)
		case !rt.Public && hasSec:
			t.Errorf("%s needs a token: it must inherit the bearerAuth security", rt.Pattern)
		}
		responses := d.resolve(op["responses"])
		if !rt.Public && responses["401"] == nil {
			t.Errorf("%s: 401 is not documented", rt.Pattern)
		}
		if rt.Roles != nil && responses["403"] == nil {
			t.Errorf("%s: restricted to roles but 403 is not documented", rt.Pattern)
		}
		// Every path wildcard is a documented path parameter.
		for _, w := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(p, -1) {
			if !d.hasPathParam(p, m, w[1]) {
				t.Errorf("%s: path parameter %q is not documented", rt.Pattern, w[1])
			}
		}
	}
	for p, item := range d.paths {
		for m := range d.resolve(item) {
			switch m {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
			default:
				continue
			}
			if _, ok := registered[m+" "+p]; !ok {
				t.Errorf("documented operation %s %s%s is not a registered route", strings.ToUpper(m), apiBase, p)
			}
		}
	}
}

func (d *openAPIDoc) hasPathParam(path, method, name string) bool {
	item := d.resolve(d.paths[path])
	var params []any
	if ps, ok := item["parameters"].([]any); ok {
		params = append(params, ps...)
	}
	if ps, ok := d.resolve(item[method])["parameters"].([]any); ok {
		params = append(params, ps...)
	}
	for _, p := range params {
		pm := d.resolve(p)
		if pm["in"] == "path" && pm["name"] == name && pm["required"] == true {
			return true
		}
	}
	return false
}

// TestOpenAPIListParameters: the case list's query parameters are the ones
// the handler reads.
func TestOpenAPIListParameters(t *testing.T) {
	d := loadDoc(t)
	var got []string
	ps, _ := d.resolve(d.resolve(d.paths["/cases"])["get"])["parameters"].([]any)
	for _, p := range ps {
		pm := d.resolve(p)
		if pm["in"] == "query" {
			got = append(got, pm["name"].(string))
		}
	}
	want := []string{"category", "status", "handler_id", "received_from", "received_to", "q", "open", "limit", "next"}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("GET /cases query parameters = %v, want %v", got, want)
	}
}

// TestOpenAPIEnums: the vocabularies in the document are the ones the code
// uses (categories come from the database, where they are data).
func TestOpenAPIEnums(t *testing.T) {
	d := loadDoc(t)
	schema := func(name string) map[string]any {
		s := d.resolve(d.resolve(d.resolve(d.root["components"])["schemas"])[name])
		if s == nil {
			t.Fatalf("schema %s missing", name)
		}
		return s
	}
	prop := func(name, p string) map[string]any {
		return d.resolve(d.resolve(schema(name)["properties"])[p])
	}
	var roles []string
	for _, r := range access.AllRoles() {
		roles = append(roles, string(r))
	}
	var outcomes, recordable []string
	for _, c := range []string{"arrest_review", "prosecution_review", "civil_supervision", "admin_supervision", "pil_admin", "pil_civil", "a_new_category"} {
		outcomes = append(outcomes, casefile.ProcedureFor(c).Outcomes...)
		recordable = append(recordable, casefile.ProcedureFor(c).Events...)
	}
	events := casefile.EventCodes()
	intakeOutcomes := []string{casefile.OutcomeAccept, casefile.OutcomeSupplement, casefile.OutcomeRefuse}

	var categories []string
	eachEngine(t, nil, func(t *testing.T, e *env) {
		cats, err := e.f.App.Cases.Categories(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		categories = nil
		for _, c := range cats {
			categories = append(categories, c.Code)
		}
		sameSet(t, "Category", asStrings(schema("Category")["enum"]), categories)
	})

	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"Role", asStrings(schema("Role")["enum"]), roles},
		{"Status", asStrings(schema("Status")["enum"]), casefile.Statuses()},
		{"EventCode", asStrings(schema("EventCode")["enum"]), events},
		{"Decision", asStrings(schema("Decision")["enum"]), outcomes},
		{"IntakeOutcome", asStrings(schema("IntakeOutcome")["enum"]), intakeOutcomes},
		{"EventRequest.code", asStrings(prop("EventRequest", "code")["enum"]), recordable},
		{"Event.outcome", asStrings(prop("Event", "outcome")["enum"]), append(slices.Clone(outcomes), intakeOutcomes...)},
		{"Party.gender", asStrings(prop("Party", "gender")["enum"]), casefile.Genders()},
		{"Party.id_type", asStrings(prop("Party", "id_type")["enum"]), casefile.IDTypes()},
		{"Party.role", asStrings(prop("Party", "role")["enum"]), casefile.PartyRoles()},
		// "" is accepted: the measure defaults to none, ethnicity is optional.
		{"Party.measure", asStrings(prop("Party", "measure")["enum"]), append(casefile.Measures(), "")},
		{"Party.ethnicity", asStrings(prop("Party", "ethnicity")["enum"]), append(casefile.Ethnicities(), "")},
		{"Check.item", asStrings(prop("Check", "item")["enum"]), casefile.CheckItems()},
		{"Assignment.kind", asStrings(prop("Assignment", "kind")["enum"]), []string{casefile.KindRotation, casefile.KindDesignated}},
		{"AssignRequest.mode", asStrings(prop("AssignRequest", "mode")["enum"]), []string{casefile.KindRotation, casefile.KindDesignated}},
	} {
		sameSet(t, c.name, c.got, c.want)
	}
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	sort.Strings(g)
	sort.Strings(w)
	g, w = slices.Compact(g), slices.Compact(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s enum = %v, want %v", what, g, w)
	}
}

// TestOpenAPIServed: GET /api/v1/openapi.json serves the embedded document
// without a token.
func TestOpenAPIServed(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		if !bytes.Equal(b, api.OpenAPI()) {
			t.Error("served document differs from the embedded one")
		}
		if !json.Valid(b) {
			t.Error("served document is not valid JSON")
		}
	})
}

package casecard

import (
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/i18n"
)

// Every column of the layout reaches its own field, and every item field
// of Card is reachable by a column: a column added to one but not the
// other fails here.
func TestValueSetCoverEveryItem(t *testing.T) {
	var c Card
	for i, col := range Columns {
		v := "v" + strconv.Itoa(i)
		if col.Kind == KindCount {
			v = strconv.Itoa(i)
		}
		if err := c.Set(col.Key, v); err != nil {
			t.Fatalf("Set(%s): %v", col.Key, err)
		}
	}
	for i, col := range Columns {
		want := "v" + strconv.Itoa(i)
		if col.Kind == KindCount {
			want = strconv.Itoa(i)
		}
		if got := c.Value(col.Key); got != want {
			t.Errorf("Value(%s) = %q, want %q", col.Key, got, want)
		}
	}
	rv := reflect.ValueOf(c)
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		if slices.Contains([]string{"ID", "UnitID", "UnitLevel", "Source", "CaseID", "HandlerID"}, f.Name) {
			continue
		}
		if rv.Field(i).IsZero() {
			t.Errorf("field %s is not set by any column", f.Name)
		}
	}
	if got := c.Value("no_such_key"); got != "" {
		t.Errorf("Value of an unknown key = %q", got)
	}
}

func TestSetErrors(t *testing.T) {
	var c Card
	if err := c.Set("no_such_key", "x"); err == nil {
		t.Error("unknown key accepted")
	}
	if err := c.Set("returns", "两次"); err == nil {
		t.Error("a count of 两次 accepted")
	}
	c.Returns = 2
	if err := c.Set("returns", ""); err != nil || c.Returns != 0 {
		t.Errorf("blank count: %v, %d", err, c.Returns)
	}
}

func TestDiff(t *testing.T) {
	old := syntheticCards(t, 1)[0]
	if d := Diff(old, old); len(d) != 0 {
		t.Errorf("Diff of equal cards = %v", d)
	}
	upd := old
	upd.ID, upd.UnitID = 99, 98 // outside the layout: not a change
	upd.Category = "petition"
	upd.DecidedOn = "2026-05-06"
	upd.Returns = old.Returns + 1
	want := []Change{
		{Key: "category", Header: "案件类别", Old: old.Category, New: "petition"},
		{Key: "returns", Header: "退回补充侦查次数", Old: strconv.Itoa(old.Returns), New: strconv.Itoa(old.Returns + 1)},
		{Key: "decided_on", Header: "决定日期", Old: old.DecidedOn, New: "2026-05-06"},
	}
	if got := Diff(old, upd); !reflect.DeepEqual(got, want) {
		t.Errorf("Diff = %+v\nwant %+v", got, want)
	}
}

func TestVocabulary(t *testing.T) {
	v := testVocab()
	for in, want := range map[string]string{"审查逮捕": "arrest_review", "arrest_review": "arrest_review", "ARREST_REVIEW": "arrest_review"} {
		if got, ok := v.Code(in); !ok || got != want {
			t.Errorf("Code(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := v.Code("审查批捕"); ok {
		t.Error("an unknown name was accepted")
	}
	if v.Name("petition") != "群众来信" || v.Name("unknown") != "unknown" {
		t.Error("Name")
	}
	if got := v.Codes(); !slices.IsSorted(got) || len(got) != 4 {
		t.Errorf("Codes = %v", got)
	}
	var zero Vocabulary
	if _, ok := zero.Code("审查逮捕"); ok || zero.Has("arrest_review") {
		t.Error("the zero vocabulary knows a category")
	}
}

// FromValues checks a form's values like a file's row and labels each
// problem with the column's name.
func TestFromValues(t *testing.T) {
	want := syntheticCards(t, 2)[1]
	values := map[string]string{"unrelated": "ignored"}
	for _, col := range Columns {
		values[col.Key] = want.Value(col.Key)
	}
	values["category"] = "审查起诉"
	values["received_on"] = "2025/1/3"
	values["custody"] = "N"
	want.Category, want.ReceivedOn, want.Custody = "prosecution_review", "2025-01-03", No
	got, err := FromValues(values, testVocab())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("FromValues = %+v\nwant %+v", got, want)
	}

	_, err = FromValues(map[string]string{"stage_no": "=cmd", "received_on": "2026-02-30", "returns": "100"}, testVocab())
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("err = %v, want a validation", err)
	}
	cat := i18n.MustLoad(i18n.DefaultLang)
	got2 := cat.Messages(v)
	wantMsgs := map[string]string{
		"stage_no":    "部门受案号：" + rendered(t, cat, keyInjection, "="),
		"category":    "案件类别：" + rendered(t, cat, keyRequired),
		"received_on": "受理日期：" + rendered(t, cat, keyDateNotExist),
		"returns":     "退回补充侦查次数：" + rendered(t, cat, keyCount, MaxCount),
	}
	if !reflect.DeepEqual(got2, wantMsgs) {
		t.Errorf("messages = %v\nwant %v", got2, wantMsgs)
	}
	_, err = FromValues(map[string]string{"stage_no": "示例检捕受〔2026〕1号", "category": "petition"}, testVocab())
	if v, ok := apperr.AsValidation(err); !ok || v.Fields[0].Key != keyExampleRow {
		t.Errorf("example stage number: %v", err)
	}
}

// Every column has a label in the catalogue, spelled as its header.
func TestColumnLabels(t *testing.T) {
	cat := i18n.MustLoad(i18n.DefaultLang)
	for _, col := range Columns {
		if got := cat.T(labelPrefix + col.Key); got != col.Header {
			t.Errorf("label of %s = %q, want %q", col.Key, got, col.Header)
		}
	}
}

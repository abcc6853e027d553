package monitor

import (
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
)

// A finding typed by hand is checked field by field, in the form's order.
func TestManualFindingCheck(t *testing.T) {
	ok := ManualFinding{Area: AreaFilesOut, Severity: Minor, Description: "卷宗未按期移送"}
	if err := ok.Check(); err != nil {
		t.Fatalf("valid finding refused: %v", err)
	}
	tests := []struct {
		in     ManualFinding
		fields []string
	}{
		{ManualFinding{}, []string{"area", "severity", "description"}},
		{ManualFinding{Area: "weather", Severity: Minor, Description: "x"}, []string{"area"}},
		{ManualFinding{Area: AreaRisk, Severity: "grave", Description: "x"}, []string{"severity"}},
		{ManualFinding{Area: AreaRisk, Severity: Minor, Description: "  \n "}, []string{"description"}},
		{ManualFinding{Area: AreaRisk, Severity: Minor, Description: strings.Repeat("案", maxDescription+1)},
			[]string{"description"}},
	}
	for _, tt := range tests {
		v, isV := apperr.AsValidation(tt.in.Check())
		if !isV {
			t.Errorf("%+v accepted", tt.in)
			continue
		}
		var got []string
		for _, f := range v.Fields {
			got = append(got, f.Field)
			if !strings.HasPrefix(f.Label, "monitor.field.") {
				t.Errorf("field %s labelled %q", f.Field, f.Label)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("%.40v: fields %v, want %v", tt.in, got, tt.fields)
		}
	}
}

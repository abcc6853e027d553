package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/evaluation"
)

// TestOpenAPISchemasMatchShapes: every documented schema has exactly the
// JSON fields of its Go shape, and a response field is required in the
// document exactly when the Go shape always writes it (no omitempty). So
// the document cannot drift from shapes.go and resources.go.
func TestOpenAPISchemasMatchShapes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
				Required   []string                   `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		schema   string
		shape    any
		response bool // required ⇔ not omitempty
	}{
		{"TokenRequest", tokenRequest{}, false},
		{"TokenResponse", tokenResponse{}, true},
		{"User", userJSON{}, true},
		{"Unit", unitJSON{}, true},
		{"UnitList", list[unitJSON]{}, true},
		{"Intake", intakeJSON{}, false},
		// Party and Check are both sent and received; their required lists
		// say what a request must carry.
		{"Party", partyJSON{}, false},
		{"Check", checkJSON{}, false},
		{"Case", caseJSON{}, true},
		{"CaseDetail", detailJSON{}, true},
		{"CaseList", list[caseJSON]{}, true},
		{"Event", eventJSON{}, true},
		{"EventRequest", eventRequest{}, false},
		{"Assignment", assignmentJSON{}, true},
		{"Deadline", deadlineJSON{}, true},
		{"ClockList", clockList{}, true},
		{"BoardRow", boardRowJSON{}, true},
		{"ColourCounts", colourCountsJSON{}, true},
		{"Board", boardJSON{}, true},
		{"AssignRequest", assignRequest{}, false},
		{"Error", errorBody{}, true},
		{"FieldProblem", FieldProblem{}, true},
		{"MonitorFinding", findingJSON{}, true},
		{"MonitorFindingDetail", findingDetailJSON{}, true},
		{"MonitorFindingList", list[findingJSON]{}, true},
		{"MonitorNotice", noticeJSON{}, true},
		{"MonitorRule", ruleJSON{}, true},
		{"MonitorAction", actionJSON{}, true},
		{"MonitorFindingRequest", manualFindingRequest{}, false},
		{"MonitorActionRequest", findingActionRequest{}, false},
		{"EvaluationTemplate", evalTemplateJSON{}, true},
		{"EvaluationTemplateDetail", evalTemplateDetailJSON{}, true},
		{"EvaluationTemplateList", list[evalTemplateJSON]{}, true},
		{"EvaluationTemplateImport", evalTemplateImport{}, false},
		{"EvaluationTemplateFile", evaluation.Template{}, true},
		{"EvaluationScale", evaluation.Scale{}, true},
		{"EvaluationGradeDef", evaluation.Grade{}, true},
		{"EvaluationGradeRule", evaluation.GradeRule{}, true},
		{"EvaluationRuleStep", evaluation.RuleStep{}, true},
		{"EvaluationOption", evaluation.Option{}, true},
		{"EvaluationSection", evaluation.Section{}, true},
		{"EvaluationItem", evaluation.Item{}, true},
		{"EvaluationUnit", evalUnitJSON{}, true},
		{"EvaluationMember", evalMemberJSON{}, true},
		{"EvaluationDraw", evalDrawJSON{}, true},
		{"EvaluationActivity", evalActivityJSON{}, true},
		{"EvaluationActivityList", list[evalActivityJSON]{}, true},
		{"EvaluationActivityRequest", evalActivityRequest{}, false},
		{"EvaluationDrawRequest", evalDrawRequest{}, false},
		{"EvaluationAssigned", evalAssignedJSON{}, true},
		{"EvaluationRecord", evalRecordJSON{}, true},
		{"EvaluationRecordDetail", evalRecordDetailJSON{}, true},
		{"EvaluationRecordList", list[evalRecordJSON]{}, true},
		{"EvaluationFinding", evalFindingJSON{}, true},
		{"EvaluationFollowUp", evalFollowUpJSON{}, true},
		{"EvaluationAction", evalActionJSON{}, true},
		{"EvaluationGrade", evalGradeJSON{}, true},
		{"EvaluationFindingInput", evalFindingInput{}, false},
		{"EvaluationScoreRequest", evalScoreRequest{}, false},
		{"EvaluationProposeRequest", evalProposeRequest{}, false},
		{"EvaluationItemReason", evalItemReason{}, false},
		{"EvaluationRespondRequest", evalRespondRequest{}, false},
		{"EvaluationItemDecision", evalItemDecision{}, false},
		{"EvaluationDecideRequest", evalDecideRequest{}, false},
		{"EvaluationFollowUpRequest", evalFollowUpRequest{}, false},
		{"EvaluationNoteRequest", evalNoteRequest{}, false},
		{"EvaluationAssignRequest", evalAssignRequest{}, false},
		{"EvaluationCheckFinding", evalCheckFindingJSON{}, true},
		{"EvaluationSelfCheck", evalSelfCheckJSON{}, true},
		{"EvaluationSelfCheckList", list[evalSelfCheckJSON]{}, true},
		{"EvaluationSubmitRequest", evalSubmitRequest{}, false},
		{"EvaluationVerdictInput", evalVerdictInput{}, false},
		{"EvaluationVerifyRequest", evalVerifyRequest{}, false},
		{"EvaluationGradeRow", evalGradeRowJSON{}, true},
		{"EvaluationFindingCount", evalFindingCountJSON{}, true},
		{"EvaluationCalibration", evalCalibrationJSON{}, true},
		{"EvaluationStatistics", evalStatisticsJSON{}, true},
	} {
		s, ok := doc.Components.Schemas[c.schema]
		if !ok {
			t.Errorf("schema %s is not documented", c.schema)
			continue
		}
		fields, always := jsonFields(reflect.TypeOf(c.shape))
		var props []string
		for p := range s.Properties {
			props = append(props, p)
		}
		sort.Strings(props)
		if !slices.Equal(props, fields) {
			t.Errorf("schema %s properties = %v, Go shape %T has %v", c.schema, props, c.shape, fields)
		}
		if c.response {
			req := slices.Clone(s.Required)
			sort.Strings(req)
			if !slices.Equal(req, always) {
				t.Errorf("schema %s required = %v, Go shape %T always writes %v", c.schema, req, c.shape, always)
			}
		}
	}
}

// jsonFields lists the JSON names of t's fields (embedded structs
// flattened) and those written even when empty.
func jsonFields(t reflect.Type) (all, always []string) {
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct) {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") {
			always = append(always, name)
		}
	}
	sort.Strings(all)
	sort.Strings(always)
	return all, always
}

package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"testing"
)

// TestOpenAPIDataSchemasMatchShapes: every business-data supervision
// schema has exactly the JSON fields of its Go shape, a response field is
// required exactly when the shape always writes it, and every error code
// the data routes answer with is in the document's list of codes.
func TestOpenAPIDataSchemasMatchShapes(t *testing.T) {
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
		{"DataRule", dqRuleJSON{}, true},
		{"DataRuleDetail", dqRuleDetailJSON{}, true},
		{"DataRuleList", list[dqRuleJSON]{}, true},
		{"DataRuleUpdate", dqRuleUpdateRequest{}, false},
		{"DataRuleCreate", dqRuleCreateRequest{}, false},
		{"DataScan", dqScanJSON{}, true},
		{"DataScanList", list[dqScanJSON]{}, true},
		{"DataProblem", dqProblemJSON{}, true},
		{"DataProblemDetail", dqProblemDetailJSON{}, true},
		{"DataProblemList", list[dqProblemJSON]{}, true},
		{"DataWaiveRequest", dqWaiveRequest{}, true},
		{"DataCard", dqCardJSON{}, true},
		{"DataCardDetail", dqCardDetailJSON{}, true},
		{"DataCardList", list[dqCardJSON]{}, true},
		{"DataChange", dqChangeJSON{}, true},
		{"DataCardChange", dqCardChangeJSON{}, true},
		{"DataCardRequest", dqCardRequest{}, true},
		{"DataCardSaved", dqCardSavedJSON{}, true},
		{"DataCellError", dqCellErrorJSON{}, true},
		{"DataCardChanges", dqCardChangesJSON{}, true},
		{"DataPreviewHit", dqPreviewHitJSON{}, true},
		{"DataImportPreview", dqPreviewJSON{}, true},
		{"DataImportResult", dqImportResultJSON{}, true},
		{"DataImport", dqImportJSON{}, true},
		{"DataImportList", list[dqImportJSON]{}, true},
		{"DataAccuracyRow", dqAccuracyRowJSON{}, true},
		{"DataAccuracy", dqAccuracyJSON{}, true},
		{"DataCountRow", dqCountRowJSON{}, true},
		{"DataCounts", dqCountsJSON{}, true},
		{"DataTrendRow", dqTrendRowJSON{}, true},
		{"DataTrend", dqTrendJSON{}, true},
		{"DataNotification", dqNotificationJSON{}, true},
		{"DataNotificationRequest", dqNotificationRequest{}, true},
		{"DataPublished", dqPublishedJSON{}, true},
		{"DataLookBack", dqLookBackJSON{}, true},
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

	var errDoc struct {
		Components struct {
			Schemas struct {
				Error struct {
					Properties struct {
						Error struct {
							Properties struct {
								Code struct {
									Enum []string `json:"enum"`
								} `json:"code"`
							} `json:"properties"`
						} `json:"error"`
					} `json:"properties"`
				} `json:"Error"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPI, &errDoc); err != nil {
		t.Fatal(err)
	}
	codes := errDoc.Components.Schemas.Error.Properties.Error.Properties.Code.Enum
	want := []string{"unsupported_media_type", "formula_injection", "not_confirmable", "file_invalid"}
	for _, c := range fileErrorCodes {
		want = append(want, c)
	}
	for _, c := range want {
		if !slices.Contains(codes, c) {
			t.Errorf("error code %q is not in the document's Error.code enum", c)
		}
	}
}

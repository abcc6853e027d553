package api

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/i18n"
)

// FuzzIntakeBody feeds arbitrary bodies through the strict decoder and the
// intake validation: never a panic, and every refusal is either malformed
// JSON or field problems whose messages render without a missing key.
func FuzzIntakeBody(f *testing.F) {
	f.Add(`{"category":"prosecution_review","name":"测某盗窃案","parties":[{"name":"测某","custody":true}]}`)
	f.Add(`{"parties":{},"plea":"yes","received_on":20260101}`)
	f.Add(`{"charges":[1,2],"checks":[{"item":"x","passed":"no"}],"extra":1}`)
	f.Add(`[]`)
	f.Add(``)
	f.Add(`{"name":"a"} {"name":"b"}`)
	cats := []casefile.Category{{Code: "prosecution_review", Name: "审查起诉", Abbrev: "起诉", Criminal: true}}
	t := i18n.MustLoad(i18n.DefaultLang)
	f.Fuzz(func(tt *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/cases", bytes.NewReader([]byte(body)))
		var in intakeJSON
		err := decode(r, &in)
		if err == nil {
			intake := in.intake()
			err = intake.Validate(cats, "2026-03-16")
		}
		if err == nil {
			return
		}
		if errors.Is(err, errMalformed) {
			return
		}
		v, ok := apperr.AsValidation(err)
		if !ok {
			tt.Fatalf("unexpected error kind %T: %v", err, err)
		}
		for _, fe := range v.Fields {
			if fe.Key == "err.json_unknown_field" {
				continue // rendered with the raw key name by unknownFieldMessage
			}
			if m := t.Message(fe); strings.Contains(m, "⟦") {
				tt.Fatalf("message with a missing key for %s: %s", fe.Field, m)
			}
		}
	})
}

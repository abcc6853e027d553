package casefile

import (
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/idcard"
)

func testCategories() []Category {
	return []Category{{Code: "prosecution_review", Name: "审查起诉", Abbrev: "起诉", Criminal: true},
		{Code: "civil_supervision", Name: "民事诉讼监督", Abbrev: "民监"}}
}

func validIntake() Intake {
	id, _ := idcard.Build("990101", time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), 123)
	var checks []Check
	for _, item := range CheckItems() {
		checks = append(checks, Check{Item: item, Passed: true})
	}
	return Intake{Category: "prosecution_review", Name: "测某盗窃案", TransferringOrgan: "测试公安局",
		TransferDocNo: "测公诉字〔2026〕1号", ReceivedOn: "2026-03-02", Charges: []string{"盗窃罪"},
		Parties: []Party{{Name: "测某", Gender: "male", IDType: "resident_id", IDNumber: id, Role: "suspect",
			Custody: true, Measure: "arrest"}},
		Checks: checks, Outcome: OutcomeAccept}
}

func TestIntakeValidation(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Intake)
		field  string
		key    string
	}{
		{"valid", func(*Intake) {}, "", ""},
		{"unknown category", func(in *Intake) { in.Category = "tax" }, "category", "err.unknown_category"},
		{"missing name", func(in *Intake) { in.Name = "  " }, "name", "err.required"},
		{"impossible date", func(in *Intake) { in.ReceivedOn = "2026-02-30" }, "received_on", "err.date_invalid"},
		{"future date", func(in *Intake) { in.ReceivedOn = "2026-03-17" }, "received_on", "err.date_in_future"},
		{"bad check digit", func(in *Intake) {
			b := []byte(in.Parties[0].IDNumber)
			b[17] = map[byte]byte{'X': '0'}[b[17]] | '1'
			if string(b) == in.Parties[0].IDNumber {
				b[17] = '2'
			}
			in.Parties[0].IDNumber = string(b)
		}, "parties[0].id_number", "err.id_checksum"},
		{"birth date contradicts ID", func(in *Intake) { in.Parties[0].BirthDate = "1991-01-01" }, "parties[0].birth_date", "err.birth_mismatch"},
		{"sex contradicts ID", func(in *Intake) { in.Parties[0].Gender = "female" }, "parties[0].gender", "err.gender_mismatch"},
		{"custody without custodial measure", func(in *Intake) { in.Parties[0].Measure = "bail" }, "parties[0].measure", "err.custody_needs_measure"},
		{"no parties", func(in *Intake) { in.Parties = nil }, "parties", "err.parties_required"},
		{"fast track without plea", func(in *Intake) { in.FastTrack = true }, "fast_track", "err.fast_track_needs_plea"},
		{"sealed adult", func(in *Intake) { in.Sealed = true }, "sealed", "err.sealed_needs_minor"},
		{"accept with a failed check", func(in *Intake) { in.Checks[1].Passed = false; in.Checks[1].Note = "缺卷宗" }, "outcome", "err.accept_needs_all_checks"},
		{"failed check without note", func(in *Intake) {
			in.Checks[1].Passed = false
			in.Outcome = OutcomeSupplement
			in.OutcomeNote = "补充"
		}, "checks[1].note", "err.failed_check_needs_note"},
		{"checklist incomplete", func(in *Intake) { in.Checks = in.Checks[:2] }, "checks", "err.checklist_incomplete"},
		{"refuse without reason", func(in *Intake) { in.Outcome = OutcomeRefuse }, "outcome_note", "err.required"},
		{"criminal without charges", func(in *Intake) { in.Charges = []string{" "} }, "charges", "err.required"},
		{"plea on a civil case", func(in *Intake) { in.Category = "civil_supervision"; in.Plea = true }, "plea", "err.criminal_only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validIntake()
			tt.change(&in)
			err := in.Validate(testCategories(), "2026-03-16")
			if tt.field == "" {
				if err != nil {
					t.Fatalf("valid intake refused: %v", err)
				}
				return
			}
			v, ok := apperr.AsValidation(err)
			if !ok {
				t.Fatalf("want validation error on %s, got %v", tt.field, err)
			}
			for _, f := range v.Fields {
				if f.Field == tt.field && f.Key == tt.key {
					return
				}
			}
			t.Fatalf("want %s=%s, got %v", tt.field, tt.key, err)
		})
	}
}

func TestNumbers(t *testing.T) {
	u := NumberUnit{Code: "65310100", ShortName: "喀市"}
	if got := StageNumber(u, "起诉", 2026, 17); got != "喀市起诉受[2026]65310100000017号" {
		t.Errorf("StageNumber = %s", got)
	}
	if got := UniformNumber(u, 2026, 17); got != "653101002026000017" || !strings.HasPrefix(got, u.Code) {
		t.Errorf("UniformNumber = %s", got)
	}
}

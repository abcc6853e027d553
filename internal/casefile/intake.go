package casefile

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/idcard"
)

// Intake is a registration request (受理登记).
type Intake struct {
	UnitID            int64
	Category          string
	Name              string
	TransferringOrgan string
	TransferDocNo     string
	ReceivedOn        string
	Parties           []Party
	Charges           []string
	Plea              bool
	FastTrack         bool
	Minor             bool
	Sealed            bool
	Checks            []Check
	Outcome           string
	OutcomeNote       string
}

// Validate checks every field and reports all problems at once. today is
// the current legal date (Asia/Shanghai).
func (in *Intake) Validate(cats []Category, today string) error {
	v := &apperr.Validation{}
	in.Name = strings.TrimSpace(in.Name)
	in.TransferringOrgan = strings.TrimSpace(in.TransferringOrgan)
	in.TransferDocNo = strings.TrimSpace(in.TransferDocNo)
	in.OutcomeNote = strings.TrimSpace(in.OutcomeNote)

	var cat *Category
	for i := range cats {
		if cats[i].Code == in.Category {
			cat = &cats[i]
		}
	}
	if in.Category == "" {
		v.Add("category", "err.required")
	} else if cat == nil {
		v.Add("category", "err.unknown_category")
	}
	requireText(v, "name", in.Name, 100)
	requireText(v, "transferring_organ", in.TransferringOrgan, 100)
	if cat != nil && cat.Criminal {
		requireText(v, "transfer_doc_no", in.TransferDocNo, 60)
	} else if utf8.RuneCountInString(in.TransferDocNo) > 60 {
		v.Add("transfer_doc_no", "err.too_long", 60)
	}
	checkDate(v, "received_on", in.ReceivedOn, today)

	if len(in.Parties) == 0 {
		v.Add("parties", "err.parties_required")
	}
	if len(in.Parties) > 200 {
		v.Add("parties", "err.too_many", 200)
	}
	for i := range in.Parties {
		validateParty(v, fmt.Sprintf("parties[%d]", i), &in.Parties[i], today)
	}
	var charges []string
	for _, c := range in.Charges {
		if c = strings.TrimSpace(c); c != "" {
			charges = append(charges, c)
		}
	}
	in.Charges = charges
	for i, c := range in.Charges {
		if utf8.RuneCountInString(c) > 50 {
			v.Add(fmt.Sprintf("charges[%d]", i), "err.too_long", 50)
		}
	}
	if cat != nil && cat.Criminal && len(in.Charges) == 0 {
		v.Add("charges", "err.required")
	}
	if in.FastTrack && !in.Plea {
		// 速裁 presupposes 认罪认罚 (CPL 222).
		v.Add("fast_track", "err.fast_track_needs_plea")
	}
	if (in.FastTrack || in.Plea) && cat != nil && !cat.Criminal {
		v.Add("plea", "err.criminal_only")
	}
	if in.Sealed && !in.Minor {
		// Sealing applies to juvenile records only (CPL 286).
		v.Add("sealed", "err.sealed_needs_minor")
	}
	validateChecks(v, in)
	return v.Err()
}

func validateChecks(v *apperr.Validation, in *Intake) {
	seen := map[string]bool{}
	allPassed := true
	for i, c := range in.Checks {
		f := fmt.Sprintf("checks[%d]", i)
		if !slices.Contains(CheckItems(), c.Item) {
			v.Add(f+".item", "err.unknown_value")
			continue
		}
		if seen[c.Item] {
			v.Add(f+".item", "err.duplicate")
		}
		seen[c.Item] = true
		in.Checks[i].Note = strings.TrimSpace(c.Note)
		if !c.Passed {
			allPassed = false
			if in.Checks[i].Note == "" {
				v.Add(f+".note", "err.failed_check_needs_note")
			}
		}
		if utf8.RuneCountInString(in.Checks[i].Note) > 200 {
			v.Add(f+".note", "err.too_long", 200)
		}
	}
	for _, item := range CheckItems() {
		if !seen[item] {
			v.Add("checks", "err.checklist_incomplete")
			break
		}
	}
	switch in.Outcome {
	case OutcomeAccept:
		if !allPassed {
			v.Add("outcome", "err.accept_needs_all_checks")
		}
	case OutcomeSupplement, OutcomeRefuse:
		if in.OutcomeNote == "" {
			v.Add("outcome_note", "err.required")
		}
	case "":
		v.Add("outcome", "err.required")
	default:
		v.Add("outcome", "err.unknown_value")
	}
}

func validateParty(v *apperr.Validation, f string, p *Party, today string) {
	p.Name = strings.TrimSpace(p.Name)
	p.IDNumber = strings.ToUpper(strings.TrimSpace(p.IDNumber))
	p.Ethnicity = strings.TrimSpace(p.Ethnicity)
	requireText(v, f+".name", p.Name, 50)
	oneOf(v, f+".gender", p.Gender, Genders())
	oneOf(v, f+".role", p.Role, PartyRoles())
	oneOf(v, f+".id_type", p.IDType, IDTypes())
	if p.Ethnicity != "" && !slices.Contains(Ethnicities(), p.Ethnicity) {
		v.Add(f+".ethnicity", "err.unknown_value")
	}
	if p.Measure == "" {
		p.Measure = "none"
	}
	oneOf(v, f+".measure", p.Measure, Measures())
	if p.Custody && !slices.Contains(custodialMeasures(), p.Measure) {
		v.Add(f+".measure", "err.custody_needs_measure")
	}
	if !p.Custody && slices.Contains(custodialMeasures(), p.Measure) {
		v.Add(f+".custody", "err.measure_implies_custody")
	}
	if p.BirthDate != "" {
		checkDate(v, f+".birth_date", p.BirthDate, today)
	}
	switch p.IDType {
	case "resident_id":
		info, err := idcard.Parse(p.IDNumber)
		switch {
		case p.IDNumber == "":
			v.Add(f+".id_number", "err.required")
		case errors.Is(err, idcard.ErrChecksum):
			v.Add(f+".id_number", "err.id_checksum")
		case errors.Is(err, idcard.ErrBirth):
			v.Add(f+".id_number", "err.id_birth")
		case err != nil:
			v.Add(f+".id_number", "err.id_format")
		default:
			birth := info.Birth.Format(time.DateOnly)
			if p.BirthDate == "" {
				p.BirthDate = birth
			} else if p.BirthDate != birth && !v.Has(f+".birth_date") {
				v.Add(f+".birth_date", "err.birth_mismatch")
			}
			if (p.Gender == "female") != info.Female && p.Gender != "" {
				v.Add(f+".gender", "err.gender_mismatch")
			}
		}
	case "none":
		if p.IDNumber != "" {
			v.Add(f+".id_number", "err.must_be_empty")
		}
	default:
		if utf8.RuneCountInString(p.IDNumber) > 30 {
			v.Add(f+".id_number", "err.too_long", 30)
		}
	}
}

func requireText(v *apperr.Validation, field, s string, max int) {
	if s == "" {
		v.Add(field, "err.required")
	} else if utf8.RuneCountInString(s) > max {
		v.Add(field, "err.too_long", max)
	}
}

func oneOf(v *apperr.Validation, field, s string, allowed []string) {
	if s == "" {
		v.Add(field, "err.required")
	} else if !slices.Contains(allowed, s) {
		v.Add(field, "err.unknown_value")
	}
}

// checkDate requires a real calendar date, not after today and not before
// 1900 (a typo guard).
func checkDate(v *apperr.Validation, field, s, today string) {
	if s == "" {
		v.Add(field, "err.required")
		return
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.Add(field, "err.date_invalid")
		return
	}
	if d.Year() < 1900 {
		v.Add(field, "err.date_too_early")
	} else if s > today {
		v.Add(field, "err.date_in_future")
	}
}

// SearchText is what the full-text index sees: case name, numbers,
// transfer document number and party names.
func SearchText(c Case, parties []Party) string {
	parts := []string{c.Name, c.UniformNo, c.StageNo, c.TransferDocNo}
	for _, p := range parties {
		parts = append(parts, p.Name)
	}
	return strings.Join(parts, " ")
}

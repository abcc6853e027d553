package aid

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
)

// Length limits of texts.
const (
	maxName      = 100
	maxAgreement = 20000
	maxContacts  = 20
	maxShort     = 100
	maxPlace     = 200
	maxLong      = 4000
	maxFollowUps = 50
)

// Pairings lists the pairings r may read.
func (s *Service) Pairings(ctx context.Context, r Request) ([]Pairing, error) {
	sc := ScopeOf(r.P)
	if sc.UnitID == 0 && sc.AbovePath == "" {
		return nil, nil
	}
	return s.store.AidPairings(ctx, sc)
}

// Pairing opens one pairing, audited.
func (s *Service) Pairing(ctx context.Context, r Request, id int64) (Pairing, error) {
	pr, err := s.visible(ctx, r, id)
	if err != nil {
		return Pairing{}, err
	}
	if err := s.audited(ctx, r, "aid.pairing.view", id, ""); err != nil {
		return Pairing{}, err
	}
	return pr, nil
}

// CanManagePairing reports whether r may edit pr (the pages show the
// edit link only then).
func (s *Service) CanManagePairing(r Request, pr Pairing) bool {
	return CanManage(r.P, pr.Aiding, pr.Aided)
}

// CanWritePairing reports whether r may log activities and fund entries.
func (s *Service) CanWritePairing(r Request, pr Pairing) bool { return CanWrite(r.P, pr) }

// CanCreate reports whether r may set up pairings at all (a system
// administrator; which units is checked on the input).
func (s *Service) CanCreate(r Request) bool { return CanManage(r.P, nil, []Unit{{Path: r.P.UnitPath}}) }

// CreatePairing sets up a pairing and, when it shares aggregates, the
// statistics sharing aided → aiding, in one transaction.
func (s *Service) CreatePairing(ctx context.Context, r Request, in PairingInput) (int64, error) {
	pr, err := s.checkPairing(ctx, in)
	if err != nil {
		return 0, err
	}
	if !CanManage(r.P, pr.Aiding, pr.Aided) {
		return 0, apperr.ErrForbidden
	}
	return s.store.SaveAidPairing(ctx, pr, r.P.UserID, r.record("aid.pairing.create", objPairing, 0, pr.detail()))
}

// UpdatePairing replaces a pairing's terms. The caller must be able to
// manage it both as it was and as it becomes.
func (s *Service) UpdatePairing(ctx context.Context, r Request, id int64, in PairingInput) error {
	old, err := s.visible(ctx, r, id)
	if err != nil {
		return err
	}
	if !CanManage(r.P, old.Aiding, old.Aided) {
		return apperr.ErrForbidden
	}
	pr, err := s.checkPairing(ctx, in)
	if err != nil {
		return err
	}
	if !CanManage(r.P, pr.Aiding, pr.Aided) {
		return apperr.ErrForbidden
	}
	pr.ID = id
	_, err = s.store.SaveAidPairing(ctx, pr, r.P.UserID, r.record("aid.pairing.update", objPairing, id, pr.detail()))
	return err
}

func (pr Pairing) detail() string {
	ids := func(us []Unit) string {
		s := make([]string, len(us))
		for i, u := range us {
			s[i] = fmt.Sprint(u.ID)
		}
		return strings.Join(s, ",")
	}
	return fmt.Sprintf("aiding=%s aided=%s period=%s..%s shares=%t,%t,%t,%t", ids(pr.Aiding), ids(pr.Aided),
		pr.StartOn, pr.EndOn, pr.Shares.Aggregates, pr.Shares.Reviews, pr.Shares.Problems, pr.Shares.QA)
}

// checkPairing validates the input and resolves its units.
func (s *Service) checkPairing(ctx context.Context, in PairingInput) (Pairing, error) {
	v := &apperr.Validation{}
	in.Name, in.Agreement = strings.TrimSpace(in.Name), strings.TrimSpace(in.Agreement)
	checkText(v, "name", in.Name, maxName, true)
	checkText(v, "agreement", in.Agreement, maxAgreement, false)
	pr := Pairing{Name: in.Name, StartOn: in.StartOn, EndOn: in.EndOn, Agreement: in.Agreement, Shares: in.Shares}
	checkDate(v, "start_on", in.StartOn, nil)
	checkDate(v, "end_on", in.EndOn, nil)
	if !v.Has("start_on") && !v.Has("end_on") && in.EndOn < in.StartOn {
		add(v, "end_on", "err.aid_end_before_start")
	}
	seen := map[int64]bool{}
	var loadErr error
	resolve := func(field string, ids []int64) []Unit {
		if len(ids) == 0 {
			add(v, field, "err.required")
			return nil
		}
		var out []Unit
		for i, id := range ids {
			f := fmt.Sprintf("%s[%d]", field, i)
			if seen[id] {
				add(v, f, "err.aid_unit_twice")
				continue
			}
			seen[id] = true
			u, err := s.store.AidUnit(ctx, id)
			if notFound(err) || id <= 0 {
				add(v, f, "err.aid_unit_unknown", id)
				continue
			}
			if err != nil {
				loadErr = err
				return nil
			}
			out = append(out, u)
		}
		return out
	}
	pr.Aiding = resolve("aiding_unit_ids", in.AidingIDs)
	pr.Aided = resolve("aided_unit_ids", in.AidedIDs)
	if loadErr != nil {
		return Pairing{}, loadErr
	}
	if len(in.Contacts) > maxContacts {
		add(v, "contacts", "err.aid_too_many", maxContacts)
	}
	for i, c := range in.Contacts {
		c = Contact{Name: strings.TrimSpace(c.Name), Unit: strings.TrimSpace(c.Unit), Phone: strings.TrimSpace(c.Phone)}
		if c == (Contact{}) {
			continue // an empty row of the form
		}
		f := fmt.Sprintf("contacts[%d].", i)
		checkText(v, f+"contact_name", c.Name, maxShort, true)
		checkText(v, f+"contact_unit", c.Unit, maxShort, false)
		checkText(v, f+"phone", c.Phone, 40, false)
		pr.Contacts = append(pr.Contacts, c)
	}
	slices.SortFunc(pr.Aiding, func(a, b Unit) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(pr.Aided, func(a, b Unit) int { return strings.Compare(a.Path, b.Path) })
	return pr, v.Err()
}

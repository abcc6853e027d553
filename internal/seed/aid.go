package seed

import (
	"context"
	"fmt"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/org"
)

// AidDeps is what the demo pairing needs.
type AidDeps struct {
	Units interface {
		UnitByCode(ctx context.Context, code string) (org.Unit, error)
		UserByName(ctx context.Context, username string) (org.User, error)
	}
	Aid *aid.Service
}

// The demo pairing (DOMAIN §2): 株洲市院 and 石峰区院 aid 喀什市院 and 疏勒县院.
var (
	aidAiding = []string{"43020000", "43020400"}
	aidAided  = []string{"65310100", "65312200"}
)

// aidPeople are the demo accounts of the pairing's talent pipeline.
var aidPeople = []string{"zhuzhou_cm", "shifeng_cm", "kashi_cm", "kashi_cm2", "shule_cm", "shule_cm2", "kashi_pros1"}

// Aid seeds the Zhuzhou–Kashgar pairing with a year of activity and fund
// entries, and its talent pipeline (levels, evidence, mentors, a pending
// proposal), Q&A and training (courses, attendance, quizzes), written
// through the aid service. Running it again changes nothing.
func Aid(ctx context.Context, d AidDeps) (aid.DemoResult, error) {
	ids := func(codes []string) ([]int64, error) {
		out := make([]int64, len(codes))
		for i, c := range codes {
			u, err := d.Units.UnitByCode(ctx, c)
			if err != nil {
				return nil, fmt.Errorf("seed: aid: unit %s: %w", c, err)
			}
			out[i] = u.ID
		}
		return out, nil
	}
	aiding, err := ids(aidAiding)
	if err != nil {
		return aid.DemoResult{}, err
	}
	aided, err := ids(aidAided)
	if err != nil {
		return aid.DemoResult{}, err
	}
	res, err := d.Aid.Demo(ctx, aid.DemoUnits{Aiding: aiding, Aided: aided})
	if err != nil {
		return res, err
	}
	users := map[string]int64{}
	for _, name := range aidPeople {
		u, err := d.Units.UserByName(ctx, name)
		if err != nil {
			return res, fmt.Errorf("seed: aid: user %s: %w", name, err)
		}
		users[name] = u.ID
	}
	if _, err := d.Aid.DemoTalent(ctx, res.PairingID, users); err != nil {
		return res, err
	}
	// The goals (援助目标) and the level history their trend is rebuilt
	// from.
	if _, err := d.Aid.DemoGoals(ctx, res.PairingID, users); err != nil {
		return res, err
	}
	if _, err := d.Aid.DemoTraining(ctx, res.PairingID, users); err != nil {
		return res, err
	}
	return res, nil
}

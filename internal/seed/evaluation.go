package seed

import (
	"context"
	"fmt"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// EvaluationDeps are what the quality part of the demo needs.
type EvaluationDeps struct {
	Org        *org.Service
	Evaluation *evaluation.Service
	Seed       int64
}

// Evaluation installs the shipped evaluation templates and runs one
// finished routine evaluation activity in each demo unit that handles
// cases, so the quality statistics show something on first start.
func Evaluation(ctx context.Context, d EvaluationDeps) (evaluation.DemoResult, error) {
	if _, err := d.Evaluation.InstallDefaults(ctx); err != nil {
		return evaluation.DemoResult{}, fmt.Errorf("seed: evaluation templates: %w", err)
	}
	users, err := d.Org.AllUsers(ctx)
	if err != nil {
		return evaluation.DemoResult{}, err
	}
	people := make([]access.Principal, 0, len(users))
	for _, u := range users {
		people = append(people, u.Principal())
	}
	units, err := d.Org.Units(ctx)
	if err != nil {
		return evaluation.DemoResult{}, err
	}
	handling := map[string]bool{}
	for _, spec := range demoUnits() {
		handling[spec.Code] = spec.CaseWeight > 0
	}
	var ids []int64
	for _, u := range units {
		if handling[u.Code] {
			ids = append(ids, u.ID)
		}
	}
	res, err := evaluation.Demo(ctx, d.Evaluation, people, evaluation.DemoOptions{Seed: d.Seed, Units: ids})
	if err != nil {
		return res, fmt.Errorf("seed: evaluation demo: %w", err)
	}
	return res, nil
}

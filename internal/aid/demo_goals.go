package aid

import (
	"context"
	"fmt"
	"time"
)

// demoSteps is how the demo's aided staff reached the levels DemoTalent
// sets (demo_talent.go), as confirmed level changes over the programme's
// first year, so the goals' trend (progress.go rebuilds levels from these
// changes) tells the story: 喀什市院's first backbone about four months
// ago, its second one nearly there, 疏勒县院 a quarter behind. Each
// person's last step in an area ends at the level DemoTalent gives them.
var demoSteps = []struct {
	user, area, from, to string
	daysAgo              int
}{
	{"kashi_cm", "intake", "trainee", "practitioner", 400},
	{"kashi_cm", "assignment", "trainee", "practitioner", 400},
	{"kashi_cm", "monitoring", "trainee", "practitioner", 400},
	{"kashi_cm", "data", "trainee", "practitioner", 400},
	{"kashi_cm", "intake", "practitioner", "backbone", 250},
	{"kashi_cm", "assignment", "practitioner", "backbone", 250},
	{"kashi_cm", "monitoring", "practitioner", "backbone", 200},
	{"kashi_cm", "data", "practitioner", "backbone", 120},
	{"kashi_cm2", "intake", "trainee", "practitioner", 300},
	{"kashi_cm2", "assignment", "trainee", "practitioner", 300},
	{"kashi_cm2", "monitoring", "trainee", "practitioner", 300},
	{"kashi_cm2", "data", "trainee", "practitioner", 150},
	{"kashi_cm2", "intake", "practitioner", "backbone", 100},
	{"kashi_cm2", "assignment", "practitioner", "backbone", 100},
	{"kashi_cm2", "monitoring", "practitioner", "backbone", 40},
	{"shule_cm", "intake", "trainee", "practitioner", 280},
	{"shule_cm", "assignment", "trainee", "practitioner", 280},
	{"shule_cm", "monitoring", "trainee", "practitioner", 90},
	{"shule_cm", "data", "trainee", "practitioner", 90},
	{"shule_cm", "intake", "practitioner", "backbone", 60},
	{"shule_cm", "assignment", "practitioner", "backbone", 60},
	{"shule_cm2", "intake", "trainee", "practitioner", 45},
	{"shule_cm2", "assignment", "trainee", "practitioner", 45},
	{"kashi_pros1", "intake", "trainee", "practitioner", 30},
}

// DemoGoalsResult counts what the goals demo wrote.
type DemoGoalsResult struct {
	Saved bool
	Steps int
}

// DemoGoals saves the demo pairing's goals (the defaults, explicitly, as
// the system) and the level history of its aided staff. Nothing is
// written when the pairing's goals were saved before.
func (s *Service) DemoGoals(ctx context.Context, pairingID int64, users map[string]int64) (DemoGoalsResult, error) {
	r := systemRequest("seed")
	var res DemoGoalsResult
	saved, err := s.store.AidGoalParams(ctx, pairingID)
	if err != nil || len(saved) > 0 {
		return res, err
	}
	pr, err := s.store.AidPairing(ctx, pairingID)
	if err != nil {
		return res, err
	}
	g := DefaultGoals(pr)
	if s.ind == nil {
		return res, fmt.Errorf("aid demo: goals need the statistics service")
	}
	if err := s.SaveGoals(ctx, r, pairingID, g); err != nil {
		return res, fmt.Errorf("aid demo: goals: %w", err)
	}
	res.Saved = true
	now := s.now()
	var changes []LevelChange
	for _, st := range demoSteps {
		if users[st.user] == 0 {
			continue
		}
		changes = append(changes, LevelChange{UserID: users[st.user], Area: st.area, From: st.from, To: st.to,
			Reason: "援助第一年的等级变化（系统启用前由导师确认，演示数据）", At: now.Add(-time.Duration(st.daysAgo) * 24 * time.Hour).UnixMilli()})
	}
	if len(changes) == 0 {
		return res, nil
	}
	if err := s.store.AddAidLevelHistory(ctx, changes, r.record("aid.level.history", objPairing, pairingID,
		fmt.Sprintf("changes=%d", len(changes)))); err != nil {
		return res, fmt.Errorf("aid demo: level history: %w", err)
	}
	res.Steps = len(changes)
	return res, nil
}

package aid_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// The demo pairing gets three trainings with sittings, attendance that
// completes some of them (evidence), a material and quizzes with
// attempts; seeding again writes nothing.
func TestDemoTraining(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		res, err := e.svc.Demo(ctx, aid.DemoUnits{Aiding: []int64{e.f.UnitB.ID}, Aided: []int64{e.f.UnitA.ID}})
		if err != nil {
			t.Fatal(err)
		}
		users := map[string]int64{}
		for demo, fixture := range map[string]string{"kashi_cm": "a_prosecutor", "kashi_cm2": "a_prosecutor2",
			"kashi_pros1": "a_prosecutor3", "shule_cm": "a_assistant", "shule_cm2": "a_dept_head"} {
			users[demo] = e.f.User(t, fixture).ID
		}
		tr, err := e.svc.DemoTraining(ctx, res.PairingID, users)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Courses != 3 || tr.Sessions != 6 || tr.Materials != 1 || tr.Quizzes != 2 || tr.Attempts != 6 || tr.Completions == 0 {
			t.Fatalf("demo training %+v", tr)
		}
		before := e.trainingCounts(t)
		if again, err := e.svc.DemoTraining(ctx, res.PairingID, users); err != nil || again != (aid.DemoTrainingResult{}) {
			t.Errorf("second run %+v %v", again, err)
		}
		e.trainingUnchanged(t, "second run", before)
		view, err := e.svc.Training(ctx, e.req(t, "b_aid_partner"), res.PairingID)
		if err != nil || len(view.Courses) != 3 || len(view.Quizzes) != 2 {
			t.Fatalf("training view: %d courses, %d quizzes, %v", len(view.Courses), len(view.Quizzes), err)
		}
		passed := 0
		for _, q := range view.Quizzes {
			passed += q.Passed
		}
		if passed == 0 || len(e.evidenceOf(t, "a_prosecutor2", aid.EvidenceQuiz)) != 1 {
			t.Errorf("quiz passes %d, evidence of kashi_cm2 %v", passed, e.evidenceOf(t, "a_prosecutor2", aid.EvidenceQuiz))
		}
		if len(e.evidenceOf(t, "a_prosecutor", aid.EvidenceTraining)) != 3 {
			t.Errorf("kashi_cm attended everything: training evidence %v", e.evidenceOf(t, "a_prosecutor", aid.EvidenceTraining))
		}
		c := view.Courses[0] // the latest: 第三期, with the material
		if len(c.Materials) != 1 {
			t.Fatalf("materials %+v", c.Materials)
		}
		att, data, err := e.svc.Material(ctx, e.req(t, "a_case_manager"), c.ID, c.Materials[0].ID)
		if err != nil || att.ContentType != aid.TypePDF || aid.Sniff(data) != aid.TypePDF {
			t.Errorf("material %+v %v", att, err)
		}
	})
}

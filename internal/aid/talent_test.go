package aid_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

var talentTables = []string{"aid_competencies", "aid_proposals", "aid_evidence", "aid_mentorships"}

func (e *env) talentCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range talentTables {
		var n int
		if err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM ` + tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

func (e *env) talentUnchanged(t *testing.T, what string, before map[string]int) {
	t.Helper()
	after := e.talentCounts(t)
	for _, tb := range talentTables {
		if before[tb] != after[tb] {
			t.Errorf("%s: %s rows %d → %d", what, tb, before[tb], after[tb])
		}
	}
}

// level sets a level as the seed does (the bootstrap of a hand-built
// dataset; in the product only a mentor's confirmation changes a level).
func (e *env) level(t *testing.T, username, area, level string) {
	t.Helper()
	rec := audit.Record{Actor: audit.System("test"), Action: "aid.level.bootstrap", ObjectType: "user", Result: audit.ResultOK}
	if err := e.db.BootstrapAidLevel(context.Background(), e.f.User(t, username).ID, area, level, rec); err != nil {
		t.Fatal(err)
	}
}

func (e *env) levelOf(t *testing.T, username, area string) string {
	t.Helper()
	st, err := e.db.AidStaffMember(context.Background(), e.f.User(t, username).ID)
	if err != nil {
		t.Fatal(err)
	}
	return st.Level(area)
}

func (e *env) goal(t *testing.T, pairingID int64) int {
	t.Helper()
	g, err := e.svc.Goal(context.Background(), e.req(t, "a_case_manager"), pairingID)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Units) != 1 || g.Units[0].Unit.ID != e.f.UnitA.ID || g.Units[0].Target != 2 {
		t.Fatalf("goal units %+v", g.Units)
	}
	return g.Units[0].Count
}

func TestLevelChangesOnlyThroughMentor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		e.level(t, "b_prosecutor", "intake", aid.LevelMentor)   // a mentor of the aiding unit
		e.level(t, "b_prosecutor2", "data", aid.LevelMentor)    // a mentor, but of another area
		e.level(t, "a_prosecutor", "analysis", aid.LevelMentor) // the person, a mentor elsewhere
		cm := e.req(t, "a_case_manager")
		person := e.f.User(t, "a_prosecutor").ID
		pid, err := e.svc.Propose(ctx, cm, id, aid.ProposalInput{UserID: person, Area: "intake", Level: aid.LevelBackbone, Reason: "独立完成受理审查200件"})
		if err != nil {
			t.Fatal(err)
		}
		if got := e.levelOf(t, "a_prosecutor", "intake"); got != aid.LevelTrainee {
			t.Fatalf("a proposal changed the level to %s", got)
		}
		// A second proposal on the same person and area waits for the first.
		_, err = e.svc.Propose(ctx, cm, id, aid.ProposalInput{UserID: person, Area: "intake", Level: aid.LevelMentor, Reason: "再提"})
		assertField(t, err, "area", "err.aid_proposal_pending")

		before := e.talentCounts(t)
		for _, c := range []struct {
			who  aid.Request
			want error
		}{
			{cm, apperr.ErrForbidden},                           // a case manager is no mentor
			{e.req(t, "a_prosecutor"), apperr.ErrForbidden},     // the person themself
			{e.req(t, "b_prosecutor2"), apperr.ErrForbidden},    // a mentor of another area
			{e.req(t, "up_sysadmin"), apperr.ErrNotFound},       // not in the pairing
			{e.as(e.unitC, "case_manager"), apperr.ErrNotFound}, // another unit
			{e.req(t, "b_case_manager"), apperr.ErrForbidden},   // aiding side, not a mentor
		} {
			if _, err := e.svc.Decide(ctx, c.who, pid, aid.DecisionConfirm, ""); !errors.Is(err, c.want) {
				t.Errorf("%s: got %v, want %v", c.who.P.Username, err, c.want)
			}
		}
		e.talentUnchanged(t, "refused decisions", before)
		if got := e.levelOf(t, "a_prosecutor", "intake"); got != aid.LevelTrainee {
			t.Fatalf("level %s after refused decisions", got)
		}
		// The person cannot confirm even a proposal in an area where they
		// are a mentor.
		own, err := e.svc.Propose(ctx, cm, id, aid.ProposalInput{UserID: person, Area: "analysis", Level: aid.LevelBackbone, Reason: "调岗"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Decide(ctx, e.req(t, "a_prosecutor"), own, aid.DecisionConfirm, ""); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("self-confirmation: %v", err)
		}

		mentor := e.req(t, "b_prosecutor")
		p, err := e.svc.Decide(ctx, mentor, pid, aid.DecisionConfirm, "同意")
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != aid.ProposalConfirmed || e.levelOf(t, "a_prosecutor", "intake") != aid.LevelBackbone {
			t.Fatalf("after confirmation: %+v level %s", p, e.levelOf(t, "a_prosecutor", "intake"))
		}
		var n int
		if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'aid.level.confirm' AND user_id = $1`,
			mentor.P.UserID).Scan(&n); err != nil || n != 1 {
			t.Errorf("confirmation audit entries %d %v", n, err)
		}
		_, err = e.svc.Decide(ctx, mentor, pid, aid.DecisionReject, "晚了")
		assertField(t, err, "status", "err.aid_proposal_decided")
		// A rejection needs a reason; nothing is written without one.
		p2, err := e.svc.Propose(ctx, cm, id, aid.ProposalInput{UserID: person, Area: "intake", Level: aid.LevelMentor, Reason: "带教新人"})
		if err != nil {
			t.Fatal(err)
		}
		before = e.talentCounts(t)
		_, err = e.svc.Decide(ctx, mentor, p2, aid.DecisionReject, " ")
		assertField(t, err, "note", "err.required")
		e.talentUnchanged(t, "rejection without reason", before)
		if _, err := e.svc.Decide(ctx, mentor, p2, aid.DecisionReject, "带教经验不足"); err != nil {
			t.Fatal(err)
		}
		if got := e.levelOf(t, "a_prosecutor", "intake"); got != aid.LevelBackbone {
			t.Errorf("a rejection changed the level to %s", got)
		}
	})
}

func TestTalentBadInputWritesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		e.level(t, "b_prosecutor", "intake", aid.LevelMentor)
		cm := e.req(t, "a_case_manager")
		person := e.f.User(t, "a_prosecutor").ID
		before := e.talentCounts(t)
		_, err := e.svc.Propose(ctx, cm, id, aid.ProposalInput{UserID: person, Area: "cooking", Level: "expert", Reason: ""})
		assertField(t, err, "area", "err.aid_area_invalid")
		assertField(t, err, "to_level", "err.aid_level_invalid")
		assertField(t, err, "reason", "err.required")
		_, err = e.svc.Propose(ctx, cm, id, aid.ProposalInput{UserID: e.f.User(t, "up_prosecutor").ID, Area: "intake", Level: aid.LevelTrainee, Reason: "x"})
		assertField(t, err, "user_id", "err.aid_staff_unknown")
		_, err = e.svc.Propose(ctx, cm, id, aid.ProposalInput{UserID: person, Area: "intake", Level: aid.LevelTrainee, Reason: "x"})
		assertField(t, err, "to_level", "err.aid_level_same")
		_, err = e.svc.AddEvidence(ctx, cm, id, aid.EvidenceInput{UserID: person, Area: "intake", Kind: "gossip", OnDate: "2026-13-01", Note: ""})
		assertField(t, err, "evidence_kind", "err.aid_evidence_kind_invalid")
		assertField(t, err, "on_date", "err.date_invalid")
		assertField(t, err, "note", "err.required")
		_, err = e.svc.AddEvidence(ctx, cm, id, aid.EvidenceInput{UserID: person, Area: "intake", Kind: aid.EvidenceSignoff, OnDate: "2026-03-01", Note: "签认"})
		assertField(t, err, "evidence_kind", "err.aid_signoff_mentor")
		_, err = e.svc.AddEvidence(ctx, cm, id, aid.EvidenceInput{UserID: person, Area: "intake", Kind: aid.EvidenceQuiz, OnDate: "2026-12-01", Note: "90分"})
		assertField(t, err, "on_date", "err.aid_future")
		_, err = e.svc.AddMentorship(ctx, cm, id, aid.MentorshipInput{MentorID: e.f.User(t, "b_prosecutor2").ID, TraineeID: person, Area: "intake"})
		assertField(t, err, "mentor_id", "err.aid_not_mentor")
		_, err = e.svc.AddMentorship(ctx, cm, id, aid.MentorshipInput{MentorID: e.f.User(t, "b_prosecutor").ID, TraineeID: e.f.User(t, "b_prosecutor").ID, Area: "intake"})
		assertField(t, err, "trainee_id", "err.aid_self_mentor")
		if _, err := e.svc.Propose(ctx, e.req(t, "a_prosecutor"), id, aid.ProposalInput{UserID: person, Area: "intake", Level: aid.LevelMentor, Reason: "自荐"}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a prosecutor proposing: %v", err)
		}
		e.talentUnchanged(t, "bad input", before)

		// Good input is written: evidence, a mentor's sign-off, a mentorship.
		if _, err := e.svc.AddEvidence(ctx, cm, id, aid.EvidenceInput{UserID: person, Area: "intake", Kind: aid.EvidenceTraining, OnDate: "2026-03-01", Note: "第一期培训"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddEvidence(ctx, e.req(t, "b_prosecutor"), id, aid.EvidenceInput{UserID: person, Area: "intake", Kind: aid.EvidenceSignoff, OnDate: "2026-03-02", Note: "可独立受理"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddMentorship(ctx, cm, id, aid.MentorshipInput{MentorID: e.f.User(t, "b_prosecutor").ID, TraineeID: person, Area: "intake"}); err != nil {
			t.Fatal(err)
		}
		tl, err := e.svc.Talent(ctx, cm, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(tl.Evidence) != 2 || len(tl.Mentorships) != 1 || len(tl.Framework.Areas) != 7 || len(tl.Framework.Levels) != 4 {
			t.Errorf("talent: evidence %d mentorships %d areas %d levels %d", len(tl.Evidence), len(tl.Mentorships), len(tl.Framework.Areas), len(tl.Framework.Levels))
		}
	})
}

// execer writes hand-made rows (cards, problems, settings) through a
// connection of its own: the store offers no raw SQL to other packages.
type execer struct{ db *sql.DB }

func (x execer) Exec(q string, args ...any) (any, error) {
	return x.db.Exec(q, args...)
}

// eachRaw is testdb.Each with a plain connection to the same database.
func eachRaw(t *testing.T, fn func(t *testing.T, db *store.DB, raw execer)) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db, dsn := e.Open(t)
			var d *sql.DB
			var err error
			if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
				d, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
			} else {
				d, err = sql.Open("pgx", dsn)
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			fn(t, db, execer{d})
		})
	}
}

func TestGoalOneOnHandBuiltData(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *store.DB, raw execer) {
		e := newEnv(t, db)
		id := e.create(t)
		core := []string{"intake", "assignment", "monitoring", "data"}
		for _, a := range core {
			e.level(t, "a_prosecutor", a, aid.LevelBackbone) // counts
			e.level(t, "a_prosecutor3", a, aid.LevelMentor)  // counts: mentor is above backbone
			e.level(t, "b_prosecutor", a, aid.LevelMentor)   // aiding side: not counted
		}
		for _, a := range core[:3] {
			e.level(t, "a_prosecutor2", a, aid.LevelBackbone) // misses data supervision
		}
		e.level(t, "a_prosecutor2", "data", "practitioner")
		for _, a := range []string{"evaluation", "analysis", "disclosure"} {
			e.level(t, "a_assistant", a, aid.LevelMentor) // strong, but in no core area
		}
		if got := e.goal(t, id); got != 2 {
			t.Fatalf("goal (1) = %d, want 2", got)
		}
		// The required areas are data: requiring evaluation too leaves no one.
		if _, err := raw.Exec(`UPDATE aid_comp_areas SET required = TRUE WHERE code = 'evaluation'`); err != nil {
			t.Fatal(err)
		}
		if got := e.goal(t, id); got != 0 {
			t.Fatalf("goal (1) with evaluation required = %d, want 0", got)
		}
	})
}

func TestGoalOneMovesOnlyAfterMentorConfirms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		for _, a := range []string{"intake", "assignment", "monitoring"} {
			e.level(t, "a_prosecutor", a, aid.LevelBackbone)
		}
		e.level(t, "b_prosecutor", "data", aid.LevelMentor)
		if got := e.goal(t, id); got != 0 {
			t.Fatalf("goal before = %d", got)
		}
		cm := e.req(t, "a_case_manager")
		req := aid.ProposalInput{UserID: e.f.User(t, "a_prosecutor").ID, Area: "data", Level: aid.LevelBackbone, Reason: "三个月数据监管工作"}
		pid, err := e.svc.Propose(ctx, cm, id, req)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.goal(t, id); got != 0 {
			t.Fatalf("goal moved on a proposal: %d", got)
		}
		if _, err := e.svc.Decide(ctx, e.req(t, "b_prosecutor"), pid, aid.DecisionReject, "整改数量不足"); err != nil {
			t.Fatal(err)
		}
		if got := e.goal(t, id); got != 0 {
			t.Fatalf("goal moved on a rejection: %d", got)
		}
		pid, err = e.svc.Propose(ctx, cm, id, req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Decide(ctx, e.req(t, "b_prosecutor"), pid, aid.DecisionConfirm, ""); err != nil {
			t.Fatal(err)
		}
		if got := e.goal(t, id); got != 1 {
			t.Fatalf("goal after confirmation = %d, want 1", got)
		}
	})
}

// TestRuleDataBackbone builds cards and problems by hand: unit A's
// accuracy at the last three month ends and a_prosecutor's fixed problems.
func TestRuleDataBackbone(t *testing.T) {
	eachRaw(t, func(t *testing.T, db *store.DB, raw execer) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		w := raw
		// Today is 2026-03-16: month ends 2025-12-31, 2026-01-31, 2026-02-28.
		old := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
		person := e.f.User(t, "a_prosecutor").ID
		// 40 cards; problems: 25 fixed by a_prosecutor in February, one
		// open since October (2.5% of cards: accuracy 97.5%).
		for i := range 40 {
			if _, err := w.Exec(`INSERT INTO case_cards (unit_id, source, stage_no, uniform_no, category, name, department, handler,
				handler_id, transferring_organ, charges, received_on, suspect_name, suspect_id, custody, measure, plea, plea_signed_on,
				sentencing, sentencing_adopted, fast_track, minor, returns, extensions, decision, decided_on, doc_no, closed_on,
				entered_on, created_at, updated_at) VALUES ($1, 'import', $2, $2, 'prosecution_review', '案', '刑检', '测', $3, '', '',
				'2025-10-01', '', '', '', '', '', '', '', '', '', '', 0, 0, '', '', '', '', '2025-10-01', $4, $4)`,
				e.f.UnitA.ID, fmt.Sprintf("甲检%03d", i), person, old); err != nil {
				t.Fatal(err)
			}
		}
		problem := func(card int, status string, fixedAt int64) {
			t.Helper()
			fixedOn := ""
			if fixedAt != 0 {
				fixedOn = "2026-02-10"
			}
			if _, err := w.Exec(`INSERT INTO dq_problems (card_id, unit_id, rule_id, rule_version, kind, severity, item, handler_id,
				handler, department, status, detected_at, detected_on, due_on, fixed_at, fixed_on)
				SELECT id, unit_id, $2, 1, '漏填', 'major', 'x', $3, '测', '刑检', $4, $5, '2025-10-01', '2025-10-10', $6, $7
				FROM case_cards WHERE stage_no = $1`, fmt.Sprintf("甲检%03d", card), fmt.Sprintf("R%d", card), person, status,
				old, fixedAt, fixedOn); err != nil {
				t.Fatal(err)
			}
		}
		feb := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC).UnixMilli()
		for i := range 25 {
			problem(i, "fixed", feb)
		}
		problem(39, "open", 0)
		// In December and January the 25 were open: accuracy 35% there.
		cm := e.req(t, "a_case_manager")
		n, err := e.svc.RunRules(ctx, cm, id, "data")
		if err != nil || n != 0 {
			t.Fatalf("rules with low accuracy in December: %d %v", n, err)
		}
		// Had they been detected only in February, every month end is ≥ 95%.
		if _, err := w.Exec(`UPDATE dq_problems SET detected_at = $1 WHERE status = 'fixed'`, feb-1000); err != nil {
			t.Fatal(err)
		}
		n, err = e.svc.RunRules(ctx, cm, id, "data")
		if err != nil || n != 1 {
			t.Fatalf("rules: %d proposals, %v; want 1", n, err)
		}
		tl, err := e.svc.Talent(ctx, cm, id)
		if err != nil {
			t.Fatal(err)
		}
		p := tl.Proposals[0]
		if p.UserID != person || p.Area != "data" || p.To != aid.LevelBackbone || p.Rule != "data_backbone" || p.Status != aid.ProposalPending {
			t.Fatalf("proposal %+v", p)
		}
		if e.levelOf(t, "a_prosecutor", "data") != aid.LevelTrainee {
			t.Fatal("the rule changed a level by itself")
		}
		// Run again: the pending proposal is not repeated.
		if n, err := e.svc.RunRules(ctx, cm, id, "data"); err != nil || n != 0 {
			t.Fatalf("second run: %d %v", n, err)
		}
		// The threshold is data.
		if _, err := w.Exec(`UPDATE aid_comp_rules SET min_fixed = 26`); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Exec(`DELETE FROM aid_proposals`); err != nil {
			t.Fatal(err)
		}
		if n, err := e.svc.RunRules(ctx, cm, id, "data"); err != nil || n != 0 {
			t.Fatalf("with 26 required: %d %v", n, err)
		}
	})
}

func TestDecisionValueChecked(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		id := e.create(t)
		e.level(t, "b_prosecutor", "intake", aid.LevelMentor)
		pid, err := e.svc.Propose(ctx, e.req(t, "a_case_manager"), id, aid.ProposalInput{UserID: e.f.User(t, "a_prosecutor").ID,
			Area: "intake", Level: aid.LevelBackbone, Reason: "理由"})
		if err != nil {
			t.Fatal(err)
		}
		before := e.talentCounts(t)
		_, err = e.svc.Decide(ctx, e.req(t, "b_prosecutor"), pid, "maybe", "")
		assertField(t, err, "decision", "err.aid_decision_invalid")
		_, err = e.svc.RunRules(ctx, e.req(t, "a_case_manager"), id, "")
		assertField(t, err, "area", "err.aid_area_invalid")
		e.talentUnchanged(t, "bad decision", before)
	})
}

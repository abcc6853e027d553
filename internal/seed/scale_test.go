package seed_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
)

// TestScaleProvince seeds the province scale with few cases (the shape of
// the organisation does not depend on the count) and checks what the bulk
// paths must keep: the invented units under 新疆 with their accounts, which
// log in with the demo password; the cases spread over them with gapless
// numbers; every accepted case's card projected in the same batch; the
// rotation state stored after the history; one audit entry per batch.
func TestScaleProvince(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, q *sql.DB) {
		ctx := context.Background()
		d := deps(db)
		d.Hash = lightPolicy.Hash
		var reported []int
		d.Progress = func(done, total int) { reported = append(reported, done) }
		res, err := seed.Demo(ctx, d, seed.Options{Cases: 2500, Seed: 1, Today: today, Scale: seed.ScaleProvince, Batch: 1000})
		if err != nil {
			t.Fatal(err)
		}
		// 8 demo units + 13 prefectures × (1 + 7 base-level units).
		if res.Units != 8+13*8 || count(t, q, `SELECT count(*) FROM units`) < res.Units {
			t.Fatalf("units: %d reported, %d stored", res.Units, count(t, q, `SELECT count(*) FROM units`))
		}
		if got := count(t, q, `SELECT count(*) FROM units WHERE code LIKE '9%' AND path LIKE (SELECT path FROM units WHERE code = '65000000') || '%'`); got != 13*8 {
			t.Errorf("invented units under 新疆 = %d, want %d", got, 13*8)
		}
		if len(reported) != 3 || reported[2] != 2500 {
			t.Errorf("progress = %v, want 1000, 2000, 2500", reported)
		}
		if got := count(t, q, `SELECT count(*) FROM cases`); got != 2500 || res.Cases != 2500 {
			t.Fatalf("cases = %d (reported %d), want 2500", got, res.Cases)
		}
		invented := count(t, q, `SELECT count(*) FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.code LIKE '9%'`)
		if invented < 2000 { // their weight is 2,405 of 2,505
			t.Errorf("cases in invented units = %d of 2500", invented)
		}
		// An invented unit's case manager logs in with the demo password.
		var hash string
		if err := q.QueryRow(`SELECT password_hash FROM users WHERE username = 'p00m01b1_cm'`).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !lightPolicy.Verify(hash, seed.DefaultPassword) {
			t.Error("an invented unit's account does not take the demo password")
		}
		if got := count(t, q, `SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'p00m01b1_head1'`); got != 2 {
			t.Errorf("p00m01b1_head1 has %d roles, want 2", got)
		}
		// Numbers: unique, and gapless per unit, scope and year.
		if got := count(t, q, `SELECT count(*) FROM (SELECT unit_id, substr(received_on, 1, 4) y, count(*) n
			FROM cases WHERE stage_no IS NOT NULL GROUP BY unit_id, y) g
			JOIN number_sequences s ON s.unit_id = g.unit_id AND s.year = CAST(g.y AS INTEGER) AND s.scope = 'uniform'
			WHERE s.last_value <> g.n`); got != 0 {
			t.Errorf("%d unit-years whose unified-number sequence does not match their case count", got)
		}
		if got := count(t, q, `SELECT count(*) FROM number_sequences WHERE scope = 'uniform'`); got < 100 {
			t.Errorf("only %d unified-number sequences: the invented units did not number their cases", got)
		}
		// Cards: every accepted case has its card from the same batch.
		if got, want := count(t, q, `SELECT count(*) FROM case_cards WHERE source = 'case'`),
			count(t, q, `SELECT count(*) FROM cases WHERE stage_no IS NOT NULL`); got != want || want == 0 {
			t.Errorf("cards = %d, accepted cases = %d", got, want)
		}
		if got := count(t, q, `SELECT count(*) FROM case_clocks`); got == 0 {
			t.Error("no clocks were written")
		}
		if got := count(t, q, `SELECT count(*) FROM assign_pools WHERE round > 1 OR cursor > 0`); got == 0 {
			t.Error("no pool's rotation state moved: the state after the history was not stored")
		}
		if got := count(t, q, `SELECT count(*) FROM audit_log WHERE action = 'seed.cases'`); got != 3 {
			t.Errorf("seed.cases audit entries = %d, want one per batch (3)", got)
		}
		// Live intake continues the sequences: a second run writes nothing.
		again, err := seed.Demo(ctx, d, seed.Options{Cases: 10, Seed: 1, Today: today, Scale: seed.ScaleProvince})
		if err != nil || !again.AlreadySeeded {
			t.Errorf("second seed: %+v, %v", again, err)
		}
	})
}

func TestScaleRefused(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, q *sql.DB) {
		ctx := context.Background()
		if _, err := seed.Demo(ctx, deps(db), seed.Options{Cases: 10, Today: today, Scale: "galaxy"}); err == nil {
			t.Error("an unknown scale was accepted")
		}
		if _, err := seed.Demo(ctx, deps(db), seed.Options{Cases: 10, Today: today, Scale: seed.ScaleNation}); err == nil {
			t.Error("a scale with invented units was accepted without a password hasher")
		}
		if got := count(t, q, `SELECT count(*) FROM units`); got != 0 {
			t.Errorf("refused seeds wrote %d units", got)
		}
	})
}

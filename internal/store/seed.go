package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/seed"
)

// The bulk write path of the demo generator (package seed). It writes many
// rows per transaction, but keeps every invariant of the live path: numbers
// come from the same gapless sequences, and each transaction appends one
// audit entry to the same chain.

// SeedPools writes rotation pools with their members and rotation state,
// in one transaction with one audit entry; it returns the pool ids in order.
func (db *DB) SeedPools(ctx context.Context, pools []casefile.Pool, a audit.Record) ([]int64, error) {
	ids := make([]int64, len(pools))
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		var members [][]any
		for i, p := range pools {
			if err := tx.QueryRowContext(ctx, `INSERT INTO assign_pools (unit_id, department_id, category, round, cursor, created_at)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, p.UnitID, p.DepartmentID, p.Category, max(p.Round, 1), p.Cursor,
				now).Scan(&ids[i]); err != nil {
				return fmt.Errorf("store: seed pool: %w", err)
			}
			for _, m := range p.Members {
				members = append(members, []any{ids[i], m.UserID, m.Position, m.M, m.N, m.Absent, m.Compensation})
			}
		}
		if err := insertRows(ctx, tx, `INSERT INTO pool_members (pool_id, user_id, position, m, n, absent, compensation)`,
			7, members); err != nil {
			return fmt.Errorf("store: seed pool members: %w", err)
		}
		return db.appendAudit(ctx, tx, a)
	})
	return ids, err
}

// numberKey is one gapless sequence.
type numberKey struct {
	unit  int64
	scope string
	year  int
}

// SeedCases writes one batch of generated cases in one transaction with
// one audit entry. Accepted cases (those with intake outcome "accept") get
// their unified and stage numbers in slice order from number_sequences:
// each sequence is advanced once per batch by the number of cases that
// need it, inside the transaction, so the numbers are gapless and later
// live intakes continue after them. ID, UniformNo and StageNo are filled in.
func (db *DB) SeedCases(ctx context.Context, cases []seed.Case, a audit.Record) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := db.seedNumbers(ctx, tx, cases); err != nil {
			return err
		}
		now := db.ms()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO cases (unit_id, category, uniform_no, stage_no, name,
			transferring_organ, transfer_doc_no, received_on, intake_outcome, intake_note, status, plea, fast_track, minor,
			sealed, charges, department_id, handler_id, assigned_at, decision, closed_on, returns, extensions, search_text,
			version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
			$23, $24, $25, $26, $27, $28) RETURNING id`)
		if err != nil {
			return err
		}
		defer ins.Close()
		var parties, checks, events, assigns, clocks [][]any
		for i := range cases {
			c := &cases[i]
			created := msOr(c.CreatedAt, now)
			updated := created
			for _, e := range c.Events {
				updated = max(updated, msOr(e.CreatedAt, now))
			}
			var assigned int64
			if !c.AssignedAt.IsZero() {
				assigned = c.AssignedAt.UnixMilli()
			}
			if err := ins.QueryRowContext(ctx, c.UnitID, c.Category, nullString(c.UniformNo), nullString(c.StageNo), c.Name,
				c.TransferringOrgan, c.TransferDocNo, c.ReceivedOn, c.IntakeOutcome, c.IntakeNote, c.Status, c.Plea,
				c.FastTrack, c.Minor, c.Sealed, strings.Join(c.Charges, "、"), nullID(c.DepartmentID), nullID(c.HandlerID),
				assigned, c.Decision, c.ClosedOn, c.Returns, c.Extensions, casefile.SearchText(c.Case, c.Parties),
				max(c.Version, 1), c.CreatedBy, created, updated).Scan(&c.ID); err != nil {
				return fmt.Errorf("store: seed case %q: %w", c.Name, err)
			}
			for j, p := range c.Parties {
				parties = append(parties, []any{c.ID, j + 1, p.Name, p.Gender, p.Ethnicity, p.IDType, p.IDNumber,
					p.BirthDate, p.Role, p.Custody, p.Measure})
			}
			for _, k := range c.Checks {
				checks = append(checks, []any{c.ID, k.Item, k.Passed, k.Note})
			}
			for _, e := range c.Events {
				events = append(events, []any{c.ID, e.Code, e.OccurredOn, e.Outcome, e.Note, e.ActorID, msOr(e.CreatedAt, now)})
			}
			for _, k := range c.Clocks {
				clocks = append(clocks, clockValues(c.Case, now, k))
			}
			if as := c.Assignment; as != nil {
				as.CaseID = c.ID
				assigns = append(assigns, []any{c.ID, as.HandlerID, as.Kind, nullID(as.PoolID), as.Round, as.Explanation,
					as.Reason, as.DesignatedBy, as.ActorID, msOr(as.CreatedAt, now)})
			}
		}
		for _, part := range []struct {
			head string
			cols int
			rows [][]any
		}{
			{`INSERT INTO parties (case_id, seq, name, gender, ethnicity, id_type, id_number, birth_date, role, custody, measure)`,
				11, parties},
			{`INSERT INTO intake_checks (case_id, item, passed, note)`, 4, checks},
			{`INSERT INTO case_events (case_id, code, occurred_on, outcome, note, actor_id, created_at)`, 7, events},
			{`INSERT INTO assignments (case_id, handler_id, kind, pool_id, round, explanation, reason, designated_by,
				actor_id, created_at)`, 10, assigns},
			{`INSERT INTO case_clocks ` + clockColumns, clockWidth, clocks},
		} {
			if err := insertRows(ctx, tx, part.head, part.cols, part.rows); err != nil {
				return fmt.Errorf("store: seed: %w", err)
			}
		}
		return db.appendAudit(ctx, tx, a)
	})
	if err != nil {
		for i := range cases { // nothing was written: do not report ids or numbers
			cases[i].ID, cases[i].UniformNo, cases[i].StageNo = 0, "", ""
		}
	}
	return err
}

// seedNumbers allocates the numbers of the accepted cases of a batch. Each
// sequence is advanced by its count with one upsert, which holds the row
// until commit exactly like nextNumber does for a single intake.
func (db *DB) seedNumbers(ctx context.Context, tx *sql.Tx, cases []seed.Case) error {
	need := map[numberKey]int64{}
	var order []numberKey
	units := map[int64]casefile.NumberUnit{}
	abbrevs := map[string]string{}
	for _, c := range cases {
		if c.IntakeOutcome != casefile.OutcomeAccept {
			continue
		}
		year, err := strconv.Atoi(c.ReceivedOn[:min(4, len(c.ReceivedOn))])
		if err != nil {
			return fmt.Errorf("store: seed case %q: received date %q", c.Name, c.ReceivedOn)
		}
		for _, k := range []numberKey{{c.UnitID, casefile.UniformScope(), year}, {c.UnitID, casefile.StageScope(c.Category), year}} {
			if need[k] == 0 {
				order = append(order, k)
			}
			need[k]++
		}
		if _, ok := units[c.UnitID]; !ok {
			var u casefile.NumberUnit
			if err := tx.QueryRowContext(ctx, `SELECT code, short_name FROM units WHERE id = $1`, c.UnitID).
				Scan(&u.Code, &u.ShortName); err != nil {
				return notFound(err)
			}
			units[c.UnitID] = u
		}
		if _, ok := abbrevs[c.Category]; !ok {
			var ab string
			if err := tx.QueryRowContext(ctx, `SELECT abbrev FROM categories WHERE code = $1`, c.Category).Scan(&ab); err != nil {
				return notFound(err)
			}
			abbrevs[c.Category] = ab
		}
	}
	next := map[numberKey]int64{} // next value to hand out per sequence
	for _, k := range order {
		var last int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO number_sequences (unit_id, scope, year, last_value) VALUES ($1, $2, $3, $4)
			ON CONFLICT (unit_id, scope, year) DO UPDATE SET last_value = number_sequences.last_value + $4
			RETURNING last_value`, k.unit, k.scope, k.year, need[k]).Scan(&last); err != nil {
			return fmt.Errorf("store: seed numbers: %w", err)
		}
		next[k] = last - need[k] + 1
	}
	for i := range cases {
		c := &cases[i]
		if c.IntakeOutcome != casefile.OutcomeAccept {
			c.UniformNo, c.StageNo = "", ""
			continue
		}
		year, _ := strconv.Atoi(c.ReceivedOn[:4])
		uk, sk := numberKey{c.UnitID, casefile.UniformScope(), year}, numberKey{c.UnitID, casefile.StageScope(c.Category), year}
		c.UniformNo = casefile.UniformNumber(units[c.UnitID], year, next[uk])
		c.StageNo = casefile.StageNumber(units[c.UnitID], abbrevs[c.Category], year, next[sk])
		next[uk]++
		next[sk]++
	}
	return nil
}

func msOr(t time.Time, def int64) int64 {
	if t.IsZero() {
		return def
	}
	return t.UnixMilli()
}

// maxSeedParams bounds the parameters of one multi-row insert. Both
// engines accept far more, but SQLite resolves "$n" names by a linear scan
// per parameter, so large statements cost quadratic time to prepare and
// bind; a few hundred is the sweet spot on SQLite and costs PostgreSQL
// only a few more round trips.
const maxSeedParams = 300

// insertRows inserts rows with multi-row VALUES lists, in chunks.
func insertRows(ctx context.Context, tx *sql.Tx, head string, cols int, rows [][]any) error {
	per := maxSeedParams / cols
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, len(chunk)*cols)
		for i, r := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for j := range cols {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(len(args) + j + 1))
			}
			b.WriteByte(')')
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

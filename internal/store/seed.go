package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
	if len(cases) == 0 {
		return nil
	}
	err := db.bulkWrite(ctx, func(tx *sql.Tx, put rowWriter) error {
		if err := db.seedNumbers(ctx, tx, cases); err != nil {
			return err
		}
		ids, err := db.seedCaseIDs(ctx, tx, len(cases))
		if err != nil {
			return err
		}
		now := db.ms()
		caseRows := make([][]any, len(cases))
		var parties, checks, events, assigns, clocks [][]any
		for i := range cases {
			c := &cases[i]
			c.ID = ids[i]
			created := msOr(c.CreatedAt, now)
			updated := created
			for _, e := range c.Events {
				updated = max(updated, msOr(e.CreatedAt, now))
			}
			var assigned int64
			if !c.AssignedAt.IsZero() {
				assigned = c.AssignedAt.UnixMilli()
			}
			caseRows[i] = []any{c.ID, c.UnitID, c.Category, nullString(c.UniformNo), nullString(c.StageNo), c.Name,
				c.TransferringOrgan, c.TransferDocNo, c.ReceivedOn, c.IntakeOutcome, c.IntakeNote, c.Status, c.Plea,
				c.FastTrack, c.Minor, c.Sealed, strings.Join(c.Charges, "、"), nullID(c.DepartmentID), nullID(c.HandlerID),
				assigned, c.Decision, c.ClosedOn, int64(c.Returns), int64(c.Extensions), casefile.SearchText(c.Case, c.Parties),
				int64(max(c.Version, 1)), c.CreatedBy, created, updated}
			for j, p := range c.Parties {
				parties = append(parties, []any{c.ID, int64(j + 1), p.Name, p.Gender, p.Ethnicity, p.IDType, p.IDNumber,
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
				assigns = append(assigns, []any{c.ID, as.HandlerID, as.Kind, nullID(as.PoolID), int64(as.Round),
					as.Explanation, as.Reason, as.DesignatedBy, as.ActorID, msOr(as.CreatedAt, now)})
			}
		}
		for _, part := range []struct {
			table, cols string
			rows        [][]any
		}{
			{"cases", `id, unit_id, category, uniform_no, stage_no, name, transferring_organ, transfer_doc_no,
				received_on, intake_outcome, intake_note, status, plea, fast_track, minor, sealed, charges, department_id,
				handler_id, assigned_at, decision, closed_on, returns, extensions, search_text, version, created_by,
				created_at, updated_at`, caseRows},
			{"parties", `case_id, seq, name, gender, ethnicity, id_type, id_number, birth_date, role, custody, measure`,
				parties},
			{"intake_checks", `case_id, item, passed, note`, checks},
			{"case_events", `case_id, code, occurred_on, outcome, note, actor_id, created_at`, events},
			{"assignments", `case_id, handler_id, kind, pool_id, round, explanation, reason, designated_by, actor_id,
				created_at`, assigns},
			{"case_clocks", strings.Trim(clockColumns, "()"), clocks},
		} {
			if err := put(part.table, part.cols, part.rows); err != nil {
				return fmt.Errorf("store: seed %s: %w", part.table, err)
			}
		}
		// The cards of the batch, by the same projection as every live
		// write of a case.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(sqlProjectCards, "c.id >= $2 AND c.id <= $3"), now,
			slices.Min(ids), slices.Max(ids)); err != nil {
			return fmt.Errorf("store: seed cards: %w", err)
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

// seedCaseIDs reserves n case IDs. PostgreSQL takes them from the
// identity's sequence, so live intakes on other instances never collide;
// on SQLite the single writer holds the database, so the next IDs after
// the largest are free.
func (db *DB) seedCaseIDs(ctx context.Context, tx *sql.Tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if db.engine == Postgres {
		rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('cases', 'id'))
			FROM generate_series(1, $1)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		slices.Sort(ids)
		return ids, rows.Err()
	}
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&last); err != nil {
		return nil, err
	}
	for i := range n {
		ids = append(ids, last+int64(i)+1)
	}
	return ids, nil
}

// SeedPoolState stores the pools' round and cursor after the generated
// history, in one transaction with one audit entry.
func (db *DB) SeedPoolState(ctx context.Context, pools []casefile.Pool, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for _, p := range pools {
			if _, err := tx.ExecContext(ctx, `UPDATE assign_pools SET round = $1, cursor = $2 WHERE id = $3`,
				max(p.Round, 1), p.Cursor, p.ID); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// SeedOrg writes invented units (parents first), their departments and
// accounts with their roles in one transaction with one audit entry, and
// fills in the IDs. Every account gets passwordHash.
func (db *DB) SeedOrg(ctx context.Context, units []seed.BulkUnit, passwordHash string, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		paths := make([]string, len(units))
		var users, roles [][]any
		for i := range units {
			u := &units[i]
			parent, parentPath := u.ParentID, ""
			if u.Parent >= 0 {
				parent, parentPath = units[u.Parent].ID, paths[u.Parent]
			} else if err := tx.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, parent).
				Scan(&parentPath); err != nil {
				return notFound(err)
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO units (parent_id, level, code, name, short_name, path, created_at)
				VALUES ($1, $2, $3, $4, $5, '', $6) RETURNING id`, parent, u.Level, u.Code, u.Name, u.Short, now).
				Scan(&u.ID); err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
			paths[i] = parentPath + strconv.FormatInt(u.ID, 10) + "/"
			if _, err := tx.ExecContext(ctx, `UPDATE units SET path = $1 WHERE id = $2`, paths[i], u.ID); err != nil {
				return err
			}
			u.DeptIDs = make([]int64, len(u.Depts))
			for j, d := range u.Depts {
				if err := tx.QueryRowContext(ctx, `INSERT INTO departments (unit_id, name, created_at) VALUES ($1, $2, $3)
					RETURNING id`, u.ID, d, now).Scan(&u.DeptIDs[j]); err != nil {
					return err
				}
			}
		}
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM users`).Scan(&last); err != nil {
			return err
		}
		for i := range units {
			u := &units[i]
			for j := range u.Users {
				n := &u.Users[j]
				var dept any
				if n.Dept >= 0 {
					dept = u.DeptIDs[n.Dept]
				}
				last++
				n.ID = last
				users = append(users, []any{n.ID, n.Username, n.Name, u.ID, dept, passwordHash, now, now})
				for _, r := range n.Roles {
					roles = append(roles, []any{n.ID, string(r)})
				}
			}
		}
		if err := insertRows(ctx, tx, `INSERT INTO users (id, username, name, unit_id, department_id, password_hash,
			password_changed_at, created_at)`, 8, users); err != nil {
			return fmt.Errorf("store: seed users: %w", err)
		}
		if err := insertRows(ctx, tx, `INSERT INTO user_roles (user_id, role)`, 2, roles); err != nil {
			return fmt.Errorf("store: seed roles: %w", err)
		}
		if db.engine == Postgres { // explicit IDs do not advance the identity
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('users', 'id'), $1)`, last); err != nil {
				return err
			}
		}
		a.Detail += fmt.Sprintf(" users=%d", len(users))
		return db.appendAudit(ctx, tx, a)
	})
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

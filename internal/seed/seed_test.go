package seed_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/idcard"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

const today = "2026-03-16"

// lightPolicy keeps argon2 cheap so that ~115 accounts hash quickly.
var lightPolicy = account.Policy{MinLength: 8, MinClasses: 3, Argon2: account.Argon2Params{Time: 1, Memory: 1024, Threads: 1}}

func deps(db *store.DB) seed.Deps {
	return seed.Deps{Org: org.NewService(db, lightPolicy), Store: db,
		Now: func() time.Time { return time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC) }}
}

// raw opens a second, plain connection for read-only checks in SQL.
func raw(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	var d *sql.DB
	var err error
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		d, err = sql.Open("sqlite", "file:"+url.PathEscape(path)+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	} else {
		d, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func each(t *testing.T, fn func(t *testing.T, db *store.DB, q *sql.DB)) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db, dsn := e.Open(t)
			fn(t, db, raw(t, dsn))
		})
	}
}

func count(t *testing.T, q *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := q.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestDemo(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, q *sql.DB) {
		ctx := context.Background()
		start := time.Now()
		res, err := seed.Demo(ctx, deps(db), seed.Options{Cases: 300, Seed: 1, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded %d units, %d accounts, %d pools, %d cases in %v", res.Units, len(res.Accounts), res.Pools,
			res.Cases, time.Since(start))
		if res.AlreadySeeded || res.Cases != 300 || res.Units != 8 {
			t.Fatalf("result: %+v", res)
		}
		if n := count(t, q, `SELECT count(*) FROM cases`); n != 300 {
			t.Fatalf("cases in the database: %d", n)
		}

		checkAccounts(t, ctx, db, res)
		checkParties(t, q)
		checkNumbers(t, q)
		checkTimelines(t, q)
		checkMix(t, q)

		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit chain: %v", err)
		}
		if n := count(t, q, `SELECT count(*) FROM audit_log WHERE action = 'seed.cases'`); n != 1 {
			t.Errorf("seed.cases audit entries: %d, want one per batch (1)", n)
		}

		// A second run writes nothing.
		before := count(t, q, `SELECT count(*) FROM audit_log`)
		again, err := seed.Demo(ctx, deps(db), seed.Options{Cases: 300, Seed: 1, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		if !again.AlreadySeeded || again.Cases != 0 || len(again.Accounts) != 0 {
			t.Fatalf("second run: %+v", again)
		}
		if after := count(t, q, `SELECT count(*) FROM audit_log`); after != before {
			t.Fatalf("second run wrote %d audit entries", after-before)
		}
		if n := count(t, q, `SELECT count(*) FROM cases`); n != 300 {
			t.Fatalf("second run changed the cases: %d", n)
		}

		checkLiveIntakeContinues(t, ctx, db, q)
	})
}

// checkAccounts: every role in every unit, upper supervisors only where a
// unit has subordinates, aid partners at the Zhuzhou units, no account
// with two administrator roles.
func checkAccounts(t *testing.T, ctx context.Context, db *store.DB, res seed.Result) {
	t.Helper()
	users, err := org.NewService(db, lightPolicy).AllUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != len(res.Accounts) {
		t.Fatalf("%d users in the database, %d accounts reported", len(users), len(res.Accounts))
	}
	units, err := db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[int64]map[access.Role]int{}
	usernameRE := regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,31}$`)
	names := map[string]bool{}
	for _, u := range users {
		if !usernameRE.MatchString(u.Username) {
			t.Errorf("username %q", u.Username)
		}
		if names[u.Name] {
			t.Errorf("two accounts named %s", u.Name)
		}
		names[u.Name] = true
		if err := access.CheckRoles(u.Roles); err != nil {
			t.Errorf("%s: roles %v: %v", u.Username, u.Roles, err)
		}
		if roles[u.UnitID] == nil {
			roles[u.UnitID] = map[access.Role]int{}
		}
		for _, r := range u.Roles {
			roles[u.UnitID][r]++
		}
	}
	for _, u := range units {
		for _, r := range access.AllRoles() {
			if roles[u.ID][r] == 0 {
				t.Errorf("%s: no account with role %s", u.Name, r)
			}
		}
		if u.Level == 4 && roles[u.ID][access.Prosecutor] < 5 {
			t.Errorf("%s: only %d prosecutors", u.Name, roles[u.ID][access.Prosecutor])
		}
	}
}

// checkParties: ID numbers valid and consistent with birth date and sex,
// from invented area codes; custody matches the measure.
func checkParties(t *testing.T, q *sql.DB) {
	t.Helper()
	rows, err := q.Query(`SELECT p.id_type, p.id_number, p.birth_date, p.gender, p.custody, p.measure, p.ethnicity, p.role
		FROM parties p`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var typ, num, birth, gender, measure, eth, role string
		var custody bool
		if err := rows.Scan(&typ, &num, &birth, &gender, &custody, &measure, &eth, &role); err != nil {
			t.Fatal(err)
		}
		n++
		if typ != "resident_id" {
			t.Errorf("id type %s", typ)
			continue
		}
		info, err := idcard.Parse(num)
		if err != nil {
			t.Errorf("%s: %v", num, err)
			continue
		}
		if !strings.HasPrefix(info.Area, "9901") || info.Area == "990100" {
			t.Errorf("%s: area %s is not an invented 9901xx code", num, info.Area)
		}
		if info.Birth.Format(time.DateOnly) != birth || info.Female != (gender == "female") {
			t.Errorf("%s: birth %s gender %s disagree with the number", num, birth, gender)
		}
		if !slices.Contains(casefile.Ethnicities(), eth) || !slices.Contains(casefile.PartyRoles(), role) {
			t.Errorf("%s: ethnicity %s role %s", num, eth, role)
		}
		if custody != (measure == "detention" || measure == "arrest" || measure == "lien") {
			t.Errorf("%s: custody %v with measure %s", num, custody, measure)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Errorf("only %d parties", n)
	}
}

// checkNumbers: accepted cases have unique numbers that are consecutive
// from 1 per unit, scope and year and end at the sequence's last value;
// other cases have none.
func checkNumbers(t *testing.T, q *sql.DB) {
	t.Helper()
	rows, err := q.Query(`SELECT c.unit_id, n.code, n.short_name, g.abbrev, c.category, c.received_on, c.intake_outcome,
		COALESCE(c.uniform_no, ''), COALESCE(c.stage_no, '')
		FROM cases c JOIN units n ON n.id = c.unit_id JOIN categories g ON g.code = c.category ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type key struct {
		unit  int64
		scope string
		year  int
	}
	seqs := map[key][]int64{}
	seen := map[string]bool{}
	for rows.Next() {
		var unit int64
		var code, short, abbrev, cat, recv, outcome, uni, stage string
		if err := rows.Scan(&unit, &code, &short, &abbrev, &cat, &recv, &outcome, &uni, &stage); err != nil {
			t.Fatal(err)
		}
		if outcome != casefile.OutcomeAccept {
			if uni != "" || stage != "" {
				t.Errorf("%s case has numbers %s %s", outcome, uni, stage)
			}
			continue
		}
		year, _ := strconv.Atoi(recv[:4])
		us, err1 := strconv.ParseInt(uni[len(uni)-6:], 10, 64)
		st := strings.TrimSuffix(stage, "号")
		ss, err2 := strconv.ParseInt(st[len(st)-6:], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("numbers %q %q", uni, stage)
		}
		u := casefile.NumberUnit{Code: code, ShortName: short}
		if uni != casefile.UniformNumber(u, year, us) || stage != casefile.StageNumber(u, abbrev, year, ss) {
			t.Errorf("numbers %s %s are not in the live format", uni, stage)
		}
		if seen[uni] || seen[stage] {
			t.Errorf("duplicate number %s / %s", uni, stage)
		}
		seen[uni], seen[stage] = true, true
		seqs[key{unit, casefile.UniformScope(), year}] = append(seqs[key{unit, casefile.UniformScope(), year}], us)
		seqs[key{unit, casefile.StageScope(cat), year}] = append(seqs[key{unit, casefile.StageScope(cat), year}], ss)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(seqs) == 0 {
		t.Fatal("no numbers")
	}
	for k, s := range seqs {
		for i, v := range s {
			if v != int64(i+1) {
				t.Fatalf("%v: sequence %v is not 1..%d in case order", k, s, len(s))
			}
		}
		var last int64
		if err := q.QueryRow(`SELECT last_value FROM number_sequences WHERE unit_id = $1 AND scope = $2 AND year = $3`,
			k.unit, k.scope, k.year).Scan(&last); err != nil || last != int64(len(s)) {
			t.Errorf("%v: number_sequences last_value %d (%v), want %d", k, last, err, len(s))
		}
	}
	if n := count(t, q, `SELECT count(*) FROM number_sequences`); n != len(seqs) {
		t.Errorf("%d sequences, %d used", n, len(seqs))
	}
}

type caseRow struct {
	id                         int64
	category, received, status string
	outcome, decision, closed  string
	returns, extensions        int
	handler                    int64
	plea, fast, minor, sealed  bool
}

func cases(t *testing.T, q *sql.DB) []caseRow {
	t.Helper()
	rows, err := q.Query(`SELECT id, category, received_on, status, intake_outcome, decision, closed_on, returns, extensions,
		COALESCE(handler_id, 0), plea, fast_track, minor, sealed FROM cases ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []caseRow
	for rows.Next() {
		var c caseRow
		if err := rows.Scan(&c.id, &c.category, &c.received, &c.status, &c.outcome, &c.decision, &c.closed, &c.returns,
			&c.extensions, &c.handler, &c.plea, &c.fast, &c.minor, &c.sealed); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkTimelines replays every case's events through casefile.Transition
// and compares the result with the case's columns.
func checkTimelines(t *testing.T, q *sql.DB) {
	t.Helper()
	evs := map[int64][]casefile.Event{}
	rows, err := q.Query(`SELECT case_id, code, occurred_on, outcome, actor_id FROM case_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var e casefile.Event
		if err := rows.Scan(&e.CaseID, &e.Code, &e.OccurredOn, &e.Outcome, &e.ActorID); err != nil {
			t.Fatal(err)
		}
		evs[e.CaseID] = append(evs[e.CaseID], e)
	}
	rows.Close()
	assigned := map[int64]int{}
	rows, err = q.Query(`SELECT case_id, handler_id, explanation, kind, COALESCE(pool_id, 0) FROM assignments`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, handler, pool int64
		var expl, kind string
		if err := rows.Scan(&id, &handler, &expl, &kind, &pool); err != nil {
			t.Fatal(err)
		}
		assigned[id]++
		if expl == "" || strings.Contains(expl, "⟦") || (kind == casefile.KindRotation) != (pool != 0) {
			t.Errorf("case %d: assignment %s pool %d explanation %q", id, kind, pool, expl)
		}
	}
	rows.Close()

	for _, c := range cases(t, q) {
		es := evs[c.id]
		if len(es) == 0 || es[0].Code != casefile.EventReceived || es[0].Outcome != c.outcome {
			t.Fatalf("case %d: timeline does not start with its intake: %+v", c.id, es)
		}
		prev := c.received
		for _, e := range es {
			if e.OccurredOn < prev || e.OccurredOn > today {
				t.Errorf("case %d: event %s on %s out of order (previous %s, today %s)", c.id, e.Code, e.OccurredOn, prev, today)
			}
			prev = e.OccurredOn
		}
		cur := casefile.Case{Category: c.category}
		switch c.outcome {
		case casefile.OutcomeSupplement:
			cur.Status = casefile.StatusAwaitingSupplement
		case casefile.OutcomeRefuse:
			cur.Status = casefile.StatusRefused
		default:
			cur.Status = casefile.StatusPendingAssignment
		}
		rest := es[1:]
		if len(rest) > 0 && rest[0].Code == casefile.EventAssigned {
			if cur.Status != casefile.StatusPendingAssignment {
				t.Errorf("case %d: assigned while %s", c.id, cur.Status)
			}
			cur.Status = casefile.StatusInProgress
			rest = rest[1:]
		}
		for _, e := range rest {
			if e.ActorID != c.handler {
				t.Errorf("case %d: event %s recorded by %d, not the handler %d", c.id, e.Code, e.ActorID, c.handler)
			}
			next, refusal := casefile.Transition(cur, e)
			if refusal != "" {
				t.Fatalf("case %d: event %s on %s refused: %s", c.id, e.Code, e.OccurredOn, refusal)
			}
			cur.Status = next
			switch e.Code {
			case casefile.EventReturned:
				cur.Returns++
			case casefile.EventExtended:
				cur.Extensions++
			case casefile.EventDecided:
				cur.Decision = e.Outcome
			case casefile.EventClosed:
				cur.ClosedOn = e.OccurredOn
			}
		}
		if cur.Status != c.status || cur.Returns != c.returns || cur.Extensions != c.extensions ||
			cur.Decision != c.decision || cur.ClosedOn != c.closed {
			t.Errorf("case %d: columns %+v disagree with the replayed timeline %+v", c.id, c, cur)
		}
		isAssigned := c.handler != 0
		if isAssigned != (assigned[c.id] == 1) || isAssigned != (c.status != casefile.StatusPendingAssignment &&
			c.status != casefile.StatusAwaitingSupplement && c.status != casefile.StatusRefused) {
			t.Errorf("case %d: status %s handler %d assignments %d", c.id, c.status, c.handler, assigned[c.id])
		}
		criminal := c.category == "arrest_review" || c.category == "prosecution_review"
		if (c.fast && !c.plea) || (c.sealed && !c.minor) || (!criminal && (c.plea || c.fast || c.minor)) {
			t.Errorf("case %d: flags plea=%v fast=%v minor=%v sealed=%v", c.id, c.plea, c.fast, c.minor, c.sealed)
		}
	}
}

// checkMix: the demo shows every category and the procedural variety.
func checkMix(t *testing.T, q *sql.DB) {
	t.Helper()
	for _, cat := range []string{"arrest_review", "prosecution_review", "civil_supervision", "admin_supervision",
		"pil_admin", "pil_civil"} {
		if count(t, q, `SELECT count(*) FROM cases WHERE category = $1`, cat) == 0 {
			t.Errorf("no %s case", cat)
		}
	}
	for what, query := range map[string]string{
		"closed":       `SELECT count(*) FROM cases WHERE status = 'closed'`,
		"in progress":  `SELECT count(*) FROM cases WHERE status = 'in_progress'`,
		"returned":     `SELECT count(*) FROM cases WHERE returns > 0`,
		"extended":     `SELECT count(*) FROM cases WHERE extensions > 0`,
		"plea":         `SELECT count(*) FROM cases WHERE plea = TRUE`,
		"fast track":   `SELECT count(*) FROM cases WHERE fast_track = TRUE`,
		"minor":        `SELECT count(*) FROM cases WHERE minor = TRUE`,
		"sealed":       `SELECT count(*) FROM cases WHERE sealed = TRUE`,
		"custody":      `SELECT count(*) FROM parties WHERE custody = TRUE`,
		"victim":       `SELECT count(*) FROM parties WHERE role = 'victim'`,
		"designated":   `SELECT count(*) FROM assignments WHERE kind = 'designated'`,
		"absence":      `SELECT count(*) FROM assignments WHERE explanation LIKE '%不在位%'`,
		"half weight":  `SELECT count(*) FROM pool_members WHERE m = 1 AND n = 2`,
		"kashi cases":  `SELECT count(*) FROM cases c JOIN units n ON n.id = c.unit_id WHERE n.code = '65310100'`,
		"branch cases": `SELECT count(*) FROM cases c JOIN units n ON n.id = c.unit_id WHERE n.code = '65310000'`,
	} {
		if count(t, q, query) == 0 {
			t.Errorf("no %s", what)
		}
	}
	crim := count(t, q, `SELECT count(*) FROM cases WHERE category IN ('arrest_review', 'prosecution_review')
		AND status IN ('decided', 'closed')`)
	plea := count(t, q, `SELECT count(*) FROM cases WHERE category IN ('arrest_review', 'prosecution_review')
		AND status IN ('decided', 'closed') AND plea = TRUE`)
	if rate := float64(plea) / float64(crim); rate < 0.75 || rate > 0.95 {
		t.Errorf("plea rate of concluded criminal cases %.2f, want about 0.85", rate)
	}
}

// checkLiveIntakeContinues: a live intake after seeding takes the next
// number of the same sequence.
func checkLiveIntakeContinues(t *testing.T, ctx context.Context, db *store.DB, q *sql.DB) {
	t.Helper()
	kashi, err := db.UnitByCode(ctx, "65310100")
	if err != nil {
		t.Fatal(err)
	}
	cm, err := db.UserByName(ctx, "kashi_cm")
	if err != nil {
		t.Fatal(err)
	}
	year, _ := strconv.Atoi(today[:4])
	var last int64
	if err := q.QueryRow(`SELECT last_value FROM number_sequences WHERE unit_id = $1 AND scope = $2 AND year = $3`,
		kashi.ID, casefile.UniformScope(), year).Scan(&last); err != nil {
		t.Fatal(err)
	}
	in := casefile.Intake{UnitID: kashi.ID, Category: "arrest_review", Name: "测试危险驾驶案", TransferringOrgan: "喀什市公安局",
		TransferDocNo: "喀市公（刑）提捕字〔2026〕9999号", ReceivedOn: today, Charges: []string{"危险驾驶罪"},
		Outcome: casefile.OutcomeAccept}
	for _, item := range casefile.CheckItems() {
		in.Checks = append(in.Checks, casefile.Check{Item: item, Passed: true})
	}
	id, err := db.CreateCase(ctx, in, nil, audit.Record{Actor: audit.Actor{UserID: cm.ID, Username: cm.Username},
		Action: "case.intake", ObjectType: "case"})
	if err != nil {
		t.Fatalf("live intake after seeding: %v", err)
	}
	c, err := db.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := casefile.UniformNumber(casefile.NumberUnit{Code: kashi.Code, ShortName: kashi.ShortName}, year, last+1); c.UniformNo != want {
		t.Errorf("live intake got %s, want %s", c.UniformNo, want)
	}
}

// digest lists what determinism is about: names, numbers, statuses and
// handlers in case order.
func digest(t *testing.T, q *sql.DB) []string {
	t.Helper()
	rows, err := q.Query(`SELECT c.name, COALESCE(c.uniform_no, ''), COALESCE(c.stage_no, ''), c.status, c.received_on,
		COALESCE(u.username, ''), (SELECT count(*) FROM case_events e WHERE e.case_id = c.id)
		FROM cases c LEFT JOIN users u ON u.id = c.handler_id ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, uni, stage, status, recv, handler string
		var events int
		if err := rows.Scan(&name, &uni, &stage, &status, &recv, &handler, &events); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s|%d", name, uni, stage, status, recv, handler, events))
	}
	return out
}

func TestDemoDeterministic(t *testing.T) {
	ctx := context.Background()
	var first []string
	for _, e := range testdb.Engines(t) {
		run := func(s uint64) []string {
			db, dsn := e.Open(t)
			if _, err := seed.Demo(ctx, deps(db), seed.Options{Cases: 120, Seed: s, Today: today}); err != nil {
				t.Fatal(err)
			}
			return digest(t, raw(t, dsn))
		}
		a, b, c := run(7), run(7), run(8)
		if len(a) != 120 {
			t.Fatalf("%s: %d cases", e.Name, len(a))
		}
		if !slices.Equal(a, b) {
			t.Errorf("%s: the same seed gave different data", e.Name)
		}
		if slices.Equal(a, c) {
			t.Errorf("%s: different seeds gave the same data", e.Name)
		}
		// The generator does not depend on the engine either.
		if first == nil {
			first = a
		} else if !slices.Equal(first, a) {
			t.Errorf("%s: data differs from the first engine's", e.Name)
		}
	}
}

func TestDemoDefaults(t *testing.T) {
	db, _ := testdb.Engines(t)[0].Open(t)
	res, err := seed.Demo(context.Background(), deps(db), seed.Options{Cases: 20})
	if err != nil {
		t.Fatal(err)
	}
	if res.Today != "2026-03-16" || res.Seed != seed.DefaultSeed || res.Password != seed.DefaultPassword || res.Cases != 20 {
		t.Errorf("defaults: %+v", res)
	}
	sum := 0
	for _, n := range res.ByUnit {
		sum += n
	}
	if sum != 20 {
		t.Errorf("by unit: %v", res.ByUnit)
	}
	usernames := make([]string, len(res.Accounts))
	for i, a := range res.Accounts {
		usernames[i] = a.Username
	}
	sort.Strings(usernames)
	for _, want := range []string{"kashi_cm", "kashi_pros1", "shule_chief", "zhuzhou_sysadmin", "shifeng_aid", "spp_upper"} {
		if _, found := slices.BinarySearch(usernames, want); !found {
			t.Errorf("no account %s", want)
		}
	}
	if _, err := seed.Demo(context.Background(), deps(db), seed.Options{Today: "2026-02-30"}); err == nil {
		t.Error("an impossible today was accepted")
	}
}
